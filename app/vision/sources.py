"""Frame sources: a video file (every frame, in order) or a live camera/stream (newest frame only).

A live source grabs frames on its own thread and keeps only the newest one, so a slow consumer
skips frames instead of falling behind. When the camera cannot be opened or stops delivering
frames, it reports its state and retries with exponential backoff until it is closed.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np

from app.vision.errors import SourceError

log = logging.getLogger(__name__)

URL_PREFIXES = ("rtsp://", "rtsps://", "rtmp://", "http://", "https://")

# live states
STARTING, RUNNING, NO_CAMERA, RETRYING, STOPPED = "starting", "running", "no_camera", "retrying", "stopped"


@dataclass
class Frame:
    image: np.ndarray  # BGR
    index: int  # frames delivered by the device/file so far (0-based)
    t: float  # seconds: media time for files, Unix time for live sources


class Capture(Protocol):
    """What a live source needs from cv2.VideoCapture (fakes in tests implement the same)."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, Any]: ...
    def release(self) -> None: ...


def is_live_spec(spec: str) -> bool:
    s = spec.strip()
    return s.isdigit() or s.lower().startswith(URL_PREFIXES) or s.startswith("/dev/video")


def describe(spec: str) -> str:
    """A camera spec for people: 'camera 0', or the URL without its password."""
    s = spec.strip()
    if s.isdigit():
        return f"camera {s}"
    if "@" in s and "://" in s:
        scheme, rest = s.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return s


class VideoFileSource:
    """Every frame of a video file, with media timestamps."""

    live = False

    def __init__(self, path: Path | str) -> None:
        import cv2

        self.path = Path(path)
        if not self.path.is_file():
            raise SourceError(f"{self.path}: video file not found")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            raise SourceError(f"{self.path}: cannot open video file (not a video, or an unsupported format)")
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else 25.0
        self.frame_count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise SourceError(f"{self.path}: cannot read any frame (corrupt or truncated video file)")
        self._pending: np.ndarray | None = first
        self.height, self.width = first.shape[:2]
        self._index = 0

    def read(self, timeout: float | None = None) -> Frame | None:
        """The next frame, or None at the end of the file."""
        if self._pending is not None:
            img, self._pending = self._pending, None
        else:
            ok, img = self._cap.read()
            if not ok or img is None:
                return None
        frame = Frame(img, self._index, self._index / self.fps)
        self._index += 1
        return frame

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> "VideoFileSource":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def default_opener(spec: str) -> Callable[[], Capture]:
    """A function that opens the camera index, device path or stream URL with OpenCV."""
    s = spec.strip()

    def open_capture() -> Capture:
        import cv2

        try:  # the retry loop reports the state itself; OpenCV's own warning on every attempt is noise
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        except AttributeError:
            pass
        if s.isdigit():
            return cv2.VideoCapture(int(s))
        if s.lower().startswith(URL_PREFIXES):
            return cv2.VideoCapture(s, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000,
                                                      cv2.CAP_PROP_READ_TIMEOUT_MSEC, 5000])
        return cv2.VideoCapture(s)

    return open_capture


class LiveSource:
    """Newest-frame-only reader of a camera or stream, reconnecting with exponential backoff.

    `on_state(state, detail)` is called from the grabber thread on every state change; states are
    "starting", "running", "no_camera" (cannot open; retrying), "retrying" (feed lost; reconnecting)
    and "stopped".
    """

    live = True

    def __init__(self, spec: str, *, opener: Callable[[], Capture] | None = None,
                 on_state: Callable[[str, str], None] | None = None, backoff_s: float = 0.5,
                 max_backoff_s: float = 30.0, max_read_failures: int = 3,
                 clock: Callable[[], float] = time.time) -> None:
        self.spec = spec
        self.name = describe(spec)
        self._opener = opener or default_opener(spec)
        self._on_state = on_state
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_read_failures = max_read_failures
        self._clock = clock
        self.state = STARTING
        self.detail = ""
        self.retry_in = 0.0
        self.dropped = 0  # frames grabbed but replaced by a newer one before being read
        self.delivered = 0
        self.reconnects = 0
        self._latest: Frame | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._index = 0

    def start(self) -> "LiveSource":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="hongtu-camera", daemon=True)
            self._thread.start()
        return self

    def _set_state(self, state: str, detail: str = "") -> None:
        if state == self.state and detail == self.detail:
            return
        self.state, self.detail = state, detail
        log.info("camera %s: %s %s", self.name, state, detail)
        if self._on_state is not None:
            try:
                self._on_state(state, detail)
            except Exception:  # a broken listener must not kill the grabber
                log.exception("camera state listener failed")

    def _run(self) -> None:
        delay = self.backoff_s
        ever_ran = False
        while not self._stop.is_set():
            try:
                cap = self._opener()
                opened = bool(cap is not None and cap.isOpened())
            except Exception as exc:  # an opener that raises counts as "cannot open"
                cap, opened = None, False
                log.debug("camera %s: open failed: %s", self.name, exc)
            got = False
            if opened:
                got = self._grab_until_failure(cap)
            if cap is not None:
                try:
                    cap.release()
                except Exception:
                    pass
            if self._stop.is_set():
                break
            if got:
                ever_ran = True
                delay = self.backoff_s  # it worked for a while: restart the backoff
                self.reconnects += 1
            self.retry_in = delay
            if ever_ran:
                self._set_state(RETRYING, f"{self.name}: no frames; retrying in {delay:g} s")
            else:
                self._set_state(NO_CAMERA, f"{self.name}: cannot open; retrying in {delay:g} s")
            self._stop.wait(delay)
            delay = min(self.max_backoff_s, delay * 2)
        self._set_state(STOPPED)

    def _grab_until_failure(self, cap: Capture) -> bool:
        failures = 0
        got = False
        while not self._stop.is_set():
            try:
                ok, img = cap.read()
            except Exception:
                ok, img = False, None
            if not ok or img is None:
                failures += 1
                if failures >= self.max_read_failures:
                    return got
                time.sleep(0.05)
                continue
            failures = 0
            if not got:
                got = True
                self._set_state(RUNNING, self.name)
            with self._cond:
                if self._latest is not None:
                    self.dropped += 1
                self._latest = Frame(img, self._index, self._clock())
                self._index += 1
                self._cond.notify_all()
        return got

    def read(self, timeout: float | None = 0.5) -> Frame | None:
        """The newest frame not yet read, waiting up to `timeout` seconds; None if none came."""
        with self._cond:
            if self._latest is None:
                self._cond.wait(timeout)
            frame, self._latest = self._latest, None
        if frame is not None:
            self.delivered += 1
        return frame

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> "LiveSource":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
