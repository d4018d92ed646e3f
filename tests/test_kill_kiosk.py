"""SIGKILL of the real kiosk (`hongtu run --windowed`, offscreen) in a session, a narration, a sync push
and a pack install: the next start is clean (issue 8, 'Bad input and faults').

Each test starts the kiosk as a subprocess on a config in tmp_path, drives it through
`app.ui.ops_bridge.FIRST_FRAME_HOOKS` (DRIVER below), kills it with SIGKILL, then starts it again
and checks: it reaches its first frame and quits cleanly on SIGTERM, the database passes
`PRAGMA integrity_check`, the visit events logged before the kill are there, the pack is whole.
`KioskProc` is shared with tests/test_ops_kiosk.py.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60

# Runs inside the kiosk process: `python -c DRIVER <config> <mode>`.
DRIVER = r"""
import sys
from app.ui import ops_bridge

cfg_path, mode = sys.argv[1], sys.argv[2]

def drive(kiosk):
    from PySide6.QtCore import QTimer
    from app.content.loader import load_pack
    from app.ui.viewmodels import narration

    pack = load_pack(kiosk.opts.pack_path)
    exhibit = pack.exhibits[0].id
    kiosk.session.touch()  # a visitor: session_start
    kiosk.app.go("exhibit", {"exhibitId": exhibit})
    player = narration._instance
    if mode == "narration":
        player.playExhibit(exhibit, "zh")
    if mode == "raise":  # an uncaught exception in a Qt slot (tests/test_ops_kiosk.py)
        def broken_slot():
            raise RuntimeError("broken slot for the log")
        QTimer.singleShot(0, broken_slot)
    def report():
        print("HONGTU_DRIVEN", kiosk.events.session_id, player.state if player else "-", flush=True)
    QTimer.singleShot(1500, report)  # the event log flushes every 0.5 s

if mode != "none":
    ops_bridge.FIRST_FRAME_HOOKS.append(drive)
from app.cli import main
sys.argv = ["hongtu", "run", "--windowed", "--config", cfg_path]
main()
"""


class KioskProc:
    """The kiosk in a subprocess; stdout lines are collected by a thread, stderr goes to a file."""

    def __init__(self, cfg_path: Path, mode: str = "none", env: dict[str, str] | None = None) -> None:
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
                    "PYTHONPATH": str(REPO), **(env or {})}
        for key in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "HONGTU_CONFIG"):
            if env is None or key not in env:
                full_env.pop(key, None)
        self.err_path = cfg_path.parent / f"kiosk-{time.monotonic_ns()}.err"
        self._err = open(self.err_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(cfg_path), mode], cwd=REPO, env=full_env,
                                     stdout=subprocess.PIPE, stderr=self._err, text=True)
        self.lines: list[str] = []
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cv:
                self.lines.append(line.rstrip("\n"))
                self._cv.notify_all()
        with self._cv:
            self.lines.append("<EOF>")
            self._cv.notify_all()

    def wait_line(self, prefix: str, timeout: float = START_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for line in self.lines:
                    if line.startswith(prefix):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or "<EOF>" in self.lines:
                    raise AssertionError(f"kiosk never printed {prefix!r} (exit {self.proc.poll()}): {self.stderr()[-1500:]}")
                self._cv.wait(min(left, 0.5))

    def stderr(self) -> str:
        if not self._err.closed:
            self._err.flush()
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def children(self) -> list[int]:
        pids: list[int] = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):  # children of every thread
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return pids

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self._err.close()

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (what systemd sends): a clean quit; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        self._err.close()
        return code


def write_config(tmp_path: Path, extra: str = "") -> Path:
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'var'}\nnarration:\n  cache_dir: {tmp_path / 'tts'}\n{extra}",
                   encoding="utf-8")
    return cfg


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def events(db_path: Path) -> list[tuple[str, dict, str | None]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT kind, data, delivered_at FROM visit_events ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [(k, json.loads(d), at) for k, d, at in rows]


def assert_clean_restart(cfg: Path, session_id: str | None = None) -> None:
    """The next start reaches its first frame and quits cleanly; DB sound; the session's events kept."""
    db_path = cfg.parent / "var" / "hongtu.db"
    k = KioskProc(cfg)
    k.wait_line("HONGTU_READY")
    assert k.stop() == 0, k.stderr()[-1500:]
    assert "Traceback" not in k.stderr(), k.stderr()[-3000:]
    assert integrity(db_path) == "ok"
    assert not list(db_path.parent.glob("hongtu.db.corrupt-*"))  # nothing had to be moved aside
    if session_id is not None:
        kinds = [kind for kind, data, _ in events(db_path) if data.get("session_id") == session_id]
        assert "session_start" in kinds


