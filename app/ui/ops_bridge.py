"""Operations wiring of the running kiosk: start-up checks, systemd watchdog, lock-down (issue 8).

`prepare_start(cfg, pack_path)` runs before any window exists, in this order, and raises
`StartupFailed` (one line for a person) when the kiosk must not start:

1. `setup_logging` — JSON lines in `<data_dir>/logs/hongtu.log`, rotated by size;
2. `InstanceLock` on `<data_dir>/kiosk.lock` — a second kiosk exits with "another Hongtu kiosk is
   already running (pid N …)"; the lock is held by the returned `OpsStart` for the process lifetime;
3. `StartHistory.record_start()` — too many recent starts mean a crash loop: safe mode shows the
   last known good pack with the camera off, logs it and adds a staff notice;
4. `cleanup_stale(cfg)` — rolls back what a killed pack install left behind;
5. `open_terminal_db` — a database failing its integrity check is moved aside (staff notice) and a
   fresh one created, instead of a crash loop.

`OpsBridge(start, kiosk)` then lives on the GUI thread:

* after the first frame with content it sends systemd `READY=1`, then `WATCHDOG=1` from a QTimer
  on the GUI thread's event loop every `heartbeat_interval_ms()` (half of `WatchdogSec`), so a
  frozen UI stops the heartbeats and systemd restarts the service;
* after `HEALTHY_AFTER_S` of running it calls `mark_healthy(pack)` (forgets the crash count,
  remembers the pack as good); a clean quit (exit code 0) forgets the crash count too;
* SIGTERM (systemd stop) and SIGINT quit the event loop cleanly (events flushed, DB closed);
* lock-down: screen blanking off where the kiosk can do it, cursor hidden on touch hardware, and a
  window event filter (`KeyGuard`) that swallows the shortcuts that would leave the kiosk.

Screen blanking by platform: `offscreen`/`minimal` nothing to do; `xcb` runs `xset s off -dpms`
and `xset s noblank` when `xset` exists (the X11 unit also starts X with `-s 0 -dpms`); `wayland`
under `cage` needs nothing — cage has no idle blanking of its own; Windows asks
`SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED)`. Alt+Tab and VT switching are the
compositor's (cage runs without `-s`, so VT switching is off); Alt+F4 from a window manager
arrives as a close event, which the guard refuses.

Test hooks (environment): `HONGTU_QUIT_AFTER_S` quits cleanly after N seconds;
`HONGTU_TEST_FREEZE_AFTER_S` blocks the GUI thread N seconds after the first frame (watchdog
tests); `HONGTU_HEALTHY_AFTER_S` overrides the healthy period. `FIRST_FRAME_HOOKS` are called
with the kiosk once its first frame is up (kill tests drive the real kiosk through it).
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, Qt, QTimer

from app.ops.crashloop import StartHistory
from app.ops.instance import AlreadyRunning, InstanceLock
from app.ops.watchdog import SystemdNotifier

log = logging.getLogger(__name__)

HEALTHY_AFTER_S = 600.0
QUIT_AFTER_ENV = "HONGTU_QUIT_AFTER_S"
FREEZE_ENV = "HONGTU_TEST_FREEZE_AFTER_S"
HEALTHY_ENV = "HONGTU_HEALTHY_AFTER_S"
LOCK_NAME = "kiosk.lock"
SAFE_BADGE = "安全模式 / Safe mode"

FIRST_FRAME_HOOKS: list[Callable[[Any], None]] = []


class StartupFailed(Exception):
    """A start-up step failed; the message is one line naming the step's file or cause."""


@dataclass
class OpsStart:
    """What `prepare_start` decided; holds the single-instance lock while it lives."""

    cfg: Any
    pack_path: Path | None
    safe_mode: bool
    lock: InstanceLock
    history: StartHistory
    log_path: Path
    notifier: SystemdNotifier = dataclasses.field(default_factory=SystemdNotifier)


def _env_float(name: str) -> float | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; ignored", name, raw)
        return None


