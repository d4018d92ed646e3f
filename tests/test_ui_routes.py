"""Study routes over a real catalog: the list, the guided tour, progress for the session, events."""
from __future__ import annotations

from pathlib import Path

import pytest
from packbuilder import pack_files, write_pack
from test_ui_map import find_item

pytestmark = pytest.mark.timeout(60)


class FakeEvents:
    """Stands in for app.events.EventLog on the UI context."""

    def __init__(self) -> None:
        self.logged: list[tuple[str, dict]] = []

    def log(self, kind: str, **data) -> str:  # noqa: ANN003
        from app.events.schema import validate

        validate(kind, data)  # the real log's rules: known kind, known fields
        self.logged.append((kind, data))
        return "uuid"

    def kinds(self) -> list[str]:
        return [k for k, _ in self.logged]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    files = pack_files()
    files["halls.yaml"].append({"id": "putian", "level": "city", "parent": "fujian", "name": "莆田馆",
                                "intro": "莆田市展馆。"})
    files["routes/hall-walk.yaml"] = {
        "id": "hall-walk", "hall": "fujian", "title": {"zh": "馆内导览", "en": "Hall walk"}, "theme": "馆内两件展品",
        "duration_min": 40, "stops": [{"exhibit": "changting"}, {"exhibit": "gutian-meeting"}],
    }
    return write_pack(tmp_path / "pack", files)


