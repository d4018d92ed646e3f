"""Opt-in debug recording of annotated, downscaled frames; it switches itself off after a set time.

Off by default (`vision.debug_recording: false`). When on, frames (640 px wide at most, with the
line, zone and track boxes drawn) go to `<data_dir>/vision-debug/debug-<UTC time>.avi` for
`minutes` minutes, then recording stops by itself; recordings older than `keep_hours` are deleted
whenever a recorder starts. Nothing else in the pipeline ever writes an image.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


class DebugRecorder:
    def __init__(self, folder: Path, *, minutes: float = 10.0, keep_hours: float = 24.0, fps: float = 10.0,
                 clock=time.time) -> None:
        self.folder = Path(folder)
        self.fps = fps
        self._clock = clock
        self.until = clock() + minutes * 60.0
        self.keep_hours = keep_hours
        self.path: Path | None = None
        self._writer = None
        self.purge()

    @property
    def active(self) -> bool:
        return self._clock() < self.until

    def purge(self) -> int:
        """Delete recordings older than `keep_hours`; returns how many were deleted."""
        if not self.folder.is_dir():
            return 0
        cutoff = self._clock() - self.keep_hours * 3600.0
        n = 0
        for f in self.folder.glob("debug-*.avi"):
            try:
                if f.stat().st_mtime < cutoff:
                    f.unlink()
                    n += 1
            except OSError:
                pass
        return n

    def write(self, frame: np.ndarray) -> bool:
        """Append one annotated frame while the recording is active; returns whether it was written."""
        import cv2

        if not self.active:
            self.close()
            return False
        h, w = frame.shape[:2]
        if w > 640:
            frame = cv2.resize(frame, (640, round(h * 640 / w)), interpolation=cv2.INTER_AREA)
            h, w = frame.shape[:2]
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            self.path = self.folder / f"debug-{stamp}.avi"
            self._writer = cv2.VideoWriter(str(self.path), cv2.VideoWriter_fourcc(*"MJPG"), self.fps, (w, h))
            log.warning("vision debug recording ON: %s until %s", self.path,
                        datetime.fromtimestamp(self.until, timezone.utc).isoformat(timespec="seconds"))
        self._writer.write(frame)
        return True

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None
