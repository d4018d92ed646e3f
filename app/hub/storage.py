"""The hub's store: terminals and their tokens, the hall tree, and every event received.

One schema, two back ends: SQLite in a data folder (default) or PostgreSQL via a URL (psycopg 3).
Events are keyed by their UUID, so a batch or an event delivered twice is stored once.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from app.events.schema import to_iso

SCHEMA: list[str] = [
    """
    CREATE TABLE hub_halls (
        id TEXT PRIMARY KEY,
        parent TEXT,
        level TEXT NOT NULL,
        name TEXT NOT NULL
    );
    CREATE TABLE hub_terminals (
        id TEXT PRIMARY KEY,
        hall_id TEXT,
        token_hash TEXT NOT NULL UNIQUE,
        bundle_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen TEXT,
        last_skew_s DOUBLE PRECISION,
        events BIGINT NOT NULL DEFAULT 0,
        max_seq BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE hub_events (
        uuid TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        pack_id TEXT,
        pack_version TEXT,
        received_at TEXT NOT NULL,
        batch_id TEXT
    );
    CREATE INDEX hub_events_ts ON hub_events (ts);
    CREATE INDEX hub_events_terminal_seq ON hub_events (terminal_id, seq);
    CREATE TABLE hub_batches (
        batch_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        source TEXT NOT NULL,
        received_at TEXT NOT NULL,
        events BIGINT NOT NULL,
        accepted BIGINT NOT NULL,
        duplicates BIGINT NOT NULL
    );
    """,
]
LEVELS = ("province", "city", "county")
BUNDLE_KEY_INFO = b"hongtu-usb-bundle-v1"


class HubError(Exception):
    """A hub problem a person can act on (bad URL, unknown terminal, unreadable halls file, …)."""


def token_hash(token: str) -> str:
    """How a terminal token is stored: SHA-256 (tokens are 256-bit random, so no slow KDF needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def bundle_key(token: str) -> bytes:
    """The HMAC key that signs USB bundles and acknowledgements, derived from the terminal token."""
    return hmac.new(token.encode(), BUNDLE_KEY_INFO, hashlib.sha256).digest()


@dataclass(frozen=True)
class Ack:
    batch_id: str
    accepted: int
    duplicates: int
    max_seq: int

    def as_dict(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "accepted": self.accepted, "duplicates": self.duplicates,
                "max_seq": self.max_seq}


@dataclass(frozen=True)
class Terminal:
    id: str
    hall_id: str | None
    created_at: str
    last_seen: str | None
    last_skew_s: float | None
    events: int
    max_seq: int


class HubStore:
    """Thread-safe access to the hub database (one connection, serialised by a lock)."""

    def __init__(self, conn: Any, dialect: str, where: str, url: str | None = None) -> None:
        self.conn = conn
        self.dialect = dialect
        self.where = where
        self._url = url
        self._lock = threading.RLock()
        self._migrate()

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | str | None = None, db_url: str | None = None) -> "HubStore":
        """SQLite `<data_dir>/hub.db`, or PostgreSQL when `db_url` (postgresql://…) is given."""
        if db_url:
            if not db_url.startswith(("postgresql://", "postgres://")):
                raise HubError(f"--db-url: expected postgresql://user@host:port/db, got {db_url!r}")
            import psycopg

            try:
                conn = psycopg.connect(db_url, connect_timeout=10)
            except psycopg.Error as exc:
                raise HubError(f"{_redact(db_url)}: cannot connect to PostgreSQL: {str(exc).strip()}") from None
            return cls(conn, "postgres", _redact(db_url), db_url)
        folder = Path(data_dir or "hub-data")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(folder / "hub.db"), check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except (OSError, sqlite3.Error) as exc:
            raise HubError(f"{folder / 'hub.db'}: cannot open the hub database: {exc}") from None
        return cls(conn, "sqlite", str(folder / "hub.db"))

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # -- SQL helpers -----------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """The connection, under the lock, in a transaction committed on success and rolled back
        on any error (a PostgreSQL connection lost earlier is reopened first)."""
        with self._lock:
            if self.dialect == "postgres" and self.conn.closed and self._url:
                import psycopg

                try:
                    self.conn = psycopg.connect(self._url, connect_timeout=10)
                except psycopg.Error as exc:
                    raise HubError(f"{self.where}: cannot reconnect to PostgreSQL: {str(exc).strip()}") from None
            try:
                yield self.conn
                self.conn.commit()
            except BaseException:
                try:
                    self.conn.rollback()
                except Exception:  # the connection itself is gone; reopened next time
                    pass
                raise

    def _q(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._tx() as conn:
            cur = conn.execute(self._sql(sql), args)
            return cur.fetchall() if cur.description else []

    def _migrate(self) -> None:
        with self._lock:
            self.conn.execute("CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)")
            row = self.conn.execute("SELECT max(version) FROM hub_schema").fetchone()
            current = int(row[0] or 0)
            if current > len(SCHEMA):
                raise HubError(f"{self.where}: hub schema version {current} is newer than this program knows")
            for version in range(current + 1, len(SCHEMA) + 1):
                for stmt in [s.strip() for s in SCHEMA[version - 1].split(";") if s.strip()]:
                    self.conn.execute(stmt)
                self.conn.execute(self._sql("INSERT INTO hub_schema (version) VALUES (?)"), (version,))
            self.conn.commit()

    # -- halls and terminals ---------------------------------------------------------------
    def upsert_hall(self, hall_id: str, name: str | None = None, parent: str | None = None,
                    level: str | None = None) -> None:
        """Create or update a hall of the tree; missing name/level keep what is stored."""
        if level is not None and level not in LEVELS:
            raise HubError(f"hall {hall_id}: level must be one of {', '.join(LEVELS)}, got {level!r}")
        with self._tx() as conn:
            row = conn.execute(self._sql("SELECT name, parent, level FROM hub_halls WHERE id = ?"),
                               (hall_id,)).fetchone()
            if row:
                conn.execute(self._sql("UPDATE hub_halls SET name = ?, parent = ?, level = ? WHERE id = ?"),
                             (name or row[0], parent if parent is not None else row[1], level or row[2], hall_id))
            else:
                conn.execute(self._sql("INSERT INTO hub_halls (id, parent, level, name) VALUES (?, ?, ?, ?)"),
                             (hall_id, parent, level or ("province" if parent is None else "county"),
                              name or hall_id))

    def halls(self) -> list[dict[str, Any]]:
        return [{"id": r[0], "parent": r[1], "level": r[2], "name": r[3]}
                for r in self._q("SELECT id, parent, level, name FROM hub_halls ORDER BY id")]

    def add_terminal(self, terminal_id: str, hall_id: str | None) -> str:
        """Register a terminal (or issue it a new token); returns the token, shown only once."""
        if not terminal_id or len(terminal_id) > 128:
            raise HubError("terminal id: expected 1 to 128 characters")
        token = secrets.token_urlsafe(32)
        now = to_iso(datetime.now(timezone.utc))
        with self._tx() as conn:
            if hall_id and not conn.execute(self._sql("SELECT 1 FROM hub_halls WHERE id = ?"),
                                            (hall_id,)).fetchone():
                conn.execute(self._sql("INSERT INTO hub_halls (id, parent, level, name) VALUES (?, ?, ?, ?)"),
                             (hall_id, None, "county", hall_id))
            conn.execute(self._sql(
                "INSERT INTO hub_terminals (id, hall_id, token_hash, bundle_key, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, bundle_key = excluded.bundle_key, "
                "hall_id = COALESCE(excluded.hall_id, hub_terminals.hall_id)"),
                (terminal_id, hall_id, token_hash(token), bundle_key(token).hex(), now))
        return token

    def authenticate(self, token: str) -> str | None:
        """The terminal id a bearer token belongs to, or None."""
        if not token or len(token) > 256:
            return None
        h = token_hash(token)
        rows = self._q("SELECT id, token_hash FROM hub_terminals WHERE token_hash = ?", (h,))
        if rows and hmac.compare_digest(rows[0][1], h):
            return rows[0][0]
        return None

    def terminal_bundle_key(self, terminal_id: str) -> bytes | None:
        rows = self._q("SELECT bundle_key FROM hub_terminals WHERE id = ?", (terminal_id,))
        return bytes.fromhex(rows[0][0]) if rows else None

    def terminals(self) -> list[Terminal]:
        return [Terminal(*r) for r in self._q(
            "SELECT id, hall_id, created_at, last_seen, last_skew_s, events, max_seq FROM hub_terminals ORDER BY id")]

    # -- events ----------------------------------------------------------------------------
    def ingest(self, terminal_id: str, batch_id: str, events: list[dict[str, Any]], source: str = "net",
               skew_s: float | None = None) -> Ack:
        """Store validated events once each (by UUID) in one transaction; returns the ack."""
        now = to_iso(datetime.now(timezone.utc))
        seen: set[str] = set()
        rows = []
        for e in events:
            if e["uuid"] in seen:
                continue
            seen.add(e["uuid"])
            rows.append((e["uuid"], terminal_id, e["seq"], e["ts"], e["kind"],
                         json.dumps(e["data"], ensure_ascii=False, separators=(",", ":")),
                         e.get("pack_id"), e.get("pack_version"), now, batch_id))
        max_seq = max((e["seq"] for e in events), default=0)
        with self._tx() as conn:
            accepted = self._insert_events(conn, rows)
            conn.execute(self._sql(
                "INSERT INTO hub_batches (batch_id, terminal_id, source, received_at, events, accepted, duplicates) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING"),
                (batch_id, terminal_id, source, now, len(events), accepted, len(events) - accepted))
            sets, args = ["events = events + ?", "max_seq = CASE WHEN max_seq > ? THEN max_seq ELSE ? END",
                          "last_seen = ?"], [accepted, max_seq, max_seq, now]
            if skew_s is not None:
                sets.append("last_skew_s = ?")
                args.append(skew_s)
            conn.execute(self._sql(f"UPDATE hub_terminals SET {', '.join(sets)} WHERE id = ?"), (*args, terminal_id))
        return Ack(batch_id, accepted, len(events) - accepted, max_seq)

    def _insert_events(self, conn: Any, rows: list[tuple]) -> int:
        if not rows:
            return 0
        if self.dialect == "postgres":
            cols = list(zip(*rows))
            cur = conn.execute(
                "INSERT INTO hub_events (uuid, terminal_id, seq, ts, kind, data, pack_id, pack_version, received_at, "
                "batch_id) SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::text[], %s::text[], "
                "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) ON CONFLICT (uuid) DO NOTHING",
                [list(c) for c in cols])
            return cur.rowcount
        before = conn.total_changes
        conn.executemany(
            "INSERT INTO hub_events (uuid, terminal_id, seq, ts, kind, data, pack_id, pack_version, received_at, "
            "batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING", rows)
        return conn.total_changes - before

    def event_count(self, terminal_id: str | None = None) -> int:
        if terminal_id:
            return self._q("SELECT count(*) FROM hub_events WHERE terminal_id = ?", (terminal_id,))[0][0]
        return self._q("SELECT count(*) FROM hub_events")[0][0]

    def event_uuids(self, terminal_id: str) -> list[str]:
        return [r[0] for r in self._q("SELECT uuid FROM hub_events WHERE terminal_id = ? ORDER BY seq", (terminal_id,))]

    def rows(self, lo: str | None, hi: str | None, terminals: Iterable[str] | None = None,
             kinds: Iterable[str] | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(terminal_id, ts, kind, data JSON) of events with lo ≤ ts < hi, optionally filtered."""
        sql, args = "SELECT terminal_id, ts, kind, data FROM hub_events WHERE 1=1", []
        if lo:
            sql += " AND ts >= ?"
            args.append(lo)
        if hi:
            sql += " AND ts < ?"
            args.append(hi)
        for col, values in (("terminal_id", terminals), ("kind", kinds)):
            if values is not None:
                values = list(values)
                if not values:
                    return iter(())
                sql += f" AND {col} IN ({', '.join('?' * len(values))})"
                args.extend(values)
        return iter(self._q(sql, args))


def _redact(url: str) -> str:
    """A database URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        return f"{scheme}://{cred.split(':', 1)[0]}@{host}"
    return url
