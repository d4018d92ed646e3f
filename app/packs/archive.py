"""The `.hpack` archive: a zip holding `manifest.json`, optionally `signature.json`, and the pack
folder under `pack/`.

Why zip: its central directory lists every entry's name, type and sizes up front, so an archive is
checked (paths, links, sizes, the unpacked-size limit) before a single byte is written; entries are
read individually (manifest first, no full scan as with tar); and any Windows or Linux machine opens
it without extra tools. Media (already compressed) is stored, text is deflated.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import stat
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable

from app.content.model import SUPPORTED_SCHEMA
from app.packs.errors import (ArchiveReadError, ManifestError, PackError, PackInvalidError, SignatureError,
                              UnsafeArchiveError)
from app.packs.manifest import (CHUNK, Manifest, ManifestFile, check_names_unique, check_rel_path,
                                parse_manifest)
from app.packs.signing import Signature, SignerCheck, check_signature, parse_signature, sign_manifest

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature.json"
PREFIX = "pack/"
MAX_MANIFEST_BYTES = 64 << 20
MAX_SIGNATURE_BYTES = 64 << 10
MAX_ENTRIES = 200_000
DEFLATE_SUFFIXES = {".yaml", ".yml", ".json", ".md", ".txt", ".csv", ".svg", ".html", ".css", ".js",
                    ".srt", ".vtt", ".xml", ".wav", ".bmp", ".tif", ".tiff"}
SKIP_NAMES = {"Thumbs.db", "desktop.ini"}

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


# ---------------------------------------------------------------------------------------- build

def collect_files(root: Path) -> list[tuple[str, Path]]:
    """(relative '/'-path, file) for every file under `root`, sorted; skips hidden and OS clutter files.

    Refuses links and special files: a pack is plain files and folders.
    """
    out: list[tuple[str, Path]] = []

    def walk(folder: Path, rel: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            if e.name.startswith(".") or e.name in SKIP_NAMES:
                continue
            r = f"{rel}{e.name}"
            if e.is_symlink():
                raise UnsafeArchiveError(f"{Path(e.path)}: symbolic links are not allowed in a pack")
            if e.is_dir(follow_symlinks=False):
                walk(Path(e.path), r + "/")
            elif e.is_file(follow_symlinks=False):
                check_rel_path(r)
                out.append((r, Path(e.path)))
            else:
                raise UnsafeArchiveError(f"{Path(e.path)}: not a regular file")

    walk(root, "")
    check_names_unique((r for r, _ in out), str(root))
    return out


def validate_source(root: Path) -> tuple[str, str, int]:
    """Validate the pack folder with the content loader; (pack id, version, schema) or PackInvalidError."""
    info = load_checked(root, f"{root}: the pack").info
    return info.id, info.version, info.schema


def load_checked(root: Path, what: str):
    """`load_pack(root)`, with the loader's problems turned into PackInvalidError (one line, all kept in .problems)."""
    from app.content.loader import PackError as ContentError, load_pack

    try:
        return load_pack(root)
    except ContentError as exc:
        problems = [str(p) for p in exc.problems]
        first = problems[0] if problems else str(exc)
        raise PackInvalidError(f"{what} has {len(problems)} problem(s); first: {first}", problems) from None


