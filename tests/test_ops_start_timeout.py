"""Progress-based start timeout (issue 8): the units' short TimeoutStartSec is extended with sd_notify
`EXTEND_TIMEOUT_USEC=` only while the kiosk's start makes progress, within a start budget, so a kiosk
hanging before its first frame is stopped (and reaches safe mode) in minutes.

A fake `$NOTIFY_SOCKET` (a datagram socket in tmp_path, read by a thread like systemd does) records
what the kiosk sends, as in tests/test_ops_kiosk.py.
"""
from __future__ import annotations

import configparser
import socket
import threading
import time
from pathlib import Path

import pytest

from app.ops.watchdog import (EARLY_EXTEND_S, START_BUDGET_S, TICK_EXTEND_S, TICK_S, StartTimeout,
                              SystemdNotifier)
from test_kill_kiosk import KioskProc, write_config

REPO = Path(__file__).resolve().parent.parent
UNITS = REPO / "packaging" / "linux"
EXTEND = "EXTEND_TIMEOUT_USEC="


class NotifySocket:
    """A stand-in for systemd's notify socket: every datagram received, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(path))
        self._sock.settimeout(0.1)
        self._lock = threading.Lock()
        self._messages: list[str] = []
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._receive, daemon=True)
        self._reader.start()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(4096).decode()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._messages.append(data)

    @property
    def messages(self) -> list[str]:
        with self._lock:
            return list(self._messages)

    def notifier(self, **env: str) -> SystemdNotifier:
        return SystemdNotifier({"NOTIFY_SOCKET": str(self.path), **env})

    def close(self) -> None:
        self._stop.set()
        self._reader.join(5)
        self._sock.close()


@pytest.fixture
def notify_socket(tmp_path):  # noqa: ANN001, ANN201
    sock = NotifySocket(tmp_path / "notify.sock")
    yield sock
    sock.close()


def extension_s(message: str) -> float:
    assert message.startswith(EXTEND), message
    return int(message[len(EXTEND):]) / 1e6


def test_extend_timeout_is_sent_in_microseconds_and_a_no_op_outside_systemd(notify_socket):
    n = notify_socket.notifier()
    assert n.extend_timeout(30) and n.extend_timeout(1.5)
    deadline = time.monotonic() + 10
    while len(notify_socket.messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert notify_socket.messages == ["EXTEND_TIMEOUT_USEC=30000000", "EXTEND_TIMEOUT_USEC=1500000"]
    assert SystemdNotifier({}).extend_timeout(30) is False
    assert StartTimeout(SystemdNotifier({})).extend(30) is False  # outside systemd nothing is counted either


def test_extensions_are_trimmed_to_the_start_budget_then_stop():
    sent: list[str] = []

    class Recorder(SystemdNotifier):
        def send(self, message: str) -> bool:
            sent.append(message)
            return True

    now = [1000.0]
    budget = StartTimeout(Recorder({"NOTIFY_SOCKET": "/nonexistent"}), budget_s=100, started=990.0,
                          clock=lambda: now[0])
    assert budget.extend(60)  # 10 s in: the full 60 s
    now[0] = 1070.0
    assert budget.extend(30)  # 80 s in: only the 20 s left, so no deadline passes the budget
    now[0] = 1090.0
    assert budget.spent and not budget.extend(30) and not budget.extend(1)  # spent: nothing more is sent
    assert [extension_s(m) for m in sent] == [60, 20] and budget.sent == 2


def test_hongtu_run_extends_at_start_and_stops_extending_at_ready(tmp_path, notify_socket):
    """The real `hongtu run`: the early extension comes first, before anything else is sent; more
    come while it starts; after READY=1 only heartbeats (and the final STOPPING=1)."""
    k = KioskProc(write_config(tmp_path), env={"NOTIFY_SOCKET": str(notify_socket.path),
                                               "WATCHDOG_USEC": "300000"})  # a heartbeat every 150 ms
    try:
        k.wait_line("HONGTU_READY")
        deadline = time.monotonic() + 30
        while notify_socket.messages.count("WATCHDOG=1") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        assert k.stop() == 0
    got = notify_socket.messages
    ready = next(i for i, m in enumerate(got) if m.startswith("READY=1"))
    before, after = got[:ready], got[ready + 1:]
    assert extension_s(got[0]) == EARLY_EXTEND_S  # the first thing `hongtu run` does
    assert extension_s(got[1]) == EARLY_EXTEND_S  # the start-up checks are done: Qt, fonts and QML next
    assert all(m.startswith(EXTEND) for m in before)  # then the GUI thread's timer, until READY=1
    assert all(extension_s(m) <= START_BUDGET_S for m in before)
    assert after.count("WATCHDOG=1") >= 3 and not [m for m in after if m.startswith(EXTEND)]
    assert after[-1] == "STOPPING=1"


def _bridge(kiosk, tmp_path: Path, budget: StartTimeout):  # noqa: ANN001, ANN202
    from app.ops.crashloop import StartHistory
    from app.ops.instance import InstanceLock
    from app.ui.ops_bridge import OpsBridge, OpsStart

    start = OpsStart(cfg=None, pack_path=None, safe_mode=False, lock=InstanceLock(tmp_path / "kiosk.lock").acquire(),
                     history=StartHistory(tmp_path), log_path=tmp_path / "log", notifier=budget.notifier,
                     start_timeout=budget)
    return OpsBridge(start, kiosk)


@pytest.fixture
def sample_pack() -> Path:
    return REPO / "exhibits" / "fujian-red-map"


def test_gui_thread_extends_until_ready_then_heartbeats_take_over(kiosk_factory, qtbot, sample_pack, tmp_path,
                                                                   notify_socket):
    k = kiosk_factory(sample_pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    k.window.hide()  # content, but no frame on screen yet: the start goes on
    notifier = notify_socket.notifier(WATCHDOG_USEC="200000")
    budget = StartTimeout(notifier, budget_s=120, tick_s=0.05, step_s=0.5, started=time.monotonic())
    bridge = _bridge(k, tmp_path, budget)
    try:
        qtbot.waitUntil(lambda: bridge.extensions >= 3, timeout=20000)  # the GUI thread's timer, not ready yet
        assert not bridge.ready_sent
        k.window.show()  # the first frame: READY=1
        qtbot.waitUntil(lambda: bridge.ready_sent and bridge.beats >= 3, timeout=20000)
        assert not bridge.start_timer.isActive()
        qtbot.waitUntil(lambda: notify_socket.messages.count("WATCHDOG=1") >= 3, timeout=10000)
    finally:
        bridge.close(0)
        bridge.start.lock.release()
    got = notify_socket.messages
    ready = next(i for i, m in enumerate(got) if m.startswith("READY=1"))
    assert len(got[:ready]) == bridge.extensions == budget.sent >= 3
    assert {extension_s(m) for m in got[:ready]} == {0.5}
    assert not [m for m in got[ready:] if m.startswith(EXTEND)]


def test_a_live_gui_without_a_first_frame_stops_extending_at_the_budget(kiosk_factory, qtbot, sample_pack,
                                                                          tmp_path, notify_socket, caplog):
    k = kiosk_factory(sample_pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    k.window.hide()  # alive, but never a first frame on screen
    budget = StartTimeout(notify_socket.notifier(), budget_s=1.5, tick_s=0.05, step_s=0.4, started=time.monotonic())
    bridge = _bridge(k, tmp_path, budget)
    try:
        qtbot.waitUntil(lambda: not bridge.start_timer.isActive(), timeout=20000)
        count = bridge.extensions
        qtbot.wait(300)  # several ticks' worth: nothing more once the budget is spent
        assert bridge.extensions == count >= 3 and not bridge.ready_sent
    finally:
        bridge.close(0)
        bridge.start.lock.release()
    sent = [m for m in notify_socket.messages if m.startswith(EXTEND)]
    assert len(sent) == count and not [m for m in notify_socket.messages if m.startswith("READY=1")]
    assert all(extension_s(m) <= 0.4 for m in sent)
    assert any("start budget" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name", ["hongtu-kiosk.service", "hongtu-kiosk-x11.service"])
def test_kiosk_units_have_a_short_start_timeout_extended_by_the_kiosk(name):
    text = (UNITS / name).read_text(encoding="utf-8")
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    timeout = int(parser["Service"]["TimeoutStartSec"])
    assert timeout == 30 and "EXTEND_TIMEOUT_USEC" in text
    # the early extension and each periodic one outlast the gap to the next; a frozen GUI thread is
    # stopped at most one unit timeout after its last extension; the budget bounds the whole start
    assert TICK_S < TICK_EXTEND_S <= timeout < EARLY_EXTEND_S < START_BUDGET_S
    assert f"{int(START_BUDGET_S)} s" in (UNITS / "hongtu-kiosk.service").read_text(encoding="utf-8")
