"""The kiosk's operations wiring (issue 8): single instance, systemd READY/WATCHDOG from the GUI thread,
a corrupt database moved aside, crash-loop safe mode, and the lock-down key guard."""
from __future__ import annotations

import json
import logging
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from test_kill_kiosk import KioskProc, integrity, write_config

REPO = Path(__file__).resolve().parent.parent


def test_second_instance_exits_with_a_clear_message(tmp_path):
    cfg = write_config(tmp_path)
    first = KioskProc(cfg)
    pid = first.wait_line("HONGTU_READY").split()[1]
    try:
        second = KioskProc(cfg)
        assert second.proc.wait(60) == 3
        err = second.stderr()
        assert f"another Hongtu kiosk is already running (pid {pid}" in err
        assert "Traceback" not in err
        assert second.lines[:1] in ([], ["<EOF>"])  # it never got to a window
    finally:
        assert first.stop() == 0  # SIGTERM is a clean quit
    starts = json.loads((tmp_path / "var" / "starts.json").read_text())
    assert starts["starts"] == []  # the refused start did not count; the clean quit cleared the count


def test_watchdog_heartbeats_from_the_gui_thread_stop_when_it_freezes(tmp_path):
    addr = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(addr))
    sock.settimeout(0.2)
    env = {"NOTIFY_SOCKET": str(addr), "WATCHDOG_USEC": "300000",  # a heartbeat every 150 ms
           "HONGTU_TEST_FREEZE_AFTER_S": "1.5"}
    messages: list[tuple[float, str]] = []
    stop = threading.Event()

    def receive() -> None:  # like systemd: read every datagram as it comes
        while not stop.is_set():
            try:
                messages.append((time.monotonic(), sock.recv(4096).decode()))
            except socket.timeout:
                pass

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    k = KioskProc(write_config(tmp_path), env=env)
    try:
        k.wait_line("HONGTU_READY")
        k.wait_line("HONGTU_FROZEN")
        frozen_at = time.monotonic()
        time.sleep(1.5)
        assert k.proc.poll() is None  # still running, but its GUI thread is blocked
    finally:
        k.kill()
        stop.set()
        reader.join(5)
        sock.close()
    texts = [m for _, m in messages]
    assert texts and texts[0].startswith("READY=1")
    beats = [t for t, m in messages if m == "WATCHDOG=1"]
    assert len(beats) >= 5  # ~1.5 s of beats every 150 ms before the freeze
    # after the freeze started (plus one interval of slack for a datagram in flight) no more beats
    assert not [t for t in beats if t > frozen_at + 0.4]


def test_corrupt_database_is_moved_aside_and_the_kiosk_starts(tmp_path):
    cfg = write_config(tmp_path)
    var = tmp_path / "var"
    var.mkdir()
    (var / "hongtu.db").write_bytes(b"SQLite format 3\x00" + b"\x13garbage" * 4000)
    k = KioskProc(cfg)
    k.wait_line("HONGTU_READY")
    assert k.stop() == 0
    assert len(list(var.glob("hongtu.db.corrupt-*"))) == 1
    assert integrity(var / "hongtu.db") == "ok"
    notices = json.loads((var / "staff-notices.json").read_text())
    assert "damaged" in notices[-1]["message"]


def test_crash_loop_starts_in_safe_mode_with_the_last_good_pack(tmp_path):
    from packbuilder import MINIMAL_MEDIA, pack_files, write_pack

    files = pack_files()
    files["pack.yaml"]["version"] = "7.7.7"
    good = write_pack(tmp_path / "good-pack", files, MINIMAL_MEDIA)
    var = tmp_path / "var"
    var.mkdir()
    now = time.time()
    (var / "starts.json").write_text(json.dumps({"starts": [now - 30 * i for i in range(5)],
                                                 "last_good_pack": str(good)}))
    cfg = write_config(tmp_path, "vision:\n  enabled: true\n  source: /nonexistent.mp4\n")
    k = KioskProc(cfg, env={"HONGTU_HEALTHY_AFTER_S": "1"})
    k.wait_line("HONGTU_READY")
    deadline = time.monotonic() + 30
    while json.loads((var / "starts.json").read_text())["starts"] and time.monotonic() < deadline:
        time.sleep(0.2)  # marked healthy after 1 s (HONGTU_HEALTHY_AFTER_S)
    assert k.stop() == 0
    err = k.stderr()
    assert "safe mode" in err and str(good) in err
    notices = json.loads((var / "staff-notices.json").read_text())
    assert "safe mode" in notices[-1]["message"]
    state = json.loads((var / "starts.json").read_text())
    assert state == {"starts": [], "last_good_pack": str(good)}
    log_lines = [json.loads(line) for line in (var / "logs" / "hongtu.log").read_text().splitlines()]
    assert any("safe mode" in e["msg"] and e["level"] == "ERROR" for e in log_lines)