def drive_and_kill(cfg: Path, mode: str, env: dict[str, str] | None = None) -> tuple[str, str, list[int]]:
    k = KioskProc(cfg, mode, env)
    k.wait_line("HONGTU_READY")
    _, session_id, state = k.wait_line("HONGTU_DRIVEN").split()
    children = k.children()
    k.kill()
    assert k.proc.returncode == -signal.SIGKILL
    return session_id, state, children


def wait_gone(pids: list[int], timeout: float = 15) -> list[int]:
    """Children (the TTS worker) exit on their own once the kiosk is gone; returns those still alive."""
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]
        time.sleep(0.2)
    return alive


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_kill_in_a_session(tmp_path):
    cfg = write_config(tmp_path)
    session_id, _, _ = drive_and_kill(cfg, "session")
    assert_clean_restart(cfg, session_id)


def test_kill_during_narration(tmp_path):
    cfg = write_config(tmp_path)
    session_id, state, children = drive_and_kill(cfg, "narration")
    assert state != "idle"  # narration was under way (playing, or synthesising) when killed
    assert children  # the TTS worker process
    assert wait_gone(children) == []  # the TTS worker does not outlive the kiosk
    assert_clean_restart(cfg, session_id)


class StallingHub:
    """A 'hub' on 127.0.0.1 that accepts connections, reads the request and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self.got = threading.Event()
        self._conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)
            conn.settimeout(5)
            try:
                self.requests.append(conn.recv(65536))
            except OSError:
                pass
            self.got.set()

    def close(self) -> None:
        for c in self._conns:
            c.close()
        self.sock.close()


def test_kill_during_sync_push(tmp_path):
    cfg = write_config(tmp_path)
    session_id, _, _ = drive_and_kill(cfg, "session")  # leaves undelivered events behind
    hub = StallingHub()
    try:
        cfg.write_text(cfg.read_text() + f"sync:\n  hub_url: http://127.0.0.1:{hub.port}\n  token: t0ken\n")
        k = KioskProc(cfg)
        k.wait_line("HONGTU_READY")
        assert hub.got.wait(30), "the kiosk never pushed to the hub"
        assert b"POST" in hub.requests[0]
        k.kill()  # in the middle of the push: the hub has the request, the kiosk waits for the answer
    finally:
        hub.close()
    cfg.write_text(cfg.read_text().split("sync:")[0])
    assert_clean_restart(cfg, session_id)
    # nothing was marked delivered by the interrupted push
    assert all(at is None for _, _, at in events(tmp_path / "var" / "hongtu.db"))


def test_kill_during_pack_install(tmp_path):
    from app.config import load_config
    from app.content.loader import load_pack
    from app.packs.install import PAUSE_ENV, active_pack_path, install_dir_of, install_pack
    from packs_tools import build, make_keys

    key, pub = make_keys(tmp_path)
    cfg = write_config(tmp_path, f"packs:\n  trusted_keys: ['{pub}']\n")
    config = load_config(cfg, env={})
    install_pack(build(tmp_path, "1.0.0", key), config)
    new = build(tmp_path, "1.1.0", key)

    kiosk = KioskProc(cfg, "session")
    kiosk.wait_line("HONGTU_READY")
    kiosk.wait_line("HONGTU_DRIVEN")
    env = {**os.environ, PAUSE_ENV: "moved", "PYTHONPATH": str(REPO)}
    env.pop("HONGTU_CONFIG", None)
    installer = subprocess.Popen([sys.executable, "-m", "app", "pack", "install", str(new), "--config", str(cfg)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO, text=True)
    try:
        assert installer.stderr is not None
        for line in installer.stderr:  # unpacked and renamed into place, pointer not switched yet
            if "HONGTU_PACK_STAGE moved" in line:
                break
        else:
            raise AssertionError(f"the install never reached its pause (exit {installer.wait(10)})")
    finally:
        installer.send_signal(signal.SIGKILL)
        kiosk.kill()
        installer.wait(30)
        installer.stderr.close()
    root = install_dir_of(config)
    assert (root / "test-pack" / "1.1.0").is_dir()  # the half-finished install is on disk

    assert_clean_restart(cfg)
    assert not (root / "test-pack" / "1.1.0").exists()  # rolled back at start-up
    assert not [p for p in root.iterdir() if p.name.startswith((".tmp-", ".trash-"))]
    assert load_pack(active_pack_path(config)).info.version == "1.0.0"  # the active pack is whole
    assert install_pack(new, config).version == "1.1.0"  # and the next attempt works

