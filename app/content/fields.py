"""Typed reading of YAML values with one `Problem` per defect: the vocabulary the loader is made of.

Every reader takes the parent mapping, the key and the field path of the parent, records what is
wrong (missing, wrong type, out of range, unknown language…) and returns the value or None.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Any, Iterable

from app.content.model import LText
from app.content.packfiles import PackFiles, media_path_error, normalise_media_path
from app.content.problems import Problem

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

MEDIA_EXTENSIONS = {
    "image": {".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".bmp"},
    "video": {".mp4", ".webm", ".mkv", ".mov", ".m4v", ".ogv", ".avi"},
    "audio": {".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".aac", ".flac"},
}

MISSING = object()


def join(prefix: str, key: str | int) -> str:
    """Field path of `key` inside `prefix`: join('halls[3]', 'parent') → 'halls[3].parent'."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def describe(value: Any) -> str:
    """A short description of a YAML value for messages: "text 'abc'", 'a list', …"""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class FieldReader:
    """Reads the fields of one pack file, appending a `Problem` for each defect to `problems`."""

    def __init__(self, file: str, problems: list[Problem], languages: tuple[str, ...] | None,
                 files: PackFiles) -> None:
        self.file = file
        self.problems = problems
        self.languages = languages  # None when pack.yaml's languages are unusable: accept any
        self.files = files

    # -- reporting ---------------------------------------------------------------------------
    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, field, message))

    def wrong_type(self, field: str, expected: str, value: Any) -> None:
        self.problem(field, f"expected {expected}, got {describe(value)}")

    # -- structure ---------------------------------------------------------------------------
    def mapping(self, value: Any, path: str, required: tuple[str, ...],
                optional: tuple[str, ...] = (), what: str = "a mapping of fields") -> dict | None:
        """Check `value` is a mapping with all `required` keys and no key outside required+optional."""
        if not isinstance(value, dict):
            self.wrong_type(path, what, value)
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                hint = suggest(str(key), allowed)
                self.problem(join(path, str(key)),
                             f"unknown field{hint or '; allowed: ' + ', '.join(allowed)}")
        for key in required:
            if key not in value:
                self.problem(join(path, key), "missing required field")
        return value

    def list_of(self, m: dict, key: str, path: str, required: bool = True,
                non_empty: bool = False) -> list | None:
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or (value is None and not required):
            return None if required else []
        if not isinstance(value, list):
            self.wrong_type(field, "a list", value)
            return None
        if non_empty and not value:
            self.problem(field, "must not be empty")
        return value

    # -- scalars -----------------------------------------------------------------------------
    def ident(self, m: dict, key: str, path: str, required: bool = True) -> str | None:
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or (value is None and not required):
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if not isinstance(value, str):
            self.wrong_type(field, "an id (letters, digits, '-', '_')", value)
            return None
        if not ID_RE.fullmatch(value):
            self.problem(field, f"'{value}' is not a valid id: use letters, digits, '-' and '_'")
            return None
        return value

    def integer(self, m: dict, key: str, path: str, minimum: int | None = None,
                maximum: int | None = None, required: bool = True) -> int | None:
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or (value is None and not required):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(field, "a whole number", value)
            return None
        if minimum is not None and value < minimum:
            self.problem(field, f"{value} is less than {minimum}")
            return None
        if maximum is not None and value > maximum:
            self.problem(field, f"{value} is more than {maximum}")
            return None
        return value

    def choice(self, m: dict, key: str, path: str, choices: tuple[str, ...]) -> str | None:
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING:
            return None
        if value not in choices or not isinstance(value, str):
            self.problem(field, f"expected one of {' | '.join(choices)}, got {describe(value)}"
                         + (suggest(value, choices) if isinstance(value, str) else ""))
            return None
        return value

    def position(self, m: dict, key: str, path: str) -> tuple[float, float] | None:
        """Optional [x, y] as fractions 0..1 of the map image."""
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or value is None:
            return None
        if (not isinstance(value, list) or len(value) != 2
                or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value)):
            self.wrong_type(field, "[x, y] with two numbers between 0 and 1", value)
            return None
        x, y = float(value[0]), float(value[1])
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            self.problem(field, f"[{value[0]}, {value[1]}] is outside the map: x and y are "
                                "fractions between 0 and 1")
            return None
        return (x, y)

    # -- localised text ----------------------------------------------------------------------
    def _text_value(self, field: str, value: Any) -> str | None:
        if isinstance(value, bool) or value is None:
            self.wrong_type(field, "text", value)
            return None
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if not isinstance(value, str):
            self.wrong_type(field, "text", value)
            return None
        if not value.strip():
            self.problem(field, "must not be empty")
            return None
        return value.strip()

    def text(self, m: dict, key: str, path: str, required: bool = True) -> LText | None:
        """A plain string (the default language) or a mapping {language: text}."""
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or (value is None and not required):
            return None
        return self.text_value(field, value)

    def text_value(self, field: str, value: Any) -> LText | None:
        default = self.languages[0] if self.languages else "zh"
        if isinstance(value, dict):
            if not value:
                self.problem(field, "must not be empty")
                return None
            out: dict[str, str] = {}
            for lang, text in value.items():
                sub = join(field, str(lang))
                if not isinstance(lang, str):
                    self.wrong_type(sub, "a language code such as zh or en", lang)
                    continue
                if text is None:
                    self.problem(sub, f"'{lang}' has no text; if it belongs to the text before "
                                      "it, put that text in quotes (a comma inside {…} starts a "
                                      "new entry)")
                    continue
                if self.languages is not None and lang not in self.languages:
                    self.problem(sub, f"language '{lang}' is not in the pack's languages "
                                      f"({', '.join(self.languages)})")
                    continue
                s = self._text_value(sub, text)
                if s is not None:
                    out[lang] = s
            return out
        if isinstance(value, list):
            self.wrong_type(field, "text or a mapping {language: text}", value)
            return None
        s = self._text_value(field, value)
        return {default: s} if s is not None else None

    # -- media -------------------------------------------------------------------------------
    def media_file(self, m: dict, key: str, path: str, kind: str | None = None,
                   required: bool = True) -> str | None:
        """A path relative to media/ that stays inside it and names an existing regular file."""
        value = m.get(key, MISSING)
        field = join(path, key)
        if value is MISSING or (value is None and not required):
            return None
        return self.media_value(field, value, kind)

    def media_value(self, field: str, value: Any, kind: str | None) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(field, "a file path relative to media/", value)
            return None
        error = media_path_error(value)
        if error:
            self.problem(field, error)
            return None
        rel = normalise_media_path(value)
        if not self.files.has_media(rel):
            hint = ""
            if rel.startswith("media/") and self.files.has_media(rel[6:]):
                hint = f" (paths are relative to media/: write '{rel[6:]}')"
            else:
                other = self.files.media_case_match(rel)
                if other:
                    hint = f" (did you mean '{other}'? names are case-sensitive)"
            self.problem(field, f"missing media file: media/{rel} does not exist{hint}")
            return None
        if kind:
            name = rel.rsplit("/", 1)[-1]
            ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            # audio and video containers overlap (.ogg, .webm, .mp4 may hold either), so only a
            # picture declared as sound/film, or the reverse, is certainly wrong
            is_image = ext in MEDIA_EXTENSIONS["image"]
            is_av = ext in MEDIA_EXTENSIONS["video"] | MEDIA_EXTENSIONS["audio"]
            if (kind == "image" and is_av) or (kind != "image" and is_image):
                actual = "an image" if is_image else "audio or video"
                self.problem(field, f"'{rel}' looks like {actual}, not {kind}")
                return None
        return rel

