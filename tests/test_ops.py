"""Unattended operation: single instance, systemd notify, bounded logs, crash loops, corrupt databases."""
import json
import logging
import os
import socket
import sqlite3
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
    hist = StartHistory(tmp_path, max_starts=3, clock=lambda: t[0])
    assert [hist.record_start() for _ in range(3)] == [False, False, False]
    assert hist.record_start() is True
    assert hist.unhealthy_starts() == 4
    pack = tmp_path / "pack"
    pack.mkdir()
    hist.mark_healthy(pack)
    assert hist.last_good_pack() == pack and hist.unhealthy_starts() == 0
    assert hist.record_start() is False
    hist.mark_healthy(None)  # a clean quit forgets the starts and keeps the good pack
    assert hist.unhealthy_starts() == 0 and hist.last_good_pack() == pack
    (tmp_path / "starts.json").write_text("{torn")  # a torn file never blocks start-up
    assert hist.record_start() is False


def test_slow_crash_loop_still_reaches_safe_mode(tmp_path):
    """A kiosk hanging before its first frame is stopped at its start timeout (at most the 120 s start
    budget) plus RestartSec: the starts are minutes apart, yet the sixth unhealthy start in a row is in
    safe mode."""
    t = [0.0]
    hist = StartHistory(tmp_path, clock=lambda: t[0])
    results = []
    for _ in range(6):
        results.append(hist.record_start())
        t[0] += 123  # hung, stopped at the 120 s start budget, restarted 3 s later
    assert results == [False] * 5 + [True]
    t[0] += 86400  # a day later still the same loop: nothing ever ran healthily
    assert hist.record_start() is True


def test_notices_survive_a_file_that_is_not_a_list(tmp_path):
    from app.ops.notices import add_notice

    (tmp_path / "staff-notices.json").write_text("{}")
    assert list_notices(tmp_path) == []
    add_notice(tmp_path, "database moved aside")
    assert [n["message"] for n in list_notices(tmp_path)] == ["database moved aside"]
    (tmp_path / "staff-notices.json").write_text('[{"message": "ok"}, 7, "x", {"at": 1}]')
    assert [n["message"] for n in list_notices(tmp_path)] == ["ok"]


def test_corrupt_database_recovery_survives_a_broken_notices_file(tmp_path):
    db_path = tmp_path / "hongtu.db"
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x13garbage" * 4000)
    (tmp_path / "staff-notices.json").write_text("{}")
    open_terminal_db(db_path).conn.close()
    assert len(list(tmp_path.glob("hongtu.db.corrupt-*"))) == 1
    assert "damaged" in list_notices(tmp_path)[-1]["message"]


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


def _index_mismatch_db(path):
    """A database whose index does not match its table: quick_check says ok, integrity_check does not."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a, b)")
    conn.execute("CREATE INDEX t_i ON t(a)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, -i) for i in range(50)])
    conn.commit()
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX t_i ON t(b)' WHERE name = 't_i'")
    conn.commit()
    conn.close()


def test_integrity_check_finds_what_quick_check_misses(tmp_path):
    db_path = tmp_path / "hongtu.db"
    _index_mismatch_db(db_path)
    assert check_integrity(db_path, thorough=False) is None
    problem = check_integrity(db_path)  # the default (doctor) is the full integrity_check
    assert problem is not None and "missing from index t_i" in problem


def test_background_check_makes_the_next_start_move_the_database_aside(tmp_path):
    from app.ops.dbrecovery import background_check

    db_path = tmp_path / "hongtu.db"
    _index_mismatch_db(db_path)
    open_terminal_db(db_path).conn.close()  # start-up's quick_check: nothing seen, file kept
    assert not list(tmp_path.glob("hongtu.db.corrupt-*"))
    assert background_check(db_path) is not None  # after the first frame: the full check
    assert "integrity_check" in list_notices(tmp_path)[-1]["message"]
    open_terminal_db(db_path).conn.close()  # next start: full check because of the marker
    assert len(list(tmp_path.glob("hongtu.db.corrupt-*Z"))) == 1
    assert not (tmp_path / "hongtu.db.needs-check").exists()
    assert check_integrity(db_path) is None


def test_a_locked_or_unopenable_database_is_not_treated_as_damage(tmp_path, monkeypatch):
    import app.ops.dbrecovery as dbrecovery
    from app.ops.dbrecovery import DatabaseUnavailable

    monkeypatch.setattr(dbrecovery, "LOCK_WAIT_S", 0.1)
    db_path = tmp_path / "hongtu.db"
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("CREATE TABLE t (a)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    try:
        with pytest.raises(DatabaseUnavailable, match="database is locked"):
            check_integrity(db_path)
        with pytest.raises(DatabaseUnavailable):
            open_terminal_db(db_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["hongtu.db", "hongtu.db-journal"]  # nothing moved
    finally:
        holder.execute("COMMIT")
        holder.close()
    with pytest.raises(DatabaseUnavailable, match="unable to open"):
        check_integrity(tmp_path / "missing" / "hongtu.db")
    folder = tmp_path / "sub" / "hongtu.db"
    folder.mkdir(parents=True)  # a folder where the file should be: "disk I/O error"
    with pytest.raises(DatabaseUnavailable):
        open_terminal_db(folder)
    assert folder.is_dir() and list((tmp_path / "sub").iterdir()) == [folder]


EXCEPTHOOK_SCRIPT = r"""
import sys, threading
from pathlib import Path
from app.ops.logs import install_excepthooks, setup_logging
setup_logging(Path(sys.argv[1]))
install_excepthooks()
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
def slot():
    raise ValueError("broken slot 红")
