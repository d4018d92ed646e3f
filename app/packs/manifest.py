"""manifest.json: what a `.hpack` holds (pack id, version, schema, every file's path, size and SHA-256).

The signature covers `canonical_bytes()`: the manifest as JSON with sorted keys, no spaces, UTF-8.
Paths are '/'-separated and relative to the pack folder; `check_rel_path` refuses anything that
could leave it.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from app.packs.errors import ManifestError, UnsafeArchiveError

FORMAT = 1
CHUNK = 1 << 20  # 1 MiB: streaming block for hashing and copying
MAX_PATH_LEN = 400
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class ManifestFile:
    path: str  # '/'-separated, relative to the pack folder
    size: int
    sha256: str  # lowercase hex


@dataclass(frozen=True)
class Manifest:
    pack_id: str
    version: str
    schema: int
    files: tuple[ManifestFile, ...]
    format: int = FORMAT
    created: str = ""

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "pack_id": self.pack_id,
            "version": self.version,
            "schema": self.schema,
            "created": self.created,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }

    def canonical_bytes(self) -> bytes:
        """The exact bytes that are signed and written as manifest.json."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def digest(self) -> str:
        """SHA-256 of the canonical bytes: identifies this exact content."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()


def check_rel_path(path: str) -> str:
    """Return `path` if it is a safe relative '/'-separated path, else raise UnsafeArchiveError naming why."""
    why = _unsafe_reason(path)
    if why:
        raise UnsafeArchiveError(f"unsafe path {path!r}: {why}")
    return path


def _unsafe_reason(path: str) -> str | None:
    if not isinstance(path, str) or path == "":
        return "empty name"
    if len(path) > MAX_PATH_LEN:
        return "name too long"
    if "\\" in path:
        return "backslash in name (Windows path separator)"
    if any(ord(c) < 32 or c == "\x7f" for c in path):
        return "control character in name"
    if path.startswith("/"):
        return "absolute path"
    if _DRIVE_RE.match(path) or ":" in path:
        return "drive letter or ':' in name"
    parts = path.split("/")
    for part in parts:
        if part == "":
            return "empty path component"
        if part in (".", ".."):
            return "'..' or '.' component (leaves the pack folder)"
        if part != part.rstrip(" ."):
            return "component ends in a space or dot"
        if part.split(".")[0].lower() in _WINDOWS_RESERVED:
            return "reserved Windows device name"
    return None


def hash_file(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def check_names_unique(paths: Iterable[str], where: str) -> None:
    """Refuse two paths that are the same on a case-insensitive or Unicode-normalising file system."""
    seen: dict[str, str] = {}
    for p in paths:
        key = unicodedata.normalize("NFC", p).casefold()
        if key in seen:
            raise ManifestError(f"{where}: {p!r} and {seen[key]!r} name the same file on Windows/macOS")
        seen[key] = p


def parse_manifest(data: bytes, where: str = "manifest.json") -> Manifest:
    """Parse and check manifest.json bytes; errors name the field (`manifest.json:files[3].size: ...`)."""

    def no_dupes(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                raise ManifestError(f"{where}:{k}: key appears twice")
            out[k] = v
        return out

    try:
        raw = json.loads(data.decode("utf-8"), object_pairs_hook=no_dupes)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{where}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise ManifestError(f"{where}: expected a JSON object")

    def field(key: str, tp: type, obj: dict[str, Any] = raw, prefix: str = "") -> Any:
        if key not in obj:
            raise ManifestError(f"{where}:{prefix}{key}: missing")
        value = obj[key]
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise ManifestError(f"{where}:{prefix}{key}: expected {tp.__name__}, got {value!r}")
        return value

    fmt = field("format", int)
    if fmt != FORMAT:
        raise ManifestError(f"{where}:format: archive format {fmt} is not supported (this kiosk reads format {FORMAT})")
    pack_id = field("pack_id", str)
    if not ID_RE.match(pack_id):
        raise ManifestError(f"{where}:pack_id: {pack_id!r} is not a valid id (a-z, 0-9, '.', '_', '-', up to 64)")
    version = field("version", str)
    if not VERSION_RE.match(version):
        raise ManifestError(f"{where}:version: {version!r} is not a valid version (letters, digits, '.', '_', '+', '-')")
    schema = field("schema", int)
    created = raw.get("created", "")
    if not isinstance(created, str):
        raise ManifestError(f"{where}:created: expected text")
    unknown = set(raw) - {"format", "pack_id", "version", "schema", "created", "files"}
    if unknown:
        raise ManifestError(f"{where}:{sorted(unknown)[0]}: unknown key")
    files_raw = field("files", list)
    files: list[ManifestFile] = []
    for i, item in enumerate(files_raw):
        prefix = f"files[{i}]."
        if not isinstance(item, dict):
            raise ManifestError(f"{where}:files[{i}]: expected an object")
        path = field("path", str, item, prefix)
        try:
            check_rel_path(path)
        except UnsafeArchiveError as exc:
            raise UnsafeArchiveError(f"{where}:{prefix}path: {exc}") from None
        size = field("size", int, item, prefix)
        if size < 0:
            raise ManifestError(f"{where}:{prefix}size: negative")
        sha = field("sha256", str, item, prefix)
        if not SHA_RE.match(sha):
            raise ManifestError(f"{where}:{prefix}sha256: expected 64 lowercase hex digits")
        files.append(ManifestFile(path, size, sha))
    check_names_unique((f.path for f in files), f"{where}:files")
    names = {f.path for f in files}
    for f in files:  # a file may not also be a folder of another file
        parts = f.path.split("/")
        for n in range(1, len(parts)):
            if "/".join(parts[:n]) in names:
                raise ManifestError(f"{where}:files: {'/'.join(parts[:n])!r} is both a file and a folder")
    return Manifest(pack_id=pack_id, version=version, schema=schema, files=tuple(files), format=fmt, created=created)
