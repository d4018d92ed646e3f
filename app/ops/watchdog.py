"""systemd notifications (READY=1, WATCHDOG=1, STATUS=…) over $NOTIFY_SOCKET, with no extra dependency.

The kiosk calls `notify_ready()` once the first frame is up and `heartbeat()` from a timer on the
GUI thread's event loop, so a frozen UI stops the heartbeats and systemd restarts the service.
Outside systemd every call is a no-op.

"""
from __future__ import annotations

import os
import socket


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

    def status(self, text: str) -> bool:
        return self.send(f"STATUS={text}")
