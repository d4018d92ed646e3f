"""Boxes, counting lines and dwell zones in source-frame pixel coordinates, with validation."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from app.vision.errors import GeometryError

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in pixels

MIN_LINE_PX = 10.0
MIN_ZONE_PX = 8.0


@dataclass(frozen=True)
class Detection:
    """One person found in a frame: box in source pixels and a confidence score 0..1."""

    box: Box
    score: float


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def center(box: Box) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0)


def parse_coords(text: str | Sequence[float] | None, what: str) -> tuple[float, float, float, float] | None:
    """'X1,Y1,X2,Y2' (or a 4-list) → four floats; None or empty → None."""
    if text is None:
        return None
    if isinstance(text, str):
        if not text.strip():
            return None
        parts = [p for p in text.replace(" ", ",").split(",") if p]
    else:
        parts = list(text)
        if not parts:
            return None
    if len(parts) != 4:
        raise GeometryError(f"{what} {text!r}: expected 4 numbers X1,Y1,X2,Y2")
    try:
        vals = tuple(float(p) for p in parts)
    except (TypeError, ValueError):
        raise GeometryError(f"{what} {text!r}: expected 4 numbers X1,Y1,X2,Y2") from None
    if not all(math.isfinite(v) for v in vals):
        raise GeometryError(f"{what} {text!r}: numbers must be finite")
    return vals  # type: ignore[return-value]


def to_pixels(vals: tuple[float, float, float, float], width: int, height: int) -> tuple[float, float, float, float]:
    """Values all within 0..1 are fractions of the frame; anything else is pixels."""
    if all(0.0 <= v <= 1.0 for v in vals):
        return (vals[0] * width, vals[1] * height, vals[2] * width, vals[3] * height)
    return vals


def _fmt(vals: Sequence[float]) -> str:
    return ",".join(f"{v:g}" for v in vals)


@dataclass(frozen=True)
class CountLine:
    """A counting line from (x1, y1) to (x2, y2).

    Walking along the line from the first point to the second, crossing from your left to your
    right is "in"; from right to left is "out". Swap the points to swap the directions.
    """

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def length(self) -> float:
        return math.hypot(self.x2 - self.x1, self.y2 - self.y1)

    def signed_distance(self, x: float, y: float) -> float:
        """Pixels from the line; positive on the "in" side (right of first→second point)."""
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        return (dx * (y - self.y1) - dy * (x - self.x1)) / self.length

    def along(self, x: float, y: float) -> float:
        """Position of the point's projection along the segment: 0 at the first point, 1 at the second."""
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        return ((x - self.x1) * dx + (y - self.y1) * dy) / (self.length ** 2)

    def scaled(self, s: float) -> "CountLine":
        return CountLine(self.x1 * s, self.y1 * s, self.x2 * s, self.y2 * s)

    @classmethod
    def from_values(cls, vals: tuple[float, float, float, float], width: int, height: int) -> "CountLine":
        """Validated line in pixels of a width×height frame (fractions 0..1 accepted)."""
        px = to_pixels(vals, width, height)
        for x, y in ((px[0], px[1]), (px[2], px[3])):
            if not (0 <= x <= width and 0 <= y <= height):
                raise GeometryError(
                    f"line {_fmt(vals)}: point ({x:g},{y:g}) lies outside the {width}×{height} frame")
        line = cls(*px)
        if line.length < MIN_LINE_PX:
            raise GeometryError(f"line {_fmt(vals)}: too short ({line.length:.1f} px; at least {MIN_LINE_PX:g} px)")
        return line


@dataclass(frozen=True)
class Zone:
    """A dwell zone: the rectangle x1 < x2, y1 < y2 in pixels."""

    x1: float
    y1: float
    x2: float
    y2: float

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x <= self.x2 and self.y1 <= y <= self.y2

    def scaled(self, s: float) -> "Zone":
        return Zone(self.x1 * s, self.y1 * s, self.x2 * s, self.y2 * s)

    @classmethod
    def from_values(cls, vals: tuple[float, float, float, float], width: int, height: int) -> "Zone":
        """Validated zone in pixels of a width×height frame (fractions 0..1 accepted)."""
        px = to_pixels(vals, width, height)
        x1, y1, x2, y2 = px
        if x2 <= x1 or y2 <= y1:
            raise GeometryError(f"zone {_fmt(vals)}: inverted rectangle (need X1 < X2 and Y1 < Y2)")
        if x1 < 0 or y1 < 0 or x2 > width or y2 > height:
            raise GeometryError(f"zone {_fmt(vals)}: extends outside the {width}×{height} frame")
        if x2 - x1 < MIN_ZONE_PX or y2 - y1 < MIN_ZONE_PX:
            raise GeometryError(f"zone {_fmt(vals)}: too small (at least {MIN_ZONE_PX:g}×{MIN_ZONE_PX:g} px)")
        return cls(x1, y1, x2, y2)

    @classmethod
    def full_frame(cls, width: int, height: int) -> "Zone":
        return cls(0.0, 0.0, float(width), float(height))
