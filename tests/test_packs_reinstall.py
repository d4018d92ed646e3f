"""Reinstalling a version that is already on disk: the archive is verified as fully as a fresh install,
an intact copy is re-activated as it is, and a damaged copy is replaced by a fresh one from a good archive."""
from __future__ import annotations

import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.packs.errors import ManifestError, PackError, SignatureError, UnsafeArchiveError
from app.packs.install import (PAUSE_ENV, PackHold, active_pack_path, cleanup_stale, install_dir_of, install_pack,
                               list_installed)
from app.packs.state import in_use, read_state
from packs_tools import (assert_active, build, make_cfg, make_keys, manifest_of, read_entries, replace_manifest,
                         tmp_folders, write_entries)

BIG = "video/big.mp4"


@pytest.fixture
def hall(tmp_path):
    """test-pack 1.0.0 (with a 2 MiB video) installed, then 1.1.0 installed and active."""
    key, pub = make_keys(tmp_path)
    cfg = make_cfg(tmp_path, [pub], keep_versions=3)
    v1 = build(tmp_path, "1.0.0", key, media={BIG: os.urandom(2 << 20)})
    install_pack(v1, cfg)
    install_pack(build(tmp_path, "1.1.0", key), cfg)
    return tmp_path, key, cfg, v1


def flip_last_byte(entries, name: str):
    """Same size, different content; manifest and signature untouched (a tampered copy of a good archive)."""
    return [(i, d[:-1] + bytes([d[-1] ^ 1]) if i.filename == name else d) for i, d in entries]


def assert_same_files(folder: Path, archive: Path) -> None:
    """`folder` holds exactly the archive's pack/ files, byte for byte, and nothing else."""
    want = {i.filename[len("pack/"):]: d for i, d in read_entries(archive) if i.filename.startswith("pack/")}
    have = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink()}
    assert sorted(have) == sorted(want)
    for rel, p in have.items():
        assert not p.is_symlink() and p.read_bytes() == want[rel], rel


def version_dir(cfg, version: str) -> Path:
    return install_dir_of(cfg) / "test-pack" / version


def fresh_install_error(tmp: Path, key_pub: Path, archive: Path) -> str:
    """The message a terminal that never had this version gives for `archive`."""
    other = make_cfg(tmp / "fresh-terminal", [key_pub], keep_versions=3)
    with pytest.raises(PackError) as exc:
        install_pack(archive, other)
    assert active_pack_path(other) is None
    return str(exc.value)


def tampered_archives(tmp: Path, key, good: Path) -> dict[str, tuple[Path, type]]:
    entries = read_entries(good)
    m = manifest_of(entries)
    new_halls = b"- {id: x}\n"
    for f in m["files"]:
        if f["path"] == "halls.yaml":
            f.update(size=len(new_halls), sha256=hashlib.sha256(new_halls).hexdigest())
    resigned_by_nobody = [(i, new_halls if i.filename == "pack/halls.yaml" else d)
                          for i, d in replace_manifest(entries, m)]
    longer = [(i, d + b"\n# more" if i.filename == "pack/halls.yaml" else d) for i, d in entries]
    return {
        "hash": (write_entries(tmp / "t-hash.hpack", flip_last_byte(entries, f"pack/media/{BIG}")), ManifestError),
        "yaml-hash": (write_entries(tmp / "t-yaml.hpack", flip_last_byte(entries, "pack/pack.yaml")), ManifestError),
        "size": (write_entries(tmp / "t-size.hpack", longer), ManifestError),
        "manifest": (write_entries(tmp / "t-manifest.hpack", resigned_by_nobody), SignatureError),
        "unsigned": (write_entries(tmp / "t-unsigned.hpack",
                                   [(i, d) for i, d in entries if i.filename != "signature.json"]), SignatureError),
    }


@pytest.mark.parametrize("kind", ["hash", "yaml-hash", "size", "manifest", "unsigned"])
@pytest.mark.parametrize("active", ["1.1.0", "1.0.0"])
def test_tampered_copy_of_an_installed_version_is_refused_like_a_fresh_install(hall, kind, active):
    tmp, key, cfg, v1 = hall
    if active == "1.0.0":
        install_pack(v1, cfg)  # the genuine archive: re-activates 1.0.0
    pub = Path(cfg.packs.trusted_keys[0])
    bad, exc_type = tampered_archives(tmp, key, v1)[kind]
    generation = read_state(install_dir_of(cfg)).generation
    with pytest.raises(exc_type) as exc:
        install_pack(bad, cfg)
    assert str(exc.value) == fresh_install_error(tmp, pub, bad)
    assert_active(cfg, active)
    assert read_state(install_dir_of(cfg)).generation == generation  # nothing was switched


