"""Crash-loop protection: too many starts in a row that never became healthy switch the kiosk to safe mode.

Every start is recorded in `<data_dir>/starts.json`; the list is cleared when the kiosk has run
healthily for a while (`mark_healthy`) or quit cleanly. So what counts is *consecutive unhealthy
starts*, however far apart: a kiosk killed by systemd's start timeout (at most 2 minutes,
`app.ops.watchdog`) before its first frame reaches safe mode after the same number of starts as
one that crashes in a second.
Safe mode shows the last known good pack (one that ran healthily for a while), else the bundled
sample pack, and leaves the camera off, so a bad pack or a broken camera driver cannot keep a
terminal dark.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from app.ops.files import read_json, write_json_atomic

MAX_UNHEALTHY_STARTS = 5


class StartHistory:
    def __init__(self, data_dir: Path, max_starts: int = MAX_UNHEALTHY_STARTS,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / "starts.json"
        self.max_starts = max_starts
        self.clock = clock

    def _state(self) -> dict:
        state = read_json(self.path, {})
        return state if isinstance(state, dict) else {}

    def record_start(self) -> bool:
        """Note a start; True when more than `max_starts` starts in a row never became healthy (safe mode)."""
        state = self._state()
        starts = [t for t in state.get("starts", []) if isinstance(t, (int, float))]
        starts.append(self.clock())
        state["starts"] = starts
        write_json_atomic(self.path, state)
        return len(starts) > self.max_starts

    def unhealthy_starts(self) -> int:
        """Starts recorded since the kiosk last ran healthily or quit cleanly (this one included)."""
        starts = self._state().get("starts", [])
        return len(starts) if isinstance(starts, list) else 0

    def mark_healthy(self, pack_path: Path | None) -> None:
        """The kiosk has run well (or quit cleanly): forget the starts; remember `pack_path` as good."""
        state = self._state()
        state["starts"] = []
        if pack_path is not None:
            state["last_good_pack"] = str(pack_path)
        write_json_atomic(self.path, state)

    def last_good_pack(self) -> Path | None:
        value = self._state().get("last_good_pack")
        return Path(value) if isinstance(value, str) and Path(value).is_dir() else None
