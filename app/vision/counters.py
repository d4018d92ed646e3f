"""Counters over confirmed tracks: line crossings (in/out/occupancy), dwell visits, per-minute intervals."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

from app.vision.geometry import Box, CountLine, Zone, center, iou
from app.vision.tracker import Track


def anchor_point(box: Box, anchor: str) -> tuple[float, float]:
    """The point of a box that is counted: its centre, or the middle of its bottom edge ("bottom")."""
    if anchor == "bottom":
        return ((box[0] + box[2]) / 2.0, box[3])
    return center(box)


@dataclass(frozen=True)
class Crossing:
    track_id: int
    direction: str  # "in" or "out"
    t: float


@dataclass
class _Side:
    side: int = 0  # -1 / +1 once known, 0 while unknown
    born: int = 0  # for a track first seen inside the band: the half of the band it was on (-1 / +1)
    pending: list[int] = field(default_factory=list)  # crossings made while the track was tentative


class LineCounter:
    """Counts tracks crossing a line, with a hysteresis band of `band` pixels on each side.

    A track's side only changes once its anchor point leaves the band on the other side, so
    someone standing on the line, or swaying across it, is not counted again and again.
    Crossings only count within the segment's extent (a little margin at both ends).
    """

    def __init__(self, line: CountLine, *, band: float | None = None, anchor: str = "center",
                 end_margin: float = 0.1) -> None:
        self.line = line
        self.band = band if band is not None else max(6.0, 0.05 * line.length)
        self.anchor = anchor
        self.end_margin = end_margin
        self.in_count = 0
        self.out_count = 0
        self._state: dict[int, _Side] = {}
        # sides of tracks that ended recently: (time, x, y, box height, side); a new track born close by
        # inherits the side, so a person lost for a moment while crossing (occlusion, ID switch) still counts
        self._lost: list[tuple[float, float, float, float, int]] = []
        self.relink_s = 2.0
        self._last: dict[int, tuple[float, float, float]] = {}  # track id → last anchor x, y and box height

    @property
    def occupancy(self) -> int:
        return max(0, self.in_count - self.out_count)

    def update(self, tracks: Iterable[Track], t: float) -> list[Crossing]:
        """Feed the tracks of one detection round; returns crossings counted now."""
        out: list[Crossing] = []
        live: set[int] = set()
        tracks = list(tracks)
        for tr in tracks:
            live.add(tr.id)
            st = self._state.get(tr.id)
            if st is None:
                st = self._state[tr.id] = _Side(side=self._inherit(tr, t))
            if tr.matched:
                x, y = anchor_point(tr.box, self.anchor)
                d = self.line.signed_distance(x, y)
                a = self.line.along(x, y)
                on_segment = -self.end_margin <= a <= 1 + self.end_margin
                if abs(d) > self.band:
                    side = 1 if d > 0 else -1
                    # a crossing: from the other side, or (first seen inside the band) from the other half of it
                    before = st.side or st.born
                    if before and side != before and on_segment:
                        st.pending.append(side)
                    st.side = side
                elif not st.side and not st.born and d:
                    st.born = 1 if d > 0 else -1
            if tr.confirmed and st.pending:
                for side in st.pending:
                    direction = "in" if side > 0 else "out"
                    if direction == "in":
                        self.in_count += 1
                    else:
                        self.out_count += 1
                    out.append(Crossing(tr.id, direction, t))
                st.pending.clear()
        for tid in list(self._state):
            if tid not in live:
                st = self._state.pop(tid)
                last = self._last.pop(tid, None)
                if st.side and last is not None and not st.pending:
                    self._lost.append((t, *last, st.side))
        self._lost = [x for x in self._lost if t - x[0] <= self.relink_s]
        for tr in tracks:
            if tr.matched:
                x, y = anchor_point(tr.box, self.anchor)
                self._last[tr.id] = (x, y, tr.height)
        return out

    def _inherit(self, tr: Track, t: float) -> int:
        """Side for a new track: that of a track that ended within `relink_s` and one body height of it."""
        x, y = anchor_point(tr.box, self.anchor)
        best, best_d, source = 0, math.inf, -1
        for i, (lt, lx, ly, lh, side) in enumerate(self._lost):
            d = math.hypot(x - lx, y - ly)
            if t - lt <= self.relink_s and d < lh and d < best_d:
                best, best_d, source = side, d, i
        if source >= 0:
            del self._lost[source]
        return best


@dataclass
class Visit:
    """One visitor's stay in the dwell zone (possibly over several tracks after a brief loss)."""

    id: int
    start_t: float
    last_t: float
    last_box: Box
    track_id: int
    counted: bool = False

    @property
    def dwell_s(self) -> float:
        return self.last_t - self.start_t


