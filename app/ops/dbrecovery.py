"""Opening the terminal database safely: a corrupt file is moved aside, a fresh one created, staff told."""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from app.ops.notices import add_notice
from app.store.db import open_db

log = logging.getLogger(__name__)


def check_integrity(path: Path) -> str | None:
    """None when the database is sound, else what SQLite says is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = "; ".join(r[0] for r in rows)
    return None if result == "ok" else result


def open_terminal_db(path: Path) -> sqlite_utils.Database:
    """`open_db`, but a database that fails its integrity check is renamed `*.corrupt-<time>` first."""
    if path.exists():
        problem = check_integrity(path)
        if problem is not None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(path) + suffix)
                if src.exists():
                    src.rename(Path(str(aside) + suffix))
            message = f"database {path} was damaged ({problem}); moved to {aside.name} and started afresh"
            log.error(message)
            add_notice(path.parent, message)
    return open_db(path)