def build_archive(src: Path, out: Path, key=None, progress: Progress | None = None) -> Manifest:
    """Validate `src`, then write `out` (.hpack) with its manifest; sign it when `key` is given.

    The archive is written under a temporary name and renamed into place when complete.
    """
    src = Path(src)
    if not src.is_dir():
        raise PackError(f"{src}: not a folder")
    if Path(out).resolve().is_relative_to(src.resolve()):
        raise PackError(f"{out}: write the .hpack outside the pack folder {src}")
    pack_id, version, schema = validate_source(src)
    files = collect_files(src)
    total = sum(p.stat().st_size for _, p in files)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp-{secrets.token_hex(4)}")
    entries: list[ManifestFile] = []
    done = 0
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for rel, path in files:
                st = path.stat()
                zi = zipfile.ZipInfo(PREFIX + rel, _zip_time(st.st_mtime))
                zi.external_attr = (stat.S_IFREG | 0o644) << 16
                zi.create_system = 3
                deflate = path.suffix.lower() in DEFLATE_SUFFIXES
                zi.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
                zi.file_size = st.st_size
                h = hashlib.sha256()
                size = 0
                with open(path, "rb") as f, zf.open(zi, "w") as w:
                    while block := f.read(CHUNK):
                        h.update(block)
                        w.write(block)
                        size += len(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
                entries.append(ManifestFile(rel, size, h.hexdigest()))
            manifest = Manifest(pack_id=pack_id, version=version, schema=schema, files=tuple(entries),
                                created=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            _write_small(zf, MANIFEST_NAME, manifest.canonical_bytes())
            if key is not None:
                _write_small(zf, SIGNATURE_NAME, sign_manifest(manifest, key).to_bytes())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    t = datetime.fromtimestamp(max(mtime, 315532800 + 86400))  # zip dates start in 1980
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _write_small(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zi = zipfile.ZipInfo(name, datetime.now().timetuple()[:6])
    zi.external_attr = (stat.S_IFREG | 0o644) << 16
    zi.create_system = 3
    zi.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(zi, data)


def sign_archive(path: Path, key) -> Signature:
    """Add (or replace) signature.json in the archive at `path`.

    The manifest is read and its canonical bytes signed. An unsigned archive gets the signature
    appended in place; a signed one is rewritten under a temporary name and renamed over.
    """
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
        already = any(i.filename == SIGNATURE_NAME for i in zf.infolist())
    sig = sign_manifest(manifest, key)
    if not already:
        with zipfile.ZipFile(path, "a", allowZip64=True) as zf:
            _write_small(zf, SIGNATURE_NAME, sig.to_bytes())
        return sig
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        with open_archive(path) as src, zipfile.ZipFile(tmp, "w", allowZip64=True) as dst:
            for info in src.infolist():
                if info.filename == SIGNATURE_NAME:
                    continue
                with src.open(info) as r, dst.open(_copy_info(info), "w") as w:
                    while block := r.read(CHUNK):
                        w.write(block)
            _write_small(dst, SIGNATURE_NAME, sig.to_bytes())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return sig


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.external_attr, zi.create_system = info.external_attr, info.create_system
    zi.compress_type, zi.file_size = info.compress_type, info.file_size
    return zi


# ---------------------------------------------------------------------------------------- read

def open_archive(source: Path | BinaryIO) -> zipfile.ZipFile:
    """Open a .hpack for reading; a missing, truncated or non-zip file raises PackError naming it."""
    name = getattr(source, "name", source)
    try:
        return zipfile.ZipFile(source, "r")
    except FileNotFoundError:
        raise PackError(f"{name}: file not found") from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ArchiveReadError(f"{name}: not a .hpack archive, or truncated ({exc})") from None
    except OSError as exc:
        raise ArchiveReadError(f"{name}: cannot read ({exc.strerror or exc}); was the USB stick removed?") from None


def _read_limited(zf: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    infos = [i for i in zf.infolist() if i.filename == name]
    if not infos:
        return None
    if len(infos) > 1:
        raise UnsafeArchiveError(f"{name}: appears {len(infos)} times in the archive")
    if infos[0].file_size > limit:
        raise ManifestError(f"{name}: {infos[0].file_size} bytes is larger than the {limit}-byte limit")
    try:
        with zf.open(infos[0]) as f:
            return f.read(limit + 1)[:limit]
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise ArchiveReadError(f"{name}: cannot read from the archive ({exc})") from None


def read_manifest(zf: zipfile.ZipFile) -> Manifest:
    data = _read_limited(zf, MANIFEST_NAME, MAX_MANIFEST_BYTES)
    if data is None:
        raise ManifestError(f"{MANIFEST_NAME}: missing from the archive (build it with `hongtu pack build`)")
    return parse_manifest(data)


def read_signature(zf: zipfile.ZipFile) -> Signature | None:
    data = _read_limited(zf, SIGNATURE_NAME, MAX_SIGNATURE_BYTES)
    return None if data is None else parse_signature(data)


def _entry_kind_problem(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & 0x1:
        return "encrypted entry"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"unsupported compression method {info.compress_type}"
    if info.create_system == 3:  # Unix: the high 16 bits are st_mode
        fmt = stat.S_IFMT(info.external_attr >> 16)
        if fmt == stat.S_IFLNK:
            return "symbolic link"
        if fmt not in (0, stat.S_IFREG, stat.S_IFDIR):
            return "special file (device, pipe, socket or link)"
    return None


def check_entries(zf: zipfile.ZipFile, manifest: Manifest, max_unpacked: int) -> dict[str, zipfile.ZipInfo]:
    """Check every archive entry against the manifest before anything is written.

    Returns manifest path → entry. Refuses unsafe names, links, duplicates, files missing from the
    archive or the manifest, size mismatches, and a total above `max_unpacked` bytes.
    """
    if manifest.schema > SUPPORTED_SCHEMA:
        raise ManifestError(f"{MANIFEST_NAME}:schema: pack schema {manifest.schema} is newer than this kiosk "
                            f"supports ({SUPPORTED_SCHEMA}); update the kiosk software first")
    if manifest.schema < 1:
        raise ManifestError(f"{MANIFEST_NAME}:schema: {manifest.schema} is not a valid schema")
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchiveError(f"archive has {len(infos)} entries (limit {MAX_ENTRIES})")
    if manifest.total_size > max_unpacked:
        raise UnsafeArchiveError(f"unpacked size {_mb(manifest.total_size)} exceeds the limit of {_mb(max_unpacked)} "
                                 "(packs.max_unpacked_mb); refusing before writing anything")
    wanted = {f.path: f for f in manifest.files}
    found: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in infos:
        name, orig = info.filename, info.orig_filename
        if "\x00" in orig or "\\" in orig:
            raise UnsafeArchiveError(f"unsafe path {orig!r}: {'NUL byte' if chr(0) in orig else 'backslash'} in name")
        kind = _entry_kind_problem(info)
        if kind:
            raise UnsafeArchiveError(f"{name}: {kind} not allowed in a pack")
        if name in (MANIFEST_NAME, SIGNATURE_NAME):
            continue
        if not name.startswith(PREFIX):
            check_rel_path(name.rstrip("/") or name)
            raise UnsafeArchiveError(f"{name}: unexpected entry outside the pack/ folder")
        rel = name[len(PREFIX):]
        if info.is_dir() or name.endswith("/"):
            if rel:
                check_rel_path(rel.rstrip("/"))
            continue
        check_rel_path(rel)
        if rel in found:
            raise UnsafeArchiveError(f"{name}: appears twice in the archive")
        mf = wanted.get(rel)
        if mf is None:
            raise ManifestError(f"{name}: extra file not listed in the manifest")
        if info.file_size != mf.size:
            raise ManifestError(f"{name}: size {info.file_size} in the archive differs from {mf.size} in the manifest")
        declared += info.file_size
        if declared > max_unpacked:
            raise UnsafeArchiveError(f"entries unpack to more than {_mb(max_unpacked)} (packs.max_unpacked_mb)")
        found[rel] = info
    missing = [p for p in wanted if p not in found]
    if missing:
        raise ManifestError(f"{PREFIX}{missing[0]}: listed in the manifest but missing from the archive"
                            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    return found


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB"


def stream_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, mf: ManifestFile, out: BinaryIO | None,
                 on_bytes: Callable[[int], None] | None = None, out_name: str = "") -> None:
    """Copy one entry to `out` (or just read it when None) in 1 MiB blocks, hashing as it goes.

    Raises ArchiveReadError when the source fails (stick pulled, truncated file), ManifestError when
    the bytes disagree with the manifest, and OSError from writing unchanged (the caller names it).
    """
    name = PREFIX + mf.path
    h = hashlib.sha256()
    size = 0
    try:
        f = zf.open(info)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise ArchiveReadError(f"{name}: cannot read from the archive ({_cause(exc)}); was the USB stick removed?") from None
    with f:
        while True:
            try:
                block = f.read(CHUNK)
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise ArchiveReadError(f"{name}: reading the archive failed after {size} bytes ({_cause(exc)}); "
                                       "was the USB stick removed or the file damaged?") from None
            if not block:
                break
            size += len(block)
            if size > mf.size:
                raise ManifestError(f"{name}: longer than the {mf.size} bytes in the manifest")
            h.update(block)
            if out is not None:
                out.write(block)
            if on_bytes:
                on_bytes(len(block))
    if size != mf.size:
        raise ManifestError(f"{name}: {size} bytes, the manifest says {mf.size}")
    if h.hexdigest() != mf.sha256:
        raise ManifestError(f"{name}: SHA-256 differs from the manifest (file changed or damaged)")


def _cause(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


@dataclass(frozen=True)
class Verified:
    manifest: Manifest
    signer: SignerCheck


def verify_archive(path: Path, trusted: dict, allow_unsigned: bool, max_unpacked: int,
                   progress: Progress | None = None) -> Verified:
    """Full check without writing: signature, entries against the manifest, and every file's hash."""
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
        signer = check_signature(manifest, read_signature(zf), trusted, allow_unsigned)
        entries = check_entries(zf, manifest, max_unpacked)
        hash_entries(zf, manifest, entries, progress)
    return Verified(manifest, signer)


def hash_entries(zf: zipfile.ZipFile, manifest: Manifest, entries: dict[str, zipfile.ZipInfo],
                 progress: Progress | None = None) -> None:
    """Read every file of the archive (entries from `check_entries`) and check its size and SHA-256.

    Writes nothing; raises as `stream_entry` does. `progress(done, total)` gets the bytes read.
    """
    tick = byte_progress(progress, manifest.total_size)
    for mf in manifest.files:
        stream_entry(zf, entries[mf.path], mf, None, tick)


def byte_progress(progress: Progress | None, total: int) -> Callable[[int], None]:
    """Reports 0 of `total` now; the returned `tick(n)` adds n bytes and reports the running total."""
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if progress:
        progress(0, total)
    return tick


__all__ = ["build_archive", "sign_archive", "open_archive", "read_manifest", "read_signature", "check_entries",
           "stream_entry", "hash_entries", "verify_archive", "Verified", "SignatureError", "MANIFEST_NAME",
           "SIGNATURE_NAME", "PREFIX"]


@dataclass(frozen=True)
class ArchiveSummary:
    """What the USB import list shows for one file, from its manifest and signature only (fast)."""

    path: Path
    pack_id: str | None
    version: str | None
    size: int  # unpacked bytes
    signer: SignerCheck | None
    problem: str | None  # one line when the file cannot be installed as it is

    @property
    def ok(self) -> bool:
        return self.problem is None


def describe_archive(path: Path, trusted: dict, allow_unsigned: bool, max_unpacked: int) -> ArchiveSummary:
    """Read a .hpack's manifest and check its signature and entries (no file hashing): for listing.

    Never raises for a bad file: the problem is returned as text for the admin screen.
    """
    manifest: Manifest | None = None
    try:
        with open_archive(path) as zf:
            manifest = read_manifest(zf)
            signer = check_signature(manifest, read_signature(zf), trusted, allow_unsigned)
            check_entries(zf, manifest, max_unpacked)
            return ArchiveSummary(path, manifest.pack_id, manifest.version, manifest.total_size, signer, None)
    except PackError as exc:
        return ArchiveSummary(path, manifest.pack_id if manifest else None, manifest.version if manifest else None,
                              manifest.total_size if manifest else 0, None, str(exc))
    except OSError as exc:
        return ArchiveSummary(path, None, None, 0, None, f"{path}: cannot read ({exc.strerror or exc})")