def prepare_start(cfg: Any, pack_path: Path | None = None) -> OpsStart:
    """Logging, single instance, crash-loop check, install clean-up and DB check (see module doc)."""
    from app.ops.logs import setup_logging

    data_dir = Path(cfg.data_dir)
    try:
        log_path = setup_logging(data_dir, cfg.log.level, cfg.log.max_mb, cfg.log.backups)
    except OSError as exc:
        raise StartupFailed(f"cannot write the log in {data_dir / 'logs'}: {exc.strerror or exc}") from exc
    try:
        lock = InstanceLock(data_dir / LOCK_NAME).acquire()
    except AlreadyRunning as exc:
        raise StartupFailed(str(exc)) from None
    except OSError as exc:
        raise StartupFailed(f"cannot create the lock file {data_dir / LOCK_NAME}: {exc.strerror or exc}") from exc
    log.info("kiosk starting (pid %d, data %s)", os.getpid(), data_dir)

    history = StartHistory(data_dir)
    try:
        safe = history.record_start()
    except OSError as exc:  # a read-only or full disk must not keep the hall dark
        log.warning("cannot record the start in %s: %s", history.path, exc)
        safe = False
    if safe:
        cfg, pack_path = _safe_mode(cfg, pack_path, history)

    from app.packs.errors import PackError
    from app.packs.install import cleanup_stale

    try:
        removed = cleanup_stale(cfg)
        if removed:
            log.warning("rolled back an unfinished pack install: removed %s", ", ".join(p.name for p in removed))
    except (OSError, PackError) as exc:
        log.warning("pack install clean-up failed: %s", exc)

    from app.ops.dbrecovery import open_terminal_db

    try:
        db = open_terminal_db(Path(cfg.db_path))
        db.conn.close()
    except Exception as exc:  # noqa: BLE001 - sqlite3/OS errors: one line, then exit non-zero
        raise StartupFailed(f"database {cfg.db_path}: {exc}") from exc
    return OpsStart(cfg=cfg, pack_path=pack_path, safe_mode=safe, lock=lock, history=history, log_path=log_path)


def _safe_mode(cfg: Any, pack_path: Path | None, history: StartHistory) -> tuple[Any, Path | None]:
    from app.ops.notices import add_notice

    good = history.last_good_pack()
    if pack_path is None and good is not None:
        pack_path = good
    cfg = dataclasses.replace(cfg, vision=dataclasses.replace(cfg.vision, enabled=False))
    shown = pack_path or cfg.active_pack_path()
    message = (f"safe mode: the kiosk restarted {history.max_starts}+ times within {int(history.window_s)} s; "
               f"showing {'the last known good pack ' if pack_path == good and good else 'the pack '}{shown}, camera off")
    log.error("%s", message)
    try:
        add_notice(Path(cfg.data_dir), message)
    except OSError as exc:
        log.warning("cannot write the staff notice: %s", exc)
    return cfg, pack_path


# ---- lock-down ------------------------------------------------------------------------------------

