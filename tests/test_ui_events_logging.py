"""Visit logging through the real kiosk view-models (issue 6 §1): a scripted visitor session ends up
in the terminal database as session_start, exhibit_view (with dwell), search (length only),
narration_played and session_end events."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(90)


def _cfg(tmp_path: Path):  # noqa: ANN202
    from app.config import load_config

    return dataclasses.replace(load_config(None, env={}), data_dir=tmp_path / "data", terminal_id="t-test-01")


def _events(db_path: Path) -> list[tuple[str, dict, str | None, str]]:
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT kind, data, pack_id, terminal_id FROM visit_events ORDER BY seq").fetchall()
    finally:
        con.close()
    return [(k, json.loads(d), p, t) for k, d, p, t in rows]


def test_a_scripted_visit_is_logged_end_to_end(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from app.ui.tour import FakeClock
    from app.ui.viewmodels.search import SearchModel

    cfg = _cfg(tmp_path)
    clock = FakeClock()
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=cfg.db_path, clock=clock, start_active=False,
                      extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    assert k.ctx.events is k.events and k.events.event_log is not None

    k.session.touch()  # a visitor touches the attract loop
    k.app.go("exhibit", {"exhibitId": "gutian-meeting"})
    clock.advance(42.5)
    k.app.go("exhibit", {"exhibitId": "changting"})  # a related exhibit: the first page is left
    clock.advance(10)
    k.app.back()  # back to the first exhibit: a new view starts
    clock.advance(5)
    k.app.home()

    search = SearchModel()
    search.searchNow("古田会议")
    qtbot.waitUntil(lambda: search.state in ("results", "none"), timeout=10000)
    search.openResult("gutian-meeting")  # logs the search, opens the exhibit
    clock.advance(7)
    # the visitor walks away: idle timeout, countdown, reset (which also ends the open exhibit view)
    clock.advance(k.core.idle_timeout_s + k.core.countdown_s + 1)
    k.session.tick()
    k.session.tick()
    assert k.session.attract
    assert k.events.event_log.flush(10)

    events = _events(cfg.db_path)
    kinds = [e[0] for e in events]
    assert kinds == ["session_start", "exhibit_view", "exhibit_view", "exhibit_view", "search", "exhibit_view",
                     "session_end"], kinds
    start, end = events[0][1], events[-1][1]
    sid = start["session_id"]
    assert start["lang"] == "zh" and end["session_id"] == sid and end["reason"] == "idle"
    assert end["duration_s"] == pytest.approx(42.5 + 10 + 5 + 7 + k.core.idle_timeout_s + k.core.countdown_s + 1)
    views = [e[1] for e in events if e[0] == "exhibit_view"]
    assert [(v["exhibit_id"], v["dwell_s"]) for v in views] == [
        ("gutian-meeting", 42.5), ("changting", 10.0), ("gutian-meeting", 5.0),
        ("gutian-meeting", 7.0 + k.core.idle_timeout_s + k.core.countdown_s + 1)]
    assert all(v["session_id"] == sid for v in views)
    s = next(e[1] for e in events if e[0] == "search")
    assert s["query_length"] == 4 and s["session_id"] == sid and "query" not in s
    assert all("古田会议" not in json.dumps(e[1], ensure_ascii=False) for e in events)
    assert {e[3] for e in events} == {"t-test-01"}
    assert all(e[2] == k.app._info.id for e in events)  # the pack shown


def test_a_second_visitor_gets_a_new_session(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from app.ui.tour import FakeClock

    cfg = _cfg(tmp_path)
    clock = FakeClock()
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=cfg.db_path, clock=clock, start_active=False,
                      extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    for _ in range(2):
        k.session.touch()
        clock.advance(3)
        k.session.end()
    k.session.touch()  # still on when the kiosk quits: ended as "shutdown"
    k.events.close()  # what Kiosk.close() does
    events = _events(cfg.db_path)
    assert [e[0] for e in events] == ["session_start", "session_end"] * 3
    ids = [e[1]["session_id"] for e in events]
    assert ids[0] == ids[1] != ids[2] == ids[3] != ids[4] == ids[5]
    assert [e[1]["reason"] for e in events if e[0] == "session_end"] == ["ended", "ended", "shutdown"]


def test_narration_played_with_seconds_and_completion(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import Property, QObject, Signal

    from app.ui.tour import FakeClock

    class Player(QObject):
        """The NarrationPlayer's signals and properties the bridge reads."""
        changed = Signal()
        finished = Signal()

        def __init__(self) -> None:
            super().__init__()
            self._state, self._id = "idle", ""

        def set(self, state: str, current: str) -> None:
            self._state, self._id = state, current
            self.changed.emit()

        state = Property(str, lambda self: self._state, notify=changed)
        currentId = Property(str, lambda self: self._id, notify=changed)  # noqa: N815
        language = Property(str, lambda self: "zh", notify=changed)

    cfg = _cfg(tmp_path)
    clock = FakeClock()
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=cfg.db_path, clock=clock, extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    p = Player()
    k.events.watch_player(p)
    p.set("loading", "gutian-meeting")
    p.set("playing", "gutian-meeting")
    clock.advance(4)
    p.set("paused", "gutian-meeting")
    clock.advance(30)  # paused time is not played time
    p.set("playing", "gutian-meeting")
    clock.advance(6)
    p.set("idle", "")  # played to the end
    p.finished.emit()
    p.set("loading", "changting")
    p.set("playing", "changting")
    clock.advance(2.5)
    p.set("idle", "")  # stopped by the visitor (no `finished`)
    p.set("playing", "gutian-meeting")
    clock.advance(1)
    k.session.end()  # the session reset stops a narration still playing
    qtbot.wait(50)
    assert k.events.event_log.flush(10)
    narr = [e[1] for e in _events(cfg.db_path) if e[0] == "narration_played"]
    assert sorted((n["exhibit_id"], n["duration_s"], n["completed"]) for n in narr) == [
        ("changting", 2.5, False), ("gutian-meeting", 1.0, False), ("gutian-meeting", 10.0, True)]
    assert all(n["lang"] == "zh" and n.get("session_id") for n in narr)


def test_other_view_models_log_through_the_context_accessor(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from app.ui.context import events

    cfg = _cfg(tmp_path)
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=cfg.db_path, extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    sid = k.events.session_id
    assert sid
    assert events().log("route_started", route_id="gutian-walk")
    assert events().log("quiz_round", quiz_id="basics", score=20, time_s=31.5, session_id="other")
    assert events().log("search", query="古田") is None  # refused (personal/free text), never raised
    assert events().log("no_such_kind") is None
    assert k.events.event_log.flush(10)
    rows = {e[0]: e[1] for e in _events(cfg.db_path)}
    assert rows["route_started"] == {"route_id": "gutian-walk", "session_id": sid}
    assert rows["quiz_round"]["session_id"] == "other"
    assert "search" not in rows


def test_a_kiosk_without_config_logs_nothing(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    k = kiosk_factory(write_pack(tmp_path / "pack"))
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    assert k.events.event_log is None and k.events.pusher is None
    assert k.events.log("route_started", route_id="x") is None
