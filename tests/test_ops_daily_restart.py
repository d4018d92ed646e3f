"""The daily restart at closing time (ops.daily_restart): when it is due, its config, and the kiosk
quitting cleanly for its supervisor only between visitor sessions (docs/operations.md)."""
from __future__ import annotations

import logging
import re
import socket
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from app.config import REPO_ROOT, ConfigError, env_names, load_config
from app.ops.restart import MIN_UPTIME_S, DailyRestart, next_restart, normalize_daily_restart, supervised_by

D = datetime(2026, 11, 20)  # a Friday; naive local wall time, as datetime.now() gives it


def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return D + timedelta(days=day, hours=hh, minutes=mm, seconds=ss)


class Clocks:
    """A wall clock that can jump, and an uptime that only moves forward (the monotonic clock)."""

    def __init__(self, wall: datetime, uptime: float = 0.0) -> None:
        self.wall = wall
        self.up = uptime

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.up += seconds

    def plan(self, when: str, started: datetime | None = None) -> DailyRestart:
        return DailyRestart(when, self.wall if started is None else started, now=lambda: self.wall,
                            uptime=lambda: self.up)


# ---- when it is due ------------------------------------------------------------------------------

def test_first_time_after_the_start_with_an_hour_of_uptime():
    t = time(3, 30)
    assert next_restart(t, at(0, 2, 0)) == at(0, 3, 30)  # started the evening before / at 02:00: tonight
    assert next_restart(t, at(0, 2, 30)) == at(0, 3, 30)  # exactly an hour before
    assert next_restart(t, at(0, 2, 31)) == at(1, 3, 30)  # 59 minutes would be too short
    assert next_restart(t, at(0, 3, 29)) == at(1, 3, 30)  # started just before: not a minute later
    assert next_restart(t, at(0, 3, 31)) == at(1, 3, 30)  # started just after: the next day
    assert next_restart(t, at(0, 14, 0)) == at(1, 3, 30)
    assert MIN_UPTIME_S == 3600


def test_due_at_the_time_and_not_before():
    c = Clocks(at(0, 10, 0))
    plan = c.plan("03:30")
    assert plan.enabled and plan.due_at == at(1, 3, 30)
    c.advance((at(1, 3, 29, 59) - c.wall).total_seconds())
    assert not plan.due()
    c.advance(1)
    assert plan.due()
    c.advance(3600)
    assert plan.due()  # still due an hour later (a visitor kept it waiting)


def test_started_just_before_the_time_waits_a_day():
    c = Clocks(at(0, 3, 29))
    plan = c.plan("03:30")
    c.advance(60)  # 03:30, one minute old
    assert not plan.due()
    c.advance((at(1, 3, 29, 59) - c.wall).total_seconds())
    assert not plan.due()
    c.advance(1)
    assert plan.due()


def test_restarted_kiosk_does_not_restart_again():
    c = Clocks(at(1, 3, 30, 5))  # the kiosk the daily restart just started
    plan = c.plan("03:30")
    for _ in range(24 * 60 - 1):
        c.advance(60)
        assert not plan.due(), c.wall
    c.advance(60)
    assert c.wall >= at(2, 3, 30) and plan.due()


def test_minimum_uptime_is_on_the_monotonic_clock():
    c = Clocks(at(0, 3, 0))
    plan = c.plan("03:30")
    assert plan.due_at == at(1, 3, 30)
    c.wall = at(1, 3, 45)  # the wall clock jumps a day ahead (a wrong RTC put right), 10 minutes of uptime
    c.up = 600
    assert not plan.due()
    c.advance(MIN_UPTIME_S - 600)
    assert plan.due()


def test_empty_means_never():
    c = Clocks(at(0, 10, 0))
    plan = c.plan("")
    assert not plan.enabled and plan.due_at is None
    c.advance(400 * 86400)
    assert not plan.due()


def test_clock_set_forward_past_the_time_triggers_once():
    c = Clocks(at(0, 10, 0))
    plan = c.plan("03:30")
    c.advance((at(1, 3, 0) - c.wall).total_seconds())
    assert not plan.due()
    c.wall = at(1, 5, 0)  # set forward past 03:30
    assert plan.due()
    c.wall = at(1, 3, 10)  # and back again: the decision stands, the kiosk quits once
    assert plan.due()
    after = Clocks(at(1, 5, 0, 5)).plan("03:30")  # the process the supervisor starts next
    assert after.due_at == at(2, 3, 30)


def test_daylight_saving_gap_and_repeated_hour():
    c = Clocks(at(0, 10, 0))
    plan = c.plan("02:30")
    c.advance((at(1, 1, 59) - c.wall).total_seconds())
    assert not plan.due()
    c.wall, c.up = at(1, 3, 0), c.up + 60  # spring forward: 02:30 never shows on the clock
    assert plan.due()

    # fall back: 02:30 comes twice; the kiosk restarted at the first must not restart at the second
    c = Clocks(at(5, 2, 30, 5))
    plan = c.plan("02:30")
    c.advance(30 * 60 - 5)  # 03:00 …
    c.wall = at(5, 2, 0)  # … is 02:00 again
    c.advance(30 * 60 + 10)  # the second 02:30, an hour after the start
    assert c.up >= MIN_UPTIME_S and not plan.due()
    assert plan.due_at == at(6, 2, 30)


