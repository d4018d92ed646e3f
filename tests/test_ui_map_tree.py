"""The hall tree helpers of the red map (no Qt): order, descendants, labels, short names."""
from __future__ import annotations

from app.content.model import Hall
from app.ui.hall_tree import descendants, duration_parts, label_left, short_name, tree_order


def _h(hid: str, level: str, parent: str | None, pos=None) -> Hall:  # noqa: ANN001
    return Hall(hid, level, parent, {"zh": hid}, {"zh": ""}, pos)


HALLS = [
    _h("prov", "province", None, (0.5, 0.5)),
    _h("cityA", "city", "prov", (0.2, 0.6)),
    _h("cityB", "city", "prov", (0.7, 0.3)),
    _h("countyA1", "county", "cityA", (0.15, 0.62)),
    _h("countyB1", "county", "cityB"),
    _h("orphan", "county", "nowhere"),
]


def test_tree_order_is_depth_first_and_keeps_every_hall() -> None:
    order = [(h.id, d) for h, d in tree_order(HALLS)]
    assert order == [("prov", 0), ("cityA", 1), ("countyA1", 2), ("cityB", 1), ("countyB1", 2), ("orphan", 0)]


def test_descendants() -> None:
    assert descendants(HALLS, "prov") == ["cityA", "cityB", "countyA1", "countyB1"]
    assert descendants(HALLS, "cityA") == ["countyA1"]
    assert descendants(HALLS, "countyA1") == []


def test_label_goes_left_when_a_pin_sits_just_to_the_right() -> None:
    others = [(0.2, 0.6), (0.15, 0.62), (0.5, 0.5)]
    assert label_left((0.15, 0.62), others)  # cityA is just to its right
    assert not label_left((0.2, 0.6), others)


def test_short_names_drop_the_level_words() -> None:
    assert short_name("厦门市级馆", "city") == "厦门"
    assert short_name("古田县级馆（上杭）", "county") == "古田（上杭）"
    assert short_name("Gutian County Hall (Shanghang)", "county") == "Gutian (Shanghang)"
    assert short_name("Xiamen City Hall", "city") == "Xiamen"
    assert short_name("福建省级5G+红色通信和创智慧馆", "province") == "福建省级5G+红色通信和创智慧馆"
    assert short_name("City Hall", "city") == "City Hall"  # never empty


def test_duration_parts() -> None:
    assert duration_parts(90) == (1, 30)
    assert duration_parts(720) == (12, 0)
    assert duration_parts(40) == (0, 40)
