"""Notices for hall staff (a database moved aside, safe mode, disk nearly full), shown in admin mode.

`<data_dir>/staff-notices.json` is a JSON list; a file that is torn, unreadable or holds anything
else counts as empty, so a damaged notices file never stops a recovery that wants to add one.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from app.ops.files import read_json, write_json_atomic

MAX_NOTICES = 50


def _path(data_dir: Path) -> Path:
    return data_dir / "staff-notices.json"


def _read(data_dir: Path) -> list[dict]:
    notices = read_json(_path(data_dir), [])
    if not isinstance(notices, list):
        return []
    return [n for n in notices if isinstance(n, dict) and isinstance(n.get("message"), str)]


def add_notice(data_dir: Path, message: str) -> None:
    notices = _read(data_dir)
    notices.append({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "message": message})
    write_json_atomic(_path(data_dir), notices[-MAX_NOTICES:])


def list_notices(data_dir: Path) -> list[dict]:
    return _read(data_dir)


def clear_notices(data_dir: Path) -> None:
    write_json_atomic(_path(data_dir), [])
