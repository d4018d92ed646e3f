"""DB-worker jobs for the red map and the study routes (plain Python, no Qt).

Like `store_jobs`, each job is `fn(store) -> data`, runs on the worker thread and returns plain
data that the view-models localise on the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.ui.store_jobs import StoreContext, resolve_media


@dataclass
class MapData:
    """What the map screen needs: the map image, the halls, their exhibit counts and routes."""

    map_image: str  # absolute path, or '' when the pack has no (usable) map
    halls: list[Any]  # list[Hall], pack order
    exhibit_counts: dict[str, int]
    routes: list[Any]  # list[Route]


def map_data(store: StoreContext) -> MapData:
    cat = store.catalog
    info = cat.pack_info()
    counts: dict[str, int] = {}
    for card in cat.exhibits():
        counts[card.hall] = counts.get(card.hall, 0) + 1
    return MapData(
        map_image=resolve_media(store.pack_root, info.map) if info is not None and info.map else "",
        halls=list(cat.halls()),
        exhibit_counts=counts,
        routes=list(cat.routes()),
    )


@dataclass
class StopData:
    """One route stop, ready to show: an exhibit (with its card) or a site outside the hall."""

    exhibit_id: str | None
    card: Any = None  # ExhibitCard of an exhibit stop (None if the exhibit is missing)
    thumb: str = ""  # absolute path of the exhibit's thumbnail, or ''
    site: Any = None  # Site of an outside stop


@dataclass
class RouteData:
    route: Any  # Route
    stops: list[StopData]
    map_image: str
    halls: list[Any] = field(default_factory=list)  # every hall (names, map positions)


def route_detail(store: StoreContext, route_id: str) -> RouteData | None:
    """A route with its stops' exhibit cards and thumbnails resolved, or None if unknown."""
    cat = store.catalog
    route = cat.route(route_id)
    if route is None:
        return None
    stops: list[StopData] = []
    for stop in route.stops:
        if stop.exhibit:
            card = cat.exhibit_card(stop.exhibit)
            stops.append(StopData(stop.exhibit, card, resolve_media(store.pack_root, card.thumb) if card else ""))
        else:
            stops.append(StopData(None, site=stop.site))
    info = cat.pack_info()
    return RouteData(
        route=route,
        stops=stops,
        map_image=resolve_media(store.pack_root, info.map) if info is not None and info.map else "",
        halls=list(cat.halls()),
    )


def all_routes(store: StoreContext) -> list[Any]:
    """Every route of the pack, in pack order."""
    return list(store.catalog.routes())
