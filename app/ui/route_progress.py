"""A visitor's progress through study routes, kept for one session (plain Python, no Qt).

`RouteProgressBook` remembers, per route, the stop the visitor is at, which stops they have
reached and whether they finished. It reports visit events through the `emit(kind, data)`
callback it is given: `route_started` when a tour begins (or begins again after it was finished),
`route_stop` the first time each stop is reached (`stop_index` 0-based, `exhibit_id` for exhibit
stops) and `route_completed` (with `duration_s`) when the visitor finishes the last stop.
`clear()` forgets everything: the session reset calls it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

Emit = Callable[[str, dict[str, Any]], None]


@dataclass
class RouteProgress:
    """Where one visitor is on one route."""

    route_id: str
    stops: tuple[str | None, ...]  # per stop: the exhibit id, or None for a site outside the hall
    index: int = 0
    completed: bool = False
    reached: set[int] = field(default_factory=set)
    started_at: float = 0.0

    @property
    def count(self) -> int:
        return len(self.stops)

    @property
    def fraction(self) -> float:
        """0..1: how far along the visitor is (1.0 once completed)."""
        if self.completed or self.count == 0:
            return 1.0 if self.completed else 0.0
        return (self.index + 1) / self.count


class RouteProgressBook:
    """Progress of every route the current visitor started."""

    def __init__(self, emit: Emit | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._emit = emit or (lambda kind, data: None)
        self._clock = clock
        self._routes: dict[str, RouteProgress] = {}

    def get(self, route_id: str) -> RouteProgress | None:
        return self._routes.get(route_id)

    def all(self) -> dict[str, RouteProgress]:
        return dict(self._routes)

    def start(self, route_id: str, stops: list[str | None] | tuple[str | None, ...]) -> RouteProgress:
        """Begin the tour of a route, or resume it where the visitor left it.

        A finished route starts again from its first stop. A route with no stops cannot be toured.
        """
        if not stops:
            raise ValueError(f"route '{route_id}' has no stops")
        p = self._routes.get(route_id)
        if p is not None and not p.completed and p.count == len(stops):
            return p
        p = RouteProgress(route_id, tuple(stops), started_at=self._clock())
        self._routes[route_id] = p
        self._emit("route_started", {"route_id": route_id})
        self._reach(p, 0)
        return p

    def go(self, route_id: str, index: int) -> RouteProgress:
        """Jump to stop `index` (clamped to the route); a finished route stays finished."""
        p = self._need(route_id)
        p.index = max(0, min(p.count - 1, int(index)))
        self._reach(p, p.index)
        return p

    def next(self, route_id: str) -> RouteProgress:
        """The next stop; at the last stop this finishes the route."""
        p = self._need(route_id)
        if p.index >= p.count - 1:
            return self.complete(route_id)
        return self.go(route_id, p.index + 1)

    def previous(self, route_id: str) -> RouteProgress:
        """The previous stop (stays at the first)."""
        p = self._need(route_id)
        return self.go(route_id, p.index - 1) if p.index > 0 else p

    def complete(self, route_id: str) -> RouteProgress:
        """Mark the route finished (once)."""
        p = self._need(route_id)
        if not p.completed:
            p.completed = True
            p.index = p.count - 1
            self._emit("route_completed", {"route_id": route_id,
                                           "duration_s": round(max(0.0, self._clock() - p.started_at), 1)})
        return p

    def restart(self, route_id: str) -> RouteProgress:
        """Forget the route's progress and start it again from the first stop."""
        p = self._need(route_id)
        del self._routes[route_id]
        return self.start(route_id, p.stops)

    def clear(self) -> None:
        """Forget every route (the visitor's session ended)."""
        self._routes.clear()

    def _need(self, route_id: str) -> RouteProgress:
        p = self._routes.get(route_id)
        if p is None:
            raise KeyError(f"route '{route_id}' was not started")
        return p

    def _reach(self, p: RouteProgress, index: int) -> None:
        if index in p.reached:
            return
        p.reached.add(index)
        data: dict[str, Any] = {"route_id": p.route_id, "stop_index": index}
        if p.stops[index]:
            data["exhibit_id"] = p.stops[index]
        self._emit("route_stop", data)
