"""Benchmark of the camera visitor counter on the development clip.

Prints, per detector, frames per second processed at 640-pixel width with 1 and 2 threads and with
detection on every frame / every 2nd frame, with the accuracy figures (distinct visitors with a
dwell zone around the stand, and the share of frames with the right presence yes/no against the
ground-truth intervals, ±10 frames at the edges); then the worker's CPU use when the clip is paced
like a 15 fps camera. The YOLOX model and the clip are read from $HONGTU_SHARED (default ../shared).

    .venv/bin/python bench/vision.py            # full table (~5 minutes on 2 cores)
    .venv/bin/python bench/vision.py --quick    # first 400 frames only, no accuracy
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.vision.detectors import build_detector  # noqa: E402
from app.vision.detectors.yolox import YoloxDetector  # noqa: E402
from app.vision.pipeline import VisionSettings, count_file  # noqa: E402

SHARED = Path(os.environ.get("HONGTU_SHARED", ROOT.parent / "shared"))
MODEL = SHARED / "models" / "yolox_nano.onnx"
CLIP = SHARED / "footage" / "one-by-one-person-detection.mp4"
TRUTH = [(60, 200), (230, 445), (510, 695), (750, 865), (930, 1195), (1240, 1355)]
ZONE = (230, 0, 620, 432)  # around the stand, in the clip's 768×432 pixels


def presence_accuracy(presence: bytearray) -> float:
    right = total = 0
    for i, p in enumerate(presence):
        if any(abs(i - a) <= 10 or abs(i - b) <= 10 for a, b in TRUTH):
            continue
        total += 1
        right += bool(p) == any(a <= i <= b for a, b in TRUTH)
    return right / total if total else float("nan")


def make(name: str, threads: int):
    if name == "onnx (cv2.dnn)":
        return YoloxDetector(MODEL, threads=threads, backend="opencv")
    det, warning = build_detector("onnx" if name.startswith("onnx") else name, model=MODEL, threads=threads)
    if warning:
        raise SystemExit(f"bench: {warning}")
    return det


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 400 frames only; skip accuracy and the CPU run")
    ap.add_argument("--cpu-seconds", type=float, default=40.0, help="length of the paced 15 fps run")
    args = ap.parse_args()
    if not (MODEL.is_file() and CLIP.is_file()):
        raise SystemExit(f"bench: needs {MODEL} and {CLIP} (set HONGTU_SHARED)")
    max_frames = 400 if args.quick else None
    print(f"clip {CLIP.name} (768×432, 10 fps, 1394 frames), processed at 640 px width; {os.cpu_count()} CPUs")
    print(f"{'detector':<16}{'threads':>8}{'detect every':>14}{'fps':>8}{'visitors':>10}{'presence':>10}")
    detectors = ["onnx", "onnx (cv2.dnn)", "hog", "motion"]
    for name in detectors:
        for threads in (1, 2):
            for every in (1, 2):
                settings = VisionSettings(width=640, threads=threads, detect_every=every, zone=ZONE)
                r = count_file(CLIP, settings, detector=make(name, threads), max_frames=max_frames)
                acc = "" if args.quick else f"{presence_accuracy(r.presence) * 100:.1f} %"
                vis = "" if args.quick else f"{r.counts.visitors}/6"
                print(f"{name:<16}{threads:>8}{every:>14}{r.fps:>8.1f}{vis:>10}{acc:>10}", flush=True)
    if args.quick:
        return
    frames = int(args.cpu_seconds * 15)
    print(f"\nCPU of the counting worker at a camera's 15 fps ({frames} frames paced at 15 fps, "
          "onnx, detect every 2nd frame; includes video decoding)")
    for threads in (1, 2):
        settings = VisionSettings(width=640, threads=threads, detect_every=2, zone=ZONE)
        det = make("onnx", threads)
        c0, w0 = time.process_time(), time.perf_counter()
        r = count_file(CLIP, settings, detector=det, pace_fps=15.0, max_frames=frames)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        print(f"  threads {threads}: {cpu:.1f} s CPU over {wall:.1f} s wall = {cpu / wall * 100:.0f} % of one core "
              f"({r.counts.frames} frames)", flush=True)


if __name__ == "__main__":
    main()
