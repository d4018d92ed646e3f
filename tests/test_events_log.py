"""EventLog: validation, queued writes by one writer thread, persistent sequence numbers, and a
valid database after the process is SIGKILLed at a random moment."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from app.events import EventError, EventLog, EventLogClosed
from app.events.schema import parse_ts, validate

REPO = Path(__file__).resolve().parent.parent


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT seq, uuid, terminal_id, pack_id, pack_version, ts, kind, data "
                         "FROM visit_events ORDER BY seq").fetchall()


def wait_for(pred, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def test_events_carry_ids_pack_time_and_sequence(tmp_path):
    pack = {"v": ("fujian-red-map", "1.0")}
    el = EventLog(tmp_path / "hongtu.db", "t-01", lambda: pack["v"])
    ids = [el.log("session_start", session_id="s1", lang="zh"),
           el.log("exhibit_view", exhibit_id="gutian", dwell_s=42.5, session_id="s1")]
    pack["v"] = ("fujian-red-map", "1.1")
    ids.append(el.log("search", query_length=4, results=2))
    el.close()
    got = rows(tmp_path / "hongtu.db")
    assert [r[1] for r in got] == ids and [r[0] for r in got] == [1, 2, 3]
    assert all(str(uuid.UUID(r[1])) == r[1] and r[2] == "t-01" for r in got)
    assert [r[4] for r in got] == ["1.0", "1.0", "1.1"]
    assert json.loads(got[1][7]) == {"exhibit_id": "gutian", "dwell_s": 42.5, "session_id": "s1"}
    assert all(parse_ts(r[5]).tzinfo is not None and r[5].endswith("Z") for r in got)


def test_sequence_survives_restarts(tmp_path):
    db = tmp_path / "hongtu.db"
    for _ in range(3):
        el = EventLog(db, "t-01")
        for _ in range(4):
            el.log("route_started", route_id="r1")
        el.close()
    assert [r[0] for r in rows(db)] == list(range(1, 13))
    with sqlite3.connect(db) as c:  # even after everything is pruned, numbers are never reused
        c.execute("DELETE FROM visit_events")
    el = EventLog(db, "t-01")
    el.log("route_started", route_id="r1")
    el.close()
    assert [r[0] for r in rows(db)] == [13]


@pytest.mark.parametrize("kind, data, needle", [
    ("teleport", {}, "unknown event kind"),
    ("exhibit_view", {"exhibit_id": "a"}, "missing field dwell_s"),
    ("exhibit_view", {"exhibit_id": "a", "dwell_s": -1}, "≥ 0"),
    ("exhibit_view", {"exhibit_id": "a", "dwell_s": "long"}, "expected a number"),
    ("exhibit_view", {"exhibit_id": "a b", "dwell_s": 1}, "short id"),
    ("exhibit_view", {"exhibit_id": "a", "dwell_s": 1, "colour": "red"}, "unknown field"),
    ("search", {"query_length": 3, "query": "古田"}, "personal data"),
    ("session_start", {"session_id": "s", "phone": "13800000000"}, "personal data"),
    ("camera_count", {"interval_s": 60, "in": 1, "out": 0, "visitors": 1, "image": "b64"}, "personal data"),
    ("quiz_round", {"quiz_id": "q", "score": 3, "time_s": 50, "pk_result": "maybe"}, "win, lose, draw"),
    ("quiz_round", {"quiz_id": "q", "score": 3, "time_s": 50, "nickname": "x" * 40}, "nickname"),
    ("route_stop", {"route_id": "r", "stop_index": 1.5}, "whole number"),
])
def test_bad_events_are_refused_with_kind_and_field(tmp_path, kind, data, needle):
    with pytest.raises(EventError, match=needle):
        validate(kind, data)


def test_every_kind_accepts_its_documented_fields():
    validate("session_start", {"session_id": "s1", "lang": "en", "trigger": "touch"})
    validate("session_end", {"session_id": "s1", "duration_s": 310.2, "reason": "idle"})
    validate("narration_played", {"exhibit_id": "e", "lang": "zh", "duration_s": 61, "completed": True})
    validate("route_stop", {"route_id": "r", "stop_index": 2, "exhibit_id": "e"})
    validate("route_completed", {"route_id": "r", "duration_s": 900})
    validate("quiz_round", {"quiz_id": "q", "score": 80, "max_score": 100, "correct": 8, "questions": 10,
                            "time_s": 95.5, "pk_result": "draw", "nickname": "红星"})
    validate("camera_count", {"interval_s": 60, "in": 7, "out": 5, "visitors": 6, "camera_id": "cam0"})


def test_log_does_not_wait_for_a_locked_database(tmp_path):
    db = tmp_path / "hongtu.db"
    el = EventLog(db, "t-01")
    el.log("route_started", route_id="r0")
    assert el.flush()
    blocker = sqlite3.connect(db, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # the writer thread cannot write now
    done = threading.Event()

    def caller():
        for i in range(200):
            el.log("route_started", route_id=f"r{i}")
        done.set()

    threading.Thread(target=caller).start()
    assert done.wait(10), "log() blocked on the database"
    assert el.pending > 0
    blocker.rollback()
    blocker.close()
    assert el.flush(30)
    el.close()
    assert len(rows(db)) == 201


def test_events_reach_disk_without_close(tmp_path):
    db = tmp_path / "hongtu.db"
    el = EventLog(db, "t-01")
    for i in range(500):
        el.log("search", query_length=i % 20)
    assert wait_for(lambda: len(rows(db)) == 500), "the writer thread did not write on its own"
    el.close()
    with pytest.raises(EventLogClosed):
        el.log("search", query_length=1)


CHILD = r"""
import sys, time
sys.path.insert(0, {repo!r})
from app.events import EventLog
el = EventLog({db!r}, "t-kill", lambda: ("p", "1"))
i = 0
while True:
    el.log("exhibit_view", exhibit_id=f"e{{i % 50}}", dwell_s=i % 90, session_id=f"s{{i // 10}}")
    i += 1
    if i % 200 == 0:
        time.sleep(0.001)
"""


@pytest.mark.parametrize("run", range(3))
def test_sigkill_at_a_random_moment_leaves_a_valid_database(tmp_path, run):
    db = tmp_path / "hongtu.db"
    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(repo=str(REPO), db=str(db))])
    try:
        assert wait_for(lambda: db.exists() and _count(db) > 1000, 60), "child never wrote"
        time.sleep(random.uniform(0.0, 0.7))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n, lo, hi = c.execute("SELECT count(*), min(seq), max(seq) FROM visit_events").fetchone()
    assert (lo, hi) == (1, n), "sequence numbers have a gap: a batch was half written"
    assert all(json.loads(r[7])["exhibit_id"].startswith("e") for r in rows(db)[-100:])
    el = EventLog(db, "t-kill")  # the next start continues the sequence
    el.log("route_started", route_id="r1")
    el.close()
    assert rows(db)[-1][0] == n + 1


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("SELECT count(*) FROM visit_events").fetchone()[0]
    except sqlite3.Error:
        return 0
