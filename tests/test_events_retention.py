"""Retention: delivered events expire after retention_days, undelivered never; a nearly full disk
drops the oldest delivered events first and warns staff."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from app.events.schema import to_iso
from app.events.store import backlog, mark_delivered, open_events_db, prune

NOW = datetime(2026, 11, 21, 12, tzinfo=timezone.utc)


def fill(db, ages_days):
    with db.conn:
        db.conn.executemany(
            "INSERT INTO visit_events (uuid, terminal_id, ts, kind, data) VALUES (?, 't1', ?, 'search', ?)",
            [(f"u{i}", to_iso(NOW - timedelta(days=a)), json.dumps({"query_length": 1}))
             for i, a in enumerate(ages_days)])


def seqs(db):
    return [r[0] for r in db.conn.execute("SELECT seq FROM visit_events ORDER BY seq")]


def test_only_delivered_events_expire(tmp_path):
    db = open_events_db(tmp_path / "hongtu.db")
    fill(db, [200, 120, 100, 10, 1, 200])  # seq 1..6
    mark_delivered(db, [1, 2, 4], "net")  # 3 and 6 are old but were never delivered
    rep = prune(db, retention_days=90, now=NOW)
    assert rep.expired == 2 and rep.warning is None
    assert seqs(db) == [3, 4, 5, 6]
    assert backlog(db) == 3


def test_nearly_full_disk_drops_oldest_delivered_first(tmp_path):
    db = open_events_db(tmp_path / "hongtu.db")
    fill(db, [5] * 300)
    mark_delivered(db, range(1, 201), "usb")  # 200 delivered, 100 not
    free = {"bytes": 10 * 1024 * 1024}
    rep = prune(db, retention_days=90, now=NOW, disk_free_fn=lambda: free["bytes"],
                min_free_bytes=10 * 1024 * 1024 + 20_000)
    assert rep.expired == 0 and 0 < rep.for_space <= 200
    left = seqs(db)
    assert left[0] == rep.for_space + 1  # the oldest went first
    assert backlog(db) == 100 and all(s in left for s in range(201, 301))
    assert rep.warning and "disk nearly full" in rep.warning and "100 undelivered" in rep.warning
    # a hopelessly full disk still never loses undelivered events
    rep = prune(db, retention_days=90, now=NOW, disk_free_fn=lambda: 0, min_free_bytes=10 ** 12)
    assert backlog(db) == 100 and len(seqs(db)) == 100 and rep.warning


def test_enough_space_no_warning(tmp_path):
    db = open_events_db(tmp_path / "hongtu.db")
    fill(db, [1, 2])
    mark_delivered(db, [1, 2], "net")
    rep = prune(db, retention_days=90, now=NOW, disk_free_fn=lambda: 10 ** 12)
    assert rep.for_space == 0 and rep.warning is None and len(seqs(db)) == 2