class DwellCounter:
    """Distinct visitors whose anchor point stayed in `zone` for at least `min_dwell_s`.

    When a track is lost and a new one appears in the same place within `merge_gap_s`, it is the
    same visitor (a detector miss or a brief occlusion must not count a person twice).
    """

    def __init__(self, zone: Zone, min_dwell_s: float, *, merge_gap_s: float = 3.0,
                 anchor: str = "center") -> None:
        self.zone = zone
        self.min_dwell_s = min_dwell_s
        self.merge_gap_s = merge_gap_s
        self.anchor = anchor
        self.visitors = 0
        self.dwell_times: list[float] = []  # finished visits that counted, in seconds
        self._open: list[Visit] = []
        self._next = 1

    def update(self, tracks: Iterable[Track], t: float) -> list[Visit]:
        """Feed the tracks of one detection round; returns visits that became visitors now."""
        newly: list[Visit] = []
        by_track = {v.track_id: v for v in self._open}
        seen: set[int] = set()
        for tr in tracks:
            if not (tr.confirmed and tr.matched):
                continue
            if not self.zone.contains(*anchor_point(tr.box, self.anchor)):
                continue
            visit = by_track.get(tr.id) or self._resume(tr, t, seen)
            if visit is None:
                visit = Visit(self._next, t, t, tr.box, tr.id)
                self._next += 1
                self._open.append(visit)
            visit.track_id = tr.id
            visit.last_t = t
            visit.last_box = tr.box
            seen.add(visit.id)
            if not visit.counted and visit.dwell_s >= self.min_dwell_s:
                visit.counted = True
                self.visitors += 1
                newly.append(visit)
        self._close(t - self.merge_gap_s)
        return newly

    def _resume(self, tr: Track, t: float, seen: set[int]) -> Visit | None:
        best, best_d = None, math.inf
        for v in self._open:
            if v.id in seen or t - v.last_t > self.merge_gap_s or v.last_t >= t:
                continue
            (ax, ay), (bx, by) = center(v.last_box), center(tr.box)
            d = math.hypot(ax - bx, ay - by) / max(1.0, v.last_box[3] - v.last_box[1])
            if (d < 0.75 or iou(v.last_box, tr.box) > 0.3) and d < best_d:
                best, best_d = v, d
        return best

    def _close(self, before: float) -> None:
        keep = []
        for v in self._open:
            if v.last_t < before:
                if v.counted:
                    self.dwell_times.append(v.dwell_s)
            else:
                keep.append(v)
        self._open = keep

    def finish(self) -> None:
        """Close every open visit (end of a video file)."""
        self._close(math.inf)

    @property
    def present(self) -> int:
        """Visitors in the zone now (open visits)."""
        return len(self._open)


@dataclass(frozen=True)
class CountInterval:
    """Counts of one interval (normally a minute) for the event log."""

    interval_start: float  # seconds: Unix time for cameras, media time for files
    interval_s: float
    in_: int
    out: int
    visitors: int

    def event_fields(self) -> dict[str, float | int]:
        """Fields of a `camera_count` event: `EventLog.log("camera_count", **rec.event_fields())`."""
        return {"interval_s": self.interval_s, "in": self.in_, "out": self.out, "visitors": self.visitors}


class IntervalCounter:
    """Buckets in/out/visitor counts into fixed intervals aligned on multiples of `interval_s`.

    `on_interval` is called once per finished interval, including empty ones while running, so
    the event log shows the camera was working.
    """

    def __init__(self, on_interval: Callable[[CountInterval], None] | None, interval_s: float = 60.0) -> None:
        self.on_interval = on_interval
        self.interval_s = interval_s
        self.records: list[CountInterval] = []
        self._start: float | None = None
        self._counts = [0, 0, 0]

    def _bucket(self, t: float) -> float:
        return math.floor(t / self.interval_s) * self.interval_s

    def tick(self, t: float) -> None:
        """Advance the clock to `t`, emitting every interval that has ended."""
        if self._start is None:
            self._start = self._bucket(t)
            return
        while t >= self._start + self.interval_s:
            self._emit()
            self._start += self.interval_s

    def add(self, t: float, *, in_: int = 0, out: int = 0, visitors: int = 0) -> None:
        self.tick(t)
        self._counts[0] += in_
        self._counts[1] += out
        self._counts[2] += visitors

    def _emit(self, length: float | None = None) -> None:
        assert self._start is not None
        rec = CountInterval(self._start, self.interval_s if length is None else length, *self._counts)
        self._counts = [0, 0, 0]
        self.records.append(rec)
        if self.on_interval is not None:
            self.on_interval(rec)

    def flush(self, t: float | None = None) -> None:
        """Emit the current partial interval (end of a file or a stop, at time `t`) if it has counts."""
        if self._start is not None and any(self._counts):
            length = None if t is None else round(min(self.interval_s, max(0.0, t - self._start)), 3)
            self._emit(length)
            self._start += self.interval_s
