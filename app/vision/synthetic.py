"""Synthetic scenes with known ground truth: figures walking along scripted paths.

Used by the tests and the benchmark to check tracking, crossings and hysteresis deterministically,
and by staff to check that `hongtu count` works on a machine (`render()` writes a small video).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from app.vision.geometry import Box, Detection


@dataclass(frozen=True)
class Walker:
    """A figure of size w×h whose centre moves linearly between keyframes (frame, x, y)."""

    keys: Sequence[tuple[int, float, float]]
    w: float = 40.0
    h: float = 100.0
    colour: tuple[int, int, int] = (40, 40, 160)

    def box(self, frame: int) -> Box | None:
        keys = self.keys
        if frame < keys[0][0] or frame > keys[-1][0]:
            return None
        for (f0, x0, y0), (f1, x1, y1) in zip(keys, keys[1:]):
            if f0 <= frame <= f1:
                a = 0.0 if f1 == f0 else (frame - f0) / (f1 - f0)
                x, y = x0 + a * (x1 - x0), y0 + a * (y1 - y0)
                break
        else:
            x, y = keys[0][1], keys[0][2]
        return (x - self.w / 2, y - self.h / 2, x + self.w / 2, y + self.h / 2)


def boxes_at(walkers: Sequence[Walker], frame: int) -> list[Box]:
    return [b for w in walkers if (b := w.box(frame)) is not None]


class ScriptedDetector:
    """A detector that 'finds' the walkers' true boxes (optionally missing some frames): tests the
    tracker and counters without any model."""

    name = "scripted"

    def __init__(self, walkers: Sequence[Walker], *, miss: set[int] | None = None, scale: float = 1.0) -> None:
        self.walkers = walkers
        self.miss = miss or set()
        self.scale = scale  # processing scale the pipeline applies to frames
        self.frame = 0

    def detect(self, frame: np.ndarray) -> list[Detection]:
        f = self.frame
        self.frame += 1
        if f in self.miss:
            return []
        s = self.scale
        return [Detection((b[0] * s, b[1] * s, b[2] * s, b[3] * s), 0.9) for b in boxes_at(self.walkers, f)]


def draw(frame_index: int, walkers: Sequence[Walker], size: tuple[int, int]) -> np.ndarray:
    """One BGR frame: a textured floor with the walkers drawn as figures (body and head)."""
    import cv2

    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.empty((h, w, 3), np.uint8)
    img[..., 0] = 150 + ((xx // 16 + yy // 16) % 2) * 20
    img[..., 1] = 170
    img[..., 2] = 180
    for wk in walkers:
        b = wk.box(frame_index)
        if b is None:
            continue
        x1, y1, x2, y2 = (int(round(v)) for v in b)
        head = (x2 - x1) // 3
        cv2.circle(img, ((x1 + x2) // 2, y1 + head), head, (60, 90, 140), -1)
        cv2.rectangle(img, (x1, y1 + 2 * head), (x2, y2), wk.colour, -1)
    return img


def render(path: Path | str, walkers: Sequence[Walker], *, frames: int, size: tuple[int, int] = (320, 240),
           fps: float = 10.0) -> Path:
    """Write the scene as an MJPG .avi and return its path."""
    import cv2

    path = Path(path)
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    if not out.isOpened():
        raise OSError(f"{path}: cannot write video")
    for i in range(frames):
        out.write(draw(i, walkers, size))
    out.release()
    return path
