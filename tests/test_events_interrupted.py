"""Visitor sessions cut off by a SIGKILL or a power loss are closed at the next start (issue 8):
one `session_end` with reason "interrupted" and the duration up to the session's last stored event,
written by the EventLog writer before anything else, never twice, synced and counted like any other."""
from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from datetime import timezone
from pathlib import Path

from app.events import EventLog
from app.events.interrupted import CHECKPOINT_KEY, close_interrupted_sessions, find_open_sessions
from app.events.log import INSERT_SQL, event_row
from app.events.schema import validate_envelope
from app.events.stats import compute_stats
from app.events.store import get_state, open_events_db, set_state, undelivered, undelivered_wire

T0 = "2026-11-20T09:00:00.000Z"


def left_behind(db_path: Path, events: list[tuple[str, str, dict]], pack: tuple[str, str] = ("fujian-red-map", "1.0")):
    """Write (ts, kind, data) rows the way a kiosk's EventLog did before it was killed."""
    db = open_events_db(db_path)
    with db.conn:
        db.conn.executemany(INSERT_SQL, [event_row("t-01", *pack, ts, kind, data) for ts, kind, data in events])
    db.close()


def rows(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT seq, uuid, terminal_id, pack_id, pack_version, ts, kind, data, delivered_at "
                         "FROM visit_events ORDER BY seq").fetchall()


def ends(db_path: Path) -> list[tuple]:
    return [r for r in rows(db_path) if r[6] == "session_end"]


def start_kiosk_log(db_path: Path) -> EventLog:
    """The kiosk's start path: `app.ui.events_bridge.attach` builds exactly this EventLog."""
    return EventLog(db_path, "t-01", lambda: (None, None))


CUT_OFF = [(T0, "session_start", {"session_id": "s-cut", "lang": "zh", "trigger": "touch"}),
           ("2026-11-20T09:00:40.000Z", "exhibit_view", {"exhibit_id": "gutian", "dwell_s": 40, "session_id": "s-cut"}),
           ("2026-11-20T09:01:35.500Z", "narration_played",
            {"exhibit_id": "gutian", "lang": "zh", "duration_s": 50, "session_id": "s-cut"})]


def test_a_cut_off_session_is_closed_once_at_the_next_start(tmp_path, caplog):
    db = tmp_path / "hongtu.db"
    left_behind(db, CUT_OFF)
    with caplog.at_level(logging.INFO, logger="app.events.log"):
        el = start_kiosk_log(db)
        el.log("camera_count", interval_s=60, **{"in": 0, "out": 0, "visitors": 0})  # queued at once
        el.close()
    assert el.interrupted_closed == 1
    assert "closed 1 visitor sessions cut off by the last stop" in caplog.text
    got = rows(db)
    assert [r[6] for r in got] == ["session_start", "exhibit_view", "narration_played", "session_end", "camera_count"]
    seq, uid, terminal, pack_id, pack_version, ts, _, data, delivered = got[3]
    assert seq == 4 and str(uuid.UUID(uid)) == uid and terminal == "t-01"
    assert json.loads(data) == {"session_id": "s-cut", "duration_s": 95.5, "reason": "interrupted"}
    assert ts == "2026-11-20T09:01:35.500Z"  # when the session was last seen alive
    assert (pack_id, pack_version) == ("fujian-red-map", "1.0")  # the pack the session was shown
    assert delivered is None  # it syncs like any other event

    el = start_kiosk_log(db)  # the next start (and the one after): nothing more to close
    el.close()
    assert el.interrupted_closed == 0 and len(rows(db)) == 5
    conn = open_events_db(db)
    set_state(conn, **{CHECKPOINT_KEY: 0})  # even without its checkpoint it finds the end it wrote
    assert close_interrupted_sessions(conn, "t-01") == 0
    conn.close()
    assert len(ends(db)) == 1


def test_ended_sessions_are_untouched_and_a_bare_start_lasts_zero(tmp_path):
    db = tmp_path / "hongtu.db"
    left_behind(db, [
        (T0, "session_start", {"session_id": "s-ok"}),
        ("2026-11-20T09:00:30.000Z", "exhibit_view", {"exhibit_id": "e1", "dwell_s": 30, "session_id": "s-ok"}),
        ("2026-11-20T09:01:00.000Z", "session_end", {"session_id": "s-ok", "duration_s": 60, "reason": "idle"}),
        ("2026-11-20T09:01:05.000Z", "narration_played", {"exhibit_id": "e1", "session_id": "s-ok"}),  # after the reset
        ("2026-11-20T09:02:00.000Z", "session_start", {"session_id": "s-staff"}),
        ("2026-11-20T09:03:00.000Z", "session_end", {"session_id": "s-staff", "duration_s": 60, "reason": "admin"}),
        ("2026-11-20T09:04:00.000Z", "session_start", {"session_id": "s-bare"}),
        ("2026-11-20T09:04:10.000Z", "camera_count", {"interval_s": 60, "in": 2, "out": 1, "visitors": 1}),
    ])
    before = rows(db)
    el = start_kiosk_log(db)
    el.close()
    after = rows(db)
    assert after[:len(before)] == before  # nothing already there changed
    new = after[len(before):]
    assert len(new) == 1 and new[0][5] == "2026-11-20T09:04:00.000Z"
    assert json.loads(new[0][7]) == {"session_id": "s-bare", "duration_s": 0.0, "reason": "interrupted"}


