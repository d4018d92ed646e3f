"""Helpers for the pack tests (tests/test_packs_*.py): configs, keys, built and hand-crafted archives."""
from __future__ import annotations

import pytest

import dataclasses
import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Callable

from app.config import KioskConfig, PacksConfig
from app.packs.archive import build_archive
from app.packs.install import active_pack_path, install_dir_of
from app.packs.signing import generate_keypair, load_private_key, sign_manifest
from app.packs.manifest import Manifest, ManifestFile
from packbuilder import pack_files, write_pack


def make_keys(folder: Path, name: str = "publisher"):
    """(private key, .pub path) of a fresh key pair under `folder`."""
    key_path, pub_path = generate_keypair(folder / name)
    return load_private_key(key_path), pub_path


def make_cfg(tmp: Path, trusted: list[str] | None = None, **packs) -> KioskConfig:
    """A config whose data lives under `tmp/var`, trusting the given key files."""
    return dataclasses.replace(KioskConfig(), data_dir=tmp / "var",
                               packs=PacksConfig(trusted_keys=[str(t) for t in (trusted or [])], **packs))


def make_pack_dir(root: Path, version: str = "1.0.0", media: dict[str, bytes] | None = None,
                  mutate: Callable[[dict], None] | None = None) -> Path:
    files = pack_files()
    files["pack.yaml"]["version"] = version
    if mutate:
        mutate(files)
    from packbuilder import MINIMAL_MEDIA

    return write_pack(root, files, {**MINIMAL_MEDIA, **(media or {})})


def build(tmp: Path, version: str, key=None, media: dict[str, bytes] | None = None,
          mutate: Callable[[dict], None] | None = None) -> Path:
    """Build (and sign with `key`) a valid pack of `version`; returns the .hpack path."""
    src = make_pack_dir(tmp / f"src-{version}", version, media, mutate)
    out = tmp / f"test-pack-{version}.hpack"
    build_archive(src, out, key=key)
    return out


def read_entries(hpack: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(hpack) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def write_entries(out: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """Write a zip with exactly these entries (ZipInfo kept as given: attributes, names, method)."""
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in entries:
            if isinstance(info, str):
                info = zipfile.ZipInfo(info)
            zf.writestr(info, data)
    return out


def manifest_of(entries) -> dict:
    return json.loads(next(d for i, d in entries if i.filename == "manifest.json"))


def replace_manifest(entries, manifest: dict, key=None) -> list:
    """Entries with a new manifest.json; re-signed with `key`, or keeping the old signature when None."""
    m = Manifest(pack_id=manifest["pack_id"], version=manifest["version"], schema=manifest["schema"],
                 files=tuple(ManifestFile(**f) for f in manifest["files"]), format=manifest["format"],
                 created=manifest["created"])  # not parsed: tests write manifests the kiosk must refuse
    out = []
    for info, data in entries:
        if info.filename == "manifest.json":
            data = m.canonical_bytes()
        elif info.filename == "signature.json" and key is not None:
            data = sign_manifest(m, key).to_bytes()
        out.append((info, data))
    return out


def file_info(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name)
    zi.create_system = 3
    zi.external_attr = mode << 16
    return zi


def tmp_folders(cfg: KioskConfig) -> list[Path]:
    root = install_dir_of(cfg)
    return [p for p in root.iterdir() if p.name.startswith((".tmp-", ".trash-"))] if root.exists() else []


def assert_active(cfg: KioskConfig, version: str) -> None:
    """The active pack is `version`, loads cleanly, and no temporary folder is left."""
    from app.content.loader import load_pack

    path = active_pack_path(cfg)
    assert path is not None and path.name == version, path
    assert load_pack(path).info.version == version
    assert tmp_folders(cfg) == []


__all__ = ["make_keys", "make_cfg", "build", "read_entries", "write_entries", "manifest_of", "replace_manifest",
           "file_info", "tmp_folders", "assert_active", "make_pack_dir", "io"]


@pytest.fixture
def run():
    """`run(*args, ok=True)`: invoke the hongtu CLI in-process, check the exit status, return its output."""
    import app.cli.packs  # noqa: F401  (registers the commands)
    from click.testing import CliRunner

    from app.cli import cli

    runner = CliRunner()

    def invoke(*args, ok=True):
        r = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert (r.exit_code == 0) == ok, r.output
        return r.output

    return invoke
