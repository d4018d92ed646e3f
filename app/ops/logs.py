"""Structured logs: one JSON object per line in `<data_dir>/logs/hongtu.log`, rotated by size."""
from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import datetime, timezone
from pathlib import Path

LOG_NAME = "hongtu.log"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def setup_logging(data_dir: Path, level: str = "INFO", max_mb: int = 10, backups: int = 5,
                  console: bool = True) -> Path:
    """Send the root logger to a size-rotated JSON-lines file (and stderr); returns the file path."""
    folder = log_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hongtu", False):
            root.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_mb * 1024 * 1024, backupCount=backups, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler._hongtu = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream._hongtu = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(level)
    return path


def read_recent(data_dir: Path, limit: int = 200) -> list[dict]:
    """The newest `limit` log entries, oldest first (for the admin screen and the sync bundle)."""
    newest_first: list[dict] = []
    files = sorted(log_dir(data_dir).glob(LOG_NAME + "*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in files:
        for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()):
            try:
                newest_first.append(json.loads(line))
            except json.JSONDecodeError:
                continue
            if len(newest_first) >= limit:
                return newest_first[::-1]
    return newest_first[::-1]