def test_a_session_started_after_the_repair_is_left_alone(tmp_path):
    db = tmp_path / "hongtu.db"
    left_behind(db, CUT_OFF)
    el = start_kiosk_log(db)
    el.log("session_start", session_id="s-new", lang="en")  # the first visitor after the restart
    el.log("exhibit_view", exhibit_id="e2", dwell_s=5, session_id="s-new")
    el.close()
    got = rows(db)
    assert [(r[6], json.loads(r[7])["session_id"]) for r in got[3:]] == [
        ("session_end", "s-cut"), ("session_start", "s-new"), ("exhibit_view", "s-new")]
    conn = open_events_db(db)
    assert [s.session_id for s in find_open_sessions(conn)] == ["s-new"]  # open until its own end
    assert get_state(conn, CHECKPOINT_KEY) == 4  # everything up to the repair's own event is checked
    assert find_open_sessions(conn, get_state(conn, CHECKPOINT_KEY))[0].session_id == "s-new"
    conn.close()


def test_several_cut_off_sessions_and_the_checkpoint(tmp_path):
    db = tmp_path / "hongtu.db"
    events = []
    for i in range(3):  # three kills in a row (no repair existed yet), then one proper session
        events += [(f"2026-11-1{i}T10:00:00.000Z", "session_start", {"session_id": f"s{i}"}),
                   (f"2026-11-1{i}T10:00:0{i}.000Z", "search", {"query_length": 3, "session_id": f"s{i}"})]
    events += [("2026-11-14T10:00:00.000Z", "session_start", {"session_id": "s9"}),
               ("2026-11-14T10:00:09.000Z", "session_end", {"session_id": "s9", "duration_s": 9, "reason": "ended"})]
    left_behind(db, events)
    conn = open_events_db(db)
    assert close_interrupted_sessions(conn, "t-01") == 3
    assert [(json.loads(r[7])["session_id"], json.loads(r[7])["duration_s"]) for r in ends(db)] == [
        ("s9", 9), ("s0", 0.0), ("s1", 1.0), ("s2", 2.0)]
    top = get_state(conn, CHECKPOINT_KEY)
    assert top == rows(db)[-1][0]
    # a start at or below the checkpoint is never looked at again: only sessions started since are
    with conn.conn:
        conn.conn.executemany(INSERT_SQL, [event_row("t-01", None, None, "2026-11-15T10:00:00.000Z",
                                                     "session_start", {"session_id": "s10"})])
    assert [s.session_id for s in find_open_sessions(conn, top)] == ["s10"]
    set_state(conn, **{CHECKPOINT_KEY: top + 1})
    assert close_interrupted_sessions(conn, "t-01") == 0
    conn.close()


def test_interrupted_ends_sync_to_the_hub_and_count_as_visitor_sessions(tmp_path):
    from app.hub.storage import HubStore

    db = tmp_path / "hongtu.db"
    left_behind(db, CUT_OFF + [
        ("2026-11-20T10:00:00.000Z", "session_start", {"session_id": "s-staff"}),
        ("2026-11-20T10:05:00.000Z", "session_end", {"session_id": "s-staff", "duration_s": 300, "reason": "admin"})])
    start_kiosk_log(db).close()
    conn = open_events_db(db)
    pending = undelivered(conn, 100)
    end = next(e for e in pending if e.kind == "session_end" and e.data["reason"] == "interrupted")
    seqs, texts = undelivered_wire(conn, 100, sync_nicknames=False)  # what `hongtu sync` push/export send
    assert end.seq in seqs and json.loads(texts[seqs.index(end.seq)])["data"]["reason"] == "interrupted"
    wire = [validate_envelope(json.loads(t), f"events[{i}]") for i, t in enumerate(texts)]
    hub = HubStore.open(tmp_path / "hub")
    hub.add_terminal("t-01", None)
    ack = hub.ingest("t-01", "b1", wire)
    assert ack.accepted == len(texts) and end.uuid in hub.event_uuids("t-01")
    hub.close()
    stats = compute_stats([(r[5], r[6], r[7]) for r in rows(db)])
    assert stats["totals"]["sessions"] == 1  # the cut-off visitor counts; the staff session does not
    conn.close()


