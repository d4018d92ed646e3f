"""RouteProgressBook (no Qt): resume, bounds, completion, events, restart, session clear."""
from __future__ import annotations

import pytest

from app.ui.route_progress import RouteProgressBook

STOPS = ["gutian-meeting", None, "changting"]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def book_and_events():
    events: list[tuple[str, dict]] = []
    clock = Clock()
    book = RouteProgressBook(lambda kind, data: events.append((kind, data)), clock=clock)
    return book, events, clock


def test_start_logs_started_and_the_first_stop(book_and_events) -> None:
    book, events, _ = book_and_events
    p = book.start("walk", STOPS)
    assert (p.index, p.count, p.completed) == (0, 3, False)
    assert events == [("route_started", {"route_id": "walk"}),
                      ("route_stop", {"route_id": "walk", "stop_index": 0, "exhibit_id": "gutian-meeting"})]


def test_next_previous_and_bounds(book_and_events) -> None:
    book, events, _ = book_and_events
    book.start("walk", STOPS)
    assert book.previous("walk").index == 0  # stays at the first stop
    assert book.next("walk").index == 1
    assert events[-1] == ("route_stop", {"route_id": "walk", "stop_index": 1})  # a site: no exhibit id
    assert book.go("walk", 99).index == 2  # clamped to the last stop
    assert book.go("walk", -5).index == 0
    assert book.previous("walk").index == 0
    # stops already reached are not logged again
    assert [d["stop_index"] for k, d in events if k == "route_stop"] == [0, 1, 2]


def test_next_at_the_last_stop_completes_once(book_and_events) -> None:
    book, events, clock = book_and_events
    book.start("walk", STOPS)
    book.next("walk")
    book.next("walk")
    clock.now += 42.0
    p = book.next("walk")
    assert p.completed and p.index == 2 and p.fraction == 1.0
    book.next("walk")
    book.complete("walk")
    done = [d for k, d in events if k == "route_completed"]
    assert done == [{"route_id": "walk", "duration_s": 42.0}]


def test_start_resumes_and_restart_begins_again(book_and_events) -> None:
    book, events, _ = book_and_events
    book.start("walk", STOPS)
    book.next("walk")
    p = book.start("walk", STOPS)  # coming back: same stop, no new route_started
    assert p.index == 1
    assert sum(1 for k, _ in events if k == "route_started") == 1
    p = book.restart("walk")
    assert (p.index, p.completed) == (0, False)
    assert sum(1 for k, _ in events if k == "route_started") == 2


def test_a_finished_route_starts_again_from_the_first_stop(book_and_events) -> None:
    book, events, _ = book_and_events
    book.start("walk", STOPS)
    book.complete("walk")
    p = book.start("walk", STOPS)
    assert (p.index, p.completed) == (0, False)
    assert [k for k, _ in events].count("route_started") == 2


def test_clear_forgets_every_route(book_and_events) -> None:
    book, _, _ = book_and_events
    book.start("walk", STOPS)
    book.start("other", [None])
    book.clear()
    assert book.get("walk") is None and book.all() == {}


def test_unknown_and_empty_routes_are_refused(book_and_events) -> None:
    book, _, _ = book_and_events
    with pytest.raises(KeyError, match="'walk' was not started"):
        book.next("walk")
    with pytest.raises(ValueError, match="'empty' has no stops"):
        book.start("empty", [])
