"""Admin mode for hall staff: the hidden corner gesture, the PIN pad, the inactivity timeout.

`Admin` (QML singleton) is built by `attach(kiosk, cfg)`. Its states (`mode`):

* ``"off"``: visitors use the kiosk; a long press of `cfg.admin.hold_s` in the top-left corner
  (`CornerHold`, an event filter on the window, so no QML item sits over the header's buttons)
  opens the PIN pad;
* ``"pin"``: the PIN pad is shown (digits stay in Python; QML only shows dots);
* ``"open"``: the admin screens (`admin`, `admin_packs`, …) are on the screen stack.

While the mode is not "off" the visitor session is suspended (its idle timer stops, so no countdown
or reset happens in the middle of staff work); leaving admin mode ends the visitor session, which
returns the kiosk to the attract loop and lets `PackFollower` switch to a newly installed pack.
PIN checks (scrypt), pack work and health checks run on `jobs`, a serial worker thread.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Property, QCoreApplication, QEvent, QObject, QPointF, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from app.packs.errors import PinError, PinLockedError
from app.ui.dbworker import DbClient

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

MAX_PIN = 12
CORNER_MIN_PX = 96
_current: "Admin | None" = None

PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
MOVE = {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate}
RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel}
INPUT = PRESS | MOVE | RELEASE | {QEvent.Type.KeyPress, QEvent.Type.Wheel}


def corner_size(width: int, height: int) -> int:
    """Side of the invisible square in the top-left corner that takes the long press (≥ 96 px)."""
    return max(CORNER_MIN_PX, int(min(width, height) * 0.09))


def _point(event: QEvent) -> QPointF | None:
    points = getattr(event, "points", None)
    if points is not None:
        pts = event.points()
        return pts[0].position() if pts else None
    position = getattr(event, "position", None)
    return event.position() if position is not None else None


class CornerHold(QObject):
    """Window event filter: a press held still for `hold_s` in the top-left corner calls `on_hold`.

    It never consumes events, so a short tap on a header button under the corner works as usual;
    when the hold fires, whatever item grabbed the press is ungrabbed (its click is cancelled).
    It also reports every input to `on_input` (admin-mode inactivity).
    """

    SLOP_PX = 24

    def __init__(self, window: Any, hold_s: float, on_hold: Callable[[], None],
                 on_input: Callable[[], None]) -> None:
        super().__init__()
        self._window = window
        self._on_hold = on_hold
        self._on_input = on_input
        self._start: QPointF | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(hold_s * 1000))
        self._timer.timeout.connect(self._fire)
        window.installEventFilter(self)

    def detach(self) -> None:
        self._timer.stop()
        self._window.removeEventFilter(self)

    @property
    def holding(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in INPUT:
            return False
        self._on_input()
        if kind in PRESS:
            p = _point(event)
            size = corner_size(self._window.width(), self._window.height())
            if p is not None and p.x() < size and p.y() < size and not self._timer.isActive():
                self._start = QPointF(p)
                self._timer.start()
        elif kind in MOVE and self._timer.isActive():
            p = _point(event)
            if p is None or self._start is None or (p - self._start).manhattanLength() > self.SLOP_PX:
                self._timer.stop()
        elif kind in RELEASE:
            self._timer.stop()
        return False

    def _fire(self) -> None:
        grabber = self._window.mouseGrabberItem() if hasattr(self._window, "mouseGrabberItem") else None
        if grabber is not None:
            grabber.ungrabMouse()  # the header button under the finger must not click on release
            grabber.ungrabTouchPoints()
        self._on_hold()


@QmlElement
@QmlSingleton
class Admin(QObject):
    """QML singleton `Admin`: mode, the PIN pad's state and the admin-mode actions."""

    modeChanged = Signal()
    pinChanged = Signal()
    lockChanged = Signal()
    busyChanged = Signal()

    def __init__(self, cfg: Any, app: Any, session: Any, clock: Callable[[], float] = time.monotonic,
                 quit_fn: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.cfg = cfg
        self.enabled = cfg is not None
        self._app = app
        self._session = session
        self._clock = clock
        self._quit = quit_fn or QCoreApplication.quit
        self.jobs = DbClient(lambda: None)  # a serial worker thread for PIN, pack and health jobs
        self._mode = "off"
        self._pin = ""
        self._message = ""
        self._message_kind = ""  # "" | "wrong" | "locked" | "unset" | "error" (message: the cause)
        self._attempts_left = -1
        self._pin_set = True
        self._locked_until = 0.0
        self._locked_s = 0
        self._busy = False
        self._last_input = clock()
        self.timeout_s = float(cfg.admin.timeout_s) if cfg is not None else 120.0
        self.max_attempts = int(cfg.admin.max_attempts) if cfg is not None else 5
        self.keep_alive: Callable[[], bool] = lambda: False  # e.g. an install in progress
        self.corner: CornerHold | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.tick)

    @staticmethod
    def create(engine: QQmlEngine) -> "Admin":
        obj = current()
        QQmlEngine.setObjectOwnership(obj, QQmlEngine.ObjectOwnership.CppOwnership)
        return obj

    # -- properties ----------------------------------------------------------------------------
    @Property(str, notify=modeChanged)
    def mode(self) -> str:
        return self._mode

    @Property(bool, notify=modeChanged)
    def pinVisible(self) -> bool:  # noqa: N802
        return self._mode == "pin"

    @Property(int, notify=pinChanged)
    def pinLength(self) -> int:  # noqa: N802
        return len(self._pin)

    @Property(str, notify=pinChanged)
    def message(self) -> str:
        return self._message

    @Property(str, notify=pinChanged)
    def messageKind(self) -> str:  # noqa: N802
        return self._message_kind

    @Property(int, notify=pinChanged)
    def attemptsLeft(self) -> int:  # noqa: N802
        return self._attempts_left

    @Property(bool, notify=pinChanged)
    def pinSet(self) -> bool:  # noqa: N802
        return self._pin_set

    @Property(int, notify=lockChanged)
    def lockedSeconds(self) -> int:  # noqa: N802
        return self._locked_s

    @Property(bool, notify=busyChanged)
    def busy(self) -> bool:
        return self._busy

    @Property(int, constant=True)
    def maxPin(self) -> int:  # noqa: N802
        return MAX_PIN

    @Property(str, constant=True)
    def version(self) -> str:
        from app import __version__

        return __version__

    # -- entering and leaving ------------------------------------------------------------------
    @Slot()
    def openPin(self) -> None:  # noqa: N802
        """The corner gesture: show the PIN pad (ignored when admin mode is unavailable or open)."""
        if not self.enabled or self._mode != "off":
            return
        self._suspend_session()
        self._pin = ""
        self._set_message("", "")
        self._set_mode("pin")
        self.run(_pin_status, self._on_status)

    @Slot()
    def cancelPin(self) -> None:  # noqa: N802
        if self._mode != "pin":
            return
        self._pin = ""
        self._set_mode("off")
        self._resume_session(end=False)

    @Slot()
    def exitAdmin(self) -> None:  # noqa: N802
        """Leave admin mode: the screens close and the kiosk returns to its attract loop."""
        if self._mode == "pin":
            self.cancelPin()
            return
        if self._mode != "open":
            return
        log.info("admin mode closed")
        self._set_mode("off")
        self._resume_session(end=True)

    @Slot()
    def quitKiosk(self) -> None:  # noqa: N802
        """Close the kiosk program (the QML asks for confirmation first)."""
        log.warning("kiosk quit from admin mode")
        self._set_mode("off")
        self._quit()

    def run(self, job: Callable[[Any], Any], on_result: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> int:
        """Queue `job(cfg)` on the admin worker thread; the result comes back on the GUI thread."""
        return self.jobs.call(lambda _store: job(self.cfg), on_result, on_error)

    @Slot()
    def activity(self) -> None:
        """Any staff input (also called by the window filter): restarts the inactivity timer."""
        self._last_input = self._clock()

    # -- the PIN pad -----------------------------------------------------------------------------
    @Slot(int)
    def pinDigit(self, digit: int) -> None:  # noqa: N802
        if self._mode != "pin" or self._busy or self._locked_s > 0 or not 0 <= int(digit) <= 9:
            return
        if len(self._pin) < MAX_PIN:
            self._pin += str(int(digit))
            self.pinChanged.emit()

    @Slot()
    def pinBackspace(self) -> None:  # noqa: N802
        if self._pin:
            self._pin = self._pin[:-1]
            self.pinChanged.emit()

    @Slot()
    def pinOk(self) -> None:  # noqa: N802
        if self._mode != "pin" or self._busy or not self._pin or self._locked_s > 0:
            return
        pin, self._pin = self._pin, ""
        self._set_busy(True)
        self.pinChanged.emit()
        self.run(lambda cfg: _check_pin(cfg, pin), self._on_checked, self._on_check_error)

    def _on_status(self, status: tuple[bool, float, int]) -> None:
        is_set, locked_for, left = status
        self._pin_set = is_set
        self._attempts_left = left
        if not is_set:
            self._set_message("no PIN", "unset")
        elif locked_for > 0:
            self._lock(locked_for)
        else:
            self.pinChanged.emit()

    def _on_checked(self, result: tuple[bool, int]) -> None:
        self._set_busy(False)
        ok, left = result
        self._attempts_left = left
        if self._mode != "pin":
            return
        if ok:
            log.info("admin mode opened")
            self._set_message("", "")
            self._set_mode("open")
            self._app.clearScreens()  # the admin screens sit right above home
            self._app.go("admin", {})
        else:
            self._set_message("wrong PIN", "wrong")

    def _on_check_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PinLockedError):
            self._attempts_left = 0
            self._lock(exc.remaining_s)
        elif isinstance(exc, PinError):
            self._pin_set = "no admin PIN" not in str(exc)
            self._set_message(str(exc), "unset" if not self._pin_set else "error")
        else:
            log.error("admin PIN check failed: %s", exc)
            self._set_message(str(exc), "error")

    def _lock(self, seconds: float) -> None:
        self._locked_until = self._clock() + seconds
        self._update_lock()
        self._set_message("locked", "locked")

    def _update_lock(self) -> None:
        left = max(0, int(-(-(self._locked_until - self._clock()) // 1)))
        if left != self._locked_s:
            was = self._locked_s
            self._locked_s = left
            self.lockChanged.emit()
            if was and not left:
                self._attempts_left = self.max_attempts
                self._set_message("", "")

    # -- timing ----------------------------------------------------------------------------------
    @Slot()
    def tick(self) -> None:
        """Lockout countdown and the admin inactivity timeout (a timer calls this twice a second)."""
        if self._mode == "off":
            return
        self._update_lock()
        if self.keep_alive() or self._busy:
            self._last_input = self._clock()
            return
        if self._clock() - self._last_input >= self.timeout_s:
            log.info("admin mode timed out after %.0f s without input", self.timeout_s)
            self.exitAdmin()

    def _suspend_session(self) -> None:
        self._session.core.touch()
        self._session.stop_timer()
        self._last_input = self._clock()
        self._timer.start()

    def _resume_session(self, end: bool) -> None:
        self._timer.stop()
        if end:
            self._session.core.end()  # reset hooks: screens cleared, attract loop, pack switch
        else:
            self._session.core.touch()
        self._session.start_timer()

    def _set_mode(self, mode: str) -> None:
        if mode != self._mode:
            self._mode = mode
            self.modeChanged.emit()

    def _set_message(self, text: str, kind: str) -> None:
        self._message, self._message_kind = text, kind
        self.pinChanged.emit()

    def _set_busy(self, on: bool) -> None:
        if on != self._busy:
            self._busy = on
            self.busyChanged.emit()

    # -- lifetime ----------------------------------------------------------------------------------
    def on_session_reset(self) -> None:
        """A visitor session ended by other means (never by idle while suspended): close admin mode."""
        if self._mode != "off":
            self._pin = ""
            self._set_mode("off")
            self._timer.stop()
            self._session.start_timer()

    def on_input(self) -> None:
        if self._mode != "off":
            self._last_input = self._clock()

    def close(self) -> None:
        self._timer.stop()
        if self.corner is not None:
            self.corner.detach()
        self.jobs.stop()


# ---- worker-thread jobs (no Qt) -------------------------------------------------------------------

def _pin_status(cfg: Any) -> tuple[bool, float, int]:
    from app.packs.pin import AdminPin

    pin = AdminPin(cfg)
    return pin.is_set(), pin.locked_for(), pin.attempts_left()


def _check_pin(cfg: Any, pin: str) -> tuple[bool, int]:
    from app.packs.pin import AdminPin

    checker = AdminPin(cfg)
    ok = checker.check(pin)
    return ok, checker.attempts_left()


# ---- wiring ---------------------------------------------------------------------------------------

def current() -> Admin:
    if _current is None:
        raise RuntimeError("admin mode was not attached to a kiosk (admin.attach)")
    return _current


def attach(kiosk: Any, cfg: Any) -> Admin:
    """Build admin mode for `kiosk` (before its QML loads). With `cfg` None admin mode is disabled."""
    global _current
    from app.ui.viewmodels import admin_packs, admin_screens  # noqa: F401  (register QML types)

    clock = kiosk.opts.clock or time.monotonic
    admin = Admin(cfg, kiosk.app, kiosk.session, clock=clock)
    _current = admin
    kiosk.core.on_reset(admin.on_session_reset)
    follow = bool(kiosk.opts.extra.get("follow_active", False))
    if cfg is not None:
        from app.ui.viewmodels.admin_switch import PackFollower

        admin.follower = PackFollower(kiosk, cfg, admin, Path(kiosk.opts.pack_path), follow=follow)
    else:
        admin.follower = None
    return admin


def attach_window(admin: Admin, window: Any) -> None:
    """Install the corner gesture on the kiosk window (after its QML loaded)."""
    if admin.enabled:
        admin.corner = CornerHold(window, float(admin.cfg.admin.hold_s), admin.openPin, admin.on_input)


def detach(admin: Admin) -> None:
    global _current
    if admin.follower is not None:
        admin.follower.close()
    admin.close()
    if _current is admin:
        _current = None