def test_clock_set_back_before_the_start_replans_on_the_new_clock():
    c = Clocks(at(0, 10, 0))
    plan = c.plan("03:30")
    c.advance(5 * 3600)
    c.wall = at(-365, 14, 0)  # a bad clock a year back: no restart for a year, nor one at 14:00
    assert not plan.due()
    assert plan.due_at == at(-364, 3, 30)
    c.advance((at(-364, 3, 30) - c.wall).total_seconds())
    assert plan.due()


def test_supervisors():
    assert supervised_by({}) is None
    assert supervised_by({"NOTIFY_SOCKET": "/run/systemd/notify"}) == "systemd"
    assert supervised_by({"HONGTU_SUPERVISED": "1"}) == "HONGTU_SUPERVISED=1"
    assert supervised_by({"HONGTU_SUPERVISED": "0", "NOTIFY_SOCKET": ""}) is None


# ---- config --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, value", [("03:30", "03:30"), ("3:05", "03:05"), ("23:59", "23:59"), ("", ""),
                                        (None, ""), (210, "03:30"), (750, "12:30")])
def test_normalize(raw, value):
    assert normalize_daily_restart(raw) == value  # 210, 750: YAML 1.1 reads 3:30, 12:30 as base-60 numbers


@pytest.mark.parametrize("raw", ["24:00", "12:60", "noon", "3", "03:30:00", 0, 59, 1500, True, 3.5, []])
def test_normalize_refuses(raw):
    with pytest.raises(ValueError, match="HH:MM"):
        normalize_daily_restart(raw)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk_config.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_config_default_file_values_and_errors(tmp_path):
    assert load_config(REPO_ROOT / "kiosk_config.yaml", env={}).ops.daily_restart == "03:30"
    assert load_config(write(tmp_path, "log:\n  level: INFO\n"), env={}).ops.daily_restart == "03:30"
    assert load_config(write(tmp_path, "ops:\n  daily_restart: 12:30\n"), env={}).ops.daily_restart == "12:30"
    assert load_config(write(tmp_path, "ops:\n  daily_restart: '04:05'\n"), env={}).ops.daily_restart == "04:05"
    assert load_config(write(tmp_path, "ops:\n  daily_restart: ''\n"), env={}).ops.daily_restart == ""
    assert load_config(write(tmp_path, "ops:\n  daily_restart:\n"), env={}).ops.daily_restart == ""
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "ops:\n  daily_restart: '25:99'\n"), env={})
    message = str(err.value)
    assert "kiosk_config.yaml: ops.daily_restart: expected HH:MM" in message and "'25:99'" in message
    assert "\n" not in message
    with pytest.raises(ConfigError, match="ops.restart: unknown key"):
        load_config(write(tmp_path, "ops:\n  restart: '03:30'\n"), env={})


def test_config_environment_override(tmp_path):
    assert "HONGTU_OPS_DAILY_RESTART" in env_names()
    path = write(tmp_path, "ops:\n  daily_restart: '03:30'\n")
    assert load_config(path, env={"HONGTU_OPS_DAILY_RESTART": "04:15"}).ops.daily_restart == "04:15"
    assert load_config(path, env={"HONGTU_OPS_DAILY_RESTART": "12:30"}).ops.daily_restart == "12:30"
    assert load_config(path, env={"HONGTU_OPS_DAILY_RESTART": ""}).ops.daily_restart == ""
    with pytest.raises(ConfigError, match=r"^HONGTU_OPS_DAILY_RESTART: expected HH:MM"):
        load_config(path, env={"HONGTU_OPS_DAILY_RESTART": "soon"})


def test_supervisors_in_the_packaging():
    loop = (REPO_ROOT / "packaging" / "windows" / "kiosk-loop.ps1").read_text()
    assert re.search(r'^\$env:HONGTU_SUPERVISED = "1"', loop, re.M)
    assert loop.index("HONGTU_SUPERVISED") < loop.index("while ($true)")
    for unit in ("hongtu-kiosk.service", "hongtu-kiosk-x11.service"):  # systemd sets NOTIFY_SOCKET
        text = (REPO_ROOT / "packaging" / "linux" / unit).read_text()
        assert "Type=notify" in text and "Restart=always" in text, unit


# ---- the running kiosk ---------------------------------------------------------------------------

@pytest.fixture
def sample_pack() -> Path:
    return REPO_ROOT / "exhibits" / "fujian-red-map"


