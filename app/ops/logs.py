"""Structured logs: one JSON object per line in `<data_dir>/logs/hongtu.log`, rotated by size."""
from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import threading
import traceback
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Callable

LOG_NAME = "hongtu.log"
FILE_ONLY = {"hongtu_file_only": True}  # `extra=` for a record already printed on stderr by the caller

log = logging.getLogger("hongtu")


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
        stream.addFilter(lambda record: not getattr(record, "hongtu_file_only", False))
        stream._hongtu = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(level)
    return path


def logging_ready() -> bool:
    """True once `setup_logging` has attached the log file (start-up failures then go to the log too)."""
    return any(getattr(h, "_hongtu", False) and isinstance(h, logging.FileHandler) for h in logging.getLogger().handlers)


def install_excepthooks() -> Callable[[], None]:
    """Log uncaught exceptions (main thread, Qt slots, other threads) with their traceback.

    The traceback goes to the structured log and, as before, to stderr (the journal). PySide6
    reports an exception raised in a slot through `sys.excepthook`, so those are logged too.
    Returns a function that puts the previous hooks back.
    """
    old_sys, old_thread = sys.excepthook, threading.excepthook

    def sys_hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            log.critical("uncaught exception: %s", _one_line(value), exc_info=(kind, value, tb), extra=FILE_ONLY)
        old_sys(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "?"
            log.critical("uncaught exception in thread %s: %s", name, _one_line(args.exc_value),
                         exc_info=(args.exc_type, args.exc_value, args.exc_traceback), extra=FILE_ONLY)
        old_thread(args)

    sys.excepthook, threading.excepthook = sys_hook, thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = old_sys, old_thread

    return restore


def _one_line(value: BaseException | None) -> str:
    if value is None:
        return "?"
    text = traceback.format_exception_only(type(value), value)[-1].strip()
    return text.splitlines()[0] if text else type(value).__name__


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
