"""`hongtu run` / main.py refuse bad start-up input with one clear line and a non-zero exit."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import app.cli.kiosk  # noqa: F401  (registers run and tour)
from app.cli import cli


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", "--windowed", *args])
    return result.exit_code, result.output.strip()


def test_config_error_is_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.yaml"
    cfg.write_text("ui:\n  idle_timeout_s: 2\n", encoding="utf-8")
    code, out = _run("--config", str(cfg))
    assert code == 2
    assert len(out.splitlines()) == 1 and "ui.idle_timeout_s" in out


def test_missing_pack_folder_is_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    code, out = _run("--config", str(cfg), "--pack", str(tmp_path / "nowhere"))
    assert code == 2
    errors = [line for line in out.splitlines() if line.startswith("hongtu:")]  # (INFO log lines aside)
    assert errors == [f"hongtu: {tmp_path / 'nowhere'}: content pack folder not found"]
