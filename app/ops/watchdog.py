"""systemd notifications (READY=1, WATCHDOG=1, EXTEND_TIMEOUT_USEC=…, STATUS=…) over $NOTIFY_SOCKET, with no extra dependency.

The kiosk calls `notify_ready()` once the first frame is up and `heartbeat()` from a timer on the
GUI thread's event loop, so a frozen UI stops the heartbeats and systemd restarts the service.
Outside systemd every call is a no-op.

Start timeout: the units set a short `TimeoutStartSec` (30 s). Until READY=1 the kiosk extends it
with `EXTEND_TIMEOUT_USEC` only while it makes progress (`StartTimeout`): `EARLY_EXTEND_S` as the
first thing `hongtu run` does and again when the start-up checks are done (Qt, fonts and the QML
load are synchronous and slow on a first boot), then `TICK_EXTEND_S` every `TICK_S` from a timer on
the GUI thread's event loop (`app.ui.ops_bridge.OpsBridge`), never past `START_BUDGET_S` since the
process started. systemd keeps the later of its deadlines, so a start that stops extending — a
frozen GUI thread, a hung synchronous step, or a live GUI that never gets content — is stopped
when the last extension runs out.
"""
from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Callable

EARLY_EXTEND_S = 60.0  # before the slow synchronous steps: PySide6 import, Qt + fonts, QML load
TICK_S = 10.0  # how often the GUI thread's event loop extends the start timeout until READY=1
TICK_EXTEND_S = 30.0  # by how much: a GUI thread frozen before its first frame is stopped ≤ 30 s later
START_BUDGET_S = 120.0  # no extension reaches past this many seconds since the process started

_IMPORTED = time.monotonic()


class SystemdNotifier:
    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(os.environ) if env is None else env
        addr = env.get("NOTIFY_SOCKET", "")
        self.address = "\0" + addr[1:] if addr.startswith("@") else addr
        usec = env.get("WATCHDOG_USEC", "")
        # WATCHDOG_PID is not checked: under `cage` the kiosk is a child of the unit's main process,
        # and the unit sets NotifyAccess=all so that the kiosk's heartbeats count.
        self.watchdog_s = int(usec) / 1e6 if usec.isdigit() else None

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def heartbeat_interval_ms(self) -> int | None:
        """Half the watchdog period, as systemd recommends; None when no watchdog is set."""
        return None if self.watchdog_s is None else max(100, int(self.watchdog_s * 500))

    def send(self, message: str) -> bool:
        if not self.address:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
                s.setblocking(False)  # a reader that stopped reading must never block the GUI thread
                s.connect(self.address)
                s.sendall(message.encode())
            return True
        except OSError:
            return False

    def notify_ready(self, status: str = "showing visitors") -> bool:
        return self.send(f"READY=1\nSTATUS={status}")

    def heartbeat(self) -> bool:
        return self.send("WATCHDOG=1")

    def extend_timeout(self, seconds: float) -> bool:
        """Ask systemd for `seconds` more before the start (or stop) timeout fires; a no-op outside systemd.

        systemd keeps the later of its current deadline and now + `seconds`: an extension never
        shortens the time already granted.
        """
        return self.send(f"EXTEND_TIMEOUT_USEC={max(0, int(seconds * 1_000_000))}")

    def status(self, text: str) -> bool:
        return self.send(f"STATUS={text}")


def process_age_s() -> float:
    """Seconds since this process started (Linux `/proc`), else since this module was first imported."""
    imported = time.monotonic() - _IMPORTED
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime, in clock ticks since boot
    except (OSError, ValueError, IndexError):
        return imported
    # a /proc/uptime that is not the host's (some containers) gives nonsense: the import time is a safe floor
    return age if imported <= age <= imported + 600 else imported


class StartTimeout:
    """Extends systemd's start timeout while the start makes progress, within a total budget.

    `extend(s)` sends `EXTEND_TIMEOUT_USEC`, trimmed so that no extension reaches past `budget_s`
    after `started` (a `clock()` time; default: when the process started). Once the budget is spent
    it sends nothing and returns False, and systemd stops the start when the last extension runs out.
    `tick_s` / `step_s` are the periodic extension's interval and size (`OpsBridge`).
    """

    def __init__(self, notifier: SystemdNotifier, budget_s: float = START_BUDGET_S, tick_s: float = TICK_S,
                 step_s: float = TICK_EXTEND_S, started: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.notifier = notifier
        self.budget_s = budget_s
        self.tick_s = tick_s
        self.step_s = step_s
        self.clock = clock
        self.started = clock() - process_age_s() if started is None else started
        self.sent = 0

    def remaining(self) -> float:
        """Seconds of the budget left (≤ 0 once spent)."""
        return self.budget_s - (self.clock() - self.started)

    @property
    def spent(self) -> bool:
        return self.remaining() < 0.001

    def extend(self, seconds: float) -> bool:
        """Extend by `seconds`, trimmed to the budget; False when nothing was sent (budget spent, no systemd)."""
        left = self.remaining()
        if left < 0.001 or not self.notifier.enabled:
            return False
        if self.notifier.extend_timeout(min(seconds, left)):
            self.sent += 1
            return True
        return False
