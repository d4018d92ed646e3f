"""The counting pipeline: frames → person detector → tracker → line and dwell counters."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from app.vision.counters import CountInterval, DwellCounter, IntervalCounter, LineCounter, Visit, Crossing
from app.vision.detectors import Detector, build_detector
from app.vision.geometry import CountLine, Detection, Zone, parse_coords
from app.vision.sources import VideoFileSource
from app.vision.tracker import Tracker, TrackerSettings, Track


MAX_FREEZE_S = 180.0  # motion detector: longest a motionless tracked person keeps the background frozen


@dataclass
class VisionSettings:
    """Everything the pipeline needs; `from_config(cfg.vision)` reads the kiosk config section."""

    source: str = "0"
    detector: str = "default"
    model: Path | None = None
    width: int = 640
    detect_every: int = 2
    threads: int = 1
    line: tuple[float, float, float, float] | None = None  # pixels of the source frame, or fractions
    zone: tuple[float, float, float, float] | None = None  # None = the whole frame
    min_dwell_s: float = 3.0
    anchor: str = "center"  # counted point of a person's box: "center" or "bottom"
    interval_s: float = 60.0
    tracker: TrackerSettings = field(default_factory=TrackerSettings)

    @classmethod
    def from_config(cls, vcfg: Any) -> "VisionSettings":
        return cls(source=str(vcfg.source), detector=vcfg.detector, model=vcfg.model, width=vcfg.width,
                   detect_every=vcfg.detect_every, threads=vcfg.threads,
                   line=parse_coords(list(vcfg.line), "vision.line"),
                   zone=parse_coords(list(vcfg.zone), "vision.zone"), min_dwell_s=vcfg.min_dwell_s)


@dataclass(frozen=True)
class Counts:
    """The running totals shown on screen and printed by `hongtu count`."""

    in_: int
    out: int
    occupancy: int
    visitors: int
    present: int  # confirmed people seen in the latest detection round
    frames: int

    def as_dict(self) -> dict[str, int]:
        return {"in": self.in_, "out": self.out, "occupancy": self.occupancy, "visitors": self.visitors,
                "present": self.present, "frames": self.frames}


class CountingPipeline:
    """Feeds frames of a fixed size through detection (every `detect_every` frames), tracking and counting.

    Coordinates of the line and zone are pixels of the source frame (or fractions); they are checked
    against the frame size here and a `GeometryError` names the bad value.
    """

    def __init__(self, settings: VisionSettings, detector: Detector, frame_size: tuple[int, int], *,
                 on_interval: Callable[[CountInterval], None] | None = None,
                 on_crossing: Callable[[Crossing], None] | None = None,
                 on_visitor: Callable[[Visit], None] | None = None) -> None:
        w, h = frame_size
        self.settings = settings
        self.detector = detector
        self.frame_size = frame_size
        self.scale = min(1.0, settings.width / w)  # processing size / source size
        self.line = CountLine.from_values(settings.line, w, h) if settings.line else None
        self.zone = Zone.from_values(settings.zone, w, h) if settings.zone else Zone.full_frame(w, h)
        self.tracker = Tracker(settings.tracker)
        self.line_counter = LineCounter(self.line, anchor=settings.anchor) if self.line else None
        self.dwell = DwellCounter(self.zone, settings.min_dwell_s, anchor=settings.anchor)
        self.intervals = IntervalCounter(on_interval, settings.interval_s)
        self.on_crossing = on_crossing
        self.on_visitor = on_visitor
        self.frames = 0
        self.detections = 0  # detection rounds run
        self.present = 0
        self.presence_frames = 0
        self.last_detections: list[Detection] = []
        self._protect = getattr(detector, "protect", None)

    def process(self, image: np.ndarray, t: float) -> int:
        """One frame at time `t` (seconds); returns the number of people present."""
        import cv2

        if self.frames % max(1, self.settings.detect_every) == 0:
            small = image
            if self.scale < 1.0:
                h, w = image.shape[:2]
                small = cv2.resize(image, (round(w * self.scale), round(h * self.scale)),
                                   interpolation=cv2.INTER_AREA)
            inv = 1.0 / self.scale
            dets = [Detection((d.box[0] * inv, d.box[1] * inv, d.box[2] * inv, d.box[3] * inv), d.score)
                    for d in self.detector.detect(small)]
            self.last_detections = dets
            self.detections += 1
            self._update(self.tracker.update(dets, t), t)
        self.intervals.tick(t)
        self.frames += 1
        if self.present:
            self.presence_frames += 1
        return self.present

    def _update(self, tracks: list[Track], t: float) -> None:
        if self.line_counter is not None:
            for c in self.line_counter.update(tracks, t):
                self.intervals.add(t, in_=int(c.direction == "in"), out=int(c.direction == "out"))
                if self.on_crossing:
                    self.on_crossing(c)
        for v in self.dwell.update(tracks, t):
            self.intervals.add(t, visitors=1)
            if self.on_visitor:
                self.on_visitor(v)
        self.present = sum(1 for tr in tracks if tr.confirmed and tr.matched)
        if self._protect is not None:
            # freeze background learning under people who walked in (not under ghosts that never moved)
            s = self.scale
            # for at most MAX_FREEZE_S without moving, so a ghost that took over a track still fades
            self._protect([tuple(v * s for v in tr.box) for tr in tracks
                           if tr.confirmed and tr.travel >= 0.3 and t - tr.still_since <= MAX_FREEZE_S])

    def reset_tracks(self) -> None:
        """Forget tracks (after a camera reconnect); counts are kept."""
        self.tracker.reset()
        self.present = 0

    def finish(self, t: float | None = None) -> None:
        """Close open visits and emit the last partial interval."""
        self.dwell.finish()
        self.intervals.flush(t)

    def counts(self) -> Counts:
        lc = self.line_counter
        return Counts(lc.in_count if lc else 0, lc.out_count if lc else 0, lc.occupancy if lc else 0,
                      self.dwell.visitors, self.present, self.frames)

    def tracks(self) -> list[Track]:
        return self.tracker.confirmed()


@dataclass
class FileResult:
    counts: Counts
    fps: float  # frames processed per second of wall time
    seconds: float
    presence: bytearray  # 1 per frame where someone was present
    dwell_times: list[float]
    intervals: list[CountInterval]
    warning: str | None = None
    detector: str = ""

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        return {"in": c.in_, "out": c.out, "visitors": c.visitors, "frames": c.frames,
                "fps": round(self.fps, 1), "presence_frames": sum(self.presence),
                "dwell_s": [round(d, 1) for d in self.dwell_times], "detector": self.detector}


def count_file(path: Path | str, settings: VisionSettings, *, detector: Detector | None = None,
               on_interval: Callable[[CountInterval], None] | None = None, pace_fps: float | None = None,
               max_frames: int | None = None) -> FileResult:
    """Count a video file as fast as possible (or paced at `pace_fps`, like a live camera)."""
    import cv2

    cv2.setNumThreads(settings.threads)
    warning = None
    if detector is None:
        detector, warning = build_detector(settings.detector, model=settings.model, threads=settings.threads)
    with VideoFileSource(path) as src:
        pipe = CountingPipeline(settings, detector, (src.width, src.height), on_interval=on_interval)
        presence = bytearray()
        start = time.perf_counter()
        t = 0.0
        while max_frames is None or pipe.frames < max_frames:
            frame = src.read()
            if frame is None:
                break
            t = frame.t
            presence.append(1 if pipe.process(frame.image, frame.t) else 0)
            if pace_fps:
                due = start + (frame.index + 1) / pace_fps
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
        pipe.finish(t + 1.0 / src.fps)
        seconds = time.perf_counter() - start
    return FileResult(pipe.counts(), pipe.frames / seconds if seconds > 0 else 0.0, seconds, presence,
                      list(pipe.dwell.dwell_times), list(pipe.intervals.records), warning,
                      getattr(detector, "name", type(detector).__name__))
