"""The default config: $HONGTU_CONFIG, else the installed terminal's /etc/hongtu/kiosk_config.yaml,
else the bundled kiosk_config.yaml, so that CLI commands in a support shell see the kiosk's data."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from app import config
from app.cli import load_commands
from app.config import DEFAULT_CONFIG, ConfigError, default_config_path, load_config

cli = load_commands()


@pytest.fixture
def site(tmp_path, monkeypatch):
    path = tmp_path / "etc" / "kiosk_config.yaml"
    monkeypatch.setattr(config, "SITE_CONFIG", path)
    return path


def test_site_config_is_used_when_none_is_named(site, tmp_path):
    assert default_config_path({}) == DEFAULT_CONFIG  # not installed: the bundled defaults
    site.parent.mkdir()
    site.write_text(f"data_dir: {tmp_path / 'var-lib'}\nterminal_id: hall-3\n")
    assert default_config_path({}) == site
    cfg = load_config(None, env={})
    assert (cfg.config_path, cfg.data_dir, cfg.terminal_id) == (site.resolve(), tmp_path / "var-lib", "hall-3")
    other = tmp_path / "other.yaml"
    other.write_text("terminal_id: other\n")
    assert load_config(None, env={"HONGTU_CONFIG": str(other)}).terminal_id == "other"  # the variable wins
    assert load_config(other, env={}).terminal_id == "other"  # and --config wins over both


def test_an_unreadable_site_config_is_named_not_skipped(site, monkeypatch):
    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(site), "is_file", denied)
    with pytest.raises(ConfigError, match=r"kiosk_config.yaml: cannot read \(Permission denied\); run the command as root"):
        load_config(None, env={})


def test_doctor_and_sync_use_the_site_config(site, tmp_path, monkeypatch):
    site.parent.mkdir()
    site.write_text(f"data_dir: {tmp_path / 'var-lib'}\nnarration:\n  enabled: false\n")
    monkeypatch.delenv("HONGTU_CONFIG", raising=False)
    monkeypatch.delenv("HONGTU_DATA_DIR", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    r = CliRunner().invoke(cli, ["doctor"])
    assert r.output.startswith(f"config: {site.resolve()}\ndata:   {tmp_path / 'var-lib'}\n"), r.output
    r = CliRunner().invoke(cli, ["sync", "status", "--json"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "var-lib" / "hongtu.db").exists()  # the terminal's database, not the bundled var/
