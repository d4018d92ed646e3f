"""Background-subtraction detector for scenes with one person (or a few, apart) at a time.

A running-average background is learned only where nothing is moving: pixels inside the current
foreground (dilated) are frozen, so a visitor standing still at the stand for minutes is not
absorbed into the background. A very slow global rate lets real scene changes (a moved chair,
daylight) fade in over a few minutes. The first `warmup_frames` detection rounds (1.5–3 s) learn
everywhere and report nothing, so someone in view at start-up does not leave a "ghost".
"""
from __future__ import annotations

import numpy as np

from app.vision.geometry import Detection


class MotionDetector:
    """Foreground blobs from a masked running-average background model."""

    name = "motion"

    def __init__(self, *, work_width: int = 320, learn_rate: float = 0.02, slow_rate: float = 0.0005,
                 threshold: int = 28, min_area: float = 0.01, warmup_frames: int = 15) -> None:
        self.work_width = work_width
        self.learn_rate = learn_rate
        self.slow_rate = slow_rate
        self.threshold = threshold
        self.min_area = min_area  # fraction of the frame area
        self.warmup_frames = warmup_frames
        self._bg: np.ndarray | None = None
        self._frames = 0
        self._protected: list[tuple[float, float, float, float]] | None = None

    def protect(self, boxes: list[tuple[float, float, float, float]]) -> None:
        """Freeze learning inside these boxes (people being tracked who walked in), in frame pixels.

        Once a caller uses this, only protected boxes are frozen: a blob that appeared in place and
        never moved (a moved chair, the spot a person stood on when the model started) is learned
        away in a few seconds instead of staying a "person" forever.
        """
        self._protected = list(boxes)

    def reset(self) -> None:
        self._bg = None
        self._frames = 0
        self._protected = None

    def detect(self, frame: np.ndarray) -> list[Detection]:
        import cv2

        h, w = frame.shape[:2]
        s = min(1.0, self.work_width / w)
        small = cv2.resize(frame, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA) if s < 1.0 else frame
        small = cv2.GaussianBlur(small, (5, 5), 0).astype(np.float32)
        if self._bg is None or self._bg.shape != small.shape:
            self._bg = small.copy()
            self._frames = 0
        self._frames += 1
        diff = cv2.absdiff(small, self._bg).max(axis=2)
        fg = (diff > self.threshold).astype(np.uint8) * 255
        fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        if self._protected is None:
            frozen = cv2.dilate(fg, np.ones((15, 15), np.uint8))
        else:
            frozen = np.zeros_like(fg)
            for x1, y1, x2, y2 in self._protected:
                mx, my = 0.1 * (x2 - x1), 0.05 * (y2 - y1)
                cv2.rectangle(frozen, (int((x1 - mx) * s), int((y1 - my) * s)),
                              (int((x2 + mx) * s), int((y2 + my) * s)), 255, -1)
        rate = 0.15 if self._frames <= self.warmup_frames else self.learn_rate
        cv2.accumulateWeighted(small, self._bg, rate, mask=cv2.bitwise_not(frozen))
        cv2.accumulateWeighted(small, self._bg, self.slow_rate)
        if self._frames <= self.warmup_frames:
            return []
        n, _, stats, _ = cv2.connectedComponentsWithStats(fg)
        min_px = self.min_area * fg.shape[0] * fg.shape[1]
        out: list[Detection] = []
        for i in range(1, n):
            x, y, bw, bh, area = stats[i]
            if area < min_px:
                continue
            score = min(1.0, float(area) / (bw * bh) + 0.3)
            out.append(Detection((x / s, y / s, (x + bw) / s, (y + bh) / s), score))
        return _merge_overlapping(out)


def _merge_overlapping(dets: list[Detection]) -> list[Detection]:
    """Blobs of one body split by a belt or a shadow: merge boxes that overlap horizontally a lot."""
    dets = sorted(dets, key=lambda d: d.box[0])
    merged: list[Detection] = []
    for d in dets:
        if merged:
            m = merged[-1]
            ox = min(m.box[2], d.box[2]) - max(m.box[0], d.box[0])
            if ox > 0.5 * min(m.box[2] - m.box[0], d.box[2] - d.box[0]):
                merged[-1] = Detection((min(m.box[0], d.box[0]), min(m.box[1], d.box[1]),
                                        max(m.box[2], d.box[2]), max(m.box[3], d.box[3])), max(m.score, d.score))
                continue
        merged.append(d)
    return merged
