"""Camera counting in the kiosk (issue 7): the running counter and the admin calibration screen.

`CameraService` (one per kiosk, `attach(kiosk, cfg)`) owns the `CameraCounter`: when
`vision.enabled` it starts counting on its worker thread as the kiosk starts (a missing camera only
shows as state `no_camera` and is retried in the background), sends each per-minute record to the
event log as a `camera_count` event, and stops it at quit. It never waits on the camera from the GUI
thread, except for the bounded join at exit.

`CameraCalibration` (QML type in `Hongtu.Models`, created by the admin camera screen and tile) shows
the counter's state and counts and edits the counting line and dwell zone as **fractions of the
frame**: handles move them, `save()` checks them against the camera's frame size, writes
`vision.line` / `vision.zone` into the config file (`app.vision.calibration.save_geometry`, which
changes only those two lines) and restarts the counter with them; `cancel()` goes back to the saved
values. While the screen is open the counter sends a downscaled preview frame a few times a second,
kept in memory only; closing the screen switches the preview off, so no frame leaves the worker.
With `vision.enabled: false` the screen runs a counter of its own while open (nothing is logged).
"""
from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui import camera_preview  # noqa: F401  (registers CameraPreview)
from app.vision.calibration import (DEFAULT_LINE, FULL_ZONE, CalibrationError, Quad, check_geometry,
                                    save_geometry, to_fractions)
from app.vision.errors import VisionError

if TYPE_CHECKING:  # numpy and the vision pipeline load only once a counter runs (kiosk start-up)
    from app.ui.viewmodels.vision import CameraCounter

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

EXIT_WAIT_MS = 3000


def frame_size(counter: CameraCounter | None) -> tuple[int, int] | None:
    """The source frame size (w, h) the counter's pipeline runs at, once a frame has arrived."""
    worker = getattr(counter, "_worker", None) if counter is not None else None
    pipeline = getattr(getattr(worker, "counter", None), "pipeline", None)
    size = getattr(pipeline, "frame_size", None)
    return (int(size[0]), int(size[1])) if size else None


def _counter_from_config(*args: Any, **kwargs: Any) -> CameraCounter:
    from app.ui.viewmodels.vision import CameraCounter

    return CameraCounter.from_config(*args, **kwargs)


