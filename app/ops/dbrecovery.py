"""Opening the terminal database safely: a corrupt file is moved aside, a fresh one created, staff told.

Only damage moves a database aside: SQLite's SQLITE_CORRUPT / SQLITE_NOTADB errors, or an
integrity check that does not answer "ok". A database that cannot be opened or checked for another
reason ("database is locked", "unable to open database file", a permission problem) is left where
it is and `DatabaseUnavailable` is raised, so a healthy file is never discarded.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from app.ops.notices import add_notice
from app.store.db import open_db

log = logging.getLogger(__name__)

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
LOCK_WAIT_S = 10.0  # another process (a CLI command) may hold a write lock for a moment


class DatabaseUnavailable(Exception):
    """The database could not be checked (locked, unreadable, …); it is not known to be damaged."""


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)  # extended codes keep the primary in the low byte
    text = str(exc).lower()  # no error code (should not happen on Python ≥ 3.11): SQLite's own wording
    return "malformed" in text or "not a database" in text


def check_integrity(path: Path, thorough: bool = True) -> str | None:
    """None when the database is sound, else what SQLite says is wrong.

    `thorough` runs `PRAGMA integrity_check` (also compares every index with its table);
    otherwise `PRAGMA quick_check` (page structure and constraints, no index/table cross-check),
    which is what the kiosk runs at start-up (figures in docs/operations.md, bench/db_check.py).
    Raises `DatabaseUnavailable` when SQLite cannot check the file for a reason other than damage.
    """
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_WAIT_S)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return str(exc)
        raise DatabaseUnavailable(f"{path}: cannot check the database: {exc}") from exc
    result = "; ".join(str(r[0]) for r in rows[:3]) + (f" (and {len(rows) - 3} more)" if len(rows) > 3 else "")
    return None if result == "ok" else result


def _recheck_marker(path: Path) -> Path:
    return path.with_name(path.name + ".needs-check")


def background_check(path: Path) -> str | None:
    """The full `integrity_check` of a database in use (read-only; run it off the GUI thread).

    Damage found is logged, told to staff, and leaves `<db>.needs-check` behind so that the next
    start runs the full check too and moves the file aside. Returns the problem, or None.
    """
    try:
        problem = check_integrity(path, thorough=True)
    except DatabaseUnavailable as exc:
        log.warning("full database check skipped: %s", exc)
        return None
    if problem is None:
        log.info("database %s passes PRAGMA integrity_check", path)
        return None
    message = (f"database {path} fails PRAGMA integrity_check ({problem}); "
               "it will be moved aside at the next start")
    log.error(message)
    try:
        _recheck_marker(path).write_text(problem + "\n", encoding="utf-8")
        add_notice(path.parent, message)
    except OSError as exc:
        log.warning("cannot record the failed check: %s", exc)
    return problem


def open_terminal_db(path: Path, thorough: bool = False) -> sqlite_utils.Database:
    """`open_db`, but a database that fails its integrity check is renamed `*.corrupt-<time>` first.

    `quick_check` unless `thorough` or a previous full check left `<db>.needs-check`.
    Raises `DatabaseUnavailable` (nothing moved) when the file cannot be checked at all.
    """
    marker = _recheck_marker(path)
    if path.exists():
        problem = check_integrity(path, thorough=thorough or marker.exists())
        if problem is not None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(path) + suffix)
                if src.exists():
                    src.rename(Path(str(aside) + suffix))
            message = f"database {path} was damaged ({problem}); moved to {aside.name} and started afresh"
            log.error(message)
            try:
                add_notice(path.parent, message)
            except OSError as exc:  # the move is done; a notice we cannot write must not stop the start
                log.warning("cannot write the staff notice: %s", exc)
    try:
        marker.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only folder: open_db below says so
    return open_db(path)
