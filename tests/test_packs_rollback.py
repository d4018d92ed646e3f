"""Rollback goes to the previously active version; a second rollback switches back (core and CLI)."""
from __future__ import annotations

import json

import pytest

from app.packs.errors import InstallError
from app.packs.install import ActiveWatch, install_dir_of, install_pack, list_installed, remove_version, rollback
from packs_tools import assert_active, build, make_cfg, make_keys, make_pack_dir, run  # noqa: F401  (run: a fixture)


@pytest.fixture
def env(tmp_path):
    key, pub = make_keys(tmp_path)
    return tmp_path, key, make_cfg(tmp_path, [pub], keep_versions=3)


def install_all(tmp, key, cfg, *versions: str) -> None:
    for v in versions:
        install_pack(build(tmp, v, key), cfg)


def marks(cfg) -> list[tuple[str, str]]:
    """(version, 'active' | 'previous' | '') per installed version."""
    return [(r.version, "active" if r.active else "previous" if r.previous else "") for r in list_installed(cfg)]


def test_rollback_twice_switches_back(env):
    tmp, key, cfg = env
    install_all(tmp, key, cfg, "1.0.0", "1.1.0", "1.2.0")
    watch = ActiveWatch(cfg)
    assert rollback(cfg) == ("test-pack", "1.2.0", "1.1.0")
    assert_active(cfg, "1.1.0")
    assert marks(cfg) == [("1.0.0", ""), ("1.1.0", "active"), ("1.2.0", "previous")]
    assert watch.changed()
    assert rollback(cfg) == ("test-pack", "1.1.0", "1.2.0")
    assert_active(cfg, "1.2.0")
    assert marks(cfg) == [("1.0.0", ""), ("1.1.0", "previous"), ("1.2.0", "active")]
    assert watch.changed()
    assert rollback(cfg)[2] == "1.1.0"  # and so on: a toggle between the last two active versions
    raw = json.loads((install_dir_of(cfg) / "active.json").read_text())
    assert raw["packs"]["test-pack"]["history"][-1] == "1.2.0"  # "previous" is recorded in the pointer


def test_rollback_to_a_version_then_back(env):
    tmp, key, cfg = env
    install_all(tmp, key, cfg, "1.0.0", "1.1.0", "1.2.0")
    assert rollback(cfg, to="1.0.0") == ("test-pack", "1.2.0", "1.0.0")
    assert marks(cfg) == [("1.0.0", "active"), ("1.1.0", ""), ("1.2.0", "previous")]
    assert rollback(cfg) == ("test-pack", "1.0.0", "1.2.0")  # back to the one active before --to
    assert rollback(cfg) == ("test-pack", "1.2.0", "1.0.0")
    with pytest.raises(InstallError, match="test-pack 1.0.0 is already active"):
        rollback(cfg, to="1.0.0")
    with pytest.raises(InstallError, match=r"no installed version '9.9.9' \(installed: 1.0.0, 1.1.0, 1.2.0\)"):
        rollback(cfg, to="9.9.9")
    assert_active(cfg, "1.0.0")


def test_reinstalling_an_older_version_makes_the_active_one_previous(env):
    tmp, key, cfg = env
    v1 = build(tmp, "1.0.0", key)
    install_pack(v1, cfg)
    install_pack(build(tmp, "1.1.0", key), cfg)
    r = install_pack(v1, cfg)
    assert r.already_installed and r.previous == "1.1.0"
    assert marks(cfg) == [("1.0.0", "active"), ("1.1.0", "previous")]
    assert rollback(cfg)[1:] == ("1.0.0", "1.1.0")


def test_pruning_after_rollbacks_keeps_the_version_active_before_the_install(tmp_path):
    key, pub = make_keys(tmp_path)
    cfg = make_cfg(tmp_path, [pub], keep_versions=2)
    install_all(tmp_path, key, cfg, "1.0.0", "1.1.0")
    for _ in range(3):
        rollback(cfg)  # 1.0.0, 1.1.0, 1.0.0
    assert_active(cfg, "1.0.0")
    r = install_pack(build(tmp_path, "1.2.0", key), cfg)
    assert r.previous == "1.0.0" and r.removed == ("1.1.0",)
    assert rollback(cfg)[2] == "1.0.0"
    assert rollback(cfg)[2] == "1.2.0"


