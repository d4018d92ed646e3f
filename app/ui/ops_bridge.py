"""Operations wiring of the running kiosk: start-up checks, systemd watchdog, lock-down (issue 8).

`prepare_start(cfg, pack_path)` runs before any window exists, in this order, and raises
`StartupFailed` (one line for a person, and the process exit code for its kind) when the kiosk
must not start:

1. `setup_logging` — JSON lines in `<data_dir>/logs/hongtu.log`, rotated by size — and
   `install_excepthooks` (uncaught exceptions, Qt slots and threads included, reach the log with
   their traceback); a log folder that cannot be written exits with `EXIT_DATA_DIR` (stderr only);
2. `InstanceLock` on `<data_dir>/kiosk.lock` — a second kiosk exits with "another Hongtu kiosk is
   already running (pid N …)" (`EXIT_ALREADY_RUNNING`); the lock is held by the returned
   `OpsStart` for the process lifetime;
3. `StartHistory.record_start()` — more than 5 starts in a row that never ran healthily mean a
   crash loop: safe mode shows the last known good pack, else the bundled sample pack, with the
   camera off, logs it and adds a staff notice (no pack to show at all: `EXIT_CONTENT`);
4. `cleanup_stale(cfg)` — rolls back what a killed pack install left behind;
5. `open_terminal_db` — `PRAGMA quick_check`; a damaged database is moved aside (staff notice) and a
   fresh one created, instead of a crash loop; one that cannot be opened or checked
   (locked, permissions) exits with `EXIT_DATABASE` and is left alone. The full
   `PRAGMA integrity_check` runs on a background thread after the first frame; damage it finds is
   logged, noticed and makes the next start move the file aside.

Then it extends systemd's start timeout once more for the Qt, font and QML steps ahead, and keeps
the `StartTimeout` (the start budget) in `OpsStart.start_timeout`.

`run_kiosk` reports every refusal with `report_refusal`: one line on stderr (the journal) and,
once logging is up, an ERROR in the log.

`OpsBridge(start, kiosk)` then lives on the GUI thread:

* until the first frame, a QTimer on the GUI thread's event loop extends the start timeout
  (`EXTEND_TIMEOUT_USEC`) every `StartTimeout.tick_s` while the start budget lasts, so a GUI thread
  that freezes before its first frame, or a live one that never gets content, is stopped by systemd;
* after the first frame with content it sends systemd `READY=1`, then `WATCHDOG=1` from a QTimer
  on the GUI thread's event loop every `heartbeat_interval_ms()` (half of `WatchdogSec`), so a
  frozen UI stops the heartbeats and systemd restarts the service;
* after `HEALTHY_AFTER_S` of running it calls `mark_healthy(pack)` (forgets the crash count,
  remembers the pack as good); a clean quit (exit code 0) after the first frame forgets the crash
  count too (a SIGTERM before it — systemd's start timeout — does not);
* SIGTERM (systemd stop) and SIGINT quit the event loop cleanly (events flushed, DB closed);
* the daily restart (`ops.daily_restart`, `app/ops/restart.py`): only when a supervisor starts the
  kiosk again (systemd's `NOTIFY_SOCKET`, or `HONGTU_SUPERVISED=1`), a QTimer checks once a minute
  whether it is due; when it is and no visitor session is on (the session core is on the attract
  loop, admin mode closed), it logs one line and quits through the SIGTERM path, exit code 0;
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
from typing import Any, Callable, Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, Qt, QTimer

from app.ops.crashloop import StartHistory
from app.ops.instance import AlreadyRunning, InstanceLock
from app.ops.logs import FILE_ONLY, logging_ready
from app.ops.restart import SUPERVISED_ENV, DailyRestart, supervised_by
from app.ops.watchdog import EARLY_EXTEND_S, StartTimeout, SystemdNotifier
from app.session import SessionState

log = logging.getLogger(__name__)

HEALTHY_AFTER_S = 600.0
RESTART_CHECK_MS = 60_000  # how often the daily restart is checked
QUIT_AFTER_ENV = "HONGTU_QUIT_AFTER_S"
FREEZE_ENV = "HONGTU_TEST_FREEZE_AFTER_S"
HEALTHY_ENV = "HONGTU_HEALTHY_AFTER_S"
LOCK_NAME = "kiosk.lock"
SAFE_BADGE = "安全模式 / Safe mode"

FIRST_FRAME_HOOKS: list[Callable[[Any], None]] = []


# Process exit codes of `hongtu run` (docs/operations.md); 0 is a clean quit, 1 an uncaught exception.
EXIT_CONTENT = 2  # no content to show: pack folder missing or unloadable (also: a config error, app.cli)
EXIT_ALREADY_RUNNING = 3  # another kiosk holds <data_dir>/kiosk.lock
EXIT_DATA_DIR = 4  # the data folder cannot be written (log folder, lock file)
EXIT_DATABASE = 5  # the database cannot be opened, checked or created (not damage: that is recovered)


class StartupFailed(Exception):
    """A start-up step failed; the message is one line naming the step's file or cause."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def report_refusal(message: str) -> None:
    """Why the kiosk will not start (or stopped): `hongtu: …` on stderr, and an ERROR in the log once it is up."""
    print(f"hongtu: {message}", file=sys.stderr, flush=True)
    if logging_ready():
        log.error("%s", message, extra=FILE_ONLY)  # the line is on stderr already


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
    restore_hooks: Callable[[], None] = lambda: None  # puts back sys/threading.excepthook (tests)
    start_timeout: StartTimeout | None = None  # extends systemd's start timeout until READY=1 (OpsBridge)


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
    from app.ops.logs import install_excepthooks, setup_logging

    data_dir = Path(cfg.data_dir)
    try:
        log_path = setup_logging(data_dir, cfg.log.level, cfg.log.max_mb, cfg.log.backups)
    except OSError as exc:
        raise StartupFailed(f"cannot write the log in {data_dir / 'logs'}: {exc.strerror or exc}",
                            EXIT_DATA_DIR) from exc
    restore_hooks = install_excepthooks()
    try:
        lock = InstanceLock(data_dir / LOCK_NAME).acquire()
    except AlreadyRunning as exc:
        restore_hooks()
        raise StartupFailed(str(exc), EXIT_ALREADY_RUNNING) from None
    except OSError as exc:
        restore_hooks()
        raise StartupFailed(f"cannot create the lock file {data_dir / LOCK_NAME}: {exc.strerror or exc}",
                            EXIT_DATA_DIR) from exc
    try:
        start = _checks(cfg, pack_path, data_dir, lock, log_path)
    except StartupFailed:
        lock.release()
        restore_hooks()
        raise
    except BaseException:
        lock.release()  # the hooks stay: this exception is uncaught, and its traceback goes to the log
        raise
    start.restore_hooks = restore_hooks
    # progress: the checks are done; Qt, the fonts and the QML load are next, all synchronous
    start.start_timeout = StartTimeout(start.notifier)
    start.start_timeout.extend(EARLY_EXTEND_S)
    return start


