"""`hongtu doctor`: each check in plain words, and a non-zero exit when a visitor would notice."""
import http.server
import json
import threading
from datetime import datetime, timezone

from click.testing import CliRunner

from app.cli import load_commands

cli = load_commands()
from app.ops.doctor import check_clock, check_database, check_display, check_hub


def test_display_needs_a_screen():
    assert check_display({}).status == "fail"
    assert check_display({"WAYLAND_DISPLAY": "wayland-0"}).status == "ok"
    assert check_display({"QT_QPA_PLATFORM": "offscreen"}).status == "warn"


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
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg)])
    assert result.exit_code == 1 and "FAIL  display" in result.output
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg), "--json"])
    checks = {c["name"]: c["status"] for c in json.loads(result.output)}
    assert checks["display"] == "ok" and checks["disk space"] == "ok"


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