@pytest.fixture
def kiosk(kiosk_factory, pack, qtbot):  # noqa: ANN001, ANN201
    k = kiosk_factory(pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    k.ctx.events = FakeEvents()
    return k


def _rows(model) -> list[dict]:  # noqa: ANN001
    return [model.get(i) for i in range(model.rowCount())]


def _route(qtbot, route_id: str = "gutian-walk"):  # noqa: ANN001, ANN202
    from app.ui.viewmodels.routes import RouteTour

    vm = RouteTour()
    vm.setProperty("routeId", route_id)
    qtbot.waitUntil(lambda: vm.property("found"), timeout=10000)
    return vm


def _list(qtbot, hall: str = ""):  # noqa: ANN001, ANN202
    from app.ui.viewmodels.routes import RouteListModel

    m = RouteListModel()
    m.setProperty("hall", hall)
    qtbot.waitUntil(lambda: not m.property("loading"), timeout=10000)
    return m


def test_routes_list_shows_title_theme_duration_stops_and_hall(kiosk, qtbot) -> None:  # noqa: ANN001
    rows = {r["routeId"]: r for r in _rows(_list(qtbot))}
    assert set(rows) == {"gutian-walk", "hall-walk"}
    walk = rows["gutian-walk"]
    assert walk["title"] == "古田研学路线" and walk["theme"] == "思想建党"
    assert walk["durationText"] == "1 小时 30 分钟" and rows["hall-walk"]["durationText"] == "40 分钟"
    assert (walk["stopCount"], walk["siteCount"]) == (3, 1)
    assert walk["hallName"] == "上杭馆"
    assert (walk["started"], walk["progressText"], walk["progress"]) == (False, "", 0.0)
    kiosk.app.setLanguage("en")
    assert _list(qtbot).get(0)["durationText"] in ("1 h 30 min", "40 min")


def test_routes_list_of_a_hall_includes_the_halls_under_it(kiosk, qtbot) -> None:  # noqa: ANN001
    city = _list(qtbot, "longyan")
    assert [r["routeId"] for r in _rows(city)] == ["gutian-walk"] and not city.property("showingAll")
    none = _list(qtbot, "putian")
    assert none.property("showingAll") and none.rowCount() == 2


def test_stepping_through_a_route(kiosk, qtbot) -> None:  # noqa: ANN001
    vm = _route(qtbot)
    assert vm.property("mode") == "overview" and vm.property("count") == 3
    stops = vm.property("stops")
    assert [s["kind"] for s in stops] == ["exhibit", "site", "exhibit"]
    assert stops[0]["title"] == "古田会议" and stops[0]["thumb"].endswith("photos/gutian.png")
    assert stops[1]["title"] == "古田会议旧址" and stops[1]["address"] == "上杭县古田镇"
    assert stops[1]["narrationText"] == "古田会议旧址。会议召开的地方。"
    assert stops[1]["hasPos"] and stops[1]["x"] == pytest.approx(0.26)

    vm.start()
    assert (vm.property("mode"), vm.property("currentIndex")) == ("tour", 0)
    assert vm.property("progressText") == "第 1 站 / 共 3 站"
    assert vm.property("progress") == pytest.approx(1 / 3)
    assert vm.property("atFirst") and vm.property("current")["exhibitId"] == "gutian-meeting"
    vm.previous()
    assert vm.property("currentIndex") == 0  # bounded
    vm.next()
    assert vm.property("current")["kind"] == "site" and vm.property("currentPinKey") == "stop-1"
    vm.next()
    assert vm.property("atLast") and vm.property("mode") == "tour"
    vm.goTo(7)
    assert vm.property("currentIndex") == 2  # clamped
    vm.next()  # at the last stop: finish
    assert vm.property("mode") == "done" and vm.property("completed")
    assert vm.property("progressText") == "已完成"
    ev = kiosk.ctx.events
    assert ev.kinds() == ["route_started", "route_stop", "route_stop", "route_stop", "route_completed"]
    assert ev.logged[1][1] == {"route_id": "gutian-walk", "stop_index": 0, "exhibit_id": "gutian-meeting"}
    assert ev.logged[2][1] == {"route_id": "gutian-walk", "stop_index": 1}
    vm.next()
    vm.finish()
    assert ev.kinds().count("route_completed") == 1

    vm.restart()
    assert (vm.property("mode"), vm.property("currentIndex"), vm.property("completed")) == ("tour", 0, False)
    assert ev.kinds().count("route_started") == 2


def test_progress_is_kept_across_pages_and_cleared_by_session_reset(kiosk, qtbot) -> None:  # noqa: ANN001
    vm = _route(qtbot)
    vm.start()
    vm.next()
    listing = _list(qtbot)
    row = next(r for r in _rows(listing) if r["routeId"] == "gutian-walk")
    assert row["started"] and row["progressText"] == "第 2 站 / 共 3 站"
    assert row["progress"] == pytest.approx(2 / 3)

    again = _route(qtbot)  # the page opened again: resumes at the same stop
    assert (again.property("mode"), again.property("currentIndex")) == ("tour", 1)
    again.showOverview()
    assert again.property("inProgress") and again.property("resumeText") == "第 2 站 / 共 3 站"
    again.start()
    assert again.property("currentIndex") == 1
    assert kiosk.ctx.events.kinds().count("route_started") == 1

    kiosk.session.end()  # the visitor leaves: idle timeout
    assert not _rows(listing)[0]["started"] and listing.property("startedCount") == 0
    assert (vm.property("mode"), vm.property("inProgress")) == ("overview", False)
    fresh = _route(qtbot)
    assert (fresh.property("mode"), fresh.property("currentIndex")) == ("overview", 0)


def test_route_map_pins_and_path(kiosk, qtbot) -> None:  # noqa: ANN001
    vm = _route(qtbot)
    pins = {p["key"]: p for p in vm.property("mapPins")}
    assert set(pins) == {"hall", "stop-1"}
    assert pins["hall"]["level"] == "county" and pins["stop-1"]["number"] == 2
    assert vm.property("mapPath") == [{"x": 0.25, "y": 0.7}, {"x": 0.26, "y": 0.71}, {"x": 0.25, "y": 0.7}]
    assert vm.property("mapSource").endswith("map.png")


def test_unknown_route_is_not_found(kiosk, qtbot, caplog) -> None:  # noqa: ANN001
    from app.ui.viewmodels.routes import RouteTour

    vm = RouteTour()
    vm.setProperty("routeId", "nope")
    qtbot.waitUntil(lambda: not vm.property("loading") and vm.property("routeId") == "nope", timeout=10000)
    qtbot.wait(50)
    assert not vm.property("found") and vm.property("stops") == []
    vm.start()
    assert vm.property("mode") == "overview"


def test_route_page_tour_and_exhibit_round_trip(kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    kiosk.app.go("route", {"routeId": "gutian-walk"})
    stack = kiosk.window.findChild(QObject, "stack")
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-route", timeout=10000)
    page = stack.property("currentItem")
    vm = page.findChild(QObject, "routeTour")
    qtbot.waitUntil(lambda: vm.property("found"), timeout=10000)
    page.findChild(QObject, "routeStart").clicked.emit()
    progress = page.findChild(QObject, "routeProgressText")
    assert page.findChild(QObject, "routeStep").property("visible")
    assert progress.property("text") == "第 1 站 / 共 3 站"
    assert page.findChild(QObject, "routeStopTitle").property("text") == "古田会议"
    bar = page.findChild(QObject, "routeNarration")
    assert bar.property("exhibitId") == "gutian-meeting" and bar.property("text") == ""
    page.findChild(QObject, "routeNext").clicked.emit()
    assert progress.property("text") == "第 2 站 / 共 3 站"
    assert bar.property("exhibitId") == "" and bar.property("text") == "古田会议旧址。会议召开的地方。"
    assert not page.findChild(QObject, "routeOpenExhibit").property("visible")
    page.findChild(QObject, "routeNext").clicked.emit()
    opener = page.findChild(QObject, "routeOpenExhibit")
    assert opener.property("visible")
    opener.clicked.emit()
    assert kiosk.app.property("currentScreen") == "exhibit"
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-exhibit", timeout=10000)
    kiosk.app.back()
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-route", timeout=10000)
    assert progress.property("text") == "第 3 站 / 共 3 站"  # back at the same step
    page.findChild(QObject, "routeNext").clicked.emit()
    assert page.findChild(QObject, "routeDone").property("visible")
    assert kiosk.ctx.events.kinds()[-1] == "route_completed"


def test_routes_screen_lists_cards_with_progress(kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    vm = _route(qtbot)
    vm.start()
    kiosk.app.go("routes", {"hallId": "longyan"})
    stack = kiosk.window.findChild(QObject, "stack")
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-routes", timeout=10000)
    page = stack.property("currentItem")
    qtbot.waitUntil(lambda: find_item(page, "routeProgress-gutian-walk") is not None, timeout=10000)
    assert find_item(page, "routeProgress-gutian-walk").property("text") == "第 1 站 / 共 3 站"
    assert find_item(page, "routeCard-hall-walk") is None  # another hall's route
    card = find_item(page, "routeCard-gutian-walk")
    assert card.property("height") >= 48
    card.clicked.emit()
    assert kiosk.app.property("currentScreen") == "route"


def test_route_events_reach_the_visit_log(kiosk_factory, pack, qtbot, tmp_path) -> None:  # noqa: ANN001
    import dataclasses
    import json
    import sqlite3

    from app.config import load_config
    from app.ui.tour import FakeClock

    cfg = dataclasses.replace(load_config(None, env={}), data_dir=tmp_path / "data", terminal_id="t-routes")
    clock = FakeClock()
    k = kiosk_factory(pack, db_path=cfg.db_path, clock=clock, extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    vm = _route(qtbot, "hall-walk")
    vm.start()
    clock.advance(30)
    vm.next()
    vm.next()  # the last stop: completed
    assert k.events.event_log.flush(10)
    con = sqlite3.connect(cfg.db_path)
    try:
        rows = [(kind, json.loads(d)) for kind, d in
                con.execute("SELECT kind, data FROM visit_events WHERE kind LIKE 'route%' ORDER BY seq")]
    finally:
        con.close()
    assert [r[0] for r in rows] == ["route_started", "route_stop", "route_stop", "route_completed"]
    assert rows[1][1]["stop_index"] == 0 and rows[1][1]["exhibit_id"] == "changting"
    assert rows[3][1]["duration_s"] == pytest.approx(30.0)
    assert all(r[1]["route_id"] == "hall-walk" and r[1].get("session_id") for r in rows)


def test_routes_screen_highlights_a_linked_route(kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    kiosk.app.go("routes", {"routeId": "hall-walk"})  # how an exhibit page's route link opens it
    stack = kiosk.window.findChild(QObject, "stack")
    qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-routes", timeout=10000)
    page = stack.property("currentItem")
    qtbot.waitUntil(lambda: find_item(page, "routeCard-hall-walk") is not None, timeout=10000)
    assert find_item(page, "routeCard-hall-walk").property("picked")
    assert not find_item(page, "routeCard-gutian-walk").property("picked")
