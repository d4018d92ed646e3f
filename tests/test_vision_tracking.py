"""Tracker association and occlusion, line hysteresis, dwell visits and per-minute intervals."""
import pytest

from app.vision.counters import DwellCounter, IntervalCounter, LineCounter
from app.vision.geometry import CountLine, Detection, Zone
from app.vision.tracker import Tracker, TrackerSettings


def det(cx, cy, w=40, h=100, score=0.9):
    return Detection((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), score)


def test_two_people_crossing_paths_keep_their_ids():
    tr = Tracker()
    ids_a, ids_b = set(), set()
    for i in range(20):
        t = i * 0.1
        a = det(50 + i * 10, 120)  # walks right
        b = det(250 - i * 10, 140)  # walks left, passes a at i == 10
        tracks = tr.update([b, a], t)
        for track in tracks:
            if track.matched:
                (ids_a if (track.box[1] + track.box[3]) / 2 == 120 else ids_b).add(track.id)
    assert len(ids_a) == 1 and len(ids_b) == 1 and ids_a != ids_b


def test_tracks_confirm_after_n_hits_and_survive_a_short_occlusion():
    tr = Tracker(TrackerSettings(n_init=3, max_age_s=1.5))
    tracks = tr.update([det(100, 100)], 0.0)
    assert not tracks[0].confirmed
    tr.update([det(105, 100)], 0.1)
    tracks = tr.update([det(110, 100)], 0.2)
    assert tracks[0].confirmed
    first = tracks[0].id
    for k in range(1, 11):  # one second with no detections (occluded by a pillar)
        tracks = tr.update([], 0.2 + k * 0.1)
        assert [t.id for t in tracks] == [first] and not tracks[0].matched
    tracks = tr.update([det(165, 100)], 1.3)  # reappears further along its path
    assert [t.id for t in tracks] == [first] and tracks[0].matched
    for k in range(1, 20):  # gone for good
        tracks = tr.update([], 1.3 + k * 0.1)
    assert tracks == []


def test_a_single_false_detection_never_becomes_a_confirmed_track():
    tr = Tracker()
    tr.update([det(100, 100)], 0.0)
    for k in range(1, 5):
        tracks = tr.update([], k * 0.1)
    assert tracks == []


def feed_line(counter, path, *, step=0.1, confirmed=True):
    """Feed one confirmed track following `path` (list of (x, y) centres) to the line counter."""
    tr = Tracker(TrackerSettings(n_init=1))
    crossings = []
    for i, (x, y) in enumerate(path):
        tracks = tr.update([det(x, y)], i * step)
        crossings += counter.update(tracks, i * step)
    return crossings


def test_line_counts_in_and_out_by_direction():
    line = LineCounter(CountLine(0, 200, 400, 200), band=10)
    down = [(200, y) for y in range(100, 320, 20)]  # crossing downward: "in" for this line
    assert [c.direction for c in feed_line(line, down)] == ["in"]
    up = [(200, y) for y in range(320, 100, -20)]
    assert [c.direction for c in feed_line(line, up)] == ["out"]
    assert (line.in_count, line.out_count, line.occupancy) == (1, 1, 0)


def test_lingering_on_the_line_is_counted_once():
    line = LineCounter(CountLine(0, 200, 400, 200), band=15)
    path = [(200, 150), (200, 170)]
    path += [(200, 200 + (12 if i % 2 else -12)) for i in range(30)]  # sways across the line, inside the band
    path += [(200, 240), (200, 260)]
    assert [c.direction for c in feed_line(line, path)] == ["in"]
    assert line.in_count == 1 and line.out_count == 0


def test_without_hysteresis_swaying_would_count_repeatedly():
    line = LineCounter(CountLine(0, 200, 400, 200), band=0)
    path = [(200, 150)] + [(200, 200 + (12 if i % 2 else -12)) for i in range(10)]
    assert len(feed_line(line, path)) > 5  # what the band prevents


def test_crossing_beyond_the_end_of_the_segment_is_not_counted():
    line = LineCounter(CountLine(0, 200, 100, 200), band=10)
    assert feed_line(line, [(300, y) for y in range(100, 320, 20)]) == []


def test_crossing_made_while_tentative_counts_once_confirmed():
    line = LineCounter(CountLine(0, 200, 400, 200), band=10)
    tr = Tracker(TrackerSettings(n_init=4))
    got = []
    for i, y in enumerate([150, 180, 210, 240, 270, 280]):
        got += line.update(tr.update([det(200, y)], i * 0.1), i * 0.1)
    assert [c.direction for c in got] == ["in"] and line.in_count == 1


