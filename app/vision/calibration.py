"""Calibration geometry: checking a counting line and dwell zone, and saving them into the config file.

The admin calibration screen works in **fractions of the frame** (0..1), so a placement survives a
camera that changes resolution; `vision.line` / `vision.zone` accept fractions as well as pixels
(`app.vision.geometry.to_pixels`), and so does `hongtu count --line/--zone`.

`save_geometry()` rewrites only the `line:` and `zone:` entries of the `vision:` section of
`kiosk_config.yaml` — every other line, comment and blank line stays as it was — writes the file
atomically, and reloads it with `app.config.load_config` to prove the result is valid (the old
file is put back if not). No Qt here.
"""
from __future__ import annotations

import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from app.vision.errors import GeometryError, VisionError
from app.vision.geometry import MIN_LINE_PX, MIN_ZONE_PX, CountLine, Zone, _fmt, to_pixels

Quad = tuple[float, float, float, float]

DEFAULT_LINE: Quad = (0.1, 0.5, 0.9, 0.5)  # across the middle of the picture
FULL_ZONE: Quad = (0.0, 0.0, 1.0, 1.0)  # the pipeline's default when `zone` is empty


class CalibrationError(VisionError):
    """The config file cannot be updated (no file, unreadable, a layout this editor does not handle)."""


def to_fractions(vals: Sequence[float] | None, frame: tuple[int, int] | None) -> Quad | None:
    """Config values (pixels or fractions) as fractions of a `frame` (w, h); None if empty or not convertible."""
    if not vals or len(vals) != 4:
        return None
    v = tuple(float(x) for x in vals)
    if all(0.0 <= x <= 1.0 for x in v):
        return v  # type: ignore[return-value]
    if frame is None or frame[0] <= 0 or frame[1] <= 0:
        return None
    w, h = frame
    return (v[0] / w, v[1] / h, v[2] / w, v[3] / h)


def check_geometry(line: Quad, zone: Quad, frame: tuple[int, int]) -> tuple[CountLine, Zone]:
    """Validate fractions against a `frame` (w, h) in pixels; GeometryError says what is wrong, in one line."""
    w, h = frame
    for what, vals in (("line", line), ("zone", zone)):
        if len(vals) != 4 or not all(math.isfinite(float(x)) for x in vals):
            raise GeometryError(f"{what} {list(vals)!r}: expected 4 finite numbers")
        if not all(0.0 <= float(x) <= 1.0 for x in vals):
            pts = ", ".join(f"{float(x):.3f}" for x in vals)
            raise GeometryError(f"{what} ({pts}): extends outside the {w}×{h} frame")
    lpx = to_pixels(tuple(float(x) for x in line), w, h)  # type: ignore[arg-type]
    zpx = to_pixels(tuple(float(x) for x in zone), w, h)  # type: ignore[arg-type]
    # from_values reads four values within 0..1 as fractions: a shape that small in pixels is refused here
    if all(0.0 <= v <= 1.0 for v in lpx):
        raise GeometryError(f"line {_fmt(lpx)}: too short ({CountLine(*lpx).length:.1f} px; at least {MIN_LINE_PX:g} px)")
    if all(0.0 <= v <= 1.0 for v in zpx):
        raise GeometryError(f"zone {_fmt(zpx)}: too small (at least {MIN_ZONE_PX:g}×{MIN_ZONE_PX:g} px)")
    return CountLine.from_values(lpx, w, h), Zone.from_values(zpx, w, h)


def flow_list(vals: Sequence[float] | None) -> str:
    """YAML flow list of the values, rounded to 4 decimals (0.1 mm per metre of picture)."""
    if not vals:
        return "[]"
    return "[" + ", ".join(f"{round(float(v), 4):g}" for v in vals) + "]"


@dataclass(frozen=True)
class SaveResult:
    path: Path
    overridden: tuple[str, ...]  # environment variables that still override the saved values


_SECTION = re.compile(r"^vision\s*:\s*(#.*)?$")
_TOP = re.compile(r"^[^\s#]")


