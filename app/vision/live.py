"""The live counting loop: a camera (or a video file played in real time) through the pipeline until stopped.

Plain Python with callbacks, so the Qt view model only has to run `LiveCounter.run()` in a worker
thread and forward the callbacks as signals. Counts survive camera reconnects; tracks do not.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import numpy as np

from app.vision.counters import CountInterval
from app.vision.detectors import Detector, build_detector
from app.vision.errors import VisionError
from app.vision.overlay import annotate
from app.vision.pipeline import CountingPipeline, Counts, VisionSettings
from app.vision.recording import DebugRecorder
from app.vision.sources import RUNNING, STOPPED, Capture, LiveSource, VideoFileSource, is_live_spec

log = logging.getLogger(__name__)
ERROR = "error"


class LiveCounter:
    """Counts people on `settings.source` until `stop()`; every callback runs on the calling thread of `run()`
    except `on_state`, which may also come from the camera's grabber thread."""

    def __init__(self, settings: VisionSettings, *, opener: Callable[[], Capture] | None = None,
                 detector: Detector | None = None,
                 on_counts: Callable[[Counts], None] | None = None,
                 on_state: Callable[[str, str], None] | None = None,
                 on_interval: Callable[[CountInterval], None] | None = None,
                 on_preview: Callable[[np.ndarray], None] | None = None,
                 recorder: DebugRecorder | None = None, backoff_s: float = 0.5,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._opener = opener
        self._detector = detector
        self.on_counts = on_counts
        self.on_state = on_state
        self.on_interval = on_interval
        self.on_preview = on_preview
        self.recorder = recorder
        self.backoff_s = backoff_s
        self._clock = clock
        self._stop = threading.Event()
        self.preview = False  # set True while the calibration screen shows the live image
        self.preview_every_s = 0.2
        self.pipeline: CountingPipeline | None = None
        self.warning: str | None = None
        self.state = "starting"

    def stop(self) -> None:
        """Ask `run()` to return; it checks between frames (at least twice a second)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _state(self, state: str, detail: str = "") -> None:
        self.state = state
        if self.on_state is not None:
            self.on_state(state, detail)

    def run(self) -> Counts | None:
        """Process frames until stopped (or the end of a video file); returns the final counts."""
        import cv2

        s = self.settings
        cv2.setNumThreads(s.threads)
        detector = self._detector
        if detector is None:
            detector, self.warning = build_detector(s.detector, model=s.model, threads=s.threads)
            if self.warning:
                self._state("warning", self.warning)
        if self._opener is not None or is_live_spec(s.source):
            return self._run_live(detector)
        return self._run_file(detector)

    def _run_live(self, detector: Detector) -> Counts | None:
        source = LiveSource(self.settings.source, opener=self._opener, on_state=self._state,
                            backoff_s=self.backoff_s, clock=self._clock)
        source.start()
        last_reconnects = 0
        try:
            while not self._stop.is_set():
                frame = source.read(timeout=0.5)
                now = self._clock()
                if frame is None:
                    if self.pipeline is not None:
                        self.pipeline.intervals.tick(now)
                    continue
                if source.reconnects != last_reconnects and self.pipeline is not None:
                    last_reconnects = source.reconnects
                    self.pipeline.reset_tracks()
                if not self._step(detector, frame.image, frame.t):
                    break
        finally:
            source.close()
            self._finish(self._clock())
        return self.pipeline.counts() if self.pipeline else None

    def _run_file(self, detector: Detector) -> Counts | None:
        try:
            src = VideoFileSource(self.settings.source)
        except VisionError as exc:
            self._state(ERROR, str(exc))
            return None
        start_wall, start_mono = self._clock(), time.monotonic()
        self._state(RUNNING, str(src.path))
        try:
            while not self._stop.is_set():
                frame = src.read()
                if frame is None:
                    break
                lag = start_mono + frame.t - time.monotonic()
                if lag > 0:
                    self._stop.wait(lag)
                elif lag < -0.5 and frame.index % 2:  # fell behind real time: skip frames like a camera
                    continue
                if not self._step(detector, frame.image, start_wall + frame.t):
                    break
        finally:
            src.close()
            self._finish(self._clock())
        return self.pipeline.counts() if self.pipeline else None

    def _step(self, detector: Detector, image: np.ndarray, t: float) -> bool:
        if self.pipeline is None or self.pipeline.frame_size != (image.shape[1], image.shape[0]):
            try:
                old = self.pipeline
                self.pipeline = CountingPipeline(self.settings, detector, (image.shape[1], image.shape[0]),
                                                 on_interval=self.on_interval)
                if old is not None:  # the camera changed resolution: keep the totals
                    self._carry(old)
            except VisionError as exc:
                self._state(ERROR, str(exc))
                return False
        pipe = self.pipeline
        before = pipe.counts()
        pipe.process(image, t)
        after = pipe.counts()
        changed = (after.in_, after.out, after.visitors, after.present) != \
            (before.in_, before.out, before.visitors, before.present)
        if self.on_counts is not None and (changed or pipe.frames == 1):
            self.on_counts(after)
        want_preview = self.preview and self.on_preview is not None
        recording = self.recorder is not None and self.recorder.active
        if want_preview or recording:
            now = time.monotonic()
            drawn = None
            if want_preview and now - getattr(self, "_last_preview", 0.0) >= self.preview_every_s:
                self._last_preview = now
                drawn = annotate(image, line=pipe.line, zone=pipe.zone, tracks=pipe.tracks())
                self.on_preview(drawn)  # type: ignore[misc]
            if recording:
                self.recorder.write(drawn if drawn is not None else  # type: ignore[union-attr]
                                    annotate(image, line=pipe.line, zone=pipe.zone, tracks=pipe.tracks()))
        elif self.recorder is not None:
            self.recorder.close()
        return True

    def _carry(self, old: CountingPipeline) -> None:
        new = self.pipeline
        assert new is not None
        if new.line_counter is not None and old.line_counter is not None:
            new.line_counter.in_count = old.line_counter.in_count
            new.line_counter.out_count = old.line_counter.out_count
        new.dwell.visitors = old.dwell.visitors

    def _finish(self, t: float) -> None:
        if self.pipeline is not None:
            self.pipeline.finish(t)
        if self.recorder is not None:
            self.recorder.close()
        self._state(STOPPED, "")
