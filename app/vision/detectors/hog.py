"""OpenCV's built-in HOG + linear SVM pedestrian detector (ships inside opencv-python-headless)."""
from __future__ import annotations

import numpy as np

from app.vision.detectors.base import nms
from app.vision.geometry import Detection


class HogDetector:
    """Dalal–Triggs HOG people detector; works with no model file, best for upright, whole people."""

    name = "hog"

    def __init__(self, *, work_width: int = 256, hit_threshold: float = -0.3, threads: int = 1) -> None:
        import cv2

        cv2.setNumThreads(threads)
        self._hog = cv2.HOGDescriptor()
        self._hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        self.work_width = work_width
        self.hit_threshold = hit_threshold

    def detect(self, frame: np.ndarray) -> list[Detection]:
        import cv2

        h, w = frame.shape[:2]
        s = min(1.0, self.work_width / w)
        img = cv2.resize(frame, (int(w * s), int(h * s))) if s < 1.0 else frame
        # pad so that people cut by the frame edge (entering, close to the camera) still fit a window
        pad = 16
        img = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        rects, weights = self._hog.detectMultiScale(img, hitThreshold=self.hit_threshold,
                                                    winStride=(8, 8), padding=(8, 8), scale=1.08)
        boxes, scores = [], []
        for (x, y, bw, bh), wt in zip(rects, np.ravel(weights) if len(rects) else []):
            # the HOG window has ~16 % margin around the person; trim it
            mx, my = bw * 0.15, bh * 0.06
            boxes.append(((x + mx - pad) / s, (y + my - pad) / s, (x + bw - mx - pad) / s, (y + bh - my - pad) / s))
            scores.append(float(1.0 / (1.0 + np.exp(-float(wt)))))
        keep = nms(boxes, scores, 0.3)
        return [Detection(tuple(min(max(v, 0.0), lim) for v, lim in zip(boxes[i], (w, h, w, h))), scores[i])  # type: ignore[arg-type]
                for i in keep]