def worker():
    raise RuntimeError("broken thread")
t = threading.Thread(target=worker, name="hongtu-test-worker"); t.start(); t.join()
QTimer.singleShot(0, slot)
QTimer.singleShot(200, app.quit)
app.exec()
raise KeyError("top level")
"""


def test_uncaught_exceptions_reach_the_log_with_their_traceback(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", EXCEPTHOOK_SCRIPT, str(tmp_path)], capture_output=True,
                            text=True, timeout=60, env=env, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.returncode == 1
    entries = [json.loads(line) for line in (tmp_path / "logs" / "hongtu.log").read_text().splitlines()]
    crit = {e["msg"]: e for e in entries if e["level"] == "CRITICAL"}
    slot = crit["uncaught exception: ValueError: broken slot 红"]
    assert "Traceback" in slot["exc"] and "in slot" in slot["exc"]
    assert "in worker" in crit["uncaught exception in thread hongtu-test-worker: RuntimeError: broken thread"]["exc"]
    assert "uncaught exception: KeyError: 'top level'" in crit
    # stderr keeps Python's own report, once each (not doubled by the log's console handler)
    assert result.stderr.count("ValueError: broken slot") == 1 and result.stderr.count("KeyError: 'top level'") == 1
    assert "CRITICAL" not in result.stderr


PACKAGING = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "packaging")


def _unit(name):
    import configparser

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(os.path.join(PACKAGING, "linux", name))
    return parser


@pytest.mark.parametrize("name", ["hongtu-kiosk.service", "hongtu-kiosk-x11.service", "hongtu-hub.service"])
def test_units_restart_forever_without_waiting_for_the_network(name):
    import re
    from pathlib import Path

    unit = _unit(name)
    # no start-rate limit: systemd never leaves a crash-looping kiosk dark for good (QA #2)
    assert unit["Unit"]["StartLimitIntervalSec"] == "0" and "StartLimitBurst" not in unit["Unit"]
    assert unit["Service"]["Restart"] == "always" and int(unit["Service"]["RestartSec"]) > 0
    assert "network-online" not in unit["Unit"].get("After", "") + unit["Unit"].get("Wants", "")  # offline halls boot
    repo = Path(PACKAGING).parent
    for url in unit["Unit"]["Documentation"].split():  # the build's docs are under _internal/docs
        assert url.startswith("file:///opt/hongtu/_internal/docs/")
        assert (repo / "docs" / url.rsplit("/", 1)[1]).is_file(), url
    for ref in re.findall(r"packaging/[\w./-]+", Path(PACKAGING, "linux", name).read_text()):
        assert (repo / ref.rstrip(".")).exists(), ref  # comments point at files that exist


def test_windows_scripts_parse_and_restart_the_kiosk():
    import re
    from pathlib import Path

    folder = Path(PACKAGING, "windows")
    scopes = {"env", "global", "script", "local", "private", "using", "function", "variable"}
    for script in folder.glob("*.ps1"):
        for line in script.read_text().splitlines():
            # "$Name:" inside a string is a PowerShell parse error ("Variable reference is not valid")
            bad = [m for m in re.findall(r"(?<![{`])\$(\w+):", line) if m.lower() not in scopes]
            assert not bad, f"{script.name}: {line.strip()}"
    task = (folder / "setup-scheduled-task.ps1").read_text()
    count = int(re.search(r"-RestartCount (\d+)", task).group(1))
    assert 1 <= count <= 255  # Task Scheduler's range
    assert "kiosk-loop.ps1" in task and (folder / "kiosk-loop.ps1").is_file()
    loop = (folder / "kiosk-loop.ps1").read_text()
    assert "while ($true)" in loop and "& $Exe run --config $Config" in loop
    launcher = (folder / "setup-shell-launcher.ps1").read_text()
    assert "SetCustomShell($sid, $shell, ($null), ($null), $RestartShell)" in launcher and "$RestartShell = 0" in launcher
    assert "999" not in (folder / "README.md").read_text()
