"""The visitor-figures view-model (issue 6 §2): figures from seeded events, computed on the events
worker, titles from the catalog in the visitor's language, periods today / 7 / 30 days."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(90)


def _seed(db_path: Path, today: date) -> None:
    from app.events.store import open_events_db
    from app.ui.stats_tour import insert_events

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute)).astimezone()

    y, old = today - timedelta(days=1), today - timedelta(days=20)
    rows = [
        (at(today, 10, 1), "session_start", {"session_id": "s1"}),
        (at(today, 10, 2), "exhibit_view", {"exhibit_id": "gutian-meeting", "dwell_s": 60, "session_id": "s1"}),
        (at(today, 10, 3), "exhibit_view", {"exhibit_id": "gutian-meeting", "dwell_s": 30, "session_id": "s1"}),
        (at(today, 10, 4), "exhibit_view", {"exhibit_id": "changting", "dwell_s": 200, "session_id": "s1"}),
        (at(today, 10, 5), "route_started", {"route_id": "gutian-walk", "session_id": "s1"}),
        (at(today, 10, 9), "route_completed", {"route_id": "gutian-walk", "session_id": "s1"}),
        (at(today, 10, 10), "quiz_round", {"quiz_id": "basics", "score": 8, "max_score": 10, "time_s": 40,
                                           "pk_result": "win", "session_id": "s1"}),
        (at(today, 10, 59), "camera_count", {"interval_s": 3600, "in": 7, "out": 6, "visitors": 6}),
        (at(today, 14, 0), "session_start", {"session_id": "s2"}),
        (at(today, 14, 1), "search", {"query_length": 2, "results": 1, "session_id": "s2"}),
        (at(today, 14, 2), "route_started", {"route_id": "gutian-walk", "session_id": "s2"}),
        (at(today, 14, 3), "quiz_round", {"quiz_id": "basics", "score": 4, "max_score": 10, "time_s": 60,
                                          "session_id": "s2"}),
        (at(y, 9, 30), "session_start", {"session_id": "s3"}),
        (at(y, 9, 31), "exhibit_view", {"exhibit_id": "changting", "dwell_s": 15, "session_id": "s3"}),
        (at(y, 9, 59), "camera_count", {"interval_s": 3600, "in": 12, "out": 12, "visitors": 11}),
        (at(old, 11, 0), "session_start", {"session_id": "s4"}),
        (at(old, 11, 1), "exhibit_view", {"exhibit_id": "unknown-exhibit", "dwell_s": 5, "session_id": "s4"}),
    ]
    db = open_events_db(db_path)
    insert_events(db, "t1", rows)
    db.conn.close()


@pytest.fixture
def stats_kiosk(kiosk_factory, qtbot, tmp_path: Path):  # noqa: ANN001, ANN201
    db = tmp_path / "hongtu.db"
    today = date.today()
    _seed(db, today)
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=db)
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    return k, today


def _load(qtbot, vs) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not vs.loading and vs.ready, timeout=20000)
    qtbot.waitUntil(lambda: all(r["title"] != r["exhibitId"] or r["exhibitId"] == "unknown-exhibit"
                                for r in vs.topByViews), timeout=20000)


def test_figures_of_today(stats_kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.stats import VisitorStats

    k, today = stats_kiosk
    vs = VisitorStats(today=today)
    _load(qtbot, vs)
    assert vs.error == ""
    t = vs.totals
    assert (t["sessions"], t["camera_visitors"], t["exhibit_views"], t["searches"], t["quiz_rounds"]) == (2, 6, 3, 1, 2)
    hours = vs.hourChart
    assert hours["labels"][0] == "08" and hours["labels"][-1] == "18"
    i10, i14 = hours["labels"].index("10"), hours["labels"].index("14")
    assert (hours["sessions"][i10], hours["camera"][i10], hours["sessions"][i14]) == (1, 6, 1)
    assert sum(hours["sessions"]) == 2 and hours["max"] >= 6
    views = vs.topByViews
    assert [(r["title"], r["value"]) for r in views] == [("古田会议", 2), ("红色小上海", 1)]
    assert views[0]["avgDwell"] == 45.0 and views[0]["fraction"] == 1.0 and views[1]["fraction"] == 0.5
    assert [(r["title"], r["minutes"]) for r in vs.topByDwell] == [("红色小上海", 3.3), ("古田会议", 1.5)]
    routes = vs.routes
    assert (routes["started"], routes["completed"], routes["rate"]) == (2, 1, 0.5)
    assert routes["byRoute"] == [{"title": "古田研学路线", "started": 2, "completed": 1, "rate": 0.5}]
    q = vs.quiz
    assert (q["rounds"], q["participation"], q["avgPct"], q["avgTime"], q["win"]) == (2, 1.0, 60.0, 50.0, 1)
    assert q["byQuiz"][0]["title"] == "基础知识"
    # the per-day chart spans a week, today last; yesterday's visitor is in it
    days = vs.dayChart
    assert len(days["labels"]) == 7 and days["labels"][-1] == today.isoformat()[5:]
    assert days["sessions"][-2:] == [1, 2] and days["camera"][-2:] == [11, 6]

    k.app.setLanguage("en")  # relabelled without recomputing
    assert [r["title"] for r in vs.topByViews] == ["The Gutian Meeting", "Little Red Shanghai"]


def test_periods_widen_the_figures(stats_kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.stats import VisitorStats

    k, today = stats_kiosk
    vs = VisitorStats(today=today)
    _load(qtbot, vs)
    vs.period = "7d"
    assert vs.loading
    _load(qtbot, vs)
    assert vs.totals["sessions"] == 3 and vs.totals["camera_visitors"] == 17
    assert [(r["title"], r["value"]) for r in vs.topByViews] == [("红色小上海", 2), ("古田会议", 2)]  # ties by id
    vs.period = "30d"
    _load(qtbot, vs)
    assert vs.totals["sessions"] == 4
    assert len(vs.dayChart["labels"]) == 30
    assert vs.dayChart["sessions"][30 - 21] == 1  # 20 days ago
    assert any(r["title"] == "unknown-exhibit" for r in vs.topByViews)  # not in the pack: its id is shown
    vs.period = "year"  # refused, the period stays
    assert vs.period == "30d"


def test_the_screen_shows_the_figures(stats_kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    k, today = stats_kiosk
    k.app.go("admin_stats", {})
    qtbot.waitUntil(lambda: k.window.findChild(QObject, "visitorStats") is not None, timeout=10000)
    vs = k.window.findChild(QObject, "visitorStats")
    _load(qtbot, vs)
    assert vs.totals["sessions"] == 2
    image = k.window.grabWindow()
    assert not image.isNull() and image.width() == 1280

