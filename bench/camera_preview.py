"""What the calibration preview costs: process CPU of the live counter with the preview off and on.

Runs the Qt `CameraCounter` (as the kiosk does) on the development clip played in real time
(10 fps, YOLOX-nano via onnxruntime, detection on every 2nd frame, 1 thread) for the same number of
seconds with `previewEnabled` off, then on (annotated 640-px frame → QImage 5 times a second,
delivered to the GUI thread and painted by a `CameraPreview` item offscreen), side by side in one run,
and prints CPU seconds per wall second and the preview frames received. Reads the clip and model from
$HONGTU_SHARED (default ../shared).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/camera_preview.py [--seconds 20]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

SHARED = Path(os.environ.get("HONGTU_SHARED", ROOT.parent / "shared"))
CLIP = SHARED / "footage" / "one-by-one-person-detection.mp4"
MODEL = SHARED / "models" / "yolox_nano.onnx"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(seconds: float, preview: bool) -> tuple[float, int]:
    import app.ui  # noqa: F401
    from PySide6.QtCore import QCoreApplication, QSizeF
    from PySide6.QtGui import QImage, QPainter

    from app.ui.camera_preview import CameraPreview
    from app.ui.viewmodels.vision import CameraCounter
    from app.vision.pipeline import VisionSettings

    detector = "onnx" if MODEL.is_file() else "motion"
    counter = CameraCounter(VisionSettings(source=str(CLIP), detector=detector, model=MODEL if MODEL.is_file() else None,
                                           detect_every=2, threads=1, line=(0.95, 0.8, 0.05, 0.8)))
    item = CameraPreview()
    item.setSize(QSizeF(800, 450))
    item.counter = counter
    canvas = QImage(800, 450, QImage.Format.Format_RGB32)
    counter.previewUpdated.connect(lambda _img: item.paint(QPainter(canvas)))  # what the scene graph would do
    counter.previewEnabled = preview
    counter.start()
    while counter.state != "running":
        QCoreApplication.processEvents()
        time.sleep(0.01)
    c0, t0 = cpu(), time.monotonic()
    while time.monotonic() - t0 < seconds:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    used, wall = cpu() - c0, time.monotonic() - t0
    counter.wait(5000)
    return used / wall, item.frames


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    if not CLIP.is_file():
        sys.exit(f"{CLIP}: development clip not found (set HONGTU_SHARED)")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication([sys.argv[0]])  # noqa: F841
    print(f"clip {CLIP.name} in real time, {args.seconds:g} s each, detector {'onnx' if MODEL.is_file() else 'motion'}")
    results = {}
    for preview in (False, True):
        share, shown = run(args.seconds, preview)
        results[preview] = share
        print(f"preview {'on ' if preview else 'off'}: {share * 100:5.1f} % of one core, {shown} preview frames painted "
              f"({shown / args.seconds:.1f} per second)")
    print(f"preview on / off CPU ratio: {results[True] / max(1e-9, results[False]):.2f}")


if __name__ == "__main__":
    main()
