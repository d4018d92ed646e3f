"""Screenshot-tour steps for the red map, the routes list and the route page (`hongtu tour`)."""
from __future__ import annotations

from typing import Any

from app.ui.hall_tree import descendants
from app.ui.tour import TourDriver, TourError, tour_step


def _routes(d: TourDriver) -> list[Any]:
    return d.query(lambda s: s.catalog.routes())


def _city_with_route(d: TourDriver) -> str:
    """A city hall whose own or county halls' routes show in the panel (else any hall with a pin)."""
    halls = d.app.halls
    routes = _routes(d)
    for h in halls:
        if h.level == "city" and h.map_pos:
            keep = {h.id, *descendants(halls, h.id)}
            if any(r.hall in keep for r in routes):
                return h.id
    pinned = [h for h in halls if h.map_pos] or halls
    if not pinned:
        raise TourError("the pack has no halls")
    return pinned[0].id


def _route_with_sites(d: TourDriver) -> str:
    routes = _routes(d)
    if not routes:
        raise TourError("the pack has no study routes")
    return max(routes, key=lambda r: (sum(1 for s in r.stops if s.site is not None), len(r.stops))).id


def _fresh() -> None:
    """Each step starts with no route progress (the tour does not end the session between steps)."""
    from app.ui.viewmodels.routes import route_tours

    route_tours().clear()


def _in_screen(d: TourDriver, name: str) -> Any:
    """An object of the current screen (not d.find(): a popped page may not be deleted yet)."""
    from PySide6.QtCore import QObject

    screen = d.current_screen()
    return screen.findChild(QObject, name) if screen is not None else None


def _tour(d: TourDriver, route_id: str) -> Any:
    """The RouteTour view-model of the route page on screen, once its route is loaded."""
    box: dict[str, Any] = {}

    def ready() -> bool:
        try:
            vm = _in_screen(d, "routeTour")
            if vm is not None and vm.property("routeId") == route_id and vm.property("found"):
                box["vm"] = vm
                return True
        except RuntimeError:  # a page being deleted
            pass
        return False

    if not d.wait(ready, 10):
        raise TourError(f"the route page of '{route_id}' did not load")
    return box["vm"]


@tour_step("map")
def _map(d: TourDriver) -> None:
    _fresh()
    d.go("map")


@tour_step("map-hall")
def _map_hall(d: TourDriver) -> None:
    _fresh()
    d.go("map", hallId=_city_with_route(d))


@tour_step("map-zoomed")
def _map_zoomed(d: TourDriver) -> None:
    _fresh()
    d.go("map", zoom=1.8)
    d.settle()


@tour_step("routes")
def _routes_list(d: TourDriver) -> None:
    _fresh()
    d.go("routes")


@tour_step("route")
def _route(d: TourDriver) -> None:
    _fresh()
    d.go("route", routeId=_route_with_sites(d))


@tour_step("route-step-site")
def _route_step_site(d: TourDriver) -> None:
    _fresh()
    rid = _route_with_sites(d)
    d.go("route", routeId=rid)
    vm = _tour(d, rid)
    stops = vm.property("stops")
    site = next((s["index"] for s in stops if s["kind"] == "site"), 0)
    vm.startAt(site)
    d.settle()


@tour_step("route-step-exhibit")
def _route_step_exhibit(d: TourDriver) -> None:
    _fresh()
    routes = _routes(d)
    if not routes:
        raise TourError("the pack has no study routes")
    in_hall = max(routes, key=lambda r: sum(1 for s in r.stops if s.exhibit))
    d.go("route", routeId=in_hall.id)
    vm = _tour(d, in_hall.id)
    vm.start()
    if vm.property("count") > 2:
        vm.next()
        vm.next()
    d.settle()


@tour_step("route-done")
def _route_done(d: TourDriver) -> None:
    _fresh()
    rid = _route_with_sites(d)
    d.go("route", routeId=rid)
    vm = _tour(d, rid)
    vm.start()
    vm.finish()
    d.settle()


@tour_step("routes-progress")
def _routes_progress(d: TourDriver) -> None:
    _fresh()
    rid = _route_with_sites(d)
    d.go("route", routeId=rid)
    vm = _tour(d, rid)
    vm.start()
    vm.next()
    d.app.back()
    d.go("routes")