def _checks(cfg: Any, pack_path: Path | None, data_dir: Path, lock: InstanceLock, log_path: Path) -> OpsStart:
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

    from app.ops.dbrecovery import DatabaseUnavailable, open_terminal_db

    try:
        db = open_terminal_db(Path(cfg.db_path))
        db.conn.close()
    except DatabaseUnavailable as exc:
        raise StartupFailed(str(exc), EXIT_DATABASE) from exc
    except Exception as exc:  # noqa: BLE001 - sqlite3/OS errors: one line, then exit non-zero
        raise StartupFailed(f"database {cfg.db_path}: {exc}", EXIT_DATABASE) from exc
    return OpsStart(cfg=cfg, pack_path=pack_path, safe_mode=safe, lock=lock, history=history, log_path=log_path)


def _safe_mode(cfg: Any, pack_path: Path | None, history: StartHistory) -> tuple[Any, Path]:
    """Camera off, and a pack known to work: the last one that ran healthily, else the bundled sample.

    Never the pack that was just crash-looping unless it is the one that last ran healthily.
    Raises StartupFailed (EXIT_CONTENT) when there is no such pack at all.
    """
    from app import config
    from app.ops.notices import add_notice

    data_dir = Path(cfg.data_dir)
    wanted = pack_path or cfg.active_pack_path()
    good = history.last_good_pack()
    why = (f"safe mode: {history.unhealthy_starts()} starts in a row without "
           f"{int(HEALTHY_AFTER_S // 60)} minutes of healthy running (pack {wanted})")
    if good is not None:
        chosen, what = good, "the last known good pack"
    elif Path(config.SAMPLE_PACK).is_dir():
        chosen, what = Path(config.SAMPLE_PACK), "the bundled sample pack"
    else:
        message = (f"{why}; no pack is known to work: none has run healthily on this terminal and the "
                   f"bundled sample pack {config.SAMPLE_PACK} is missing")
        _notice(add_notice, data_dir, message)
        raise StartupFailed(message, EXIT_CONTENT)
    cfg = dataclasses.replace(cfg, vision=dataclasses.replace(cfg.vision, enabled=False))
    message = f"{why}; showing {what} {chosen}, camera off"
    log.error("%s", message)
    _notice(add_notice, data_dir, message)
    return cfg, chosen