def test_archive_over_the_size_limit_is_refused_on_reinstall(hall):
    tmp, key, cfg, v1 = hall
    small = make_cfg(tmp, list(cfg.packs.trusted_keys), keep_versions=3, max_unpacked_mb=1)  # same terminal
    with pytest.raises(UnsafeArchiveError, match="exceeds the limit"):
        install_pack(v1, small)
    assert_active(cfg, "1.1.0")


def test_intact_copy_is_reactivated_without_copying(hall):
    tmp, key, cfg, v1 = hall
    before = os.stat(version_dir(cfg, "1.0.0") / "media" / BIG).st_ino
    seen = []
    r = install_pack(v1, cfg, progress=lambda d, t: seen.append((d, t)))
    assert r.already_installed and r.repaired is None and r.previous == "1.1.0"
    assert_active(cfg, "1.0.0")
    assert os.stat(version_dir(cfg, "1.0.0") / "media" / BIG).st_ino == before
    total = seen[-1][1]
    assert seen[-1] == (total, total) and total > 2 << 20  # every byte of the archive was read


def test_cancel_during_reinstall_changes_nothing(hall):
    tmp, key, cfg, v1 = hall

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        install_pack(v1, cfg, progress=cancel)
    assert_active(cfg, "1.1.0")


def damage_changed(folder: Path) -> str:
    p = folder / "media" / BIG
    data = bytearray(p.read_bytes())
    data[1000] ^= 0xFF
    p.write_bytes(bytes(data))
    return f"media/{BIG}: SHA-256 differs"


def damage_truncated(folder: Path) -> str:
    p = folder / "halls.yaml"
    p.write_bytes(p.read_bytes()[:-3])
    return "halls.yaml: .* bytes, the manifest says"


def damage_missing(folder: Path) -> str:
    (folder / "media" / "photos" / "gutian.png").unlink()
    return "media/photos/gutian.png: missing"


def damage_extra(folder: Path) -> str:
    (folder / "exhibits" / "intruder.yaml").write_text("id: intruder\n")
    return "exhibits/intruder.yaml: extra file not in the manifest"


def damage_link(folder: Path) -> str:
    p = folder / "media" / "map.png"
    p.unlink()
    p.symlink_to("/etc/passwd")
    return "media/map.png: symbolic link"


def damage_folder_gone(folder: Path) -> str:
    shutil.rmtree(folder)
    return "folder is missing"


DAMAGES = [damage_changed, damage_truncated, damage_missing, damage_extra, damage_link, damage_folder_gone]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_damaged_copy_is_replaced_from_a_good_archive(hall, damage):
    tmp, key, cfg, v1 = hall
    folder = version_dir(cfg, "1.0.0")
    why = damage(folder)
    r = install_pack(v1, cfg)
    assert not r.already_installed and r.repaired and r.previous == "1.1.0"
    assert re.search(why, r.repaired), r.repaired
    assert_active(cfg, "1.0.0")
    assert_same_files(folder, v1)
    assert [(x.version, x.active) for x in list_installed(cfg)] == [("1.0.0", True), ("1.1.0", False)]
    assert sorted(p.name for p in (install_dir_of(cfg) / "test-pack").iterdir() if p.is_dir()) == ["1.0.0", "1.1.0"]
    assert tmp_folders(cfg) == []


def test_damaged_active_copy_is_repaired_in_place_and_stays_held(hall):
    tmp, key, cfg, v1 = hall
    install_pack(v1, cfg)  # 1.0.0 active again
    kiosk = PackHold()
    kiosk.hold(active_pack_path(cfg))  # the running kiosk shows it
    damage_missing(version_dir(cfg, "1.0.0"))
    generation = read_state(install_dir_of(cfg)).generation
    r = install_pack(v1, cfg)
    assert r.repaired and r.previous == "1.1.0"  # the rollback target is unchanged
    assert_active(cfg, "1.0.0")
    assert read_state(install_dir_of(cfg)).generation == generation + 1  # the running kiosk is told
    assert in_use(version_dir(cfg, "1.0.0"))  # the kiosk's hold survived the swap
    kiosk.release()


