"""Finding .hpack files on removable media, and importing one while the stick is read."""
from __future__ import annotations

import dataclasses
import os

from app.config import KioskConfig, PacksConfig
from app.packs import usb
from app.packs.install import install_pack
from app.packs.usb import default_mounts, find_usb_packs
from packs_tools import assert_active, build, make_cfg, make_keys


def cfg_with(mounts):
    return dataclasses.replace(KioskConfig(), packs=PacksConfig(usb_mounts=[str(m) for m in mounts]))


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_shallow_search_on_globbed_mounts(tmp_path, monkeypatch):
    media = tmp_path / "media"
    a = touch(media / "staff" / "STICK" / "hall-2025.hpack")
    b = touch(media / "staff" / "STICK" / "packs" / "fujian.HPACK")
    touch(media / "staff" / "STICK" / "a" / "b" / "too-deep.hpack")
    touch(media / "staff" / "STICK" / ".Trash-1000" / "deleted.hpack")
    touch(media / "staff" / "STICK" / "notes.txt")
    c = touch(tmp_path / "mnt" / "usb0" / "x.hpack")
    found = find_usb_packs(cfg_with([media / "*" / "*", tmp_path / "mnt" / "*", tmp_path / "absent"]))
    assert found == sorted([a, b, c], key=str)


def test_unreadable_mount_is_skipped(tmp_path, monkeypatch):
    good = touch(tmp_path / "ok" / "p.hpack")
    bad = tmp_path / "broken"
    bad.mkdir()
    real = os.scandir

    def scandir(path):
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(usb.os, "scandir", scandir)
    assert find_usb_packs(cfg_with([bad, tmp_path / "ok"])) == [good]


def test_defaults_cover_linux_and_windows(monkeypatch):
    assert "/media/*/*" in default_mounts() and "/run/media/*/*" in default_mounts() and "/mnt" in default_mounts()
    monkeypatch.setattr(usb.os, "name", "nt")
    assert default_mounts()[0] == "D:\\" and default_mounts()[-1] == "Z:\\"


def test_import_from_stick_with_progress(tmp_path):
    key, pub = make_keys(tmp_path)
    cfg = dataclasses.replace(make_cfg(tmp_path, [pub]), packs=PacksConfig(
        trusted_keys=[str(pub)], usb_mounts=[str(tmp_path / "media" / "*")]))
    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    built = build(tmp_path, "1.0.0", key, media={"video/v.mp4": os.urandom(3 << 20)})
    os.replace(built, stick / built.name)
    (found,) = find_usb_packs(cfg)
    bars = []
    install_pack(found, cfg, progress=lambda done, total: bars.append(done * 100 // total))
    assert bars[0] == 0 and bars[-1] == 100 and len(bars) > 3
    assert_active(cfg, "1.0.0")


def test_describe_lists_good_and_bad_files(tmp_path):
    from app.packs.archive import describe_archive
    from app.packs.signing import trust_set

    key, pub = make_keys(tmp_path)
    good = build(tmp_path, "1.0.0", key)
    unsigned = build(tmp_path / "u", "1.1.0")
    junk = tmp_path / "junk.hpack"
    junk.write_bytes(b"not a zip")
    trusted = trust_set([pub])
    s = describe_archive(good, trusted, False, 1 << 30)
    assert s.ok and (s.pack_id, s.version) == ("test-pack", "1.0.0") and s.signer.trusted and s.size > 0
    s = describe_archive(unsigned, trusted, False, 1 << 30)
    assert not s.ok and "not signed" in s.problem and s.version == "1.1.0"
    assert "not a .hpack archive" in describe_archive(junk, trusted, False, 1 << 30).problem


def test_usb_command_lists_packs(tmp_path):
    from click.testing import CliRunner

    import app.cli.packs  # noqa: F401
    from app.cli import cli

    key, pub = make_keys(tmp_path)
    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    built = build(tmp_path, "1.0.0", key)
    os.replace(built, stick / "hall.hpack")
    (stick / "broken.hpack").write_text("x")
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'var'}\npacks:\n  trusted_keys: ['{pub}']\n"
                   f"  usb_mounts: ['{tmp_path / 'media' / '*'}']\n")
    out = CliRunner().invoke(cli, ["pack", "usb", "--config", str(cfg)]).output
    assert "hall.hpack  test-pack 1.0.0" in out and "trusted key" in out
    assert "broken.hpack  cannot install: " in out
