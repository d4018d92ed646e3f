"""Counting line / zone parsing and validation, IoU, and the Hungarian assignment."""
import itertools
import math
import random

import pytest

from app.vision.assignment import hungarian
from app.vision.errors import GeometryError
from app.vision.geometry import CountLine, Zone, iou, parse_coords


def test_parse_coords_pixels_and_fractions():
    assert parse_coords("10,20,30,40", "--line") == (10, 20, 30, 40)
    assert parse_coords("", "--line") is None
    assert parse_coords([], "vision.zone") is None
    line = CountLine.from_values(parse_coords("0,0.5,1,0.5", "--line"), 768, 432)
    assert (line.x1, line.y1, line.x2, line.y2) == (0, 216, 768, 216)
    zone = Zone.from_values((0.25, 0, 0.75, 1), 400, 200)
    assert (zone.x1, zone.y1, zone.x2, zone.y2) == (100, 0, 300, 200)


@pytest.mark.parametrize("text, message", [
    ("1,2,3", "expected 4 numbers"),
    ("a,b,c,d", "expected 4 numbers"),
    ("nan,1,2,3", "finite"),
])
def test_parse_coords_refuses_garbage(text, message):
    with pytest.raises(GeometryError, match=message):
        parse_coords(text, "--line")


@pytest.mark.parametrize("vals, message", [
    ((0, 0, 900, 10), r"point \(900,10\) lies outside the 768×432 frame"),
    ((-5, 10, 100, 10), "outside"),
    ((100, 100, 100, 100), "too short"),
    ((100, 100, 104, 103), "too short"),
])
def test_bad_lines_are_refused(vals, message):
    with pytest.raises(GeometryError, match=message):
        CountLine.from_values(vals, 768, 432)


@pytest.mark.parametrize("vals, message", [
    ((300, 100, 200, 200), "inverted"),
    ((100, 200, 200, 100), "inverted"),
    ((100, 100, 800, 200), "outside the 768×432 frame"),
    ((100, 100, 103, 200), "too small"),
])
def test_bad_zones_are_refused(vals, message):
    with pytest.raises(GeometryError, match=message):
        Zone.from_values(vals, 768, 432)


def test_line_sides_follow_the_documented_direction():
    # walking east along the line, your right hand points down the screen: that side is "in"
    line = CountLine(0, 100, 200, 100)
    assert line.signed_distance(50, 150) == pytest.approx(50)
    assert line.signed_distance(50, 40) == pytest.approx(-60)
    assert line.along(50, 0) == pytest.approx(0.25)


def test_iou():
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1
    assert iou((0, 0, 10, 10), (20, 20, 30, 30)) == 0
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(50 / 150)


def brute_force(cost):
    n, m = len(cost), len(cost[0])
    k = min(n, m)
    best = math.inf
    for rows in itertools.permutations(range(n), k):
        for cols in itertools.permutations(range(m), k):
            best = min(best, sum(cost[r][c] for r, c in zip(rows, cols)))
    return best


def test_hungarian_matches_brute_force_on_random_matrices():
    rng = random.Random(7)
    for _ in range(200):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        cost = [[rng.random() for _ in range(m)] for _ in range(n)]
        pairs = hungarian(cost)
        assert len(pairs) == min(n, m)
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        assert sum(cost[r][c] for r, c in pairs) == pytest.approx(brute_force(cost))


def test_hungarian_drops_forbidden_pairs():
    inf = math.inf
    assert hungarian([[inf, 1.0], [inf, inf]]) == [(0, 1)]
    assert hungarian([[0.2, inf], [0.1, 0.3]]) == [(0, 0), (1, 1)]
    assert hungarian([]) == []
