"""Notices for hall staff (a database moved aside, safe mode, disk nearly full), shown in admin mode."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from app.ops.files import read_json, write_json_atomic

MAX_NOTICES = 50


def _path(data_dir: Path) -> Path:
    return data_dir / "staff-notices.json"


def add_notice(data_dir: Path, message: str) -> None:
    notices = read_json(_path(data_dir), [])
    notices.append({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "message": message})
    write_json_atomic(_path(data_dir), notices[-MAX_NOTICES:])


def list_notices(data_dir: Path) -> list[dict]:
    return read_json(_path(data_dir), [])


def clear_notices(data_dir: Path) -> None:
    write_json_atomic(_path(data_dir), [])
