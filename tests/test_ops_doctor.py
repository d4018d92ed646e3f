"""`hongtu doctor`: each check in plain words, and a non-zero exit when a visitor would notice."""
import http.server
import json
import threading
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from app.cli import load_commands

cli = load_commands()
from app.ops.doctor import check_clock, check_database, check_display, check_hub


def no_screen(**kw):
    """check_display on a machine with no kiosk, no systemd and no display sockets."""
    return check_display(kw.pop("env", {}), systemctl=None, runtime_dirs=[], x11_dir=Path("/nonexistent"), **kw)


def test_display_needs_a_screen():
    none = no_screen()
    assert none.status == "fail" and "the kiosk is not running" in none.detail and none.key == "display"
    assert no_screen(env={"WAYLAND_DISPLAY": "wayland-0"}).status == "ok"
    assert no_screen(env={"QT_QPA_PLATFORM": "offscreen"}).status == "warn"


def test_clock_and_database(tmp_path):
    assert check_clock(datetime(2001, 1, 1, tzinfo=timezone.utc)).status == "fail"
    db = tmp_path / "hongtu.db"
    assert check_database(db).status == "ok"
    db.write_bytes(b"this is not a database" * 100)
    result = check_database(db)
    assert result.status == "fail" and "damaged" in result.detail


class Answer500(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hub_answers_are_explained():
    server = http.server.HTTPServer(("127.0.0.1", 0), Answer500)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = check_hub(f"http://127.0.0.1:{server.server_port}", timeout_s=5)
        assert result.status == "warn" and "500" in result.detail
    finally:
        server.shutdown()
    dead = check_hub("http://127.0.0.1:9", timeout_s=2)
    assert dead.status == "warn" and "not reachable" in dead.detail
    assert check_hub("").status == "ok"


def test_cli_exits_non_zero_when_something_visible_is_broken(tmp_path, monkeypatch):
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text("data_dir: data\n")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("app.ops.doctor.kiosk_service_pid", lambda systemctl: None)
    monkeypatch.setattr("app.ops.doctor._display_sockets", lambda dirs, x11: ([], []))
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg)])
    assert result.exit_code == 1 and "FAIL  display" in result.output
    assert result.output.startswith(f"config: {cfg.resolve()}\ndata:   {tmp_path / 'data'}")
    assert not (tmp_path / "data").exists()  # doctor only looks: no folder made (disk check, voice cache)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg), "--json"])
    checks = {c["name"]: c["status"] for c in json.loads(result.output)}
    assert checks["display"] == "ok" and checks["disk space"] == "warn"  # data folder not made yet


def test_pack_check_fails_on_a_broken_pack_and_names_the_problem(tmp_path):
    from app.config import load_config
    from app.ops.doctor import check_pack

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("schema: 9\nid: x\n")
    cfg_file = tmp_path / "kiosk_config.yaml"
    cfg_file.write_text(f"data_dir: data\npack: {broken}\n")
    result = check_pack(load_config(cfg_file, env={}))
    assert result.status == "fail" and "pack.yaml" in result.detail
    cfg_file.write_text("data_dir: data\n")
    assert check_pack(load_config(cfg_file, env={})).status == "ok"  # the bundled sample


def test_camera_check_warns_when_no_frames_arrive(tmp_path):
    from app.config import load_config
    from app.ops.doctor import check_camera, check_voices

    cfg_file = tmp_path / "kiosk_config.yaml"
    cfg_file.write_text(f"vision:\n  enabled: true\n  source: {tmp_path / 'missing.mp4'}\nnarration:\n  enabled: false\n")
    cfg = load_config(cfg_file, env={})
    result = check_camera(cfg)
    assert result.status == "warn" and "no frames" in result.detail
    assert check_voices(cfg).status == "ok"  # narration switched off: nothing to check


