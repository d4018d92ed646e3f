"""YOLOX decoding (hand-built outputs and the real model on hand-checked frames), model checks and fallback."""
import math
import os
from pathlib import Path

import numpy as np
import pytest

from app.vision.detectors import build_detector
from app.vision.detectors.hog import HogDetector
from app.vision.detectors.motion import MotionDetector
from app.vision.detectors.yolox import check_shapes, decode, letterbox
from app.vision.errors import ModelError, VisionError
from app.vision.geometry import iou

SHARED = Path(os.environ.get("HONGTU_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
MODEL = SHARED / "models" / "yolox_nano.onnx"
CLIP = SHARED / "footage" / "one-by-one-person-detection.mp4"
needs_model = pytest.mark.skipif(not (MODEL.is_file() and CLIP.is_file()),
                                 reason=f"development model/footage not found under {SHARED} (set HONGTU_SHARED)")


def raw_output(size=416, classes=80):
    n = sum((size // s) ** 2 for s in (8, 16, 32))
    return np.zeros((1, n, 5 + classes), np.float32)


def test_decode_follows_the_yolox_grid_and_strides():
    out = raw_output()
    # stride 8, grid cell (x=10, y=5): index 5*52 + 10
    out[0, 270, :6] = [0.5, 0.5, math.log(4), math.log(8), 0.9, 0.8]
    # stride 32, grid cell (x=3, y=2): after 52² + 26² anchors
    out[0, 2704 + 676 + 2 * 13 + 3, :6] = [0.0, 0.0, math.log(2), math.log(5), 0.95, 0.9]
    # a strong detection of another class (class 2, car) is ignored
    out[0, 100, :5] = [0.5, 0.5, 1.0, 1.0, 0.99]
    out[0, 100, 7] = 0.99
    dets = decode(out, 416, ratio=0.5)
    boxes = sorted((tuple(round(v, 3) for v in d.box), round(d.score, 3)) for d in dets)
    # (cx, cy, w, h) = ((0.5+10)*8, (0.5+5)*8, 4*8, 8*8) = (84, 44, 32, 64) → /0.5
    # (cx, cy, w, h) = (3*32, 2*32, 2*32, 5*32) = (96, 64, 64, 160) → /0.5
    assert boxes == [((128.0, -32.0, 256.0, 288.0), 0.855), ((136.0, 24.0, 200.0, 152.0), 0.72)]


def test_decode_suppresses_duplicates_and_low_scores():
    out = raw_output()
    out[0, 270, :6] = [0.5, 0.5, math.log(4), math.log(8), 0.9, 0.8]
    out[0, 271, :6] = [-0.5, 0.5, math.log(4), math.log(8), 0.8, 0.8]  # the same person, next cell
    out[0, 900, :6] = [0.5, 0.5, 1.0, 1.0, 0.3, 0.5]  # score 0.15: below the threshold
    dets = decode(out, 416, ratio=1.0)
    assert len(dets) == 1 and dets[0].score == pytest.approx(0.72)


def test_letterbox_keeps_the_aspect_ratio_at_the_top_left():
    frame = np.full((360, 640, 3), 200, np.uint8)
    blob, ratio = letterbox(frame, 416)
    assert blob.shape == (1, 3, 416, 416) and blob.dtype == np.float32
    assert ratio == pytest.approx(0.65)
    assert blob[0, :, 0, 0].tolist() == [200, 200, 200]  # image
    assert blob[0, :, 300, 0].tolist() == [114, 114, 114]  # padding below it


@pytest.mark.parametrize("inputs, outputs, message", [
    ([[1, 3, 224, 224]], [[1, 1000]], "output shape"),
    ([[1, 3, 416, 416]], [[1, 3549, 4]], "output shape"),
    ([[1, 3, 416, 416]], [[1, 8400, 85]], "expected 1×3549"),
    ([[1, 1, 416, 416]], [[1, 3549, 85]], "input shape"),
    ([[1, 3, 416, 320]], [[1, 3549, 85]], "input shape"),
    ([[1, 3, 416, 416], [1, 4]], [[1, 3549, 85]], "input shape"),
])
def test_models_that_are_not_yolox_are_refused(inputs, outputs, message):
    with pytest.raises(ModelError, match=message):
        check_shapes(Path("m.onnx"), inputs, outputs)
    assert check_shapes(Path("m.onnx"), [[1, 3, 640, 640]], [[1, 8400, 85]]) == 640


def test_missing_model_falls_back_to_the_default_detector(tmp_path):
    det, warning = build_detector("onnx", model=tmp_path / "nope.onnx")
    assert isinstance(det, HogDetector)
    assert "nope.onnx: model file not found" in warning and "default detector" in warning


def test_unreadable_model_falls_back_to_the_default_detector(tmp_path):
    bad = tmp_path / "garbage.onnx"
    bad.write_bytes(b"this is not a model" * 50)
    det, warning = build_detector("onnx", model=bad)
    assert isinstance(det, HogDetector)
    assert "garbage.onnx: not a readable ONNX model" in warning


def test_unconfigured_model_and_unknown_detector():
    det, warning = build_detector("onnx", model=None)
    assert isinstance(det, HogDetector) and "vision.model" in warning
    with pytest.raises(VisionError, match="unknown detector 'yolo9000'"):
        build_detector("yolo9000")


def test_motion_detector_sees_a_moving_figure_and_not_a_static_scene():
    from app.vision.synthetic import Walker, draw

    walker = Walker([(0, 40, 120), (40, 280, 120)])
    det = MotionDetector(warmup_frames=5)
    empty = [Walker([(1000, 0, 0), (1001, 0, 0)])]
    for i in range(5):
        assert det.detect(draw(i, empty, (320, 240))) == []
    found = [det.detect(draw(i, [walker], (320, 240))) for i in range(10, 20)]
    assert all(len(f) == 1 for f in found)
    assert iou(found[-1][0].box, walker.box(19)) > 0.6


def read_frames(indices):
    import cv2

    cap = cv2.VideoCapture(str(CLIP))
    frames, i = {}, 0
    while len(frames) < len(indices):
        ok, img = cap.read()
        assert ok
        if i in indices:
            frames[i] = img
        i += 1
    return frames


@needs_model
def test_real_model_on_hand_checked_frames():
    det, warning = build_detector("onnx", model=MODEL)
    assert warning is None and det.name == "onnx"
    frames = read_frames({30, 150, 470})
    assert det.detect(frames[30]) == [] and det.detect(frames[470]) == []  # the empty room
    people = det.detect(frames[150])  # one woman at the stand, seen from behind (checked by eye)
    assert len(people) == 1
    assert iou(people[0].box, (383, 15, 517, 405)) > 0.8 and people[0].score > 0.6
