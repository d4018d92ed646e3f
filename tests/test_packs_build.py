"""Building, signing and verifying .hpack archives; keys; the manifest format."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile

import pytest

from app.packs.archive import build_archive, sign_archive, verify_archive
from app.packs.errors import KeyFileError, ManifestError, PackInvalidError, SignatureError, UnsafeArchiveError
from app.packs.manifest import parse_manifest
from app.packs.signing import fingerprint, generate_keypair, load_public_key, trust_set
from packs_tools import build, make_keys, make_pack_dir, manifest_of, read_entries, replace_manifest, write_entries

LIMIT = 1 << 30


def test_build_writes_manifest_with_every_file(tmp_path):
    src = make_pack_dir(tmp_path / "src", "1.2.3")
    (src / ".DS_Store").write_bytes(b"junk")  # hidden clutter is left out
    out = tmp_path / "p.hpack"
    m = build_archive(src, out)
    assert (m.pack_id, m.version, m.schema) == ("test-pack", "1.2.3", 1)
    on_disk = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file() and p.name != ".DS_Store")
    assert [f.path for f in m.files] == on_disk
    for f in m.files:
        data = (src / f.path).read_bytes()
        assert f.size == len(data) and f.sha256 == hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "manifest.json" in names and "signature.json" not in names
        assert sorted(n for n in names if n.startswith("pack/")) == ["pack/" + p for p in on_disk]
        assert zf.getinfo("pack/media/map.png").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("pack/pack.yaml").compress_type == zipfile.ZIP_DEFLATED
        assert parse_manifest(zf.read("manifest.json")) == m
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_build_refuses_an_invalid_pack_with_its_problems(tmp_path):
    def break_it(files):
        files["halls.yaml"][2]["parent"] = "nowhere"

    src = make_pack_dir(tmp_path / "src", mutate=break_it)
    with pytest.raises(PackInvalidError) as err:
        build_archive(src, tmp_path / "p.hpack")
    assert "halls.yaml:halls[2].parent" in str(err.value) or "halls.yaml" in str(err.value)
    assert err.value.problems
    assert not (tmp_path / "p.hpack").exists()


def test_build_refuses_a_symlink_in_the_source(tmp_path):
    src = make_pack_dir(tmp_path / "src")
    (src / "media" / "link.png").symlink_to(src / "media" / "map.png")
    with pytest.raises((UnsafeArchiveError, PackInvalidError), match="symbolic link"):
        build_archive(src, tmp_path / "p.hpack")
    assert not (tmp_path / "p.hpack").exists()


def test_keys_generate_private_0600_and_never_overwrites(tmp_path):
    key_path, pub_path = generate_keypair(tmp_path / "hall")
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert b"PRIVATE KEY" in key_path.read_bytes() and b"PUBLIC KEY" in pub_path.read_bytes()
    assert len(fingerprint(load_public_key(pub_path))) == 32
    with pytest.raises(KeyFileError, match="already exists"):
        generate_keypair(tmp_path / "hall")
    with pytest.raises(KeyFileError, match="private key"):
        load_public_key(key_path)


def test_trusted_key_may_be_base64_text(tmp_path):
    import base64

    key, pub = make_keys(tmp_path)
    from app.packs.signing import raw_public

    b64 = base64.b64encode(raw_public(key.public_key())).decode()
    assert trust_set([b64]).keys() == trust_set([str(pub)]).keys()


def test_sign_then_verify_with_trusted_and_untrusted_keys(tmp_path):
    key, pub = make_keys(tmp_path, "a")
    other, other_pub = make_keys(tmp_path, "b")
    hp = build(tmp_path, "1.0.0")
    with pytest.raises(SignatureError, match="not signed"):
        verify_archive(hp, trust_set([pub]), False, LIMIT)
    assert verify_archive(hp, {}, True, LIMIT).signer.fingerprint is None  # allow_unsigned
    sig = sign_archive(hp, key)
    v = verify_archive(hp, trust_set([pub]), False, LIMIT)
    assert v.signer.trusted and v.signer.fingerprint == sig.key_fingerprint
    with pytest.raises(SignatureError, match=f"{sig.key_fingerprint}.*not in packs.trusted_keys"):
        verify_archive(hp, trust_set([other_pub]), False, LIMIT)
    # re-signing replaces the signature (one signature.json entry, new signer)
    sign_archive(hp, other)
    with zipfile.ZipFile(hp) as zf:
        assert zf.namelist().count("signature.json") == 1
    assert verify_archive(hp, trust_set([other_pub]), False, LIMIT).signer.trusted


def test_verify_detects_a_manifest_changed_after_signing(tmp_path):
    key, pub = make_keys(tmp_path)
    entries = read_entries(build(tmp_path, "1.0.0", key=key))
    m = manifest_of(entries)
    m["version"] = "9.9.9"
    bad = write_entries(tmp_path / "bad.hpack", replace_manifest(entries, m))  # old signature kept
    with pytest.raises(SignatureError, match="changed after signing"):
        verify_archive(bad, trust_set([pub]), False, LIMIT)
    with pytest.raises(SignatureError, match="changed after signing"):
        verify_archive(bad, {}, True, LIMIT)  # even allow_unsigned never accepts a broken signature


def test_verify_hashes_every_file(tmp_path):
    key, pub = make_keys(tmp_path)
    entries = read_entries(build(tmp_path, "1.0.0", key=key))
    changed = [(i, b"x" * len(d) if i.filename == "pack/halls.yaml" else d) for i, d in entries]
    bad = write_entries(tmp_path / "bad.hpack", changed)
    with pytest.raises(ManifestError, match="pack/halls.yaml: SHA-256 differs"):
        verify_archive(bad, trust_set([pub]), False, LIMIT)


@pytest.mark.parametrize("mutate, match", [
    (lambda m: m["files"][0].update(sha256="zz"), r"files\[0\]\.sha256"),
    (lambda m: m["files"][1].update(size=-1), r"files\[1\]\.size: negative"),
    (lambda m: m.pop("pack_id"), "pack_id: missing"),
    (lambda m: m.update(format=2), "format 2 is not supported"),
    (lambda m: m["files"][0].update(path="../x"), r"files\[0\]\.path: unsafe path"),
    (lambda m: m["files"].append(dict(m["files"][0], path=m["files"][0]["path"].upper())), "same file"),
])
def test_manifest_errors_name_the_field(mutate, match, tmp_path):
    entries = read_entries(build(tmp_path, "1.0.0"))
    m = manifest_of(entries)
    mutate(m)
    with pytest.raises((ManifestError, UnsafeArchiveError), match=match):
        parse_manifest(json.dumps(m).encode())


def test_manifest_refuses_duplicate_keys():
    with pytest.raises(ManifestError, match="key appears twice"):
        parse_manifest(b'{"format": 1, "format": 1}')