def update_vision_text(text: str, values: Mapping[str, str], source: str = "kiosk_config.yaml") -> str:
    """The config text with `vision.<key>: <value>` set for each item of `values` (already YAML text).

    Only those entries change: a key's line (and any block-list items under it) is replaced in place,
    keeping its indentation and trailing comment; a missing key is added at the top of the section;
    a missing section is appended at the end of the file.
    """
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start = next((i for i, ln in enumerate(lines) if _SECTION.match(ln.rstrip("\r\n"))), None)
    if start is None:
        for ln in lines:
            if re.match(r"^vision\s*:", ln):
                raise CalibrationError(f"{source}: vision: written on one line ({ln.strip()}); "
                                       "write it as a block section to save from the screen")
        tail = "" if not text or text.endswith("\n") else newline
        block = "".join(f"  {k}: {v}{newline}" for k, v in values.items())
        return text + tail + f"{newline}vision:{newline}" + block
    end = next((i for i in range(start + 1, len(lines)) if _TOP.match(lines[i])), len(lines))
    indent = None
    for i in range(start + 1, end):
        m = re.match(r"^([ \t]+)[^\s#]", lines[i])
        if m:
            indent = m.group(1)
            break
    indent = indent if indent is not None else "  "
    todo = dict(values)
    out = lines[: start + 1]
    i = start + 1
    while i < end:
        ln = lines[i]
        m = re.match(rf"^{re.escape(indent)}([A-Za-z_][\w]*)\s*:(.*)$", ln.rstrip("\r\n"))
        if m and m.group(1) in todo:
            key, rest = m.group(1), m.group(2)
            comment = _trailing_comment(rest)
            out.append(f"{indent}{key}: {todo.pop(key)}{'  ' + comment if comment else ''}{newline}")
            i += 1
            # drop the old value's continuation lines (block list items, deeper indentation)
            while i < end:
                nxt = lines[i].rstrip("\r\n")
                if nxt.strip() and (nxt.startswith(indent + " ") or nxt.startswith(indent + "\t")
                                    or re.match(rf"^{re.escape(indent)}-\s", nxt)):
                    i += 1
                    continue
                break
            continue
        out.append(ln)
        i += 1
    if todo:  # keys the section did not have: add them right under `vision:`
        block = [f"{indent}{k}: {v}{newline}" for k, v in todo.items()]
        out[start + 1: start + 1] = block
    return "".join(out + lines[end:])


def _trailing_comment(rest: str) -> str:
    """The ` # comment` after a simple value (none inside quotes or brackets is attempted)."""
    m = re.search(r"\s#.*$", rest)
    if not m:
        return ""
    before = rest[: m.start()]
    if before.count("'") % 2 or before.count('"') % 2:
        return ""
    return m.group(0).strip()


def save_geometry(config_path: Path | str | None, line: Quad, zone: Quad, frame: tuple[int, int],
                  env: Mapping[str, str] | None = None) -> SaveResult:
    """Check the geometry against `frame`, then write `vision.line` / `vision.zone` (fractions) to the file.

    Raises GeometryError for absurd values, CalibrationError when the file cannot be updated (it is
    left unchanged), ConfigError if the edited file would not load.
    """
    from app.config import ConfigError, load_config

    check_geometry(line, zone, frame)
    if config_path is None:
        raise CalibrationError("no config file to save to: the kiosk runs on defaults "
                               "(create kiosk_config.yaml or set HONGTU_CONFIG)")
    path = Path(config_path)
    try:
        old = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CalibrationError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    zone_text = "[]" if tuple(round(v, 4) for v in zone) == FULL_ZONE else flow_list(zone)
    new = update_vision_text(old, {"line": flow_list(line), "zone": zone_text}, str(path))
    _write_atomic(path, new)
    try:
        load_config(path, env={})
    except ConfigError:
        _write_atomic(path, old)
        raise
    env = os.environ if env is None else env
    overridden = tuple(n for n in ("HONGTU_VISION_LINE", "HONGTU_VISION_ZONE") if n in env)
    return SaveResult(path, overridden)


def _write_atomic(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise CalibrationError(f"{path}: cannot write ({exc.strerror or exc})") from None
