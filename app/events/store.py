"""The terminal's visit-event tables: what is logged, what the hub already has, what may go.

Table `visit_events` holds one row per event. `seq` (AUTOINCREMENT) is the terminal's monotonic
sequence number: it survives restarts and is never reused, even after pruning. `delivered_at` is
set only when the hub has acknowledged the event (network ack or USB acknowledgement file);
undelivered events are never pruned.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from app.events.schema import to_iso

COMPONENT = "events"
MIGRATIONS: list[str] = [
    """
    CREATE TABLE visit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid TEXT NOT NULL UNIQUE,
        terminal_id TEXT NOT NULL,
        pack_id TEXT,
        pack_version TEXT,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        delivered_at TEXT,
        delivered_via TEXT
    );
    CREATE INDEX visit_events_undelivered ON visit_events(seq) WHERE delivered_at IS NULL;
    CREATE INDEX visit_events_kind_ts ON visit_events(kind, ts);
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]
COLUMNS = "seq, uuid, terminal_id, pack_id, pack_version, ts, kind, data"
DEFAULT_MIN_FREE_BYTES = 200 * 1024 * 1024


def open_events_db(path: Path | str):
    """Open the terminal database (WAL) with the event tables migrated."""
    from app.store.db import migrate, open_db

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = open_db(path)
    migrate(db, COMPONENT, MIGRATIONS)
    return db


def conn_of(db: Any):
    """The sqlite3 connection behind a sqlite_utils Database (or the connection itself)."""
    return getattr(db, "conn", db)


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    uuid: str
    terminal_id: str
    pack_id: str | None
    pack_version: str | None
    ts: str
    kind: str
    data: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """The event as sent to the hub (terminal id travels once per batch)."""
        return {"uuid": self.uuid, "seq": self.seq, "ts": self.ts, "kind": self.kind, "data": self.data,
                "pack_id": self.pack_id, "pack_version": self.pack_version}


def _row(r: Sequence[Any]) -> StoredEvent:
    return StoredEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]))


