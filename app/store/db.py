"""The terminal's SQLite database: opening it (WAL, foreign keys) and per-component schema migrations.

Every component owns its tables and brings them up to date with
`migrate(db, "<component>", MIGRATIONS)`, where `MIGRATIONS` is a list of SQL scripts: script *i*
is schema version *i + 1*. Applied versions are recorded in `schema_migrations`. Never edit a
migration that has shipped; append a new one.

A connection from `open_db` may be handed to a worker thread (it is opened with
`check_same_thread=False`) but must be used by one thread at a time.
"""
from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 5000

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
)
"""


class StoreError(Exception):
    """A database problem a person can act on (unreadable file, schema too new, …)."""


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the SQLite database at `path`; ':memory:' gives a private in-memory one.

    Sets WAL journaling, `synchronous=NORMAL`, foreign keys on and a busy timeout.
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database folder: {exc.strerror or exc}") from exc
    try:
        conn = sqlite3.connect(
            ":memory:" if memory else str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
        if not memory:
            _use_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from exc
    # no sqlite-utils plugins: none is used, and looking for them scans every installed package's
    # entry points (~50 ms of kiosk start-up)
    return sqlite_utils.Database(conn, execute_plugins=False)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL journaling, waiting out other connections to the same new file.

    Turning a fresh (rollback-journal) database into WAL needs an exclusive lock; when another
    connection (the kiosk's event log, say, opening the same new database at the same moment) is
    mid-transaction, SQLite reports "database is locked" at once instead of waiting — a lock cycle
    its busy handler cannot wait out. So it is tried again until the busy timeout has passed.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction (`BEGIN IMMEDIATE`): committed on success, rolled back on any exception.

    Nested inside an open transaction it becomes a savepoint. sqlite-utils' own write helpers
    (`table.insert_all`, …) use savepoints when a transaction is open, so they are safe inside.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers with inner ';' stay whole)."""
    statements: list[str] = []
    start = 0
    pos = script.find(";")
    while pos != -1:
        candidate = script[start : pos + 1]
        if sqlite3.complete_statement(candidate):
            if candidate.strip(" \t\r\n;"):
                statements.append(candidate.strip())
            start = pos + 1
        pos = script.find(";", pos + 1)
    tail = script[start:].strip()
    if tail and not _only_comments(tail):
        statements.append(tail)
    return statements


def _only_comments(sql: str) -> bool:
    lines = [line.strip() for line in sql.splitlines()]
    return all(not line or line.startswith("--") for line in lines)


def schema_version(db: sqlite_utils.Database, component: str) -> int:
    """The highest migration version applied for `component` (0 when none)."""
    db.conn.execute(_MIGRATIONS_TABLE)
    row = db.conn.execute(
        "SELECT MAX(version) FROM schema_migrations WHERE component = ?", (component,)
    ).fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database, component: str, migrations: list[str]) -> None:
    """Apply the migrations of `component` not yet applied, each in its own transaction.

    Raises StoreError if the database records a newer schema than `migrations` knows (the
    database was written by a newer Hongtu), or if a migration script fails.
    """
    known = len(migrations)
    current = schema_version(db, component)
    _refuse_newer(db, component, current, known)
    if current == known:
        return
    conn = db.conn
    if conn.in_transaction:
        raise StoreError(f"migrate({component!r}) called inside an open transaction")
    for version in range(current + 1, known + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            applied = int(
                conn.execute(
                    "SELECT MAX(version) FROM schema_migrations WHERE component = ?", (component,)
                ).fetchone()[0]
                or 0
            )
            _refuse_newer(db, component, applied, known)
            if applied >= version:
                conn.execute("COMMIT")
                continue
            for statement in split_statements(migrations[version - 1]):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)",
                (component, version, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"{_db_name(db)}: migration {component} v{version} failed: {exc}"
                ) from exc
            raise


def _refuse_newer(db: sqlite_utils.Database, component: str, current: int, known: int) -> None:
    if current > known:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise StoreError(
            f"{_db_name(db)}: component '{component}' is at schema version {current}, "
            f"newer than this program knows ({known}); upgrade Hongtu or use another data_dir"
        )


def _db_name(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return (row[2] if row and row[2] else ":memory:") if row else ":memory:"
