"""Unattended operation: single instance, systemd notify, bounded logs, crash loops, corrupt databases."""
import json
import logging
import os
import socket
import subprocess
import sys

import pytest

from app.ops.crashloop import StartHistory
from app.ops.dbrecovery import check_integrity, open_terminal_db
from app.ops.instance import AlreadyRunning, InstanceLock
from app.ops.logs import read_recent, setup_logging
from app.ops.notices import list_notices
from app.ops.watchdog import SystemdNotifier


def test_second_instance_is_refused_with_a_clear_message(tmp_path):
    lock_path = tmp_path / "kiosk.lock"
    with InstanceLock(lock_path):
        code = (
            "import sys; from pathlib import Path; from app.ops.instance import InstanceLock, AlreadyRunning\n"
            f"try:\n    InstanceLock(Path({str(lock_path)!r})).acquire()\nexcept AlreadyRunning as e:\n    print(e); sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert result.returncode == 3
        assert f"pid {os.getpid()}" in result.stdout and "already running" in result.stdout
    InstanceLock(lock_path).acquire().release()  # free again once released


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    lock_path = tmp_path / "kiosk.lock"
    code = f"from pathlib import Path; from app.ops.instance import InstanceLock; import time\nlock = InstanceLock(Path({str(lock_path)!r})).acquire(); print('held', flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    with pytest.raises(AlreadyRunning):
        InstanceLock(lock_path).acquire()
    proc.kill()
    proc.wait()
    InstanceLock(lock_path).acquire().release()


def test_notifier_sends_ready_and_watchdog_over_the_socket(tmp_path):
    addr = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(addr)
        server.settimeout(5)
        n = SystemdNotifier({"NOTIFY_SOCKET": addr, "WATCHDOG_USEC": "20000000"})
        assert n.heartbeat_interval_ms() == 10000
        assert n.notify_ready()
        assert server.recv(1024).decode().startswith("READY=1")
        assert n.heartbeat()
        assert server.recv(1024) == b"WATCHDOG=1"


def test_notifier_is_a_no_op_outside_systemd():
    n = SystemdNotifier({})
    assert not n.enabled and n.heartbeat_interval_ms() is None and n.heartbeat() is False


def test_logs_are_json_lines_and_rotation_bounds_their_size(tmp_path):
    path = setup_logging(tmp_path, max_mb=1, backups=2, console=False)
    logger = logging.getLogger("hongtu.test")
    for i in range(12000):
        logger.info("visitor session %d 红船精神 %s", i, "x" * 100)
    total = sum(p.stat().st_size for p in path.parent.iterdir())
    assert total <= 3 * 1024 * 1024 + 4096
    assert len(list(path.parent.iterdir())) == 3
    recent = read_recent(tmp_path, limit=5)
    assert [json.loads(json.dumps(e))["msg"].split()[2] for e in recent] == [str(i) for i in range(11995, 12000)]
    assert recent[-1]["level"] == "INFO" and "红船精神" in recent[-1]["msg"]
    logging.getLogger().handlers.clear()


def test_crash_loop_turns_on_safe_mode_and_health_resets_it(tmp_path):
    t = [1000.0]
    hist = StartHistory(tmp_path, max_starts=3, window_s=60, clock=lambda: t[0])
    assert [hist.record_start() for _ in range(3)] == [False, False, False]
    assert hist.record_start() is True
    t[0] += 120  # old starts fall out of the window
    assert hist.record_start() is False
    pack = tmp_path / "pack"
    pack.mkdir()
    hist.mark_healthy(pack)
    assert hist.last_good_pack() == pack
    (tmp_path / "starts.json").write_text("{torn")  # a torn file never blocks start-up
    assert hist.record_start() is False


def test_corrupt_database_is_moved_aside_and_staff_told(tmp_path):
    db_path = tmp_path / "hongtu.db"
    db = open_terminal_db(db_path)
    db["t"].insert({"a": 1})
    db.conn.close()
    assert check_integrity(db_path) is None
    with open(db_path, "r+b") as f:  # scribble over the header and first page
        f.write(b"\x00garbage" * 200)
    assert check_integrity(db_path) is not None
    fresh = open_terminal_db(db_path)
    assert fresh.table_names() == []
    assert any(p.name.startswith("hongtu.db.corrupt-") for p in tmp_path.iterdir())
    assert "damaged" in list_notices(tmp_path)[-1]["message"]