def test_damaged_copy_and_tampered_archive_refused_and_nothing_changes(hall):
    tmp, key, cfg, v1 = hall
    folder = version_dir(cfg, "1.0.0")
    damage_missing(folder)
    bad = write_entries(tmp / "bad.hpack", flip_last_byte(read_entries(v1), f"pack/media/{BIG}"))
    with pytest.raises(ManifestError, match=f"pack/media/{BIG}: SHA-256 differs from the manifest"):
        install_pack(bad, cfg)
    assert_active(cfg, "1.1.0")
    assert not (folder / "media" / "photos" / "gutian.png").exists()  # left as it was, not half-replaced
    assert (folder / "pack.yaml").is_file()


def test_different_content_under_the_same_version_still_refused(hall):
    tmp, key, cfg, v1 = hall
    other = build(tmp / "other", "1.0.0", key, media={"extra.png": b"\x89PNG different"})
    with pytest.raises(PackError, match="already installed with different content"):
        install_pack(other, cfg)
    assert_active(cfg, "1.1.0")


def test_killed_while_replacing_the_damaged_active_copy_leaves_a_whole_pack(hall):
    tmp, key, cfg, v1 = hall
    install_pack(v1, cfg)  # 1.0.0 active: what the kiosk shows
    cfg_path = tmp / "kiosk_config.yaml"
    cfg_path.write_text(f"data_dir: {cfg.data_dir}\npacks:\n  trusted_keys: ['{cfg.packs.trusted_keys[0]}']\n"
                        "  keep_versions: 3\n")
    damage_changed(version_dir(cfg, "1.0.0"))
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, PAUSE_ENV: "replacing", "PYTHONPATH": str(repo)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "pack", "install", str(v1), "--config", str(cfg_path)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=repo)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"HONGTU_PACK_STAGE replacing" not in seen:
            left = deadline - time.monotonic()
            assert left > 0 and proc.poll() is None, seen.decode(errors="replace")
            if select.select([proc.stderr], [], [], left)[0]:
                seen += os.read(proc.stderr.fileno(), 4096)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stderr.close()
    # the kiosk, starting now (before any cleanup), finds the whole, repaired pack: the swap was one step
    assert active_pack_path(cfg) == version_dir(cfg, "1.0.0")
    assert_same_files(version_dir(cfg, "1.0.0"), v1)
    assert tmp_folders(cfg)  # the damaged copy, left for the clean-up
    cleanup_stale(cfg)
    assert_active(cfg, "1.0.0")
    assert install_pack(v1, cfg).already_installed


def test_repair_without_an_atomic_exchange_uses_two_renames(hall, monkeypatch):
    import app.packs.install as install_mod

    tmp, key, cfg, v1 = hall
    monkeypatch.setattr(install_mod, "exchange", lambda a, b: False)  # Windows, old kernels, some file systems
    damage_missing(version_dir(cfg, "1.0.0"))
    r = install_pack(v1, cfg)
    assert r.repaired == "media/photos/gutian.png: missing"
    assert_same_files(version_dir(cfg, "1.0.0"), v1)
    assert_active(cfg, "1.0.0")


def test_reinstalling_the_active_version_of_a_pack_not_shown_shows_it_again(tmp_path):
    from app.packs.archive import build_archive
    from packs_tools import make_pack_dir

    key, pub = make_keys(tmp_path)
    cfg = make_cfg(tmp_path, [pub])
    v1 = build(tmp_path, "1.0.0", key)
    install_pack(v1, cfg)
    src = make_pack_dir(tmp_path / "other-src", "3.0.0", mutate=lambda f: f["pack.yaml"].update(id="other-pack"))
    install_pack(build_archive(src, tmp_path / "other.hpack", key=key) and tmp_path / "other.hpack", cfg)
    assert read_state(install_dir_of(cfg)).current == "other-pack"
    r = install_pack(v1, cfg)
    assert r.already_installed
    assert read_state(install_dir_of(cfg)).current == "test-pack"
    assert_active(cfg, "1.0.0")
