"""Installing, rolling back, removing and listing packs; the active pointer; stale-folder cleanup."""
from __future__ import annotations

import json

import pytest

from app.packs.errors import InstallError
from app.packs.install import (ActiveWatch, active_pack_path, cleanup_stale, install_dir_of, install_pack,
                               list_installed, remove_version, rollback)
from app.packs.state import install_lock, read_state
from packs_tools import assert_active, build, make_cfg, make_keys, tmp_folders


@pytest.fixture
def env(tmp_path):
    key, pub = make_keys(tmp_path)
    cfg = make_cfg(tmp_path, [pub])
    return tmp_path, key, cfg


def test_install_makes_the_pack_active_with_progress(env):
    tmp, key, cfg = env
    assert active_pack_path(cfg) is None
    seen = []
    r = install_pack(build(tmp, "1.0.0", key), cfg, progress=lambda d, t: seen.append((d, t)))
    assert (r.pack_id, r.version, r.previous, r.signer.trusted) == ("test-pack", "1.0.0", None, True)
    assert_active(cfg, "1.0.0")
    assert active_pack_path(cfg) == install_dir_of(cfg) / "test-pack" / "1.0.0"
    assert cfg.active_pack_path() == active_pack_path(cfg)  # what the kiosk calls
    total = seen[-1][1]
    assert seen[0] == (0, total) and seen[-1] == (total, total) and total > 0
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_versions_rollback_and_pruning(env):
    tmp, key, cfg = env
    watch = ActiveWatch(cfg)
    install_pack(build(tmp, "1.0.0", key), cfg)
    assert watch.changed() and not watch.changed()
    r = install_pack(build(tmp, "1.1.0", key), cfg)
    assert r.previous == "1.0.0" and r.removed == ()
    assert watch.changed()
    r = install_pack(build(tmp, "1.2.0", key), cfg)
    assert r.removed == ("1.0.0",)  # keep_versions = 2
    assert not (install_dir_of(cfg) / "test-pack" / "1.0.0").exists()
    assert [(x.version, x.active, x.previous) for x in list_installed(cfg)] == [("1.1.0", False, True),
                                                                              ("1.2.0", True, False)]
    assert rollback(cfg) == ("test-pack", "1.2.0", "1.1.0")
    assert_active(cfg, "1.1.0")
    assert watch.changed()
    assert [(x.version, x.active, x.previous) for x in list_installed(cfg)] == [("1.1.0", True, False),
                                                                              ("1.2.0", False, True)]
    assert rollback(cfg) == ("test-pack", "1.1.0", "1.2.0")  # a second rollback switches back
    assert_active(cfg, "1.2.0")
    with pytest.raises(InstallError, match="1.2.0 is already active"):
        rollback(cfg, "test-pack", to="1.2.0")
    assert rollback(cfg, "test-pack", to="1.1.0")[2] == "1.1.0"
    assert rollback(cfg)[2] == "1.2.0"
    with pytest.raises(InstallError, match="active version"):
        remove_version(cfg, "test-pack", "1.2.0")
    remove_version(cfg, "test-pack", "1.1.0")
    assert [x.version for x in list_installed(cfg)] == ["1.2.0"]
    assert not (install_dir_of(cfg) / "test-pack" / "1.1.0").exists()
    with pytest.raises(InstallError, match="1.2.0: no earlier version to roll back to$"):
        rollback(cfg)
    with pytest.raises(InstallError, match="not installed"):
        rollback(cfg, "other-pack")


def test_after_rollback_a_new_install_keeps_the_version_that_was_active(env):
    tmp, key, cfg = env
    for v in ("1.0.0", "1.1.0"):
        install_pack(build(tmp, v, key), cfg)
    rollback(cfg)  # 1.1.0 was bad: back to 1.0.0
    r = install_pack(build(tmp, "1.2.0", key), cfg)
    assert r.previous == "1.0.0" and r.removed == ("1.1.0",)
    rollback(cfg)
    assert_active(cfg, "1.0.0")


