"""Person detectors behind one interface (`detect(frame) -> list[Detection]`), chosen by name."""
from __future__ import annotations

import logging
from pathlib import Path

from app.vision.detectors.base import Detector
from app.vision.errors import ModelError, VisionError

log = logging.getLogger(__name__)

DETECTORS = ("default", "hog", "onnx", "motion")
DEFAULT = "hog"  # what "default" means: works with the opencv wheel alone, no model file


def build_detector(name: str, *, model: Path | str | None = None, threads: int = 1,
                   backend: str = "onnxruntime") -> tuple[Detector, str | None]:
    """The named detector, and a warning when it fell back to the default.

    A missing, unreadable or non-YOLOX model file makes "onnx" fall back to the default detector;
    the warning says why, naming the file.
    """
    key = DEFAULT if name == "default" else name
    if key == "onnx":
        from app.vision.detectors.yolox import YoloxDetector

        try:
            if model is None or str(model) == "":
                raise ModelError("vision.model: no model file configured for the onnx detector")
            return YoloxDetector(model, threads=threads, backend=backend), None
        except ModelError as exc:
            warning = f"{exc}; using the default detector ({DEFAULT}) instead"
            log.info("%s", warning)
            det, _ = build_detector(DEFAULT, threads=threads)
            return det, warning
    if key == "hog":
        from app.vision.detectors.hog import HogDetector

        return HogDetector(threads=threads), None
    if key == "motion":
        from app.vision.detectors.motion import MotionDetector

        return MotionDetector(), None
    raise VisionError(f"vision.detector: unknown detector {name!r} (choose {', '.join(DETECTORS)})")


__all__ = ["Detector", "DETECTORS", "build_detector"]
