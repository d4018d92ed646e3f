"""The detector interface shared by every person detector."""
from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from app.vision.geometry import Box, Detection


class Detector(Protocol):
    """Finds people in a BGR frame; boxes are in the frame's own pixel coordinates."""

    name: str

    def detect(self, frame: np.ndarray) -> list[Detection]: ...


def nms(boxes: Sequence[Box], scores: Sequence[float], iou_threshold: float) -> list[int]:
    """Indices kept by greedy non-maximum suppression, best score first."""
    if not boxes:
        return []
    b = np.asarray(boxes, dtype=np.float32)
    s = np.asarray(scores, dtype=np.float32)
    areas = np.maximum(0, b[:, 2] - b[:, 0]) * np.maximum(0, b[:, 3] - b[:, 1])
    order = np.argsort(-s)
    keep: list[int] = []
    while order.size:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        xx1 = np.maximum(b[i, 0], b[rest, 0])
        yy1 = np.maximum(b[i, 1], b[rest, 1])
        xx2 = np.minimum(b[i, 2], b[rest, 2])
        yy2 = np.minimum(b[i, 3], b[rest, 3])
        inter = np.maximum(0, xx2 - xx1) * np.maximum(0, yy2 - yy1)
        union = areas[i] + areas[rest] - inter
        ov = np.where(union > 0, inter / np.maximum(union, 1e-9), 0)
        order = rest[ov <= iou_threshold]
    return keep
