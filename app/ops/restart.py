"""The daily restart at closing time (`ops.daily_restart`, docs/operations.md). No Qt.

A kiosk process that runs for months keeps whatever Qt and the allocator hold on to (font engine
caches, heap fragmentation). So once a day, while the hall is closed, the kiosk quits cleanly
(exit code 0) and its supervisor — systemd (`Restart=always`) or the Windows restart loop — starts
it afresh. `app.ui.ops_bridge.OpsBridge` checks `DailyRestart.due()` once a minute on the GUI
thread and quits only between visitor sessions, and only when something will start it again
(`supervised_by`).

When it is due: at the first local wall-clock time HH:MM that is at least `MIN_UPTIME_S` (one hour)
after the process started. So a kiosk that starts at 03:31, or at 03:29 (after a crash or a power
cut, say), next restarts at 03:30 the following day, and a kiosk never restarts twice in a row —
the restarted one is only seconds old at 03:30. The uptime is also measured on the monotonic clock,
so no clock change can restart a kiosk that has run for less than an hour.

Clock changes use local wall time as the terminal shows it:

* set forward past HH:MM (a daylight-saving gap that skips 02:30, an NTP correction, a wrong RTC
  put right) — the time has passed, so it is due at once, and only once: the new process plans its
  own next restart;
* set back (the daylight-saving hour repeated, a correction) — the planned wall time simply comes
  later; no second restart. A clock set back to before the process started (a bad RTC or NTP
  answer) re-plans for the next HH:MM on the new clock, so a kiosk is not left without its restart
  for months (nor restarted in the middle of the day).
"""
from __future__ import annotations

import re
import time
from datetime import datetime, time as clock_time, timedelta
from typing import Any, Callable, Mapping

MIN_UPTIME_S = 3600.0  # never restart a kiosk that has run for less than an hour
SUPERVISED_ENV = "HONGTU_SUPERVISED"  # "1": something restarts the kiosk when it exits (packaging/windows)

_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
EXPECTED = "HH:MM (24-hour local time, 00:00 to 23:59) or '' for never"


def parse_hhmm(text: str) -> clock_time | None:
    """'03:30' → time(3, 30); '' → None (never). Raises ValueError naming what is expected."""
    text = text.strip()
    if not text:
        return None
    m = _HHMM.fullmatch(text)
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(EXPECTED)
    return clock_time(int(m.group(1)), int(m.group(2)))


def normalize_daily_restart(value: Any) -> str:
    """The config value of `ops.daily_restart` as 'HH:MM', or '' for never (config validation).

    YAML 1.1 reads an unquoted `12:30` as the base-60 number 750 (`03:30`, with its leading zero,
    stays text), and an environment override is read as YAML too, so a whole number from 60 to
    1439 is taken back as the H:MM it was written as. Raises ValueError(what is expected).
    """
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        if 60 <= value < 24 * 60:  # YAML's sexagesimal H:MM (its hours never start with 0)
            return f"{value // 60:02d}:{value % 60:02d}"
        if value >= 60:
            raise ValueError(f"{EXPECTED} (read as the number {value}, i.e. {value // 60}:{value % 60:02d})")
        raise ValueError(EXPECTED)
    if not isinstance(value, str):
        raise ValueError(EXPECTED)
    at = parse_hhmm(value)
    return "" if at is None else at.strftime("%H:%M")


def next_restart(at: clock_time, started: datetime, min_uptime_s: float = MIN_UPTIME_S) -> datetime:
    """The first wall-clock `at` no earlier than `min_uptime_s` after `started` (naive local times)."""
    earliest = started + timedelta(seconds=min_uptime_s)
    day = datetime.combine(earliest.date(), at)
    return day if day >= earliest else day + timedelta(days=1)


def supervised_by(env: Mapping[str, str]) -> str | None:
    """What starts the kiosk again after it quits: 'systemd', 'HONGTU_SUPERVISED=1', or None (nothing)."""
    if env.get("NOTIFY_SOCKET", ""):
        return "systemd"
    if env.get(SUPERVISED_ENV, "").strip() == "1":
        return f"{SUPERVISED_ENV}=1"
    return None


class DailyRestart:
    """Decides when the daily restart is due for one process (see the module docstring).

    `at` is 'HH:MM' or '' (never); `started` is the process start in naive local wall time;
    `now()` reads the wall clock and `uptime()` the seconds the process has run on a clock that
    never jumps (default: `now() - started`, for tests that drive one fake clock).
    """

    def __init__(self, at: str, started: datetime, *, min_uptime_s: float = MIN_UPTIME_S,
                 now: Callable[[], datetime] = datetime.now, uptime: Callable[[], float] | None = None) -> None:
        self.at_text = normalize_daily_restart(at)
        self.at = parse_hhmm(self.at_text)
        self.started = started
        self.min_uptime_s = float(min_uptime_s)
        self._now = now
        self._uptime = uptime if uptime is not None else (lambda: (now() - started).total_seconds())
        self.due_at: datetime | None = None if self.at is None else next_restart(self.at, started, min_uptime_s)
        self._due = False

    @classmethod
    def for_process(cls, at: str, *, min_uptime_s: float = MIN_UPTIME_S) -> DailyRestart:
        """For this process: started `process_age_s()` ago, uptime on the monotonic clock."""
        from app.ops.watchdog import process_age_s

        age = process_age_s()
        t0 = time.monotonic() - age
        return cls(at, datetime.now() - timedelta(seconds=age), min_uptime_s=min_uptime_s,
                   uptime=lambda: time.monotonic() - t0)

    @property
    def enabled(self) -> bool:
        return self.at is not None

    def due(self) -> bool:
        """True once the restart time has come (and stays True: it triggers once per process)."""
        if self._due:
            return True
        if self.at is None or self.due_at is None:
            return False
        uptime = self._uptime()
        if uptime < self.min_uptime_s:
            return False
        now = self._now()
        if now < self.started:  # the wall clock went back to before this process started: re-plan
            self.started = now - timedelta(seconds=uptime)
            self.due_at = next_restart(self.at, now, 0.0)  # the next HH:MM on the new clock
        self._due = now >= self.due_at
        return self._due
