"""Find `.hpack` files on removable media for the admin screen's import list.

`packs.usb_mounts` lists folders; an entry may be a glob (`/media/*/*`). Each folder is searched
shallowly: files in it and in its direct subfolders (depth ≤ 2). Unreadable, vanished or
not-ready mounts (an empty card reader, a stick pulled during the scan) are skipped silently.
"""
from __future__ import annotations

import glob
import os
import string
from pathlib import Path
from typing import Any

SUFFIX = ".hpack"
LINUX_DEFAULTS = ("/media", "/media/*", "/media/*/*", "/run/media/*", "/run/media/*/*", "/mnt", "/mnt/*")
MAX_DEPTH = 2


def default_mounts() -> list[str]:
    """Where removable media appear: /media, /run/media, /mnt on Linux; D:\\ to Z:\\ on Windows."""
    if os.name == "nt":
        return [f"{letter}:\\" for letter in string.ascii_uppercase[3:]]
    return list(LINUX_DEFAULTS)


def _roots(patterns: list[str]) -> list[Path]:
    roots: list[Path] = []
    for pat in patterns:
        try:
            matches = sorted(glob.glob(pat)) if glob.has_magic(pat) else [pat]
        except OSError:
            continue
        for m in matches:
            try:
                if os.path.isdir(m):
                    roots.append(Path(m))
            except OSError:
                continue
    return roots


def _scan(folder: Path, depth: int, found: dict[str, Path]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            if e.is_file() and e.name.lower().endswith(SUFFIX):
                found.setdefault(os.path.realpath(e.path), Path(e.path))
            elif depth < MAX_DEPTH and e.is_dir(follow_symlinks=False):
                _scan(Path(e.path), depth + 1, found)
        except OSError:
            continue


def find_usb_packs(cfg: Any) -> list[Path]:
    """Every .hpack on the configured mount points, sorted by path; duplicates (via globs) listed once."""
    patterns = list(cfg.packs.usb_mounts) or default_mounts()
    found: dict[str, Path] = {}
    for root in _roots(patterns):
        _scan(root, 1, found)
    return sorted(found.values(), key=lambda p: str(p))
