"""Multi-object tracker: IoU/centroid association solved with the Hungarian algorithm.

Tracks start tentative and are confirmed after `n_init` matched detections; only confirmed
tracks are counted. A confirmed track survives missed detections (occlusion, a detector miss)
for `max_age_s` seconds, moving with its last velocity, before it is dropped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.vision.assignment import hungarian
from app.vision.geometry import Box, Detection, center, iou


@dataclass
class Track:
    """One person followed across frames (box in source pixels, times in seconds)."""

    id: int
    box: Box
    score: float
    born_t: float
    last_t: float
    hits: int = 1
    misses: int = 0
    confirmed: bool = False
    vx: float = 0.0
    vy: float = 0.0
    origin: tuple[float, float] = (0.0, 0.0)
    travel: float = 0.0  # largest distance of the centre from where the track started, in box heights
    matched: bool = True  # matched a detection in the latest detection round
    still_since: float = 0.0  # when the centre last moved by more than a tenth of the box height
    _still_at: tuple[float, float] = (0.0, 0.0)

    @property
    def height(self) -> float:
        return max(1.0, self.box[3] - self.box[1])

    def predicted(self, t: float) -> Box:
        dt = min(max(0.0, t - self.last_t), 1.0)
        dx, dy = self.vx * dt, self.vy * dt
        b = self.box
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)


@dataclass
class TrackerSettings:
    n_init: int = 3  # matched detections before a track is confirmed
    max_age_s: float = 1.5  # how long a confirmed track coasts without detections
    tentative_misses: int = 2  # detection rounds a tentative track may miss before it is dropped
    min_iou: float = 0.1  # below this IoU a pair needs the centroid gate
    max_center_dist: float = 0.6  # centroid gate, in box heights
    min_score: float = 0.0  # detections under this score are ignored


@dataclass
class Tracker:
    """Associates each round's detections with the live tracks."""

    settings: TrackerSettings = field(default_factory=TrackerSettings)
    tracks: list[Track] = field(default_factory=list)
    _next_id: int = 1

    def reset(self) -> None:
        self.tracks.clear()

    def _cost(self, track: Track, det: Detection, t: float) -> float:
        p = track.predicted(t)
        ov = iou(p, det.box)
        (px, py), (dx, dy) = center(p), center(det.box)
        h_p, h_d = p[3] - p[1], det.box[3] - det.box[1]
        scale = max(h_p, h_d, 1.0)
        dist = math.hypot(px - dx, py - dy) / scale
        ratio = max(h_p, h_d) / max(1.0, min(h_p, h_d))
        if ratio > 2.5 or (ov < self.settings.min_iou and dist > self.settings.max_center_dist):
            return math.inf
        return (1.0 - ov) + 0.5 * dist

    def update(self, detections: list[Detection], t: float) -> list[Track]:
        """Feed one detection round at time `t` (seconds); returns the live tracks."""
        s = self.settings
        dets = [d for d in detections if d.score >= s.min_score]
        # confirmed tracks are matched first, so a new tentative track cannot steal their person
        order = sorted(range(len(self.tracks)), key=lambda i: not self.tracks[i].confirmed)
        matched_t: set[int] = set()
        matched_d: set[int] = set()
        for group in (True, False):
            idx = [i for i in order if self.tracks[i].confirmed == group]
            free = [j for j in range(len(dets)) if j not in matched_d]
            if not idx or not free:
                continue
            cost = [[self._cost(self.tracks[i], dets[j], t) for j in free] for i in idx]
            for r, c in hungarian(cost):
                ti, dj = idx[r], free[c]
                self._apply(self.tracks[ti], dets[dj], t)
                matched_t.add(ti)
                matched_d.add(dj)
        alive: list[Track] = []
        for i, tr in enumerate(self.tracks):
            if i in matched_t:
                alive.append(tr)
                continue
            tr.matched = False
            tr.misses += 1
            if tr.confirmed and t - tr.last_t <= s.max_age_s:
                alive.append(tr)
            elif not tr.confirmed and tr.misses <= s.tentative_misses:
                alive.append(tr)
        for j, d in enumerate(dets):
            if j not in matched_d:
                alive.append(Track(self._next_id, d.box, d.score, t, t, origin=center(d.box),
                                   confirmed=s.n_init <= 1, still_since=t, _still_at=center(d.box)))
                self._next_id += 1
        self.tracks = alive
        return alive

    def _apply(self, tr: Track, det: Detection, t: float) -> None:
        dt = t - tr.last_t
        (ox, oy), (nx, ny) = center(tr.box), center(det.box)
        if dt > 0:
            a = 0.6
            tr.vx = a * (nx - ox) / dt + (1 - a) * tr.vx
            tr.vy = a * (ny - oy) / dt + (1 - a) * tr.vy
        tr.box = det.box
        tr.score = det.score
        tr.last_t = t
        tr.hits += 1
        tr.misses = 0
        tr.matched = True
        tr.travel = max(tr.travel, math.hypot(nx - tr.origin[0], ny - tr.origin[1]) / tr.height)
        if math.hypot(nx - tr._still_at[0], ny - tr._still_at[1]) > 0.1 * tr.height:
            tr.still_since, tr._still_at = t, (nx, ny)
        if tr.hits >= self.settings.n_init:
            tr.confirmed = True

    def confirmed(self) -> list[Track]:
        return [tr for tr in self.tracks if tr.confirmed]
