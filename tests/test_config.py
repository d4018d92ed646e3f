"""The typed kiosk configuration: defaults, documentation, overrides and one-line errors."""
from pathlib import Path

import pytest

from app.config import REPO_ROOT, ConfigError, KioskConfig, describe, env_names, load_config


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk_config.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_config_loads_and_equals_the_defaults():
    cfg = load_config(REPO_ROOT / "kiosk_config.yaml", env={})
    assert isinstance(cfg, KioskConfig)
    assert cfg.ui.idle_timeout_s == 90 and cfg.default_language == "zh"
    assert cfg.data_dir == REPO_ROOT / "var"


def test_every_key_is_documented_in_the_shipped_file():
    text = (REPO_ROOT / "kiosk_config.yaml").read_text(encoding="utf-8")
    for key, env, _default, doc in describe():
        assert doc, key
        assert f"{key.split('.')[-1]}:" in text, f"{key} missing from kiosk_config.yaml"
        assert f"[{env}]" in text, f"{env} not mentioned in kiosk_config.yaml"


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    cfg = load_config(write(tmp_path, "data_dir: data\npack: exhibits/x\n"), env={})
    assert cfg.data_dir == tmp_path / "data"
    assert cfg.pack == tmp_path / "exhibits/x"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("idle: 3\n", "idle: unknown key"),
        ("ui:\n  idle_timeout_s: soon\n", "ui.idle_timeout_s: expected a whole number from 10 to 3600, got 'soon'"),
        ("ui:\n  idle_timeout_s: 5\n", "ui.idle_timeout_s: expected a whole number from 10 to 3600, got 5"),
        ("fullscreen: 'yes'\n", "fullscreen: expected true or false"),
        ("vision:\n  detector: magic\n", "vision.detector: expected one of default, onnx, motion"),
        ("ui: 3\n", "ui: expected a section"),
        ("languages: [fr]\n", "languages: expected a non-empty list"),
        ("vision:\n  line: [1, 2, 3]\n", "vision.line: expected 4 numbers"),
        ("ui: [\n", "not valid YAML"),
    ],
)
def test_bad_values_stop_with_one_line_naming_the_key(tmp_path, text, needle):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text), env={})
    message = str(err.value)
    assert needle in message and "\n" not in message
    assert "kiosk_config.yaml" in message


def test_environment_overrides_file_and_is_named_in_errors(tmp_path):
    path = write(tmp_path, "ui:\n  idle_timeout_s: 60\n")
    cfg = load_config(path, env={"HONGTU_UI_IDLE_TIMEOUT_S": "120", "HONGTU_FULLSCREEN": "false",
                                 "HONGTU_VISION_LINE": "[0, 0.5, 1, 0.5]"})
    assert cfg.ui.idle_timeout_s == 120 and cfg.fullscreen is False
    assert cfg.vision.line == [0.0, 0.5, 1.0, 0.5]
    with pytest.raises(ConfigError, match="HONGTU_UI_COUNTDOWN_S: expected a whole number"):
        load_config(path, env={"HONGTU_UI_COUNTDOWN_S": "many"})


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.yaml", env={})


def test_env_names_are_unique_and_prefixed():
    names = env_names()
    assert all(n.startswith("HONGTU_") for n in names)
    assert len(set(names.values())) == len(names)
