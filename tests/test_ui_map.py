"""The red map view-model and screen over a real catalog: pins, levels, links, the hall panel."""
from __future__ import annotations

from pathlib import Path

import pytest
from packbuilder import pack_files, write_pack

pytestmark = pytest.mark.timeout(60)


def find_item(root, name: str):  # noqa: ANN001, ANN201
    """An item by objectName, walking the visual tree (Repeater delegates have no QObject parent)."""
    todo = [root]
    while todo:
        item = todo.pop()
        if item.objectName() == name:
            return item
        todo.extend(item.childItems())
    return None


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    files = pack_files()
    # a city hall with no map position and no route of its own
    files["halls.yaml"].append({"id": "putian", "level": "city", "parent": "fujian",
                                "name": {"zh": "莆田市级馆", "en": "Putian City Hall"}, "intro": "莆田市展馆。"})
    return write_pack(tmp_path / "pack", files)


@pytest.fixture
def kiosk(kiosk_factory, pack, qtbot):  # noqa: ANN001, ANN201
    k = kiosk_factory(pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    return k


@pytest.fixture
def red_map(kiosk, qtbot):  # noqa: ANN001, ANN201
    from app.ui.viewmodels.map import RedMap

    m = RedMap()
    qtbot.waitUntil(lambda: not m.property("loading"), timeout=10000)
    return m


def test_pins_come_from_halls_with_a_map_position(red_map) -> None:  # noqa: ANN001
    pins = {p["hallId"]: p for p in red_map.property("pins")}
    assert set(pins) == {"longyan", "shanghang"}  # fujian and putian have no map_pos
    assert pins["longyan"]["level"] == "city" and pins["shanghang"]["level"] == "county"
    assert (pins["longyan"]["x"], pins["longyan"]["y"]) == pytest.approx((0.3, 0.6))
    assert pins["longyan"]["label"] == "龙岩馆"
    # county pins come last, so they are drawn (and tapped) above the bigger city pins
    assert [p["level"] for p in red_map.property("pins")] == ["city", "county"]
    # a link only where both ends are on the map
    assert [(lk["from"], lk["to"]) for lk in red_map.property("links")] == [("longyan", "shanghang")]
    assert red_map.property("mapSource").endswith("/media/map.png")


def test_a_hall_without_map_pos_is_listed_but_not_pinned(red_map) -> None:  # noqa: ANN001
    tree = red_map.property("tree")
    assert [(r["hallId"], r["depth"]) for r in tree] == [("fujian", 0), ("longyan", 1), ("shanghang", 2), ("putian", 1)]
    assert {r["hallId"]: r["pinned"] for r in tree} == {"fujian": False, "longyan": True, "shanghang": True,
                                                        "putian": False}
    assert red_map.property("unpinnedCount") == 2
    assert red_map.property("levelCounts") == {"province": 1, "city": 2, "county": 1}


def test_tapping_a_hall_selects_it_and_exposes_its_routes(red_map) -> None:  # noqa: ANN001
    assert red_map.property("selected") == {}
    red_map.select("longyan")
    sel = red_map.property("selected")
    assert sel["name"] == "龙岩馆" and sel["level"] == "city" and sel["levelText"] == "市级展馆"
    assert sel["address"] == "福建省龙岩市" and sel["pinned"] is True
    assert sel["exhibitCount"] == 1  # changting
    assert sel["parentId"] == "fujian" and sel["parentName"] == "福建馆"
    assert [c["hallId"] for c in sel["children"]] == ["shanghang"]
    assert sel["baseName"] == "龙岩馆" and sel["cityName"] == "龙岩馆"
    # the city's route is its county hall's route
    assert [(r["routeId"], r["own"], r["stopCount"]) for r in sel["routes"]] == [("gutian-walk", False, 3)]
    assert sel["routes"][0]["durationText"] == "1 小时 30 分钟"

    red_map.select("shanghang")
    sel = red_map.property("selected")
    assert [(r["routeId"], r["own"]) for r in sel["routes"]] == [("gutian-walk", True)]
    assert sel["cityName"] == "龙岩馆" and sel["exhibitCount"] == 1

    red_map.select("putian")
    sel = red_map.property("selected")
    assert sel["routes"] == [] and sel["pinned"] is False
    red_map.clearSelection()
    assert red_map.property("selected") == {}


def test_language_switch_relabels_pins_and_panel(kiosk, red_map) -> None:  # noqa: ANN001
    red_map.select("putian")
    kiosk.app.setLanguage("en")
    assert red_map.property("selected")["name"] == "Putian City Hall"
    assert red_map.property("selected")["levelText"] == "City hall"
    pins = {p["hallId"]: p for p in red_map.property("pins")}
    assert pins["longyan"]["label"] == "龙岩馆"  # no English name in the pack: falls back to zh
    assert pins["longyan"]["subLabel"] == ""


def test_map_screen_pin_tap_opens_the_panel(kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    kiosk.app.go("map", {})
    stack = kiosk.window.findChild(QObject, "stack")
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-map", timeout=10000)
    screen = stack.property("currentItem")
    qtbot.waitUntil(lambda: find_item(screen, "pin-shanghang") is not None, timeout=10000)
    pin = find_item(screen, "pin-shanghang")
    assert pin.property("width") >= 48 and pin.property("height") >= 48  # touch target
    pin.clicked.emit()
    vm = screen.findChild(QObject, "redMap")
    assert vm.property("selectedHallId") == "shanghang"
    name = screen.findChild(QObject, "selectedHallName")
    qtbot.waitUntil(lambda: name.property("text") == "上杭馆", timeout=5000)
    assert screen.findChild(QObject, "hallPanel").property("visible")
    qtbot.waitUntil(lambda: find_item(screen, "mapRoute-gutian-walk") is not None, timeout=5000)
    find_item(screen, "mapRoute-gutian-walk").clicked.emit()
    assert kiosk.app.property("currentScreen") == "route"


def test_map_opened_with_a_hall_preselects_it(kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    kiosk.app.go("map", {"hallId": "longyan"})
    stack = kiosk.window.findChild(QObject, "stack")
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-map", timeout=10000)
    vm = stack.property("currentItem").findChild(QObject, "redMap")
    qtbot.waitUntil(lambda: vm.property("selected").get("name") == "龙岩馆", timeout=10000)


def test_map_and_route_strings_have_chinese_translations() -> None:
    import re

    from app.ui.screens import MODULE_DIR
    from app.ui.translator import load_tables

    zh = load_tables()["zh"]
    names = ["HallPin", "MapView", "MapLegend", "MapScreen", "RoutesScreen", "RouteStopRow", "RouteScreen"]
    missing = {}
    for n in names:
        text = (MODULE_DIR / f"{n}.qml").read_text(encoding="utf-8")
        for s in re.findall(r'qsTr\("((?:[^"\\]|\\.)*)"\)', text):
            if s not in zh:
                missing.setdefault(n, []).append(s)
    assert missing == {}
