"""How long the start-up database check takes: `PRAGMA quick_check` against `PRAGMA integrity_check`.

Builds a terminal database of about --mb megabytes the way a kiosk fills it (the events schema
with its indexes, the sample pack's catalog and search index, then visit events until the file
is big enough), checkpoints it, and times `app.ops.dbrecovery.check_integrity` both ways, warm
(the file in the page cache, as on a restart) and best-effort cold (`posix_fadvise(DONTNEED)`
first). Prints one line per measurement.

    .venv/bin/python bench/db_check.py --mb 40 --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import SAMPLE_PACK  # noqa: E402
from app.events.store import COMPONENT, MIGRATIONS  # noqa: E402
from app.ops.dbrecovery import check_integrity  # noqa: E402
from app.store.catalog import ensure_catalog  # noqa: E402
from app.store.db import migrate, open_db  # noqa: E402


def build(path: Path, target_mb: float) -> int:
    db = open_db(path)
    migrate(db, COMPONENT, MIGRATIONS)
    ensure_catalog(db, SAMPLE_PACK)
    conn = db.conn
    kinds = ("session_start", "exhibit_view", "narration_play", "quiz_answer", "search", "session_end")
    seq = 0
    while path.stat().st_size + Path(str(path) + "-wal").stat().st_size < target_mb * 1024 * 1024:
        rows = []
        for _ in range(5000):
            seq += 1
            data = {"session_id": str(uuid.uuid4()), "exhibit_id": f"exhibit-{seq % 97}", "lang": "zh",
                    "dwell_ms": seq % 60000, "note": "红船精神 visitor event " * 3}
            rows.append((str(uuid.uuid4()), "T-001", "fujian-red-map", "1.0.0",
                         f"2026-{1 + seq % 12:02d}-{1 + seq % 28:02d}T10:{seq % 60:02d}:00Z",
                         kinds[seq % len(kinds)], json.dumps(data, ensure_ascii=False),
                         "2026-11-01T00:00:00Z" if seq % 3 else None))
        conn.executemany("INSERT INTO visit_events (uuid, terminal_id, pack_id, pack_version, ts, kind, data, "
                         "delivered_at) VALUES (?,?,?,?,?,?,?,?)", rows)
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return seq


def drop_cache(path: Path) -> None:
    if hasattr(os, "posix_fadvise"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def timed(path: Path, thorough: bool, cold: bool) -> float:
    if cold:
        drop_cache(path)
    t0 = time.perf_counter()
    problem = check_integrity(path, thorough=thorough)
    elapsed = time.perf_counter() - t0
    assert problem is None, problem
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=40, help="database size to build (MB)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", type=Path, default=None, help="time this existing database instead of building one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "hongtu.db"
            t0 = time.perf_counter()
            events = build(path, args.mb)
            print(f"built {path.stat().st_size / 1e6:.1f} MB ({events} visit events + sample catalog) "
                  f"in {time.perf_counter() - t0:.1f} s")
        rows = sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master WHERE type='index'").fetchone()[0]
        print(f"database {path}: {path.stat().st_size / 1e6:.1f} MB, {rows} indexes")
        for cold in (False, True):
            for thorough, name in ((False, "quick_check"), (True, "integrity_check")):
                times = [timed(path, thorough, cold) for _ in range(args.runs)]
                print(f"{name:16s} {'cold' if cold else 'warm'}: median {statistics.median(times) * 1000:7.0f} ms "
                      f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
