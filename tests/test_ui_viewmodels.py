"""View-models over a real catalog: lists, navigation, language fallback, exhibit detail, reset."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack")


@pytest.fixture
def kiosk(kiosk_factory, pack, qtbot):  # noqa: ANN001, ANN201
    k = kiosk_factory(pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    return k


def _rows(model) -> list[dict]:  # noqa: ANN001
    return [model.get(i) for i in range(model.rowCount())]


def _qml_stack_depth(k) -> int:  # noqa: ANN001
    from PySide6.QtCore import QObject

    return k.window.findChild(QObject, "stack").property("depth")


def _text_of(k, object_name: str) -> str:  # noqa: ANN001
    from PySide6.QtCore import QObject

    return k.window.findChild(QObject, object_name).property("text")


def test_home_data_from_the_catalog(kiosk) -> None:  # noqa: ANN001
    app = kiosk.app
    assert app.property("packTitle") == "测试展馆"
    assert app.property("exhibitCount") == 2
    assert [h.id for h in app.halls] == ["fujian", "longyan", "shanghang"]
    assert [t["tagId"] for t in app.property("tags")] == ["gutian"]
    assert app.property("warning") == ""


def test_hall_and_exhibit_lists(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.lists import ExhibitListModel, HallListModel

    cities = HallListModel()
    cities.setProperty("level", "city")
    assert [r["hallId"] for r in _rows(cities)] == ["longyan"]
    row = _rows(cities)[0]
    assert row["name"] == "龙岩馆" and row["address"] == "福建省龙岩市"
    assert row["hasMapPos"] and row["mapX"] == pytest.approx(0.3)
    children = HallListModel()
    children.setProperty("parentHall", "fujian")
    assert [r["hallId"] for r in _rows(children)] == ["longyan"]

    names = {bytes(v).decode() for v in ExhibitListModel().roleNames().values()}
    assert {"exhibitId", "title", "summary", "period", "thumb", "hallName"} <= names

    in_hall = ExhibitListModel()
    in_hall.setProperty("hall", "shanghang")
    qtbot.waitUntil(lambda: in_hall.rowCount() == 1, timeout=10000)
    card = _rows(in_hall)[0]
    assert card["exhibitId"] == "gutian-meeting"
    assert card["title"] == "古田会议" and card["hallName"] == "上杭馆"
    assert card["thumb"].startswith("file://") and card["thumb"].endswith("photos/gutian.png")

    by_tag = ExhibitListModel()
    by_tag.setProperty("tag", "gutian")
    everything = ExhibitListModel()
    qtbot.waitUntil(lambda: by_tag.rowCount() == 1 and everything.rowCount() == 2, timeout=10000)

    featured = ExhibitListModel()
    featured.setProperty("featured", True)
    qtbot.waitUntil(lambda: featured.rowCount() == 2, timeout=10000)


def test_navigation_stack_follows_python(kiosk, qtbot) -> None:  # noqa: ANN001
    app = kiosk.app
    app.go("hall", {"hallId": "longyan"})
    app.go("hall", {"hallId": "longyan"})  # a double tap does not push twice
    app.go("exhibit", {"exhibitId": "changting"})
    assert [s for s, _ in app.stack()] == ["home", "hall", "exhibit"]
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 3, timeout=5000)
    app.back()
    assert app.property("currentScreen") == "hall"
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 2, timeout=5000)
    app.go("search", {})  # not built yet: the coming-soon screen
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 3, timeout=5000)
    app.home()
    assert app.stack() == [("home", {})]
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 1, timeout=5000)
    with pytest.raises(KeyError, match="unknown screen 'nowhere'"):
        app.go("nowhere", {})


def test_language_switch_translates_ui_and_falls_back_for_content(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.lists import HallListModel

    app = kiosk.app
    halls = HallListModel()
    app.go("hall", {"hallId": "longyan"})
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 2, timeout=5000)
    assert _text_of(kiosk, "homeButton") == "首页"
    app.setLanguage("en")
    assert app.property("language") == "en"
    assert app.property("packTitle") == "Test Hall"
    names = {r["hallId"]: r["name"] for r in _rows(halls)}
    assert names["fujian"] == "Fujian Hall"
    assert names["longyan"] == "龙岩馆"  # no English name: the pack's default language
    qtbot.waitUntil(lambda: _text_of(kiosk, "homeButton") == "Home", timeout=5000)
    app.setLanguage("fr")  # not offered: ignored
    assert app.property("language") == "en"
    app.toggleLanguage()
    assert app.property("language") == "zh"
    qtbot.waitUntil(lambda: _text_of(kiosk, "homeButton") == "首页", timeout=5000)


def test_exhibit_detail(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.details import ExhibitDetail

    d = ExhibitDetail()
    d.setProperty("exhibitId", "gutian-meeting")
    qtbot.waitUntil(lambda: d.property("found"), timeout=10000)
    assert d.property("title") == "古田会议"
    assert d.property("period") == "1929"
    assert d.property("hallName") == "上杭馆"
    html = d.property("bodyHtml")
    assert "<b>思想建党、政治建军</b>" in html and "<li>" in html
    images = d.property("images")
    assert len(images) == 1 and images[0]["caption"] == "会址" and not images[0]["missing"]
    kiosk.app.setLanguage("en")
    assert d.property("title") == "The Gutian Meeting"
    assert d.property("images")[0]["caption"] == "The meeting site"
    assert "思想建党" in d.property("bodyHtml")  # body only in Chinese: falls back

    other = ExhibitDetail()
    other.setProperty("exhibitId", "no-such-exhibit")
    qtbot.waitUntil(lambda: not other.property("loading"), timeout=10000)
    assert not other.property("found") and other.property("title") == ""


def test_missing_image_gives_a_placeholder_and_a_warning(kiosk, pack, qtbot, caplog) -> None:  # noqa: ANN001
    from app.ui.viewmodels.details import ExhibitDetail

    (pack / "media" / "photos" / "gutian.png").unlink()
    d = ExhibitDetail()
    with caplog.at_level(logging.WARNING):
        d.setProperty("exhibitId", "gutian-meeting")
        qtbot.waitUntil(lambda: d.property("found"), timeout=10000)
    images = d.property("images")
    assert images[0]["missing"] and images[0]["source"] == ""
    assert any("missing media file" in r.getMessage() and "gutian.png" in r.getMessage() for r in caplog.records)


def test_session_end_resets_the_visitor(kiosk, qtbot) -> None:  # noqa: ANN001
    app, session = kiosk.app, kiosk.session
    resets = []
    session.sessionReset.connect(lambda: resets.append(1))
    app.go("hall", {"hallId": "fujian"})
    app.go("exhibit", {"exhibitId": "gutian-meeting"})
    app.setLanguage("en")
    app.toggleLargeText()
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 3, timeout=5000)
    session.end()
    assert session.property("state") == "attract" and session.property("attract")
    assert app.stack() == [("home", {})]
    assert app.property("language") == "zh" and not app.property("largeText")
    assert resets == [1]
    qtbot.waitUntil(lambda: _qml_stack_depth(kiosk) == 1, timeout=5000)


def test_idle_countdown_and_reset_with_a_fake_clock(kiosk_factory, pack, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    from app.ui.tour import FakeClock

    clock = FakeClock()
    k = kiosk_factory(pack, clock=clock, idle_timeout_s=30, countdown_s=5)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    k.app.go("hall", {"hallId": "longyan"})
    clock.advance(30)
    k.session.tick()
    assert k.session.property("state") == "countdown" and k.session.property("countdown") == 5
    qtbot.waitUntil(lambda: k.window.findChild(QObject, "countdownNumber") is not None, timeout=5000)
    clock.advance(5)
    k.session.tick()
    assert k.session.property("state") == "attract" and k.app.stack() == [("home", {})]
    qtbot.waitUntil(lambda: k.window.findChild(QObject, "attract") is not None, timeout=5000)


def test_any_input_starts_a_session(kiosk_factory, pack, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QPoint, Qt

    k = kiosk_factory(pack, start_active=False)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    assert k.session.property("state") == "attract"
    qtbot.mouseClick(k.window, Qt.MouseButton.LeftButton, pos=QPoint(400, 400))
    assert k.session.property("state") == "active"


def test_broken_pack_keeps_the_previous_catalog(kiosk_factory, pack, tmp_path, qtbot) -> None:  # noqa: ANN001
    db = tmp_path / "shared.db"
    good = kiosk_factory(pack, db_path=db)
    qtbot.waitUntil(lambda: good.app.ready, timeout=20000)
    (pack / "halls.yaml").write_text("- id: [broken\n", encoding="utf-8")
    k = kiosk_factory(pack, db_path=db)
    qtbot.waitUntil(lambda: k.app.ready or bool(k.home_error), timeout=20000)
    assert k.app.ready and k.app.property("packTitle") == "测试展馆"
    assert "halls.yaml" in k.app.property("warning") and "previously indexed" in k.app.property("warning")


def test_broken_pack_without_a_catalog_is_an_error(kiosk_factory, pack, tmp_path, qtbot) -> None:  # noqa: ANN001
    (pack / "halls.yaml").write_text("- id: [broken\n", encoding="utf-8")
    k = kiosk_factory(pack)
    qtbot.waitUntil(lambda: bool(k.home_error), timeout=20000)
    assert "halls.yaml" in k.home_error and "\n" not in k.home_error
    assert not k.app.ready and k.app.property("error") == k.home_error