def test_a_sigkilled_kiosk_session_is_closed_after_the_restart(tmp_path):
    from test_kill_kiosk import assert_clean_restart, drive_and_kill, events, write_config

    cfg = write_config(tmp_path)
    session_id, _, _ = drive_and_kill(cfg, "session")  # a visitor on an exhibit page, then SIGKILL
    db = tmp_path / "var" / "hongtu.db"
    assert [k for k, d, _ in events(db) if d.get("session_id") == session_id] == ["session_start"]
    assert_clean_restart(cfg, session_id)  # the real `hongtu run`, quit by SIGTERM
    mine = [(k, d) for k, d, _ in events(db) if d.get("session_id") == session_id]
    assert [k for k, _ in mine] == ["session_start", "session_end"]
    assert mine[1][1]["reason"] == "interrupted" and mine[1][1]["duration_s"] >= 0
    assert sum(1 for k, d, _ in events(db) if k == "session_end" and d["reason"] == "interrupted") == 1
    logged = (tmp_path / "var" / "logs" / "hongtu.log").read_text(encoding="utf-8")
    assert "closed 1 visitor sessions cut off by the last stop" in logged


# ---- staff sessions: admin mode open when the kiosk was killed --------------------------------------

def hub_figures(tmp_path: Path, db: Path) -> dict:
    """Push the terminal's log to a hub as `hongtu sync` does; the hub's figures (app.hub.network)."""
    from app.hub.storage import HubStore

    conn = open_events_db(db)
    _, texts = undelivered_wire(conn, 1000, sync_nicknames=False)
    conn.close()
    hub = HubStore.open(tmp_path / "hub")
    hub.add_terminal("t-01", None)
    ack = hub.ingest("t-01", "b1", [validate_envelope(json.loads(t), f"events[{i}]") for i, t in enumerate(texts)])
    assert ack.accepted == len(texts)
    figures = compute_stats(((ts, k, d) for _, ts, k, d in hub.rows(None, None)), tz=timezone.utc)
    hub.close()
    return figures


def test_a_session_cut_off_in_admin_mode_is_closed_as_staff_and_left_out_of_the_figures(tmp_path, caplog):
    from app.events.interrupted import STAFF_KEY, staff_notes

    db = tmp_path / "hongtu.db"
    left_behind(db, CUT_OFF)  # a visitor session cut off by an earlier kill (the repair did not run then)
    el = EventLog(db, "t-01", lambda: ("fujian-red-map", "1.0"), close_interrupted=False)
    el.log("session_start", session_id="s-staff", lang="zh", trigger="touch")  # staff touch the kiosk…
    el.log("exhibit_view", exhibit_id="gutian", dwell_s=3, session_id="s-staff")
    el.mark_staff("s-staff")  # …and open admin mode (the bridge does this when Admin.mode leaves "off")
    assert el.flush(10)
    el.close()  # then the kiosk is killed: the EventLog itself never writes a session_end
    conn = open_events_db(db)
    notes = staff_notes(conn)
    assert list(notes) == ["s-staff"]
    opened = notes["s-staff"]
    assert [(s.session_id, s.reason) for s in find_open_sessions(conn)] == [("s-cut", "interrupted"),
                                                                             ("s-staff", "admin")]
    conn.close()
    before = compute_stats([(r[5], r[6], r[7]) for r in rows(db)], tz=timezone.utc)
    assert before["totals"]["sessions"] == 2  # the gap: both starts count until the staff session is ended

    with caplog.at_level(logging.INFO, logger="app.events"):
        el = start_kiosk_log(db)  # the next start
        el.close()
    assert el.interrupted_closed == 2
    assert "session s-staff was cut off in admin mode" in caplog.text
    got = {json.loads(r[7])["session_id"]: r for r in ends(db)}
    assert json.loads(got["s-cut"][7]) == {"session_id": "s-cut", "duration_s": 95.5, "reason": "interrupted"}
    staff = got["s-staff"]
    assert json.loads(staff[7])["reason"] == "admin"  # what the normal path writes for a staff session
    assert staff[5] == opened  # last seen alive when admin mode opened (after its last event)
    assert (staff[3], staff[4], staff[8]) == ("fujian-red-map", "1.0", None)  # its pack; syncs like any event
    conn = open_events_db(db)
    assert get_state(conn, STAFF_KEY) is None  # notes cleared with the repair: every session is closed now
    assert close_interrupted_sessions(conn, "t-01") == 0
    conn.close()

    terminal = compute_stats([(r[5], r[6], r[7]) for r in rows(db)], tz=timezone.utc)
    hub = hub_figures(tmp_path, db)
    for figures in (terminal, hub):  # the admin charts' figures and the hub's: only the visitor counts
        assert figures["totals"]["sessions"] == 1
        assert [(d["day"], d["sessions"]) for d in figures["per_day"]] == [("2026-11-20", 1)] + (
            [] if opened.startswith("2026-11-20") else [(opened[:10], 0)])
        assert figures["per_hour"][9]["sessions"] == 1
        assert sum(h["sessions"] for h in figures["per_hour"]) == 1