def test_removing_the_previous_version_falls_back_to_the_one_before(env):
    tmp, key, cfg = env
    install_all(tmp, key, cfg, "1.0.0", "1.1.0", "1.2.0")
    remove_version(cfg, "test-pack", "1.1.0")
    assert marks(cfg) == [("1.0.0", "previous"), ("1.2.0", "active")]
    assert rollback(cfg)[1:] == ("1.2.0", "1.0.0")
    remove_version(cfg, "test-pack", "1.2.0")
    with pytest.raises(InstallError, match="test-pack 1.0.0: no earlier version to roll back to"):
        rollback(cfg)


def test_rollback_of_a_pack_that_is_not_shown(env):
    tmp, key, cfg = env
    install_all(tmp, key, cfg, "1.0.0", "1.1.0")
    other = make_pack_dir(tmp / "other-src", "3.0.0", mutate=lambda f: f["pack.yaml"].update(id="other-pack"))
    from app.packs.archive import build_archive

    build_archive(other, tmp / "other.hpack", key=key)
    install_pack(tmp / "other.hpack", cfg)
    with pytest.raises(InstallError, match="other-pack 3.0.0: no earlier version"):
        rollback(cfg)  # the pack shown has a single version
    assert rollback(cfg, "test-pack") == ("test-pack", "1.1.0", "1.0.0")
    assert rollback(cfg) == ("test-pack", "1.0.0", "1.1.0")  # test-pack is now the one shown


# ---- CLI -------------------------------------------------------------------------------------------

@pytest.fixture
def terminal(tmp_path, run):
    """A config trusting a fresh key, and signed archives of 1.0.0 and 1.1.0 (both installed)."""
    run("keys", "generate", "--out", tmp_path / "museum")
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'var'}\npacks:\n  trusted_keys: [museum.pub]\n")
    archives = {}
    for v in ("1.0.0", "1.1.0"):
        make_pack_dir(tmp_path / f"src-{v}", v)
        archives[v] = tmp_path / f"test-pack-{v}.hpack"
        run("pack", "build", tmp_path / f"src-{v}", "--out", archives[v], "--key", tmp_path / "museum.key")
        run("pack", "install", archives[v], "--config", cfg)
    return cfg, archives


def test_cli_rollback_twice_toggles(terminal, run):
    cfg, _ = terminal
    out = run("pack", "rollback", "--config", cfg)
    assert "test-pack: 1.1.0 -> 1.0.0" in out and "rollback again returns to it" in out
    assert "test-pack: 1.0.0 -> 1.1.0" in run("pack", "rollback", "--config", cfg)
    rows = json.loads(run("pack", "list", "--json", "--config", cfg))
    assert [(r["version"], r["active"], r["previous"]) for r in rows] == [("1.0.0", False, True),
                                                                          ("1.1.0", True, False)]
    assert "test-pack: 1.1.0 -> 1.0.0" in run("pack", "rollback", "test-pack", "--to", "1.0.0", "--config", cfg)
    assert "already active" in run("pack", "rollback", "--to", "1.0.0", "--config", cfg, ok=False)
    assert "test-pack: 1.0.0 -> 1.1.0" in run("pack", "rollback", "--config", cfg)


def test_cli_reinstall_refuses_a_tampered_copy_and_repairs_a_damaged_install(terminal, run, tmp_path):
    cfg, archives = terminal
    from packs_tools import read_entries, write_entries

    entries = read_entries(archives["1.0.0"])
    tampered = [(i, d[:-1] + bytes([d[-1] ^ 1]) if i.filename == "pack/halls.yaml" else d) for i, d in entries]
    bad = write_entries(tmp_path / "copy-of-1.0.0.hpack", tampered)
    out = run("pack", "install", bad, "--config", cfg, ok=False)
    assert "error: pack/halls.yaml: SHA-256 differs from the manifest" in out
    assert "* test-pack                1.1.0" in run("pack", "list", "--config", cfg)

    (tmp_path / "var" / "packs" / "test-pack" / "1.0.0" / "halls.yaml").write_text("- {id: x}\n")
    out = run("pack", "install", archives["1.0.0"], "--config", cfg)
    assert "test-pack 1.0.0 was installed but damaged (halls.yaml:" in out and "now active" in out
    out = run("pack", "install", archives["1.0.0"], "--config", cfg)
    assert "already installed (archive verified, installed files intact)" in out
