"""Every kind of bad archive is refused with a message naming the cause; the active pack stays intact."""
from __future__ import annotations

import errno
import io
import os
import stat
import tarfile
import zipfile

import pytest
import yaml

import app.packs.install as install_mod
from app.packs.errors import (ArchiveReadError, InstallError, ManifestError, PackError, PackInvalidError,
                              SignatureError, UnsafeArchiveError)
from app.packs.install import install_dir_of, install_pack
from app.packs.manifest import ManifestFile
from packs_tools import (assert_active, build, file_info, make_cfg, make_keys, manifest_of, read_entries,
                         replace_manifest, write_entries)

BIG = 3 << 20  # a media file large enough to fail in the middle of


@pytest.fixture
def hall(tmp_path):
    """A terminal with test-pack 1.0.0 active, and the entries of a good signed 1.1.0 archive."""
    key, pub = make_keys(tmp_path)
    cfg = make_cfg(tmp_path, [pub], max_unpacked_mb=16)
    install_pack(build(tmp_path, "1.0.0", key), cfg)
    good = build(tmp_path, "1.1.0", key, media={"video/big.mp4": os.urandom(BIG)})
    return tmp_path, key, cfg, good, read_entries(good)


def refused(cfg, path, exc_type, match):
    with pytest.raises(exc_type, match=match):
        install_pack(path, cfg)
    assert_active(cfg, "1.0.0")
    assert not (install_dir_of(cfg) / "test-pack" / "1.1.0").exists()


def resign(entries, key, edit):
    """Apply `edit(manifest dict)` and sign with `key` (a trusted publisher making a malicious pack)."""
    m = manifest_of(entries)
    edit(m)
    return replace_manifest(entries, m, key)


@pytest.mark.parametrize("name, why", [
    ("../evil.yaml", "'..'"),
    ("pack/../../evil.yaml", "'..'"),
    ("pack/media/../../../../tmp/evil", "'..'"),
    ("/etc/cron.d/evil", "absolute path"),
    ("pack//etc/evil", "absolute path"),
    ("pack/media//evil", "empty path component"),
    ("C:/Windows/evil.dll", "drive letter"),
    ("pack/C:evil", "drive letter"),
    ("pack\\..\\..\\evil.yaml", "backslash"),
])
def test_zip_slip_names_are_refused(hall, name, why):
    tmp, key, cfg, good, entries = hall
    bad = write_entries(tmp / "bad.hpack", entries + [(file_info(name), b"evil")])
    refused(cfg, bad, UnsafeArchiveError, why)
    assert not (tmp / "evil.yaml").exists()


def test_zip_slip_in_a_signed_manifest_is_refused(hall):
    tmp, key, cfg, good, entries = hall
    data = b"evil"
    import hashlib

    def edit(m):
        m["files"].append({"path": "../evil.yaml", "size": 4, "sha256": hashlib.sha256(data).hexdigest()})

    bad = write_entries(tmp / "bad.hpack", resign(entries, key, edit) + [(file_info("pack/../evil.yaml"), data)])
    refused(cfg, bad, UnsafeArchiveError, r"files\[\d+\]\.path: unsafe path '../evil.yaml'")


def test_symlink_entry_is_refused(hall):
    tmp, key, cfg, good, entries = hall
    swapped = [(file_info("pack/media/map.png", stat.S_IFLNK | 0o777), b"/etc/passwd")
               if i.filename == "pack/media/map.png" else (i, d) for i, d in entries]
    refused(cfg, write_entries(tmp / "bad.hpack", swapped), UnsafeArchiveError, "map.png: symbolic link")


@pytest.mark.parametrize("mode", [stat.S_IFIFO | 0o644, stat.S_IFCHR | 0o644, stat.S_IFBLK | 0o644])
def test_special_file_entry_is_refused(hall, mode):
    tmp, key, cfg, good, entries = hall
    swapped = [(file_info(i.filename, mode), d) if i.filename == "pack/halls.yaml" else (i, d) for i, d in entries]
    refused(cfg, write_entries(tmp / "bad.hpack", swapped), UnsafeArchiveError, "special file")


def test_duplicate_entry_is_refused(hall):
    """Zip has no hard links; two entries under one name are its way of aliasing a file."""
    tmp, key, cfg, good, entries = hall
    dup = next((i, d) for i, d in entries if i.filename == "pack/halls.yaml")
    with pytest.warns(UserWarning):
        bad = write_entries(tmp / "bad.hpack", entries + [(file_info(dup[0].filename), b"halls: other")])
    refused(cfg, bad, UnsafeArchiveError, "appears twice")