def undelivered(db: Any, limit: int, after_seq: int = 0) -> list[StoredEvent]:
    """The oldest events the hub does not have yet, in sequence order."""
    rows = conn_of(db).execute(
        f"SELECT {COLUMNS} FROM visit_events WHERE delivered_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit)).fetchall()
    return [_row(r) for r in rows]


def undelivered_wire(db: Any, limit: int, sync_nicknames: bool, after_seq: int = 0) -> tuple[list[int], list[str]]:
    """The oldest undelivered events as (seqs, JSON texts ready to send), without re-encoding
    their data; quiz nicknames are removed unless `sync_nicknames`."""
    rows = conn_of(db).execute(
        "SELECT seq, uuid, ts, kind, data, pack_id, pack_version FROM visit_events "
        "WHERE delivered_at IS NULL AND seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)).fetchall()
    seqs, texts = [], []
    dumps = json.dumps
    for seq, uid, ts, kind, data, pack_id, pack_version in rows:
        if not sync_nicknames and kind == "quiz_round" and '"nickname"' in data:
            d = json.loads(data)
            d.pop("nickname", None)
            data = dumps(d, ensure_ascii=False, separators=(",", ":"))
        seqs.append(seq)
        texts.append(f'{{"uuid":{dumps(uid)},"seq":{seq},"ts":{dumps(ts)},"kind":{dumps(kind)},"data":{data},'
                     f'"pack_id":{dumps(pack_id)},"pack_version":{dumps(pack_version)}}}')
    return seqs, texts


def iter_undelivered(db: Any, chunk: int = 5000) -> Iterator[StoredEvent]:
    """Every undelivered event, in sequence order, read in chunks."""
    last = 0
    while True:
        rows = undelivered(db, chunk, last)
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def backlog(db: Any) -> int:
    """How many events the hub does not have yet."""
    return conn_of(db).execute("SELECT count(*) FROM visit_events WHERE delivered_at IS NULL").fetchone()[0]


def mark_delivered(db: Any, seqs: Iterable[int], via: str, when: str | None = None) -> int:
    """Mark events as acknowledged by the hub; returns how many changed."""
    conn = conn_of(db)
    when = when or to_iso(datetime.now(timezone.utc))
    before = conn.total_changes
    with conn:
        conn.executemany("UPDATE visit_events SET delivered_at = ?, delivered_via = ? "
                         "WHERE seq = ? AND delivered_at IS NULL", [(when, via, s) for s in seqs])
    return conn.total_changes - before


def mark_delivered_span(db: Any, first: int, last: int, via: str, when: str | None = None) -> int:
    """Mark every undelivered event with first ≤ seq ≤ last as acknowledged (a batch read by
    `undelivered` is exactly that span: new events always get higher numbers)."""
    conn = conn_of(db)
    when = when or to_iso(datetime.now(timezone.utc))
    with conn:
        return conn.execute("UPDATE visit_events SET delivered_at = ?, delivered_via = ? "
                            "WHERE seq BETWEEN ? AND ? AND delivered_at IS NULL", (when, via, first, last)).rowcount


def mark_delivered_ranges(db: Any, terminal_id: str, ranges: Iterable[Sequence[int]], via: str) -> int:
    """Mark the events with seq in the inclusive ranges [a, b] as acknowledged."""
    conn = conn_of(db)
    when = to_iso(datetime.now(timezone.utc))
    before = conn.total_changes
    with conn:
        for a, b in ranges:
            conn.execute("UPDATE visit_events SET delivered_at = ?, delivered_via = ? WHERE seq BETWEEN ? AND ? "
                         "AND terminal_id = ? AND delivered_at IS NULL", (when, via, int(a), int(b), terminal_id))
    return conn.total_changes - before


def seq_ranges(seqs: Iterable[int]) -> list[list[int]]:
    """Sorted sequence numbers folded into inclusive [first, last] ranges."""
    out: list[list[int]] = []
    for s in sorted(set(seqs)):
        if out and s == out[-1][1] + 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


def get_state(db: Any, key: str, default: Any = None) -> Any:
    row = conn_of(db).execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def set_state(db: Any, **values: Any) -> None:
    conn = conn_of(db)
    with conn:
        conn.executemany("INSERT INTO sync_state(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         [(k, json.dumps(v)) for k, v in values.items()])


def rows_between(db: Any, frm: str | None, to: str | None) -> Iterator[tuple[str, str, str]]:
    """(ts, kind, data JSON) of the events with frm ≤ ts < to (UTC texts; None = open)."""
    sql, args = "SELECT ts, kind, data FROM visit_events WHERE 1=1", []
    if frm:
        sql += " AND ts >= ?"
        args.append(frm)
    if to:
        sql += " AND ts < ?"
        args.append(to)
    yield from conn_of(db).execute(sql, args)


@dataclass(frozen=True)
class PruneReport:
    expired: int  # delivered events older than retention_days
    for_space: int  # delivered events dropped because the disk was nearly full
    free_bytes: int | None
    warning: str | None  # for staff: disk nearly full (and whether pruning helped)


def prune(db: Any, retention_days: int, now: datetime | None = None,
          disk_free_fn: Callable[[], int] | None = None, min_free_bytes: int = DEFAULT_MIN_FREE_BYTES) -> PruneReport:
    """Delete delivered events past retention; then, if free disk space is below
    `min_free_bytes`, the oldest delivered events, with a warning. Undelivered events stay."""
    conn = conn_of(db)
    now = now or datetime.now(timezone.utc)
    cutoff = to_iso(now - timedelta(days=retention_days))
    with conn:
        expired = conn.execute("DELETE FROM visit_events WHERE delivered_at IS NOT NULL AND ts < ?",
                               (cutoff,)).rowcount
    for_space, free, warning = 0, None, None
    if disk_free_fn is not None:
        free = disk_free_fn()
        if free < min_free_bytes:
            # Deleted rows leave free pages that SQLite reuses for new events, so dropping enough
            # delivered events to cover the deficit stops the database from growing into it.
            pages, page_size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
            total = conn.execute("SELECT count(*) FROM visit_events").fetchone()[0] or 1
            per_event = max(64, pages * page_size // total)
            want = -(-(min_free_bytes - free) // per_event)
            with conn:
                for_space = conn.execute(
                    "DELETE FROM visit_events WHERE seq IN (SELECT seq FROM visit_events "
                    "WHERE delivered_at IS NOT NULL ORDER BY seq LIMIT ?)", (want,)).rowcount
            mb = free // (1024 * 1024)
            warning = (f"disk nearly full: {mb} MB free (want {min_free_bytes // (1024 * 1024)} MB); "
                       f"pruned the {for_space} oldest delivered events; {backlog(db)} undelivered events "
                       f"kept — sync or export them and free disk space")
    return PruneReport(expired, for_space, free, warning)


def disk_free(path: Path | str) -> Callable[[], int]:
    """A disk_free_fn for the file system holding `path`."""
    return lambda: shutil.disk_usage(Path(path).parent if Path(path).is_file() else path).free
