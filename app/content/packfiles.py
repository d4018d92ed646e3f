"""The files of a pack folder: one walk that never follows links (every link is a problem), and the
checks that keep a media path written in the content inside the pack's `media/` folder."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.content.problems import Problem

_DRIVE_RE = re.compile(r"^[A-Za-z]:")


@dataclass
class PackFiles:
    """Regular files and folders of a pack, as '/'-separated paths relative to its root."""

    root: Path
    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=set)
    _media_lower: dict[str, str] | None = None

    def yaml_files(self, folder: str) -> list[str]:
        """The .yaml/.yml files directly inside `folder`, sorted by name; hidden files (a name
        starting with '.', such as the '._x.yaml' copies macOS leaves on USB sticks) are skipped."""
        prefix = folder + "/"
        return sorted(
            f for f in self.files
            if f.startswith(prefix) and "/" not in f[len(prefix):] and f.endswith((".yaml", ".yml"))
            and not f[len(prefix):].startswith(".")
        )

    def has_media(self, rel: str) -> bool:
        return "media/" + rel in self.files

    def media_case_match(self, rel: str) -> str | None:
        """The existing media file whose name differs from `rel` only by letter case, if any."""
        if self._media_lower is None:
            self._media_lower = {
                f[6:].lower(): f[6:] for f in self.files if f.startswith("media/")
            }
        return self._media_lower.get(rel.lower())


def scan_pack(root: Path, problems: list[Problem]) -> PackFiles:
    """Walk `root` without following links; a link anywhere inside the pack is a problem."""
    found = PackFiles(root)
    stack = [("", str(root))]
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            entries = list(os.scandir(abs_dir))
        except OSError as exc:
            problems.append(Problem(rel_dir or ".", "", f"cannot read the folder: {exc.strerror}"))
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if entry.is_symlink():
                try:
                    target = os.readlink(entry.path)
                except OSError:
                    target = "?"
                problems.append(Problem(
                    rel, "", f"is a symbolic link (to '{target}'); links are not allowed in a pack"
                ))
            elif entry.is_dir(follow_symlinks=False):
                found.dirs.add(rel)
                stack.append((rel, entry.path))
            elif entry.is_file(follow_symlinks=False):
                found.files.add(rel)
    return found


def media_path_error(value: str) -> str | None:
    """Why `value` is not acceptable as a path under media/, or None if it is."""
    if not value.strip():
        return "empty path"
    if "\\" in value:
        return f"'{value}': backslashes are not allowed in paths; use '/'"
    if "\x00" in value:
        return "path contains a NUL character"
    if value.startswith("/"):
        return f"'{value}': absolute paths are not allowed; write the path relative to media/"
    if _DRIVE_RE.match(value):
        return f"'{value}': drive letters are not allowed; write the path relative to media/"
    if ".." in value.split("/"):
        return f"'{value}': '..' would leave the pack's media/ folder"
    return None


def normalise_media_path(value: str) -> str:
    """'./a//b.png' → 'a/b.png' (call only after `media_path_error` returned None)."""
    return "/".join(p for p in value.split("/") if p not in ("", "."))