def test_tar_with_links_is_not_an_hpack(hall):
    tmp, key, cfg, good, entries = hall
    bad = tmp / "bad.hpack"
    with tarfile.open(bad, "w") as tf:
        for name, kind in (("pack/halls.yaml", tarfile.REGTYPE), ("pack/evil", tarfile.LNKTYPE),
                           ("pack/evil2", tarfile.SYMTYPE)):
            ti = tarfile.TarInfo(name)
            ti.type = kind
            ti.linkname = "/etc/passwd" if kind != tarfile.REGTYPE else ""
            tf.addfile(ti, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
    refused(cfg, bad, ArchiveReadError, "not a .hpack archive")


def test_size_differs_from_manifest(hall):
    tmp, key, cfg, good, entries = hall
    longer = [(i, d + b"\n# more" if i.filename == "pack/halls.yaml" else d) for i, d in entries]
    refused(cfg, write_entries(tmp / "bad.hpack", longer), ManifestError,
            r"pack/halls.yaml: size \d+ in the archive differs from \d+ in the manifest")


def test_hash_differs_from_manifest(hall):
    tmp, key, cfg, good, entries = hall
    flipped = [(i, d[:-1] + bytes([d[-1] ^ 1]) if i.filename == "pack/media/video/big.mp4" else d)
               for i, d in entries]
    refused(cfg, write_entries(tmp / "bad.hpack", flipped), ManifestError,
            "pack/media/video/big.mp4: SHA-256 differs from the manifest")


def test_file_missing_from_manifest_is_an_extra_file(hall):
    tmp, key, cfg, good, entries = hall
    bad = write_entries(tmp / "bad.hpack", entries + [(file_info("pack/media/extra.png"), b"extra")])
    refused(cfg, bad, ManifestError, "pack/media/extra.png: extra file not listed in the manifest")


def test_manifest_lists_a_file_the_archive_lacks(hall):
    tmp, key, cfg, good, entries = hall
    fewer = [(i, d) for i, d in entries if i.filename != "pack/routes/gutian-walk.yaml"]
    refused(cfg, write_entries(tmp / "bad.hpack", fewer), ManifestError,
            "pack/routes/gutian-walk.yaml: listed in the manifest but missing from the archive")


def test_signature_by_untrusted_key(hall):
    tmp, key, cfg, good, entries = hall
    stranger, _ = make_keys(tmp, "stranger")
    bad = write_entries(tmp / "bad.hpack", resign(entries, stranger, lambda m: None))
    refused(cfg, bad, SignatureError, "not in packs.trusted_keys")


def test_unsigned_pack_refused_by_default(hall):
    tmp, key, cfg, good, entries = hall
    bad = write_entries(tmp / "bad.hpack", [(i, d) for i, d in entries if i.filename != "signature.json"])
    refused(cfg, bad, SignatureError, "not signed")


def test_modified_archive_with_valid_old_signature(hall):
    tmp, key, cfg, good, entries = hall
    new_halls = b"- {id: x}\n"
    import hashlib

    def edit(m):  # the attacker updates the manifest to match the new file but cannot re-sign
        for f in m["files"]:
            if f["path"] == "halls.yaml":
                f.update(size=len(new_halls), sha256=hashlib.sha256(new_halls).hexdigest())

    m = manifest_of(entries)
    edit(m)
    tampered = [(i, new_halls if i.filename == "pack/halls.yaml" else d) for i, d in replace_manifest(entries, m)]
    refused(cfg, write_entries(tmp / "bad.hpack", tampered), SignatureError, "changed after signing")


def test_schema_newer_in_manifest_refused_before_writing(hall, monkeypatch):
    tmp, key, cfg, good, entries = hall
    monkeypatch.setattr(install_mod.tempfile, "mkdtemp", lambda **kw: pytest.fail("wrote before refusing"))
    bad = write_entries(tmp / "bad.hpack", resign(entries, key, lambda m: m.update(schema=2)))
    refused(cfg, bad, ManifestError, "schema 2 is newer than this kiosk supports")


def test_schema_newer_in_pack_yaml_refused_by_the_loader(hall):
    tmp, key, cfg, good, entries = hall
    import hashlib

    info = next(d for i, d in entries if i.filename == "pack/pack.yaml")
    doc = yaml.safe_load(info)
    doc["schema"] = 2
    new = yaml.safe_dump(doc, allow_unicode=True).encode()

    def edit(m):
        for f in m["files"]:
            if f["path"] == "pack.yaml":
                f.update(size=len(new), sha256=hashlib.sha256(new).hexdigest())

    swapped = [(i, new if i.filename == "pack/pack.yaml" else d) for i, d in resign(entries, key, edit)]
    refused(cfg, write_entries(tmp / "bad.hpack", swapped), PackInvalidError, "schema 2 is newer")


def test_archive_bomb_refused_before_writing(hall, monkeypatch):
    tmp, key, cfg, good, entries = hall  # max_unpacked_mb = 16
    monkeypatch.setattr(install_mod.tempfile, "mkdtemp", lambda **kw: pytest.fail("wrote before refusing"))
    zeros = bytes(40 << 20)
    import hashlib

    sha = hashlib.sha256(zeros).hexdigest()
    bomb = file_info("pack/media/zeros.bin")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    honest = resign(entries, key, lambda m: m["files"].append({"path": "media/zeros.bin", "size": len(zeros), "sha256": sha}))
    path = write_entries(tmp / "bomb.hpack", honest + [(bomb, zeros)])
    with zipfile.ZipFile(path) as zf:  # tiny compressed, huge unpacked
        assert zf.getinfo("pack/media/zeros.bin").compress_size < (1 << 20)
    refused(cfg, path, UnsafeArchiveError, r"unpacked size .* exceeds the limit of 16.0 MB")
    # a lying manifest (claims 10 bytes) is caught by the entry's declared size, still before writing
    liar = resign(entries, key, lambda m: m["files"].append({"path": "media/zeros.bin", "size": 10, "sha256": sha}))
    path = write_entries(tmp / "liar.hpack", liar + [(bomb, zeros)])
    refused(cfg, path, ManifestError, "zeros.bin: size 41943040 in the archive differs from 10")


def test_disk_full_while_unpacking(hall, monkeypatch):
    tmp, key, cfg, good, entries = hall
    real_open = open

    class FullDisk(io.RawIOBase):
        def __init__(self, f):
            self.f, self.n = f, 0

        def write(self, b):
            self.n += len(b)
            if self.n > (1 << 20):
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(b)

        def fileno(self):
            return self.f.fileno()

        def close(self):
            self.f.close()
            super().close()

    def fake_open(p, mode="r", *a, **k):  # only the unpacked files: the archive itself still opens
        f = real_open(p, mode, *a, **k)
        return FullDisk(f) if "x" in mode else f

    monkeypatch.setattr(install_mod, "open", fake_open, raising=False)
    refused(cfg, good, InstallError, "disk full while unpacking pack/media/video/big.mp4")


def test_usb_stick_pulled_mid_copy(hall, monkeypatch):
    tmp, key, cfg, good, entries = hall
    real = install_mod._open_source

    class Pulled(io.RawIOBase):
        def __init__(self, f):
            self.f, self.n = f, 0

        def readable(self):
            return True

        def seekable(self):
            return True

        def seek(self, *a):
            return self.f.seek(*a)

        def tell(self):
            return self.f.tell()

        def readinto(self, b):
            self.n += len(b)
            if self.n > (1 << 20):
                raise OSError(errno.EIO, "Input/output error")
            return self.f.readinto(b)

        def close(self):
            self.f.close()
            super().close()

    monkeypatch.setattr(install_mod, "_open_source", lambda p: io.BufferedReader(Pulled(real(p))))
    refused(cfg, good, ArchiveReadError, "Input/output error.*USB stick removed")


def test_source_truncated_mid_copy(hall):
    tmp, key, cfg, good, entries = hall
    copy = tmp / "on-stick.hpack"
    copy.write_bytes(good.read_bytes())

    def pull(done, total):
        if done > 0:
            os.truncate(copy, copy.stat().st_size // 3)

    with pytest.raises(PackError, match="reading the archive failed|cannot read"):
        install_pack(copy, cfg, progress=pull)
    assert_active(cfg, "1.0.0")


def test_missing_and_non_archive_files(hall):
    tmp, key, cfg, good, entries = hall
    refused(cfg, tmp / "nowhere.hpack", PackError, "file not found")
    (tmp / "text.hpack").write_text("hello")
    refused(cfg, tmp / "text.hpack", ArchiveReadError, "not a .hpack archive")
    (tmp / "half.hpack").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(cfg, tmp / "half.hpack", ArchiveReadError, "not a .hpack archive, or truncated")


def test_manifest_file_size_matches_type(hall):
    assert ManifestFile("a", 1, "0" * 64).size == 1
