"""The admin PIN: salted scrypt hash, lockout after wrong PINs with a growing delay, set-pin CLI."""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

import app.cli.packs  # noqa: F401  (registers the commands)
from app.cli import cli
from app.config import AdminConfig, KioskConfig
from app.packs.errors import PinError, PinLockedError
from app.packs.pin import AdminPin, hash_pin, verify_pin_hash


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def cfg_for(tmp_path, **admin) -> KioskConfig:
    return dataclasses.replace(KioskConfig(), data_dir=tmp_path / "var", admin=AdminConfig(**admin))


def test_hash_is_salted_and_parameterised():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and a.startswith("scrypt$n=16384,r=8,p=1$")
    assert verify_pin_hash("2468", a) and not verify_pin_hash("2469", a)
    assert verify_pin_hash("1357", hash_pin("1357", n=1024))  # parameters travel with the hash
    with pytest.raises(PinError, match="damaged"):
        verify_pin_hash("1234", "scrypt$garbage")
    with pytest.raises(PinError, match="4 to 12 digits"):
        hash_pin("12a4")


def test_five_wrong_pins_lock_with_a_growing_delay(tmp_path):
    clock = Clock()
    pin = AdminPin(cfg_for(tmp_path), clock)
    with pytest.raises(PinError, match="no admin PIN is set"):
        pin.check("1234")
    pin.set_pin("8642")
    assert pin.check("8642")
    for left in (4, 3, 2, 1):
        assert pin.check("0000") is False
        assert pin.attempts_left() == left
    with pytest.raises(PinLockedError) as first:
        pin.check("0000")
    assert first.value.remaining_s == pytest.approx(60)
    with pytest.raises(PinLockedError):  # while locked even the right PIN is not compared
        pin.check("8642")
    # the lock survives a restart (new object, same file)
    clock.t += 59
    assert AdminPin(cfg_for(tmp_path), clock).locked_for() == pytest.approx(1)
    clock.t += 2
    for _ in range(4):
        assert pin.check("1111") is False
    with pytest.raises(PinLockedError) as second:
        pin.check("1111")
    assert second.value.remaining_s == pytest.approx(120)  # doubled
    clock.t += 121
    assert pin.check("8642") and pin.attempts_left() == 5
    for _ in range(4):
        pin.check("1111")
    with pytest.raises(PinLockedError) as again:
        pin.check("1111")
    assert again.value.remaining_s == pytest.approx(60)  # a right PIN resets the growth


def test_plain_pin_never_stored(tmp_path):
    pin = AdminPin(cfg_for(tmp_path))
    pin.set_pin("97531")
    text = pin.path.read_text()
    assert "97531" not in text and json.loads(text)["hash"].startswith("scrypt$")
    assert oct(pin.path.stat().st_mode & 0o777) == "0o600"


def test_config_hash_is_the_fallback(tmp_path):
    pin = AdminPin(cfg_for(tmp_path, pin_hash=hash_pin("5555")))
    assert pin.is_set() and pin.check("5555")
    pin.set_pin("6666")  # the terminal's own PIN wins once set
    assert pin.check("6666") and not pin.check("5555")


def test_set_pin_cli_prompts_twice_and_reads_stdin(tmp_path):
    cfg_path = tmp_path / "kiosk_config.yaml"
    cfg_path.write_text(f"data_dir: {tmp_path / 'var'}\n")
    runner = CliRunner()
    r = runner.invoke(cli, ["admin", "set-pin", "--config", str(cfg_path)], input="1234\n1234\n")
    assert r.exit_code == 0, r.output
    assert "1234" not in r.output
    assert AdminPin(cfg_for(tmp_path)).check("1234")
    r = runner.invoke(cli, ["admin", "set-pin", "--pin-stdin", "--config", str(cfg_path)], input="24680\n")
    assert r.exit_code == 0 and AdminPin(cfg_for(tmp_path)).check("24680")
    r = runner.invoke(cli, ["admin", "set-pin", "--pin-stdin", "--config", str(cfg_path)], input="12\n")
    assert r.exit_code == 1 and "4 to 12 digits" in r.output
