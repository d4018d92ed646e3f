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
    refusals = [e for e in _log(tmp_path) if e["level"] == "ERROR" and "already running" in e["msg"]]
    assert len(refusals) == 1  # the refusal is in hongtu.log too (admin Logs screen, USB bundle)
    assert err.count("already running") == 1  # and once on stderr


def _log(tmp_path: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "var" / "logs" / "hongtu.log").read_text().splitlines()]


def test_missing_pack_is_refused_in_the_log_and_with_its_exit_code(tmp_path):
    from app.ui.ops_bridge import EXIT_CONTENT

    k = KioskProc(write_config(tmp_path, f"pack: {tmp_path / 'nope'}\n"))
    assert k.proc.wait(60) == EXIT_CONTENT
    err = k.stderr()
    assert err.count("content pack folder not found") == 1 and "Traceback" not in err
    assert [e["level"] for e in _log(tmp_path) if "content pack folder not found" in e["msg"]] == ["ERROR"]
    assert json.loads((tmp_path / "var" / "starts.json").read_text())["starts"]  # an unhealthy start: counted


def test_an_exception_in_a_qt_slot_reaches_the_log_with_its_traceback(tmp_path):
    k = KioskProc(write_config(tmp_path), mode="raise")
    k.wait_line("HONGTU_DRIVEN")  # 1.5 s after the broken slot ran: the kiosk is still up
    assert k.stop() == 0
    assert k.stderr().count("RuntimeError: broken slot for the log") == 1  # still on stderr, once
    crit = [e for e in _log(tmp_path) if e["level"] == "CRITICAL"]
    assert [e["msg"] for e in crit] == ["uncaught exception: RuntimeError: broken slot for the log"]
    assert "Traceback" in crit[0]["exc"] and "in broken_slot" in crit[0]["exc"]


def test_safe_mode_without_a_last_good_pack_shows_the_bundled_sample(tmp_path):
    """QA #1: the configured pack is broken and nothing ever ran healthily: safe mode must not retry it."""
    var = tmp_path / "var"
    var.mkdir()
    now = time.time()
    (var / "starts.json").write_text(json.dumps({"starts": [now - 130 * i for i in range(5)]}))
    k = KioskProc(write_config(tmp_path, f"pack: {tmp_path / 'nope'}\n"))
    k.wait_line("HONGTU_READY")
    assert k.stop() == 0
    err = k.stderr()
    sample = REPO / "exhibits" / "fujian-red-map"
    assert "safe mode: 6 starts in a row" in err and f"the bundled sample pack {sample}" in err
    assert "content pack folder not found" not in err
    assert "bundled sample pack" in json.loads((var / "staff-notices.json").read_text())[-1]["message"]


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
    texts = [m for _, m in messages if not m.startswith("EXTEND_TIMEOUT_USEC=")]  # tests/test_ops_start_timeout.py
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

    from app.config import SAMPLE_PACK, KioskConfig, VisionConfig
    from app.ops.crashloop import StartHistory
    from app.ui.ops_bridge import EXIT_ALREADY_RUNNING, StartupFailed, prepare_start

    cfg = dataclasses.replace(KioskConfig(), data_dir=tmp_path / "var", vision=VisionConfig(enabled=True))
    hist = StartHistory(cfg.data_dir)
    for _ in range(hist.max_starts):
        hist.record_start()
    import sys

    before = sys.excepthook
    start = prepare_start(cfg)
    try:
        assert sys.excepthook is not before  # uncaught exceptions now reach hongtu.log
        assert start.safe_mode and start.cfg.vision.enabled is False
        assert start.pack_path == SAMPLE_PACK  # nothing ran healthily yet: the bundled sample
        assert (tmp_path / "var" / "hongtu.db").is_file()
        with pytest.raises(StartupFailed, match="another Hongtu kiosk is already running") as refused:
            prepare_start(cfg)  # same process, second lock: refused too
        assert refused.value.exit_code == EXIT_ALREADY_RUNNING
    finally:
        start.lock.release()
        start.restore_hooks()
    assert sys.excepthook is before


def test_prepare_start_safe_mode_prefers_the_last_good_pack_and_fails_clearly_without_any(
        tmp_path, root_logging, monkeypatch):
    import dataclasses

    import app.config
    from app.config import KioskConfig
    from app.ops.crashloop import StartHistory
    from app.ui.ops_bridge import EXIT_CONTENT, StartupFailed, prepare_start

    broken = tmp_path / "broken-pack"
    cfg = dataclasses.replace(KioskConfig(), data_dir=tmp_path / "var", pack=broken)
    hist = StartHistory(cfg.data_dir)
    good = tmp_path / "good-pack"
    good.mkdir()
    hist.mark_healthy(good)
    for _ in range(hist.max_starts):
        hist.record_start()
    start = prepare_start(cfg)
    start.lock.release()
    start.restore_hooks()
    assert start.safe_mode and start.pack_path == good

    hist.mark_healthy(None)
    (cfg.data_dir / "starts.json").write_text(json.dumps({"starts": [1.0] * hist.max_starts}))  # no good pack
    monkeypatch.setattr(app.config, "SAMPLE_PACK", tmp_path / "no-sample")
    with pytest.raises(StartupFailed) as failed:
        prepare_start(cfg)
    message = str(failed.value)
    assert failed.value.exit_code == EXIT_CONTENT and "\n" not in message
    assert "no pack is known to work" in message and str(tmp_path / "no-sample") in message
    hist.mark_healthy(None)
    start = prepare_start(cfg)  # the lock was released on the failure
    assert not start.safe_mode
    start.lock.release()
    start.restore_hooks()


def test_a_refusal_reaches_the_log_once_logging_is_up(tmp_path, root_logging, capsys):
    from app.ops.logs import setup_logging
    from app.ui.ops_bridge import report_refusal

    report_refusal("before logging")  # no log yet: stderr only, no error
    setup_logging(tmp_path)
    report_refusal("pack folder gone")
    err = capsys.readouterr().err
    assert err.count("pack folder gone") == 1 and "hongtu: before logging" in err
    entries = [json.loads(line) for line in (tmp_path / "logs" / "hongtu.log").read_text().splitlines()]
    assert [(e["level"], e["msg"]) for e in entries] == [("ERROR", "pack folder gone")]


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


def test_a_clean_quit_before_the_first_frame_keeps_the_crash_count(kiosk_factory, qtbot, sample_pack, tmp_path):
    """systemd's TimeoutStartSec stops a kiosk stuck before its first frame with SIGTERM (a clean quit):
    that must not wipe the count of unhealthy starts, or such a kiosk never reaches safe mode."""
    from app.ops.crashloop import StartHistory
    from app.ops.instance import InstanceLock
    from app.ops.watchdog import SystemdNotifier
    from app.ui.ops_bridge import OpsBridge, OpsStart

    history = StartHistory(tmp_path)
    history.record_start()
    history.record_start()
    k = kiosk_factory(sample_pack)  # never shown: no frame is ever swapped
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    start = OpsStart(cfg=None, pack_path=None, safe_mode=False, lock=InstanceLock(tmp_path / "kiosk.lock").acquire(),
                     history=history, log_path=tmp_path / "log", notifier=SystemdNotifier({}))
    bridge = OpsBridge(start, k)
    try:
        assert not bridge.ready_sent
    finally:
        bridge.close(0)
        start.lock.release()
    assert history.unhealthy_starts() == 2


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