def test_staff_notes_of_ended_sessions_are_dropped_and_kept_bounded(tmp_path):
    from app.events.interrupted import STAFF_KEEP, note_staff_session, staff_notes

    db = tmp_path / "hongtu.db"
    left_behind(db, [
        (T0, "session_start", {"session_id": "s-admin"}),
        ("2026-11-20T09:05:00.000Z", "session_end", {"session_id": "s-admin", "duration_s": 300, "reason": "admin"}),
        ("2026-11-20T09:06:00.000Z", "session_start", {"session_id": "s-visitor"}),
        ("2026-11-20T09:06:20.000Z", "search", {"query_length": 2, "session_id": "s-visitor"})])
    conn = open_events_db(db)
    with conn.conn:
        for i in range(STAFF_KEEP + 5):  # never more than STAFF_KEEP notes, the newest kept
            note_staff_session(conn.conn, f"old{i}", "2026-11-19T08:00:00.000Z")
        note_staff_session(conn.conn, "s-admin", "2026-11-20T09:01:00.000Z")  # ended normally meanwhile
    notes = staff_notes(conn)
    assert len(notes) == STAFF_KEEP and list(notes)[-1] == "s-admin" and "old0" not in notes
    assert close_interrupted_sessions(conn, "t-01") == 1
    assert [json.loads(r[7]) for r in ends(db)][-1] == {"session_id": "s-visitor", "duration_s": 20.0,
                                                        "reason": "interrupted"}  # a plain visitor: still one
    assert len(ends(db)) == 2 and staff_notes(conn) == {}
    conn.close()


def test_the_kiosk_killed_in_admin_mode_ends_the_session_as_staff(kiosk_factory, qtbot, tmp_path):
    """The real kiosk: a visitor touch, then staff open admin mode with the PIN. A SIGKILL at that
    moment leaves the database as it is on disk now (copied with SQLite's backup); the next start
    ends that session with reason "admin". The same kiosk quit (SIGTERM, or Quit in admin mode)
    ends it as "admin" too, never as a visitor's "shutdown"."""
    import dataclasses

    from app.config import load_config
    from app.packs.pin import AdminPin
    from app.ui.tour import FakeClock
    from packbuilder import write_pack

    cfg = dataclasses.replace(load_config(None, env={}), data_dir=tmp_path / "data", terminal_id="t-01")
    AdminPin(cfg).set_pin("2468")
    clock = FakeClock()
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=cfg.db_path, clock=clock, start_active=False,
                      extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    k.session.touch()
    k.app.go("exhibit", {"exhibitId": "gutian-meeting"})
    clock.advance(12)
    k.admin.openPin()
    qtbot.waitUntil(lambda: k.admin.jobs.pending == 0, timeout=10000)
    for d in "2468":
        k.admin.pinDigit(int(d))
    k.admin.pinOk()
    qtbot.waitUntil(lambda: k.admin.mode == "open", timeout=10000)
    sid = k.events.session_id
    assert k.events.event_log.flush(10)

    killed = tmp_path / "killed" / "hongtu.db"  # the terminal database at a SIGKILL now
    killed.parent.mkdir()
    src, dst = sqlite3.connect(cfg.db_path), sqlite3.connect(killed)
    src.backup(dst)
    src.close()
    dst.close()
    k.events.close()  # what Kiosk.close() does on SIGTERM or on Quit in admin mode
    normal = [json.loads(r[7]) for r in rows(cfg.db_path) if r[6] == "session_end"]
    assert [(e["session_id"], e["reason"]) for e in normal] == [(sid, "admin")]

    assert [r[6] for r in ends(killed)] == []
    el = start_kiosk_log(killed)  # the next start on the killed kiosk's database
    el.close()
    assert el.interrupted_closed == 1
    cut = [json.loads(r[7]) for r in ends(killed)]
    assert [(e["session_id"], e["reason"]) for e in cut] == [(sid, "admin")]  # the same as the normal path
    for db in (cfg.db_path, killed):
        assert compute_stats([(r[5], r[6], r[7]) for r in rows(db)])["totals"]["sessions"] == 0
