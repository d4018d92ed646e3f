"""Tour steps of the camera calibration screen (listed in `app.ui.tour.TOUR_MODULES`).

The tour never touches a real camera or config file: the kiosk's camera service is pointed at the
development clip (`$HONGTU_SHARED/footage/one-by-one-person-detection.mp4`, YOLOX-nano if the model
is there) or, without it, at a synthetic clip rendered into a temporary folder (motion detector).
Counting stays "off" (nothing is logged); the screen runs the counter only while it is open, so each
shot waits until the clip shows a visitor with a confirmed box.
"""
from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from app.ui.tour import TourDriver, TourError, tour_step

REPO = Path(__file__).resolve().parents[2]
LINE = [0.95, 0.8, 0.05, 0.8]  # across the bottom, "in" = walking up into the picture
ZONE = [0.3, 0.05, 0.8, 0.95]  # around the stand
_demo: dict[str, Any] = {}


def shared_dir() -> Path:
    return Path(os.environ.get("HONGTU_SHARED", REPO.parent / "shared"))


def demo_source() -> tuple[Path, str, Path | None]:
    """(video, detector, model): the development clip with YOLOX if present, else a synthetic clip."""
    clip = shared_dir() / "footage" / "one-by-one-person-detection.mp4"
    model = shared_dir() / "models" / "yolox_nano.onnx"
    if clip.is_file():
        return clip, ("onnx" if model.is_file() else "motion"), (model if model.is_file() else None)
    from app.vision.synthetic import Walker, render

    tmp = Path(tempfile.mkdtemp(prefix="hongtu-tour-camera-"))
    atexit.register(shutil.rmtree, tmp, True)
    # at 25 fps: the floor is learnt for 1.6 s, one figure walks to the stand and stays, one crosses the line
    walkers = [Walker([(40, 60, 250), (100, 300, 150), (750, 300, 150)], w=50, h=120),
               Walker([(110, 560, 345), (190, 470, 60)], w=46, h=110, colour=(150, 60, 40))]
    return render(tmp / "scene.avi", walkers, frames=750, size=(640, 360), fps=25), "motion", None


def demo_cfg(base: Any) -> Any:
    """`base` with the demo source and placement; no config file (Save cannot write anywhere)."""
    if "cfg" not in _demo:
        clip, detector, model = demo_source()
        vision = dataclasses.replace(base.vision, enabled=False, source=str(clip), detector=detector, model=model,
                                     line=list(LINE), zone=list(ZONE), debug_recording=False)
        _demo["cfg"] = dataclasses.replace(base, vision=vision, config_path=None)
    return _demo["cfg"]


def _open(d: TourDriver, visitors: int = 0) -> Any:
    from app.ui.viewmodels.admin_tour import _enter

    svc = d.kiosk.camera
    base = svc.cfg if svc.cfg is not None else d.kiosk.admin.cfg
    if base is None:
        raise TourError("camera tour steps need the kiosk config (KioskOptions.extra['cfg'])")
    cfg = demo_cfg(base)
    if svc.cfg is not cfg:
        svc.restart(cfg)
    _enter(d, "admin_camera")
    from PySide6.QtCore import QObject

    screen = d.current_screen()
    calib = screen.findChild(QObject, "calibration") if screen is not None else None
    if calib is None or screen.objectName() != "screen-admin-camera":
        raise TourError("the camera screen did not open")
    if not d.wait(lambda: calib.property("previewFrames") > 0 and calib.property("present") > 0
                  and calib.property("visitors") >= visitors, 40):
        raise TourError(f"no visitor on the calibration preview (state {calib.property('state')}: "
                        f"{calib.property('detail')})")
    d.wait(lambda: False, 0.5)  # one more preview frame with the box drawn
    return calib


@tour_step("admin-camera")
def _camera(d: TourDriver) -> None:
    _open(d, visitors=1)  # the first visitor has stood long enough in the zone to count


@tour_step("admin-camera-refused")
def _camera_refused(d: TourDriver) -> None:
    calib = _open(d)
    calib.moveLineEnd(1, LINE[0] - 0.004, LINE[1])  # both ends on one spot: a zero-length line
    calib.save()
    if calib.property("messageCode") != "refused":
        raise TourError("a zero-length line was not refused")