@pytest.fixture
def root_logging():
    yield
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hongtu", False):
            root.removeHandler(h)
            h.close()


def test_prepare_start_safe_mode_forces_the_camera_off(tmp_path, root_logging):
    import dataclasses

    from app.config import KioskConfig, VisionConfig
    from app.ops.crashloop import StartHistory
    from app.ui.ops_bridge import StartupFailed, prepare_start

    cfg = dataclasses.replace(KioskConfig(), data_dir=tmp_path / "var", vision=VisionConfig(enabled=True))
    hist = StartHistory(cfg.data_dir)
    for _ in range(hist.max_starts):
        hist.record_start()
    start = prepare_start(cfg)
    try:
        assert start.safe_mode and start.cfg.vision.enabled is False
        assert (tmp_path / "var" / "hongtu.db").is_file()
        with pytest.raises(StartupFailed, match="another Hongtu kiosk is already running"):
            prepare_start(cfg)  # same process, second lock: refused too
    finally:
        start.lock.release()


def test_key_guard_swallows_shortcuts_that_leave_the_kiosk(kiosk_factory, qtbot, sample_pack):
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    from app.ui.ops_bridge import KeyGuard

    k = kiosk_factory(sample_pack)
    k.window.show()
    guard = KeyGuard(k.window)
    M = Qt.KeyboardModifier

    def press(key: Qt.Key, mods: Qt.KeyboardModifier = M.NoModifier) -> None:
        QCoreApplication.sendEvent(k.window, QKeyEvent(QEvent.Type.KeyPress, key, mods))

    press(Qt.Key.Key_F4, M.AltModifier)
    press(Qt.Key.Key_Q, M.ControlModifier)
    press(Qt.Key.Key_W, M.ControlModifier)
    press(Qt.Key.Key_Escape)
    press(Qt.Key.Key_Tab, M.AltModifier)
    assert guard.swallowed == 5
    press(Qt.Key.Key_A)
    press(Qt.Key.Key_Q)
    assert guard.swallowed == 5  # ordinary typing (the search field) goes through
    k.window.close()  # Alt+F4 from a window manager
    assert k.window.isVisible()
    guard.detach()


def test_bridge_sends_ready_and_heartbeats_and_shows_the_safe_badge(kiosk_factory, qtbot, sample_pack, tmp_path):
    from app.ops.crashloop import StartHistory
    from app.ops.instance import InstanceLock
    from app.ops.watchdog import SystemdNotifier
    from app.ui.ops_bridge import OpsBridge, OpsStart

    addr = tmp_path / "n.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(addr))
    sock.setblocking(False)
    k = kiosk_factory(sample_pack)
    k.window.show()
    start = OpsStart(cfg=None, pack_path=None, safe_mode=True, lock=InstanceLock(tmp_path / "kiosk.lock").acquire(),
                     history=StartHistory(tmp_path), log_path=tmp_path / "log",
                     notifier=SystemdNotifier({"NOTIFY_SOCKET": str(addr), "WATCHDOG_USEC": "200000"}))
    bridge = OpsBridge(start, k)
    try:
        qtbot.waitUntil(lambda: bridge.ready_sent and bridge.beats >= 3, timeout=20000)
        got = []
        while True:
            try:
                got.append(sock.recv(4096).decode())
            except BlockingIOError:
                break
        assert got[0].startswith("READY=1") and "STATUS=safe mode" in got[0]
        assert got.count("WATCHDOG=1") >= 3
        assert bridge.badge is not None and bridge.badge.objectName() == "safeModeBadge"
        assert bridge.badge.property("visible") is False  # only in admin mode
    finally:
        bridge.close(0)
        start.lock.release()
        sock.close()
    assert not bridge.heartbeat_timer.isActive()


@pytest.fixture
def sample_pack() -> Path:
    return REPO / "exhibits" / "fujian-red-map"


def test_heartbeats_never_block_when_the_reader_stops_reading(tmp_path):
    from app.ops.watchdog import SystemdNotifier

    addr = tmp_path / "full.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(addr))  # bound, never read: its queue fills up
    try:
        n = SystemdNotifier({"NOTIFY_SOCKET": str(addr), "WATCHDOG_USEC": "1000000"})
        sent = [n.heartbeat() for _ in range(2000)]  # a blocking send would hang here (the GUI thread)
        assert sent[0] is True and sent[-1] is False
    finally:
        sock.close()
