"""The narration audio cache: wav files keyed by sha256 of (text, language, voice, rate).

Files live in the cache folder as `<key>.wav`; `index.sqlite3` beside them records each entry's
size, duration, captions and last use. When the folder grows beyond its limit the least recently
used entries are deleted. Files are written under a temporary name and renamed, so a crash never
leaves a half file under a real key. When the disk is full (or the folder cannot be written) the
cache switches itself off for the rest of the run and says why; narration then plays from
temporary files.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

log = logging.getLogger(__name__)

KEY_VERSION = 1  # bump when text preparation changes what a key's audio contains

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    captions TEXT NOT NULL,       -- JSON [[text, start_s, end_s], ...]
    lang TEXT NOT NULL,
    voice TEXT NOT NULL,
    created REAL NOT NULL,
    last_used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_last_used ON entries(last_used);
"""


def cache_key(chunks: Sequence[str], lang: str, voice: str, rate: int) -> str:
    """sha256 of the prepared text, the language, the voice id and the rate."""
    payload = json.dumps([KEY_VERSION, list(chunks), lang, voice, int(rate)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    key: str
    path: Path
    duration_s: float
    captions: tuple[tuple[str, float, float], ...]


class NarrationCache:
    """Size-limited LRU store of narration wavs; safe to share between threads."""

    INDEX = "index.sqlite3"

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.disabled_reason = ""
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.root / self.INDEX, timeout=10, check_same_thread=False, isolation_level=None)
            # last_used updates on every play: WAL without fsync per commit keeps a look-up ~1 ms;
            # losing the latest updates in a power cut only makes eviction slightly less exact.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self._disable(f"cannot open the cache in {self.root}: {exc}")

    @property
    def enabled(self) -> bool:
        return not self.disabled_reason

    def _disable(self, reason: str) -> None:
        if not self.disabled_reason:
            self.disabled_reason = reason
            log.warning("narration cache off: %s; narration goes on from temporary files", reason)

    def path_for(self, key: str) -> Path:
        return self.root / f"{key}.wav"

    def get(self, key: str) -> CacheEntry | None:
        """The entry for `key` if its file is still there; marks it as used now."""
        if self._db is None:
            return None
        with self._lock:
            try:
                row = self._db.execute("SELECT file, duration_s, captions FROM entries WHERE key = ?", (key,)).fetchone()
                if row is None:
                    return None
                path = self.root / row[0]
                if not path.is_file():
                    self._db.execute("DELETE FROM entries WHERE key = ?", (key,))
                    return None
                if self.enabled:
                    self._db.execute("UPDATE entries SET last_used = ? WHERE key = ?", (time.time(), key))
            except sqlite3.Error as exc:
                log.warning("narration cache index %s: %s", self.root / self.INDEX, exc)
                return None
        captions = tuple((str(t), float(a), float(b)) for t, a, b in json.loads(row[2]))
        return CacheEntry(key, path, float(row[1]), captions)

    def put(self, key: str, src: Path, duration_s: float, captions: Sequence[tuple[str, float, float]],
            lang: str, voice: str) -> Path | None:
        """Copy `src` into the cache under `key`; returns the cached path, or None if not cached."""
        if self._db is None or not self.enabled:
            return None
        size = src.stat().st_size
        if size > self.max_bytes:
            log.info("narration of %.1f MB exceeds the cache limit of %.1f MB; not cached", size / 1e6, self.max_bytes / 1e6)
            return None
        dst = self.path_for(key)
        tmp = dst.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.tmp")
        with self._lock:
            try:
                self._evict_locked(self.max_bytes - size)
                shutil.copyfile(src, tmp)
                os.replace(tmp, dst)
                now = time.time()
                self._db.execute(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, dst.name, size, duration_s, json.dumps(list(captions), ensure_ascii=False), lang, voice, now, now))
            except (OSError, sqlite3.Error) as exc:
                tmp.unlink(missing_ok=True)
                full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES)
                if full or "full" in str(exc):
                    dst.unlink(missing_ok=True)
                    self._disable(f"{self.root}: {exc.strerror if isinstance(exc, OSError) else exc}")
                else:
                    log.warning("narration cache: could not store %s: %s", dst, exc)
                return None
        return dst

    def total_bytes(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            return int(self._db.execute("SELECT COALESCE(SUM(bytes), 0) FROM entries").fetchone()[0])

    def __len__(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def _evict_locked(self, budget: int) -> None:
        """Delete least recently used entries until the cache holds at most `budget` bytes."""
        assert self._db is not None
        total = int(self._db.execute("SELECT COALESCE(SUM(bytes), 0) FROM entries").fetchone()[0])
        if total <= budget:
            return
        for key, file, size in self._db.execute("SELECT key, file, bytes FROM entries ORDER BY last_used").fetchall():
            (self.root / file).unlink(missing_ok=True)
            self._db.execute("DELETE FROM entries WHERE key = ?", (key,))
            total -= size
            log.debug("narration cache: evicted %s (%d bytes)", file, size)
            if total <= budget:
                break

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