class CameraService(QObject):
    """The kiosk's camera counter: started from the config, restarted with new geometry, stopped at exit."""

    counterChanged = Signal()

    def __init__(self, cfg: Any, log_event: Callable[..., Any] | None = None,
                 factory: Callable[..., CameraCounter] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self._log_event = log_event
        self._factory = factory or _counter_from_config
        self.counter: CameraCounter | None = None
        self.temporary = False  # started by the calibration screen while vision.enabled is false
        self.error = ""  # why no counter could be built (one line)
        self._pending: tuple[Any, bool, str] | None = None  # (config, temporary, error kept) to start once the old worker has ended
        self._previewers = 0

    @property
    def enabled(self) -> bool:
        return bool(self.cfg is not None and self.cfg.vision.enabled)

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start counting when `vision.enabled` (returns at once; the camera opens on the worker)."""
        if self.enabled and (self.counter is None or not self.counter.running):
            self._launch(self.cfg, temporary=False)

    def _on_interval(self, rec: Any) -> None:  # worker thread; EventLog.log only queues
        if self._log_event is not None:
            self._log_event("camera_count", **rec.event_fields())

    def _launch(self, cfg: Any, temporary: bool) -> None:
        old = self.counter
        if old is not None and not old.running:
            old.deleteLater()
        try:
            counter = self._factory(cfg, on_interval=None if temporary else self._on_interval, parent=self)
        except Exception as exc:  # noqa: BLE001 - a camera problem must never stop the kiosk starting
            self.counter, self.error = None, str(exc)
            log.warning("camera counter not started: %s", exc)
            self.counterChanged.emit()
            return
        self.error = ""
        self.temporary = temporary
        counter.stateChanged.connect(lambda c=counter: self._watch(c))
        counter.previewEnabled = self._previewers > 0
        self.counter = counter
        self.counterChanged.emit()
        counter.start()
        log.info("camera counter started (%s, detector %s)", cfg.vision.source, cfg.vision.detector)

    def _watch(self, counter: CameraCounter) -> None:
        # the worker reports "error" and then "stopped": keep the reason for the admin screen
        if counter is self.counter and counter.state == "error":
            self.error = counter.detail

    def restart(self, cfg: Any) -> None:
        """Use `cfg` from now on: stop the running counter and start a new one once its worker has ended."""
        self.cfg = cfg
        if not (self.enabled or self._previewers):
            self.stop()
            return
        self._relaunch(cfg, temporary=not self.enabled)

    def _relaunch(self, cfg: Any, temporary: bool, keep_error: bool = False) -> None:
        """Start a counter on `cfg` once the current one's worker has ended (at once if none runs).

        `keep_error`: the new counter is a stand-in (a preview without the saved geometry), so the
        reason the real one gave up stays on show.
        """
        error = self.error if keep_error else ""
        old = self.counter
        if old is not None and old.running:
            first = self._pending is None
            self._pending = (cfg, temporary, error)
            if first:
                old.runningChanged.connect(self._after_stop)
            old.stop()
            return
        self._launch(cfg, temporary=temporary)
        if keep_error:
            self.error = error

    def _after_stop(self) -> None:
        old = self.counter
        if old is None or old.running or self._pending is None:
            return
        (cfg, temporary, error), self._pending = self._pending, None
        try:
            old.runningChanged.disconnect(self._after_stop)
        except (RuntimeError, TypeError):
            pass
        self._launch(cfg, temporary=temporary)
        if error:
            self.error = error

    def stop(self) -> None:
        """Ask the counter to stop (returns at once)."""
        self._pending = None
        if self.counter is not None:
            self.counter.stop()

    def shutdown(self, wait_ms: int = EXIT_WAIT_MS) -> bool:
        """Stop and join the worker (application exit); the last partial minute reaches the log first."""
        self._pending = None
        if self.counter is None:
            return True
        ok = self.counter.wait(wait_ms)
        if not ok:
            log.warning("camera worker did not stop within %d ms", wait_ms)
        return ok

    # -- preview (calibration screen) ------------------------------------------------------------
    def acquire_preview(self) -> None:
        """A calibration screen opened: send preview frames (start a counter if counting is off)."""
        self._previewers += 1
        counter = self.counter
        gave_up = counter is not None and bool(self.error) and counter.state in ("error", "stopped")
        if gave_up and self._pending is None and self.cfg is not None:
            # the counter gave up (a saved line/zone that does not fit the frame, …): show the
            # picture without the saved geometry, so staff can place new one; nothing is logged.
            # Its worker may still be winding down after reporting the error: wait for it.
            vision = dataclasses.replace(self.cfg.vision, line=[], zone=[])
            self._relaunch(dataclasses.replace(self.cfg, vision=vision), temporary=True, keep_error=True)
        elif counter is not None and counter.running and not _stopping(counter):
            counter.previewEnabled = True
        elif counter is not None and counter.running:  # closed and reopened while it was stopping
            self.restart(self.cfg)
        elif self._pending is None and self.cfg is not None:
            self._launch(self.cfg, temporary=not self.enabled)

    def release_preview(self) -> None:
        """A calibration screen closed: no more preview frames; a temporary counter stops."""
        self._previewers = max(0, self._previewers - 1)
        if self._previewers:
            return
        if self.counter is not None:
            self.counter.previewEnabled = False
            if self.temporary:
                self.stop()

    def on_session_reset(self) -> None:
        """End of a visitor session (admin mode left): no preview survives it."""
        if self._previewers:
            self._previewers = 1
            self.release_preview()


def _stopping(counter: CameraCounter) -> bool:
    return bool(getattr(getattr(getattr(counter, "_worker", None), "counter", None), "stopping", False))


_current: CameraService | None = None


def current() -> CameraService | None:
    return _current


def attach(kiosk: Any, cfg: Any) -> CameraService:
    """Build the kiosk's camera service (call `start()` once the window is up)."""
    global _current
    events = getattr(kiosk, "events", None)
    service = CameraService(cfg, log_event=events.log if events is not None else None)
    kiosk.core.on_reset(service.on_session_reset)
    _current = service
    return service


def detach(service: CameraService) -> None:
    """Stop the counter and join its thread (kiosk exit)."""
    global _current
    service.shutdown()
    if _current is service:
        _current = None


def _quad(vals: Any) -> Quad:
    out = tuple(float(v) for v in list(vals))
    if len(out) != 4:
        raise ValueError("expected 4 numbers")
    return out  # type: ignore[return-value]


def _clamp(v: float) -> float:
    return min(1.0, max(0.0, float(v)))


@QmlElement
class CameraCalibration(QObject):
    """State, counts and line/zone editing for the admin camera screen (see the module docstring)."""

    counterChanged = Signal()
    statusChanged = Signal()
    countsChanged = Signal()
    geometryChanged = Signal()
    messageChanged = Signal()
    previewChanged = Signal()

    def __init__(self, parent: QObject | None = None, service: CameraService | None = None) -> None:
        super().__init__(parent)
        self._service = service if service is not None else current()
        self._counter: CameraCounter | None = None
        self._line: Quad = DEFAULT_LINE
        self._zone: Quad = FULL_ZONE
        self._dirty = False
        self._message = ""
        self._code = ""
        self._overrides = ""
        self._preview = False
        self._frames = 0
        self._frame: tuple[int, int] | None = None
        self._exact = True  # saved geometry known in fractions (False: pixels waiting for a frame size)
        if self._service is not None:
            self._service.counterChanged.connect(self._follow)
            self._follow()
        self._load_saved()

    # -- following the service's counter -----------------------------------------------------------
    def _follow(self) -> None:
        counter = self._service.counter if self._service is not None else None
        if counter is self._counter:
            self.statusChanged.emit()
            return
        if self._counter is not None:
            for sig, slot in ((self._counter.countsChanged, self.countsChanged),
                              (self._counter.stateChanged, self.statusChanged),
                              (self._counter.runningChanged, self.statusChanged),
                              (self._counter.previewUpdated, self._on_frame)):
                try:
                    sig.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self._counter = counter
        if counter is not None:
            counter.countsChanged.connect(self.countsChanged)
            counter.stateChanged.connect(self.statusChanged)
            counter.runningChanged.connect(self.statusChanged)
            counter.previewUpdated.connect(self._on_frame)
        self.counterChanged.emit()
        self.statusChanged.emit()
        self.countsChanged.emit()

    def _on_frame(self, image: Any) -> None:
        if not self._preview:
            return
        self._frames += 1
        size = frame_size(self._counter) or (image.width(), image.height())
        if size != self._frame:
            self._frame = size
            if not self._exact and not self._dirty:
                self._load_saved()
        self.previewChanged.emit()

    def _cfg(self) -> Any:
        return self._service.cfg if self._service is not None else None

    def _load_saved(self) -> None:
        cfg = self._cfg()
        vcfg = cfg.vision if cfg is not None else None
        line = to_fractions(list(vcfg.line), self._frame) if vcfg is not None else None
        zone = to_fractions(list(vcfg.zone), self._frame) if vcfg is not None else None
        self._exact = (vcfg is None or ((not vcfg.line or line is not None) and (not vcfg.zone or zone is not None)))
        inside = lambda q: q is not None and all(0.0 <= v <= 1.0 for v in q)  # noqa: E731
        self._line = line if inside(line) else DEFAULT_LINE
        self._zone = zone if inside(zone) else FULL_ZONE
        self._dirty = False
        self.geometryChanged.emit()

    # -- properties ------------------------------------------------------------------------------
    @Property(QObject, notify=counterChanged)
    def counter(self) -> QObject | None:
        """The CameraCounter now running (changes when the counter restarts)."""
        return self._counter

    @Property(bool, constant=True)
    def available(self) -> bool:
        return self._service is not None and self._service.cfg is not None

    @Property(bool, notify=statusChanged)
    def countingEnabled(self) -> bool:  # noqa: N802
        return self._service is not None and self._service.enabled

    @Property(str, notify=statusChanged)
    def state(self) -> str:
        """starting | running | no_camera | retrying | stopped | error | off (counting disabled, no preview)."""
        svc = self._service
        if self._counter is None:
            return "error" if svc is not None and svc.error else "off"
        if svc is not None and svc.error and (svc.temporary or not self._counter.running):
            return "error"  # the counter ended on an error (it reports "stopped" last); a preview may run
        if svc is not None and svc.temporary and not self._counter.running:
            return "off"  # counting is disabled and the screen's own counter has ended
        return self._counter.state

    @Property(str, notify=statusChanged)
    def detail(self) -> str:
        svc = self._service
        if self._counter is None or (svc is not None and svc.error and (svc.temporary or not self._counter.running)):
            return svc.error if svc is not None else ""
        return self._counter.detail

    @Property(str, notify=statusChanged)
    def source(self) -> str:
        cfg = self._cfg()
        return str(cfg.vision.source) if cfg is not None else ""

    @Property(str, notify=statusChanged)
    def detector(self) -> str:
        cfg = self._cfg()
        if cfg is None:
            return ""
        name = cfg.vision.detector
        return f"{name} ({cfg.vision.model.name})" if name == "onnx" and cfg.vision.model else name

    @Property(bool, notify=statusChanged)
    def recording(self) -> bool:
        return bool(self._counter is not None and self._counter.recording)

    @Property(str, notify=statusChanged)
    def recordingUntil(self) -> str:  # noqa: N802
        return self._counter.recordingUntil if self._counter is not None else ""

    def _count(self, name: str) -> int:
        return int(getattr(self._counter, name)) if self._counter is not None else 0

    @Property(int, notify=countsChanged)
    def inCount(self) -> int:  # noqa: N802
        return self._count("inCount")

    @Property(int, notify=countsChanged)
    def outCount(self) -> int:  # noqa: N802
        return self._count("outCount")

    @Property(int, notify=countsChanged)
    def occupancy(self) -> int:
        return self._count("occupancy")

    @Property(int, notify=countsChanged)
    def visitors(self) -> int:
        return self._count("visitors")

    @Property(int, notify=countsChanged)
    def present(self) -> int:
        return self._count("present")

    @Property(bool, notify=previewChanged)
    def previewOpen(self) -> bool:  # noqa: N802
        return self._preview

    @Property(int, notify=previewChanged)
    def previewFrames(self) -> int:  # noqa: N802
        """Preview frames received while this screen was open."""
        return self._frames

    @Property(int, notify=previewChanged)
    def frameWidth(self) -> int:  # noqa: N802
        return self._frame[0] if self._frame else 0

    @Property(int, notify=previewChanged)
    def frameHeight(self) -> int:  # noqa: N802
        return self._frame[1] if self._frame else 0

    @Property("QVariantList", notify=geometryChanged)
    def line(self) -> list[float]:
        """x1, y1, x2, y2 as fractions of the frame; walking 1→2, crossing left→right is "in"."""
        return list(self._line)

    @Property("QVariantList", notify=geometryChanged)
    def zone(self) -> list[float]:
        """x1, y1, x2, y2 (top-left, bottom-right) as fractions of the frame."""
        return list(self._zone)

    @Property(bool, notify=geometryChanged)
    def dirty(self) -> bool:
        return self._dirty

    @Property(str, notify=messageChanged)
    def messageCode(self) -> str:  # noqa: N802
        """What happened last: "" | saved | refused | noframe | noconfig | failed (the screen words it)."""
        return self._code

    @Property(str, notify=messageChanged)
    def message(self) -> str:
        """The detail: the config file saved to, or the one-line reason a save was refused."""
        return self._message

    @Property(str, notify=messageChanged)
    def overrides(self) -> str:
        """Environment variables that override the saved line/zone (they win at the next start)."""
        return self._overrides

    def _say(self, code: str, text: str = "", overrides: str = "") -> None:
        self._code, self._message, self._overrides = code, text, overrides
        self.messageChanged.emit()

    # -- preview -----------------------------------------------------------------------------------
    @Slot()
    def openPreview(self) -> None:  # noqa: N802
        """The screen is shown: ask the counter for preview frames."""
        if self._preview or self._service is None:
            return
        self._preview = True
        self._service.acquire_preview()
        self.previewChanged.emit()

    @Slot()
    def closePreview(self) -> None:  # noqa: N802
        """The screen is closing: no more preview frames are produced."""
        if not self._preview:
            return
        self._preview = False
        if self._service is not None:
            self._service.release_preview()
        self.previewChanged.emit()

    # -- editing -------------------------------------------------------------------------------------
    def _edit(self, line: Quad | None = None, zone: Quad | None = None) -> None:
        if line is not None:
            self._line = line
        if zone is not None:
            self._zone = zone
        self._dirty = True
        if self._code:
            self._say("")
        self.geometryChanged.emit()

    @Slot(int, float, float)
    def moveLineEnd(self, end: int, fx: float, fy: float) -> None:  # noqa: N802
        """Put end 0 (first point) or 1 (second point) of the line at (fx, fy), fractions of the frame."""
        x1, y1, x2, y2 = self._line
        if end == 0:
            x1, y1 = _clamp(fx), _clamp(fy)
        else:
            x2, y2 = _clamp(fx), _clamp(fy)
        self._edit(line=(x1, y1, x2, y2))

    @Slot(int, float, float)
    def moveZoneCorner(self, corner: int, fx: float, fy: float) -> None:  # noqa: N802
        """Move corner 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left to (fx, fy)."""
        x1, y1, x2, y2 = self._zone
        fx, fy = _clamp(fx), _clamp(fy)
        if corner in (0, 3):
            x1 = fx
        else:
            x2 = fx
        if corner in (0, 1):
            y1 = fy
        else:
            y2 = fy
        self._edit(zone=(x1, y1, x2, y2))

    @Slot(float, float)
    def moveZone(self, dx: float, dy: float) -> None:  # noqa: N802
        """Shift the whole zone by (dx, dy) fractions, kept inside the frame."""
        x1, y1, x2, y2 = self._zone
        dx = min(max(dx, -x1), 1.0 - x2)
        dy = min(max(dy, -y1), 1.0 - y2)
        self._edit(zone=(x1 + dx, y1 + dy, x2 + dx, y2 + dy))

    @Slot()
    def flipDirection(self) -> None:  # noqa: N802
        """Swap the line's ends: "in" and "out" change places."""
        x1, y1, x2, y2 = self._line
        self._edit(line=(x2, y2, x1, y1))

    @Slot("QVariantList", "QVariantList")
    def setGeometry(self, line: list[float], zone: list[float]) -> None:  # noqa: N802
        """Set both at once (fractions; not clamped, so absurd values are refused at save)."""
        try:
            self._edit(line=_quad(line), zone=_quad(zone))
        except (TypeError, ValueError):
            self._say("refused", "line and zone need 4 numbers each")

    @Slot(result=bool)
    def save(self) -> bool:
        """Check, write `vision.line`/`vision.zone` to the config file and restart the counter."""
        if self._service is None or self._service.cfg is None:
            self._say("noconfig")
            return False
        frame = self._frame or frame_size(self._counter)
        if frame is None:
            self._say("noframe")
            return False
        cfg = self._service.cfg
        try:
            result = save_geometry(cfg.config_path, self._line, self._zone, frame)
        except CalibrationError as exc:
            self._say("failed", str(exc))
            return False
        except VisionError as exc:  # GeometryError: absurd line or zone
            self._say("refused", str(exc))
            return False
        except Exception as exc:  # ConfigError: the edited file would not load (the old one is back)
            self._say("failed", str(exc))
            return False
        zone = [] if tuple(round(v, 4) for v in self._zone) == FULL_ZONE else [round(v, 4) for v in self._zone]
        vision = dataclasses.replace(cfg.vision, line=[round(v, 4) for v in self._line], zone=zone)
        self._service.restart(dataclasses.replace(cfg, vision=vision))
        self._dirty, self._exact = False, True
        self.geometryChanged.emit()
        self.statusChanged.emit()
        self._say("saved", str(result.path), ", ".join(result.overridden))
        log.info("camera calibration saved to %s: line %s zone %s", result.path, self._line, self._zone)
        return True

    @Slot()
    def cancel(self) -> None:
        """Forget the changes: back to the line and zone in use."""
        self._load_saved()
        self._say("")

    @Slot(result=bool)
    def check(self) -> bool:
        """Validate the current geometry without saving (sets the message)."""
        frame = self._frame or frame_size(self._counter)
        if frame is None:
            return True
        try:
            check_geometry(self._line, self._zone, frame)
        except VisionError as exc:
            self._say("refused", str(exc))
            return False
        return True