def _bridge(kiosk, tmp_path: Path, env: dict, plan: DailyRestart, history=None):
    from app.ops.crashloop import StartHistory
    from app.ops.instance import InstanceLock
    from app.ops.watchdog import SystemdNotifier
    from app.ui.ops_bridge import OpsBridge, OpsStart

    start = OpsStart(cfg=None, pack_path=None, safe_mode=False, lock=InstanceLock(tmp_path / "kiosk.lock").acquire(),
                     history=history or StartHistory(tmp_path), log_path=tmp_path / "log",
                     notifier=SystemdNotifier(env))
    bridge = OpsBridge(start, kiosk, env=env, daily_restart=plan, restart_check_ms=20)
    quits: list[int] = []
    real_quit = bridge.quit

    def spy(code: int = 0) -> None:
        quits.append(code)
        real_quit(code)

    bridge.quit = spy  # records, then quits for real
    return bridge, start, quits


def _due_plan() -> DailyRestart:
    c = Clocks(at(0, 10, 0))
    plan = c.plan("03:30")
    c.advance((at(1, 3, 31) - c.wall).total_seconds())  # 03:31 after a night's running: due
    return plan


def test_kiosk_restarts_only_between_visitor_sessions(kiosk_factory, qtbot, sample_pack, tmp_path, caplog):
    from PySide6.QtCore import QCoreApplication, QTimer

    from app.ops.crashloop import StartHistory
    from app.session import SessionState

    caplog.set_level(logging.INFO, logger="app.ui.ops_bridge")
    addr = tmp_path / "n.sock"  # a fake systemd: the kiosk is supervised
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(addr))
    history = StartHistory(tmp_path)
    history.record_start()
    k = kiosk_factory(sample_pack)  # a visitor session is on (start_active)
    k.window.show()
    bridge, start, quits = _bridge(k, tmp_path, {"NOTIFY_SOCKET": str(addr)}, _due_plan(), history)
    safety = QTimer()
    try:
        assert bridge.restart_timer.isActive()
        assert "daily restart at 03:30: armed (supervised by systemd), next at 2026-11-21 03:30" in caplog.text
        qtbot.waitUntil(lambda: bridge.ready_sent and bridge.restart_waiting, timeout=20000)
        assert k.core.state is SessionState.ACTIVE and quits == []  # due, but a visitor is here
        assert "daily restart at 03:30 is due: waiting until the visitor session ends" in caplog.text
        assert "quitting for the supervisor" not in caplog.text

        safety.setSingleShot(True)
        safety.timeout.connect(lambda: QCoreApplication.exit(99))  # never hang the suite
        safety.start(15000)
        QTimer.singleShot(0, k.core.end)  # the visitor walks away: the idle reset, back to the attract loop
        code = QCoreApplication.instance().exec()
    finally:
        safety.stop()
        bridge.close(0 if quits == [0] else 1)
        start.lock.release()
        sock.close()
    assert code == 0 and quits == [0]
    lines = [r.getMessage() for r in caplog.records if "quitting for the supervisor" in r.getMessage()]
    assert lines == ["daily restart at 03:30: quitting for the supervisor to start the kiosk afresh"]
    assert history.unhealthy_starts() == 0  # a clean stop after the first frame: no crash-loop count
    assert not bridge.restart_timer.isActive()


def test_unsupervised_kiosk_never_quits_on_its_own(kiosk_factory, qtbot, sample_pack, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="app.ui.ops_bridge")
    k = kiosk_factory(sample_pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    k.core.end()  # on the attract loop, the restart time long past
    bridge, start, quits = _bridge(k, tmp_path, {"HONGTU_SUPERVISED": "0"}, _due_plan())
    try:
        assert bridge.daily_restart is None and not bridge.restart_timer.isActive()
        assert "daily restart at 03:30: not armed, nothing would start the kiosk again" in caplog.text
        bridge._check_daily_restart()  # even a check by hand does nothing
        qtbot.wait(100)
        assert quits == [] and not bridge.restart_waiting
    finally:
        bridge.close(0)
        start.lock.release()


def test_windows_loop_arms_it(kiosk_factory, qtbot, sample_pack, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="app.ui.ops_bridge")
    k = kiosk_factory(sample_pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    bridge, start, _ = _bridge(k, tmp_path, {"HONGTU_SUPERVISED": "1"}, DailyRestart("", datetime.now()))
    try:
        assert bridge.daily_restart is None  # '' = never, even when supervised
        assert "daily restart: off (ops.daily_restart is empty)" in caplog.text
    finally:
        bridge.close(0)
        start.lock.release()
    bridge, start, _ = _bridge(k, tmp_path, {"HONGTU_SUPERVISED": "1"}, _due_plan())
    try:
        assert bridge.daily_restart is not None and bridge.restart_timer.isActive()
        assert "armed (supervised by HONGTU_SUPERVISED=1)" in caplog.text
    finally:
        bridge.close(0)
        start.lock.release()