def test_tentative_track_that_dies_is_never_counted():
    line = LineCounter(CountLine(0, 200, 400, 200), band=10)
    tr = Tracker(TrackerSettings(n_init=5))
    got = []
    for i, y in enumerate([150, 250]):
        got += line.update(tr.update([det(200, y)], i * 0.1), i * 0.1)
    for i in range(2, 8):
        got += line.update(tr.update([], i * 0.1), i * 0.1)
    assert got == [] and line.in_count == 0


def run_dwell(dwell, frames, *, step=0.5):
    tr = Tracker(TrackerSettings(n_init=1, max_age_s=0.6))
    for i, dets in enumerate(frames):
        dwell.update(tr.update(dets, i * step), i * step)
    dwell.finish()


def test_dwell_counts_distinct_visitors_who_stayed_long_enough():
    dwell = DwellCounter(Zone(100, 0, 300, 300), min_dwell_s=3.0)
    frames = [[det(200, 150)]] * 10  # 4.5 s in the zone → a visitor
    frames += [[]] * 10  # nobody
    frames += [[det(200, 150)]] * 4  # 1.5 s → just passing
    frames += [[]] * 10
    frames += [[det(50, 150)]] * 20  # outside the zone
    run_dwell(dwell, frames)
    assert dwell.visitors == 1
    assert dwell.dwell_times == [pytest.approx(4.5)]


def test_a_visitor_lost_briefly_in_the_zone_is_not_counted_twice():
    dwell = DwellCounter(Zone(100, 0, 300, 300), min_dwell_s=2.0, merge_gap_s=3.0)
    frames = [[det(200, 150)]] * 8 + [[]] * 3 + [[det(205, 150)]] * 8  # detector missed her for 1.5 s
    run_dwell(dwell, frames)
    assert dwell.visitors == 1
    assert dwell.dwell_times == [pytest.approx(9.0)]


def test_two_people_side_by_side_are_two_visitors():
    dwell = DwellCounter(Zone(0, 0, 400, 300), min_dwell_s=2.0)
    run_dwell(dwell, [[det(100, 150), det(300, 150)]] * 8)
    assert dwell.visitors == 2


def test_intervals_are_emitted_per_minute_including_empty_ones():
    got = []
    iv = IntervalCounter(got.append, 60.0)
    iv.tick(120.0)
    iv.add(130.0, in_=1)
    iv.add(150.0, visitors=1)
    iv.add(185.0, out=1)
    iv.tick(300.0)
    iv.add(301.0, in_=2)
    iv.flush(330.0)
    assert [(r.interval_start, r.interval_s, r.in_, r.out, r.visitors) for r in got] == [
        (120.0, 60.0, 1, 0, 1), (180.0, 60.0, 0, 1, 0), (240.0, 60.0, 0, 0, 0), (300.0, 30.0, 2, 0, 0)]
    assert got[0].event_fields() == {"interval_s": 60.0, "in": 1, "out": 0, "visitors": 1}


def test_a_person_lost_while_crossing_and_found_again_as_a_new_track_is_counted_once():
    line = LineCounter(CountLine(0, 200, 400, 200), band=10)
    tr = Tracker(TrackerSettings(n_init=2, max_age_s=0.3))
    got = []
    steps = [[det(200, 120)], [det(200, 140)], [det(200, 160)], [], [], [], [], [],  # occluded; track dropped
             [det(200, 240)], [det(200, 260)], [det(200, 280)]]  # re-detected past the line: a new track id
    ids = set()
    for i, dets in enumerate(steps):
        tracks = tr.update(dets, i * 0.1)
        ids |= {t.id for t in tracks}
        got += line.update(tracks, i * 0.1)
    assert len(ids) == 2
    assert [c.direction for c in got] == ["in"] and line.in_count == 1


def test_a_track_first_seen_inside_the_band_counts_only_if_it_leaves_by_the_other_half():
    line = LineCounter(CountLine(0, 200, 400, 200), band=30)
    assert [c.direction for c in feed_line(line, [(200, 185), (200, 200), (200, 220), (200, 240)])] == ["in"]
    line = LineCounter(CountLine(0, 200, 400, 200), band=30)
    assert feed_line(line, [(200, 215), (200, 225), (200, 240), (200, 260)]) == []  # appeared already past it