def _notice(add_notice: Callable[[Path, str], None], data_dir: Path, message: str) -> None:
    try:
        add_notice(data_dir, message)
    except OSError as exc:
        log.warning("cannot write the staff notice: %s", exc)


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

    def __init__(self, start: OpsStart, kiosk: Any, *, env: Mapping[str, str] | None = None,
                 daily_restart: DailyRestart | None = None, restart_check_ms: int = RESTART_CHECK_MS) -> None:
        """`env` (supervisor detection), `daily_restart` (default: from `start.cfg` and the process
        start) and `restart_check_ms` are for tests."""
        super().__init__()
        self.start = start
        self.kiosk = kiosk
        self.notifier = start.notifier
        self.ready_sent = False
        self.beats = 0
        self.badge: Any = None
        self.db_check: threading.Thread | None = None
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
        self.start_timer = QTimer(self)  # EXTEND_TIMEOUT_USEC until the first frame, within the budget
        self.start_timer.timeout.connect(self._extend_start)
        self.extensions = 0
        self._install_signals()
        self.restart_timer = QTimer(self)  # the daily restart at closing time (ops.daily_restart)
        self.restart_timer.timeout.connect(self._check_daily_restart)
        self.restart_waiting = False
        self.daily_restart = self._arm_daily_restart(daily_restart, os.environ if env is None else env,
                                                     restart_check_ms)
        self._hook_timers: list[QTimer] = []  # test hooks: QTimer objects owned here, never collected
        quit_after = _env_float(QUIT_AFTER_ENV)
        if quit_after is not None:
            self._after(quit_after, self.quit)
        if start.safe_mode:
            self._show_badge()
        kiosk.app.statusChanged.connect(self._on_status)
        self._on_status()
        budget = start.start_timeout
        if budget is not None and self.notifier.enabled and not self.ready_sent:
            self.start_timer.start(max(1, int(budget.tick_s * 1000)))
            self._after(0, self._extend_start)  # once the event loop runs: the synchronous start is over

    # -- until the first frame: extend systemd's start timeout ------------------------------------
    def _extend_start(self) -> None:
        """One EXTEND_TIMEOUT_USEC from the GUI thread; stops at READY=1 or when the start budget is spent."""
        budget = self.start.start_timeout
        if self.ready_sent or budget is None or not self.start_timer.isActive():
            self.start_timer.stop()
            return
        if budget.spent:
            self.start_timer.stop()
            log.warning("no first frame within the start budget of %.0f s: no more start-timeout extensions; "
                        "systemd stops the kiosk when the last one runs out", budget.budget_s)
            return
        if budget.extend(budget.step_s):  # a datagram that could not be sent: the next tick tries again
            self.extensions += 1

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
        self.start_timer.stop()  # READY=1 ends the start: heartbeats take over
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
        self._start_db_check()
        for hook in list(FIRST_FRAME_HOOKS):
            hook(self.kiosk)

    def _start_db_check(self) -> None:
        """The full PRAGMA integrity_check, read-only, on its own thread (start-up only ran quick_check)."""
        cfg = self.start.cfg
        if cfg is None:
            return
        from app.ops.dbrecovery import background_check

        db_path = Path(cfg.db_path)
        self.db_check = threading.Thread(target=background_check, args=(db_path,), name="hongtu-db-check",
                                         daemon=True)
        self.db_check.start()

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

    # -- the daily restart ------------------------------------------------------------------------
    def _arm_daily_restart(self, plan: DailyRestart | None, env: Mapping[str, str],
                           interval_ms: int) -> DailyRestart | None:
        """Start the once-a-minute check when a restart time is set and a supervisor restarts the kiosk."""
        if plan is None:
            cfg = self.start.cfg
            if cfg is None:  # a bare bridge (tests)
                return None
            plan = DailyRestart.for_process(cfg.ops.daily_restart)
        if not plan.enabled:
            log.info("daily restart: off (ops.daily_restart is empty)")
            return None
        supervisor = supervised_by(env)
        if supervisor is None:
            log.info("daily restart at %s: not armed, nothing would start the kiosk again "
                     "(no systemd NOTIFY_SOCKET, %s not set)", plan.at_text, SUPERVISED_ENV)
            return None
        assert plan.due_at is not None
        log.info("daily restart at %s: armed (supervised by %s), next at %s",
                 plan.at_text, supervisor, plan.due_at.strftime("%Y-%m-%d %H:%M"))
        self.restart_timer.start(max(1, int(interval_ms)))
        return plan

    def _check_daily_restart(self) -> None:
        plan = self.daily_restart
        if plan is None or not plan.due():
            return
        if not self.kiosk.between_sessions():
            if not self.restart_waiting:
                self.restart_waiting = True
                busy = ("the visitor session ends" if self.kiosk.core.state is not SessionState.ATTRACT
                        else "admin mode is closed")
                log.info("daily restart at %s is due: waiting until %s", plan.at_text, busy)
            return
        self.restart_timer.stop()
        log.info("daily restart at %s: quitting for the supervisor to start the kiosk afresh", plan.at_text)
        self.quit(0)  # as SIGTERM does: events flushed, a clean stop for the crash-loop count

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
        """Stop timers, restore signals and the cursor; a clean exit after the first frame forgets the crash count."""
        self.heartbeat_timer.stop()
        self.healthy_timer.stop()
        self.start_timer.stop()
        self.restart_timer.stop()
        try:  # a kiosk that outlives this bridge (tests) must not call back into it
            self.kiosk.app.statusChanged.disconnect(self._on_status)
        except (RuntimeError, TypeError):
            pass
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
        if code == 0 and self.ready_sent:
            # a clean quit after the first frame is not a crash: forget the starts. Before the first
            # frame it is no sign of health: systemd's TimeoutStartSec stops a kiosk that hangs
            # there with SIGTERM, which would otherwise wipe the count safe mode relies on.
            try:
                self.start.history.mark_healthy(None)
            except OSError as exc:
                log.warning("cannot clear the start history: %s", exc)
        self.notifier.send("STOPPING=1")
        log.info("kiosk stopped (exit code %d)", code)