HOLD_LOCK = """
import sys
from pathlib import Path
from app.ops.instance import InstanceLock
lock = InstanceLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_display_ok_when_the_kiosk_holds_its_lock_without_display_variables(tmp_path):
    import subprocess
    import sys

    assert no_screen(data_dir=tmp_path).status == "fail"  # no lock file: no kiosk
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / "kiosk.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = no_screen(data_dir=tmp_path)
        assert (result.status, result.detail) == ("ok", f"the kiosk is showing (pid {holder.pid})")
    finally:
        holder.communicate("", timeout=10)
    assert no_screen(data_dir=tmp_path).status == "fail"  # the kiosk exited: its lock went with it


def test_display_ok_when_systemd_runs_the_kiosk(tmp_path):
    fake = tmp_path / "systemctl"
    fake.write_text("#!/bin/sh\nprintf 'ActiveState=inactive\\nMainPID=0\\n\\nActiveState=active\\nMainPID=4242\\n'\n")
    fake.chmod(0o755)
    result = check_display({}, systemctl=str(fake), runtime_dirs=[], x11_dir=Path("/nonexistent"))
    assert (result.status, result.detail) == ("ok", "the kiosk is showing (pid 4242)")


def test_display_found_by_its_wayland_or_x_socket():
    import socket
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ht-", dir="/tmp") as d:  # short: socket paths are limited
        run = Path(d) / "run"
        run.mkdir()
        (run / "wayland-0.lock").write_text("")
        assert check_display({}, systemctl=None, runtime_dirs=[run], x11_dir=Path(d) / "x").status == "fail"
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(run / "wayland-0"))
        try:
            result = check_display({}, systemctl=None, runtime_dirs=[run], x11_dir=Path(d) / "x")
            assert result.status == "ok" and str(run / "wayland-0") in result.detail
            assert "the kiosk is not running" in result.detail
        finally:
            sock.close()


def test_disk_check_creates_nothing_and_an_impossible_data_dir_is_a_fail_line(tmp_path, monkeypatch):
    from app.ops.doctor import check_disk

    missing = tmp_path / "a" / "b"
    result = check_disk(missing)
    assert result.status == "warn" and "does not exist yet" in result.detail and not (tmp_path / "a").exists()
    (tmp_path / "file").write_text("x")
    assert check_disk(tmp_path / "file" / "data").status == "fail"
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text("narration:\n  enabled: false\n")
    monkeypatch.setenv("HONGTU_DATA_DIR", "/proc/qa8x")
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and "FAIL  disk space" in result.output and "Traceback" not in result.output


def test_a_check_that_crashes_becomes_a_fail_line_naming_it(tmp_path, monkeypatch):
    from app.config import load_config
    from app.ops import doctor

    def boom():
        raise RuntimeError("fc-list exploded\nsecond line")

    monkeypatch.setattr(doctor, "check_fonts", boom)
    monkeypatch.setattr(doctor, "check_voices", lambda cfg: doctor._c("voices", "ok", "voices.off"))
    monkeypatch.setattr(doctor, "check_display", lambda **kw: 1 / 0)
    cfg_file = tmp_path / "kiosk_config.yaml"
    cfg_file.write_text("data_dir: data\n")
    checks = {c.key: c for c in doctor.run_checks(load_config(cfg_file, env={}))}
    assert len(checks) == 10
    assert (checks["fonts"].name, checks["fonts"].status) == ("Chinese fonts", "fail")
    assert checks["fonts"].detail == "the check itself failed: RuntimeError: fc-list exploded"
    assert checks["display"].detail == "the check itself failed: ZeroDivisionError: division by zero"


def test_camera_check_silences_opencv_and_gives_up_after_its_timeout(tmp_path, monkeypatch, capfd):
    import cv2

    from app.config import load_config
    from app.ops.doctor import check_camera

    cfg_file = tmp_path / "kiosk_config.yaml"
    cfg_file.write_text("vision:\n  enabled: true\n  source: '7'\n")  # no camera with index 7 here
    cfg = load_config(cfg_file, env={})
    capfd.readouterr()
    result = check_camera(cfg)
    assert result.status == "warn" and result.detail.startswith("camera 7: no frames from the camera")
    err = capfd.readouterr().err
    assert "WARN" not in err and "VIDEOIO" not in err, err  # OpenCV's own lines are silenced
    assert cv2.utils.logging.getLogLevel() != cv2.utils.logging.LOG_LEVEL_SILENT  # and restored after

    release = threading.Event()
    opened: list[tuple] = []

    class HangingCapture:  # an RTSP camera that never answers
        def __init__(self, *args):
            opened.append(args)
            release.wait(10)

        def isOpened(self):  # noqa: N802
            return False

        def release(self):
            pass

    monkeypatch.setattr(cv2, "VideoCapture", HangingCapture)
    cfg_file.write_text("vision:\n  enabled: true\n  source: rtsp://user:pw@10.0.0.9/stream\n")
    try:
        result = check_camera(load_config(cfg_file, env={}), timeout_s=0.2)
    finally:
        release.set()
    assert result.status == "warn"
    assert result.detail == "rtsp://…@10.0.0.9/stream: the camera did not answer within 0.2 s; counts pause until it returns"
    assert opened[0][2][:2] == [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 200]  # OpenCV's own open timeout too


def test_a_database_that_cannot_be_checked_is_a_warning_not_damage(tmp_path, monkeypatch):
    from app.ops import doctor
    from app.ops.dbrecovery import DatabaseUnavailable

    db = tmp_path / "hongtu.db"
    db.write_bytes(b"")

    def locked(path):
        raise DatabaseUnavailable(f"{path}: cannot check the database: database is locked")

    monkeypatch.setattr(doctor, "check_integrity", locked)
    result = doctor.check_database(db)
    assert result.status == "warn" and result.detail.endswith("database is locked")


def test_fonts_check_reports_the_ui_fonts(tmp_path):
    from app import fonts
    from app.ops.doctor import check_fonts

    full = tmp_path / "full"
    full.mkdir()
    (full / "NotoSansCJK-Regular.ttc").write_bytes(b"x")
    env = {"HONGTU_FONT_DIR": str(full)}  # the bundle's full fonts (fontconfig is not asked: fc_list=None)
    ui = tmp_path / "ui-fonts"

    missing = check_fonts(env, fc_list=None, ui_dir=ui)
    assert (missing.key, missing.status) == ("fonts", "warn")
    assert missing.detail == (f"UI fonts not built in {ui}: the kiosk uses the full fonts ({full}) and more memory; "
                              "run `hongtu fonts build`")

    ui.mkdir()
    for i, spec in enumerate(fonts.FONTS):
        (ui / spec.out).write_bytes(b"\0" * (1_000_000 + i * 100_000))
    assert check_fonts(env, fc_list=None, ui_dir=ui).status == "warn"  # no manifest: not a finished build
    (ui / fonts.MANIFEST).write_text("{}")
    built = check_fonts(env, fc_list=None, ui_dir=ui)
    assert built.status == "ok" and built.detail == f"UI fonts built: 3 files, 3.3 MB; other characters from {full}"

    only_ui = check_fonts({}, fc_list=None, ui_dir=ui)
    assert only_ui.status == "warn" and "install fonts-noto-cjk" in only_ui.detail
    nothing = check_fonts({}, fc_list=None, ui_dir=tmp_path / "none")
    assert (nothing.status, nothing.detail) == ("fail", "no font with Chinese characters: install fonts-noto-cjk")
