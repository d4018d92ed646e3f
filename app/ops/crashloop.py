"""Crash-loop protection: too many starts in a short time switch the kiosk to safe mode.

Safe mode shows the last known good pack (one that ran healthily for a while) and leaves the
camera off, so a bad pack or a broken camera driver cannot keep a terminal dark.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from app.ops.files import read_json, write_json_atomic


class StartHistory:
    def __init__(self, data_dir: Path, max_starts: int = 5, window_s: float = 600,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / "starts.json"
        self.max_starts = max_starts
        self.window_s = window_s
        self.clock = clock

    def _state(self) -> dict:
        state = read_json(self.path, {})
        return state if isinstance(state, dict) else {}

    def record_start(self) -> bool:
        """Note a start; True when the recent starts say the kiosk is crash-looping (use safe mode)."""
        now = self.clock()
        state = self._state()
        starts = [t for t in state.get("starts", []) if isinstance(t, (int, float)) and now - t < self.window_s]
        starts.append(now)
        state["starts"] = starts
        write_json_atomic(self.path, state)
        return len(starts) > self.max_starts

    def mark_healthy(self, pack_path: Path | None) -> None:
        """The kiosk has run well: forget the recent starts and remember this pack as good."""
        state = self._state()
        state["starts"] = []
        if pack_path is not None:
            state["last_good_pack"] = str(pack_path)
        write_json_atomic(self.path, state)

    def last_good_pack(self) -> Path | None:
        value = self._state().get("last_good_pack")
        return Path(value) if isinstance(value, str) and Path(value).is_dir() else None
