"""`CameraCounter`: runs the camera visitor counter in a worker QThread and exposes counts to QML.

The pipeline (`app.vision.live.LiveCounter`) runs on its own QThread; the GUI thread only receives
counts, the camera state ("starting" | "running" | "no_camera" | "retrying" | "stopped" | "error" |
"warning") and — only while `previewEnabled` is true (admin calibration) — a downscaled QImage of the
annotated frame, kept in memory and never written to disk. `stop()` is cooperative: the loop checks
between frames and the thread ends within about half a second.

Per-minute counts go to `on_interval` (called on the worker thread), e.g.
`lambda rec: event_log.log("camera_count", **rec.event_fields())`; `EventLog.log` only queues.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Callable

import numpy as np
from PySide6.QtCore import Property, QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtQml import QmlElement

from app.vision.counters import CountInterval
from app.vision.live import LiveCounter
from app.vision.pipeline import Counts, VisionSettings
from app.vision.recording import DebugRecorder
from app.vision.sources import Capture

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


def to_qimage(image: np.ndarray) -> QImage:
    """A deep copy of a BGR frame as a QImage (safe to hand to another thread)."""
    h, w = image.shape[:2]
    data = np.ascontiguousarray(image)
    return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_BGR888).copy()


class _Worker(QThread):
    counts = Signal(object)  # Counts
    state = Signal(str, str)
    interval = Signal(object)  # CountInterval
    preview = Signal(QImage)

    def __init__(self, counter_factory: Callable[["_Worker"], LiveCounter], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.counter = counter_factory(self)

    def run(self) -> None:
        try:
            self.counter.run()
        except Exception as exc:  # noqa: BLE001 - the camera must never take the kiosk down
            log.exception("camera counter failed")
            self.state.emit("error", f"{type(exc).__name__}: {exc}")


@QmlElement
class CameraCounter(QObject):
    """Live visitor counts from the camera (QML type `CameraCounter` in `Hongtu.Models`)."""

    countsChanged = Signal()
    stateChanged = Signal()
    runningChanged = Signal()
    previewEnabledChanged = Signal()
    previewUpdated = Signal(QImage)
    intervalRecorded = Signal(int, int, int)  # in, out, visitors of the minute that just ended

    def __init__(self, settings: VisionSettings | None = None, *, opener: Callable[[], Capture] | None = None,
                 on_interval: Callable[[CountInterval], None] | None = None,
                 recorder_factory: Callable[[], DebugRecorder] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings or VisionSettings()
        self._opener = opener
        self._on_interval = on_interval
        self._recorder_factory = recorder_factory
        self._worker: _Worker | None = None
        self._counts = Counts(0, 0, 0, 0, 0, 0)
        self._state = "stopped"
        self._detail = ""
        self._preview_enabled = False
        self._preview = QImage()
        self._recording_until = 0.0

    @classmethod
    def from_config(cls, cfg, on_interval: Callable[[CountInterval], None] | None = None,
                    parent: QObject | None = None) -> "CameraCounter":
        """The counter for `cfg.vision` (a KioskConfig); debug recording per `vision.debug_recording`."""
        factory = None
        if cfg.vision.debug_recording:
            folder = cfg.data_dir / "vision-debug"
            minutes = float(cfg.vision.debug_recording_min)
            factory = lambda: DebugRecorder(folder, minutes=minutes)  # noqa: E731
        return cls(VisionSettings.from_config(cfg.vision), on_interval=on_interval, recorder_factory=factory,
                   parent=parent)

    # -- control ----------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Start counting on a worker thread (no-op if already running)."""
        if self._worker is not None and self._worker.isRunning():
            return
        recorder = self._recorder_factory() if self._recorder_factory else None
        self._recording_until = recorder.until if recorder else 0.0

        def make(worker: _Worker) -> LiveCounter:
            counter = LiveCounter(self._settings, opener=self._opener,
                                  on_counts=worker.counts.emit, on_state=worker.state.emit,
                                  on_interval=self._interval_from_worker(worker),
                                  on_preview=lambda img: worker.preview.emit(to_qimage(img)),
                                  recorder=recorder)
            counter.preview = self._preview_enabled
            return counter

        worker = _Worker(make, self)
        worker.counts.connect(self._set_counts)
        worker.state.connect(self._set_state)
        worker.interval.connect(self._interval_done)
        worker.preview.connect(self._set_preview)
        worker.finished.connect(self._on_finished)
        self._worker = worker
        self._set_state("starting", "")
        worker.start()
        self.runningChanged.emit()

    def _interval_from_worker(self, worker: _Worker) -> Callable[[CountInterval], None]:
        def handle(rec: CountInterval) -> None:
            if self._on_interval is not None:
                try:
                    self._on_interval(rec)
                except Exception:  # noqa: BLE001 - logging trouble must not stop counting
                    log.exception("camera interval callback failed")
            worker.interval.emit(rec)
        return handle

    @Slot()
    def stop(self) -> None:
        """Ask the worker to stop after the current frame; returns at once."""
        if self._worker is not None:
            self._worker.counter.stop()

    @Slot(int, result=bool)
    def wait(self, ms: int = 5000) -> bool:
        """Stop and wait up to `ms` milliseconds for the worker thread to end (application exit)."""
        if self._worker is None:
            return True
        self.stop()
        return self._worker.wait(ms)

    # -- slots on the GUI thread ----------------------------------------------------------------
    def _set_counts(self, counts: Counts) -> None:
        self._counts = counts
        self.countsChanged.emit()

    def _set_state(self, state: str, detail: str) -> None:
        if state == "warning":  # detector fallback: keep the state, show the message
            self._detail = detail
        else:
            self._state, self._detail = state, detail
        self.stateChanged.emit()

    def _interval_done(self, rec: CountInterval) -> None:
        self.intervalRecorded.emit(rec.in_, rec.out, rec.visitors)

    def _set_preview(self, image: QImage) -> None:
        if self._preview_enabled:
            self._preview = image
            self.previewUpdated.emit(image)

    def _on_finished(self) -> None:
        self.runningChanged.emit()

    # -- properties -------------------------------------------------------------------------
    @Property(bool, notify=runningChanged)
    def running(self) -> bool:
        return self._worker is not None and self._worker.isRunning()

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self._state

    @Property(str, notify=stateChanged)
    def detail(self) -> str:
        return self._detail

    @Property(int, notify=countsChanged)
    def inCount(self) -> int:
        return self._counts.in_

    @Property(int, notify=countsChanged)
    def outCount(self) -> int:
        return self._counts.out

    @Property(int, notify=countsChanged)
    def occupancy(self) -> int:
        return self._counts.occupancy

    @Property(int, notify=countsChanged)
    def visitors(self) -> int:
        return self._counts.visitors

    @Property(int, notify=countsChanged)
    def present(self) -> int:
        return self._counts.present

    @Property(bool, notify=stateChanged)
    def recording(self) -> bool:
        """True while the opt-in debug recording is writing frames (show it on screen)."""
        import time

        return self.running and time.time() < self._recording_until

    @Property(str, notify=stateChanged)
    def recordingUntil(self) -> str:
        if not self._recording_until:
            return ""
        return datetime.fromtimestamp(self._recording_until, timezone.utc).isoformat(timespec="seconds")

    def _get_preview_enabled(self) -> bool:
        return self._preview_enabled

    def _put_preview_enabled(self, on: bool) -> None:
        if on == self._preview_enabled:
            return
        self._preview_enabled = on
        if self._worker is not None:
            self._worker.counter.preview = on
        if not on:
            self._preview = QImage()  # drop the last frame from memory too
        self.previewEnabledChanged.emit()

    previewEnabled = Property(bool, _get_preview_enabled, _put_preview_enabled, notify=previewEnabledChanged)

    @Property(QImage, notify=previewUpdated)
    def previewImage(self) -> QImage:
        """The latest downscaled, annotated frame while `previewEnabled`; empty otherwise."""
        return self._preview

    def counts(self) -> Counts:
        return self._counts