def test_reinstalling_the_same_version(env):
    tmp, key, cfg = env
    hp = build(tmp, "1.0.0", key)
    install_pack(hp, cfg)
    install_pack(build(tmp, "1.1.0", key), cfg)
    r = install_pack(hp, cfg)  # identical content: just becomes active again
    assert r.already_installed and r.version == "1.0.0"
    assert_active(cfg, "1.0.0")
    other = build(tmp / "other", "1.0.0", key, media={"extra.png": b"\x89PNG different"})
    with pytest.raises(InstallError, match="already installed with different content"):
        install_pack(other, cfg)
    assert_active(cfg, "1.0.0")


def test_unsigned_pack_needs_allow_unsigned(tmp_path):
    cfg = make_cfg(tmp_path, allow_unsigned=True)
    r = install_pack(build(tmp_path, "1.0.0"), cfg)
    assert r.signer.fingerprint is None
    assert_active(cfg, "1.0.0")


def test_cleanup_stale_removes_temp_trash_and_orphans(env):
    tmp, key, cfg = env
    install_pack(build(tmp, "1.0.0", key), cfg)
    root = install_dir_of(cfg)
    (root / ".tmp-abc" / "media").mkdir(parents=True)
    (root / ".trash-def").mkdir()
    (root / ".active.json.tmp-1234").write_text("{")
    (root / "test-pack" / "2.0.0").mkdir()  # renamed into place, but the pointer never named it
    (root / "unrelated").mkdir()  # not ours: no marker, left alone
    (root / "unrelated" / "x").mkdir()
    removed = {p.name for p in cleanup_stale(cfg)}
    assert removed == {".tmp-abc", ".trash-def", ".active.json.tmp-1234", "2.0.0"}
    assert (root / "unrelated" / "x").is_dir()
    assert_active(cfg, "1.0.0")


def test_cleanup_skips_while_an_install_holds_the_lock(env):
    tmp, key, cfg = env
    root = install_dir_of(cfg)
    (root / ".tmp-busy").mkdir(parents=True)
    with install_lock(root) as got:
        assert got
        assert cleanup_stale(cfg) == []
    assert cleanup_stale(cfg) == [root / ".tmp-busy"]


def test_pointer_is_plain_json_with_generation(env):
    tmp, key, cfg = env
    install_pack(build(tmp, "1.0.0", key), cfg)
    raw = json.loads((install_dir_of(cfg) / "active.json").read_text())
    assert raw["current"] == "test-pack" and raw["packs"]["test-pack"]["active"] == "1.0.0"
    assert raw["generation"] == read_state(install_dir_of(cfg)).generation == 1
    assert tmp_folders(cfg) == []


def test_damaged_pointer_falls_back_to_none_for_the_kiosk(env):
    tmp, key, cfg = env
    install_pack(build(tmp, "1.0.0", key), cfg)
    (install_dir_of(cfg) / "active.json").write_text("{not json")
    assert active_pack_path(cfg) is None
    from app.packs.errors import PackStateError

    with pytest.raises(PackStateError, match="active.json: damaged"):
        list_installed(cfg)


def test_build_refuses_output_inside_the_pack(env):
    from app.packs.archive import build_archive
    from app.packs.errors import PackError
    from packs_tools import make_pack_dir

    tmp, key, cfg = env
    src = make_pack_dir(tmp / "src")
    with pytest.raises(PackError, match="outside the pack folder"):
        build_archive(src, src / "x.hpack")


def test_version_held_by_the_running_kiosk_is_not_deleted(env):
    from app.packs.install import PackHold

    tmp, key, cfg = env
    install_pack(build(tmp, "1.0.0", key), cfg)
    kiosk = PackHold()
    kiosk.hold(active_pack_path(cfg))  # the kiosk shows 1.0.0 ...
    install_pack(build(tmp, "1.1.0", key), cfg)
    r = install_pack(build(tmp, "1.2.0", key), cfg)  # ... and is still in a visitor session
    assert r.removed == ()
    assert (install_dir_of(cfg) / "test-pack" / "1.0.0" / "pack.yaml").is_file()
    with pytest.raises(InstallError, match="still shown by the running kiosk"):
        remove_version(cfg, "test-pack", "1.0.0")
    kiosk.hold(active_pack_path(cfg))  # back at the home screen: switches to 1.2.0
    assert kiosk.path.name == "1.2.0"
    r = install_pack(build(tmp, "1.3.0", key), cfg)
    assert set(r.removed) == {"1.0.0", "1.1.0"}
    kiosk.release()
    assert_active(cfg, "1.3.0")