def disable_blanking(platform: str) -> str:
    """Keep the screen on while the kiosk runs; returns what was done (for the log)."""
    if platform in ("offscreen", "minimal", "vnc"):
        return "nothing to do on " + platform
    if sys.platform == "win32":
        import ctypes

        es_continuous, es_display_required = 0x80000000, 0x00000002
        ctypes.windll.kernel32.SetThreadExecutionState(es_continuous | es_display_required)  # type: ignore[attr-defined]
        return "SetThreadExecutionState(ES_DISPLAY_REQUIRED)"
    if platform == "xcb":
        xset = shutil.which("xset")
        if xset is None:
            return "xset not installed; relying on the X server flags (-s 0 -dpms)"

        def run() -> None:  # never on the GUI thread: the X server may be slow to answer
            for args in (["s", "off", "-dpms"], ["s", "noblank"]):
                try:
                    subprocess.run([xset, *args], timeout=10, check=False,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                except (OSError, subprocess.SubprocessError) as exc:
                    log.warning("xset %s failed: %s", " ".join(args), exc)

        threading.Thread(target=run, name="hongtu-xset", daemon=True).start()
        return "xset s off -dpms; xset s noblank"
    if platform.startswith("wayland"):
        return "wayland (cage): no idle blanking to disable"
    return f"platform {platform}: screen blanking left to the system"


def _key_combo(event: Any) -> tuple[int, Any]:
    return event.key(), event.modifiers()


class KeyGuard(QObject):
    """Window event filter: swallows the key combinations that would leave the kiosk, and close events.

    Alt+F4, Ctrl+Q, Ctrl+W, Escape, Alt+Tab / Alt+Shift+Tab, Ctrl+Esc, the Meta (Windows) key and F11
    never reach the QML; a close request (Alt+F4 from a window manager) is refused. `allow_close()`
    lets the kiosk's own shutdown close the window.
    """

    def __init__(self, window: Any) -> None:
        super().__init__()
        self._window = window
        self._closing = False
        self.swallowed = 0
        window.installEventFilter(self)

    @staticmethod
    def blocked(key: int, mods: Any) -> bool:
        K = Qt.Key
        M = Qt.KeyboardModifier
        alt = bool(mods & M.AltModifier)
        ctrl = bool(mods & M.ControlModifier)
        if key in (K.Key_Escape.value, K.Key_Meta.value, K.Key_Super_L.value, K.Key_Super_R.value, K.Key_F11.value,
                   K.Key_Backtab.value if alt else -1):
            return True
        if alt and key in (K.Key_F4.value, K.Key_Tab.value):
            return True
        return ctrl and key in (K.Key_Q.value, K.Key_W.value)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            key, mods = _key_combo(event)
            if self.blocked(int(key), mods):
                if kind == QEvent.Type.KeyPress:
                    self.swallowed += 1
                    log.info("ignored a key that would leave the kiosk (key %#x)", int(key))
                event.accept()
                return True
        elif kind == QEvent.Type.Close and not self._closing:
            log.warning("ignored a request to close the kiosk window")
            event.ignore()
            return True
        return False

    def allow_close(self) -> None:
        self._closing = True

    def detach(self) -> None:
        self._closing = True
        self._window.removeEventFilter(self)


_BADGE_QML = b"""
import QtQuick
import Hongtu
import Hongtu.Models
Rectangle {
    objectName: "safeModeBadge"
    visible: Admin.mode === "open"
    z: 100000
    anchors.right: parent.right; anchors.bottom: parent.bottom; anchors.margins: Theme.gap
    width: label.implicitWidth + 2 * Theme.gap; height: label.implicitHeight + Theme.gap
    radius: height / 2
    color: Theme.redBright; border.color: Theme.gold; border.width: 2
    Text {
        id: label
        anchors.centerIn: parent
        text: "\xe5\xae\x89\xe5\x85\xa8\xe6\xa8\xa1\xe5\xbc\x8f / Safe mode"
        color: "white"; font.pixelSize: Theme.fontSmall; font.bold: true; font.family: Theme.fontFamily
    }
}
"""


class OpsBridge(QObject):
    """GUI-thread side of operations for one running kiosk (see the module docstring)."""

    def __init__(self, start: OpsStart, kiosk: Any) -> None:
        super().__init__()
        self.start = start
        self.kiosk = kiosk
        self.notifier = start.notifier
        self.ready_sent = False
        self.beats = 0
        self.badge: Any = None
        self._first_frame_conn: Any = None
        qapp = QCoreApplication.instance()
        platform = qapp.platformName() if hasattr(qapp, "platformName") else ""
        log.info("screen blanking: %s", disable_blanking(platform))
        if kiosk.opts.hide_cursor:
            from PySide6.QtGui import QCursor, QGuiApplication

            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True
        else:
            self._cursor_hidden = False
        self.guard = KeyGuard(kiosk.window)

        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.timeout.connect(self._beat)
        self.healthy_timer = QTimer(self)
        self.healthy_timer.setSingleShot(True)
        self.healthy_timer.timeout.connect(self._healthy)
        self._install_signals()
        self._hook_timers: list[QTimer] = []  # test hooks: QTimer objects owned here, never collected
        quit_after = _env_float(QUIT_AFTER_ENV)
        if quit_after is not None:
            self._after(quit_after, self.quit)
        if start.safe_mode:
            self._show_badge()
        kiosk.app.statusChanged.connect(self._on_status)
        self._on_status()

    # -- first frame → READY=1, heartbeats, health ------------------------------------------------
    def _on_status(self) -> None:
        if self._first_frame_conn is not None or self.ready_sent:
            return
        if not self.kiosk.app.ready or self.kiosk.home_error:
            return
        window = self.kiosk.window
        self._first_frame_conn = window.frameSwapped.connect(self._first_frame)
        window.update()

    def _first_frame(self) -> None:
        if self.ready_sent:
            return
        self.ready_sent = True
        try:
            self.kiosk.window.frameSwapped.disconnect(self._first_frame)
        except (RuntimeError, TypeError):
            pass
        status = "safe mode" if self.start.safe_mode else "showing visitors"
        self.notifier.notify_ready(status)
        interval = self.notifier.heartbeat_interval_ms()
        if interval is not None and self.notifier.enabled:
            self.heartbeat_timer.start(interval)
            self._beat()
        healthy_s = _env_float(HEALTHY_ENV)
        self.healthy_timer.start(int((HEALTHY_AFTER_S if healthy_s is None else healthy_s) * 1000))
        log.info("first frame shown (%s); watchdog heartbeat every %s ms", status, interval)
        print("HONGTU_READY", os.getpid(), flush=True)
        freeze = _env_float(FREEZE_ENV)
        if freeze is not None:
            self._after(freeze, self._freeze)
        for hook in list(FIRST_FRAME_HOOKS):
            hook(self.kiosk)

    def _after(self, seconds: float, fn: Callable[[], None]) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(fn)
        timer.start(int(seconds * 1000))
        self._hook_timers.append(timer)

    def _beat(self) -> None:
        if self.notifier.heartbeat():
            self.beats += 1

    def _healthy(self) -> None:
        pack = Path(self.kiosk.opts.pack_path)
        history = self.start.history

        def write() -> None:  # a small fsync'd file: off the GUI thread
            try:
                history.mark_healthy(pack)
                log.info("kiosk healthy for %.0f s; %s remembered as the last good pack",
                         self.healthy_timer.interval() / 1000, pack)
            except OSError as exc:
                log.warning("cannot record the healthy start: %s", exc)

        threading.Thread(target=write, name="hongtu-healthy", daemon=True).start()

    @staticmethod
    def _freeze() -> None:
        log.warning("test hook %s: blocking the GUI thread", FREEZE_ENV)
        print("HONGTU_FROZEN", flush=True)
        time.sleep(3600)

    # -- quitting -------------------------------------------------------------------------------
    def _install_signals(self) -> None:
        """SIGTERM/SIGINT → a clean quit of the event loop (Python runs handlers only when woken)."""
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._old_wakeup = signal.set_wakeup_fd(self._wake_w.fileno())
        self._old_handlers = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        self._notifier = QSocketNotifier(self._wake_r.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self, *_args: Any) -> None:
        try:
            while self._wake_r.recv(64):
                pass
        except (BlockingIOError, OSError):
            pass

    def _on_signal(self, signum: int, _frame: Any) -> None:
        log.info("signal %s: quitting", signal.Signals(signum).name)
        self.quit()

    def quit(self, code: int = 0) -> None:
        self.guard.allow_close()
        QCoreApplication.exit(code)

    def _show_badge(self) -> None:
        from PySide6.QtQml import QQmlComponent

        engine = self.kiosk.engine
        comp = QQmlComponent(engine)
        comp.setData(_BADGE_QML, "file:///hongtu-safe-mode-badge.qml")
        item = comp.beginCreate(engine.rootContext())
        if item is None:
            log.warning("safe-mode badge: %s", "; ".join(e.toString() for e in comp.errors()))
            return
        item.setParentItem(self.kiosk.window.contentItem())  # before its anchors are evaluated
        comp.completeCreate()
        item.setParent(self)
        self.badge = item
        self._badge_component = comp

    def close(self, code: int = 0) -> None:
        """Stop timers, restore signals and the cursor; a clean exit forgets the crash count."""
        self.heartbeat_timer.stop()
        self.healthy_timer.stop()
        self.guard.detach()
        self._notifier.setEnabled(False)
        for s, h in self._old_handlers.items():
            signal.signal(s, h)
        signal.set_wakeup_fd(self._old_wakeup)
        self._wake_r.close()
        self._wake_w.close()
        if self._cursor_hidden:
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.restoreOverrideCursor()
        if self.badge is not None:
            self.badge.setVisible(False)
            self.badge.deleteLater()
            self.badge = None
        if code == 0:
            try:
                self.start.history.mark_healthy(None)  # a clean quit is not a crash: forget the recent starts
            except OSError as exc:
                log.warning("cannot clear the start history: %s", exc)
        self.notifier.send("STOPPING=1")
        log.info("kiosk stopped (exit code %d)", code)
