"""Study routes for QML: the routes list (`RouteListModel`), one route's page and guided tour
(`RouteTour`), and the visitor's route progress for the session (`route_tours()`).

Progress lives in one `RouteTours` object per visitor session: leaving a route page and coming
back resumes at the same stop, the routes list shows how far the visitor got, and the session
reset forgets it all. Route visit events (`route_started`, `route_stop`, `route_completed`) go
through `RouteTours.log_route_event`, the single place they reach the visit log.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui import route_jobs
from app.ui.context import ui
from app.ui.dbworker import Job
from app.ui.hall_tree import descendants, duration_parts
from app.ui.route_progress import RouteProgress, RouteProgressBook
from app.ui.viewmodels.app_state import file_url
from app.ui.viewmodels.db_loading import DbRequest, DetailById, LoadingProperty
from app.ui.viewmodels.lists import _LocalisedListModel

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

LEVEL_LABELS = {"province": "Province hall", "city": "City hall", "county": "County hall"}


def tr(text: str) -> str:
    """A UI string in the visitor's language (the same tables as qsTr())."""
    return QCoreApplication.translate("Hongtu", text)


def duration_text(minutes: int) -> str:
    """'40 min', '1 h 30 min', '12 h' — translated."""
    h, m = duration_parts(minutes)
    if h and m:
        return tr("%1 h %2 min").replace("%1", str(h)).replace("%2", str(m))
    if h:
        return tr("%1 h").replace("%1", str(h))
    return tr("%1 min").replace("%1", str(m))


def level_text(level: str) -> str:
    return tr(LEVEL_LABELS.get(level, "County hall"))


def progress_text(p: RouteProgress | None) -> str:
    """'Stop 3 of 7', 'Completed' or '' (not started)."""
    if p is None:
        return ""
    if p.completed:
        return tr("Completed")
    return tr("Stop %1 of %2").replace("%1", str(p.index + 1)).replace("%2", str(p.count))


# ---- the session's progress ------------------------------------------------------------------

class RouteTours(QObject):
    """The current visitor's progress on every route; cleared when the session resets."""

    progressChanged = Signal(str)  # route id; '' = every route (session reset)

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        # the visit log's clock (the kiosk's: a fake one in tests and the tour), for route durations
        clock = getattr(getattr(ui(), "events", None), "clock", None)
        self.book = RouteProgressBook(self.log_route_event, clock) if callable(clock) else RouteProgressBook(
            self.log_route_event)
        session.core.on_reset(self.clear)

    def log_route_event(self, kind: str, data: dict[str, Any]) -> None:
        """The one place route events reach the visit log (`ui().events`, an app.events.EventLog)."""
        events = getattr(ui(), "events", None)
        if events is None:
            log.debug("route event (no event log wired): %s %s", kind, data)
            return
        try:
            events.log(kind, **data)
        except Exception as exc:  # noqa: BLE001 - logging must never break the tour
            log.warning("route event %s not logged: %s", kind, exc)

    def clear(self) -> None:
        self.book.clear()
        self.progressChanged.emit("")

    def changed(self, route_id: str) -> None:
        self.progressChanged.emit(route_id)


_tours: RouteTours | None = None


def route_tours() -> RouteTours:
    """The route progress of the running kiosk's visitor session."""
    global _tours
    session = ui().session
    if _tours is None or _tours.session is not session:
        _tours = RouteTours(session)
    return _tours


def _progress(route_id: str) -> RouteProgress | None:
    return route_tours().book.get(route_id)


# ---- the routes list ---------------------------------------------------------------------------

def _hall_name(app: Any, hall_id: str) -> str:
    h = app.hall(hall_id)
    return app.t(h.name) if h is not None else hall_id


@QmlElement
class RouteListModel(LoadingProperty, DbRequest, _LocalisedListModel):
    """All routes, or those of `hall` and the halls under it, with the visitor's progress.

    When `hall` has no route at all, the model lists every route and `showingAll` is true.
    """

    ROLES = {
        "routeId": lambda app, r: r.id,
        "title": lambda app, r: app.t(r.title),
        "theme": lambda app, r: app.t(r.theme),
        "durationText": lambda app, r: duration_text(r.duration_min),
        "stopCount": lambda app, r: len(r.stops),
        "siteCount": lambda app, r: sum(1 for s in r.stops if s.site is not None),
        "hallId": lambda app, r: r.hall,
        "hallName": lambda app, r: _hall_name(app, r.hall),
        "started": lambda app, r: _progress(r.id) is not None,
        "completed": lambda app, r: bool((p := _progress(r.id)) and p.completed),
        "progress": lambda app, r: (p.fraction if (p := _progress(r.id)) else 0.0),
        "progressText": lambda app, r: progress_text(_progress(r.id)),
    }
    filterChanged = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._hall = ""
        self._all: list[Any] = []
        self._showing_all = False
        route_tours().progressChanged.connect(self._on_progress)
        self._schedule_load()

    def _load(self) -> None:
        self._submit(route_jobs.all_routes, self._on_routes, self._on_error)

    def _on_routes(self, routes: list[Any]) -> None:
        self._all = list(routes)
        self._refilter()

    def _on_error(self, exc: BaseException) -> None:
        log.warning("routes list: %s", exc)
        self._on_routes([])

    def _refilter(self) -> None:
        routes = self._all
        showing_all = False
        if self._hall:
            keep = {self._hall, *descendants(ui().app.halls, self._hall)}
            mine = [r for r in routes if r.hall in keep]
            showing_all = not mine
            routes = mine or routes
        self._showing_all = showing_all
        self.set_items(routes)
        self.filterChanged.emit()

    @Slot(str)
    def _on_progress(self, _route_id: str) -> None:
        self._relabel()

    def _get_hall(self) -> str:
        return self._hall

    def _set_hall(self, hall_id: str) -> None:
        if hall_id != self._hall:
            self._hall = hall_id
            self._refilter()

    hall = Property(str, _get_hall, _set_hall, notify=filterChanged)

    @Property(bool, notify=filterChanged)
    def showingAll(self) -> bool:  # noqa: N802
        """A hall was asked for but has no route: every route is listed instead."""
        return self._showing_all

    @Property(int, notify=filterChanged)
    def startedCount(self) -> int:  # noqa: N802
        return sum(1 for r in self._items if _progress(r.id) is not None)


# ---- one route ---------------------------------------------------------------------------------

@QmlElement
class RouteTour(LoadingProperty, DetailById, QObject):
    """One route by `routeId`: its stops, a small map, and the guided tour through the stops.

    `mode` is "overview" (the stop list), "tour" (one stop at a time) or "done" (just finished).
    `stops` is a list of {index, number, kind ("exhibit"|"site"), exhibitId, title, summary,
    period, thumb, intro, address, narrationText, missing, hasPos, x, y}; `current` is the stop at
    `currentIndex`. Progress is kept in the session's `RouteTours`, so a page opened again (or
    after the exhibit page) resumes at the same stop.
    """

    WHAT = "route"
    _data: route_jobs.RouteData | None
    changed = Signal()  # content (route loaded, language switched)
    stepChanged = Signal()  # mode, current stop, progress

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = "overview"
        self._index = 0
        self._tours = route_tours()
        self._tours.progressChanged.connect(self._on_progress)
        ui().app.languageChanged.connect(self._relabel)

    @Slot()
    def _relabel(self) -> None:
        self.changed.emit()
        self.stepChanged.emit()

    # -- loading -------------------------------------------------------------------------------
    routeId = Property(str, DetailById._get_id, DetailById._set_id, notify=changed)

    def _detail_job(self, route_id: str) -> Job:
        return lambda store: route_jobs.route_detail(store, route_id)

    def _show(self, data: route_jobs.RouteData | None) -> None:
        """The route (None: loading, unknown or failed), at the stop the visitor reached on it."""
        self._data = data
        self._mode, self._index = "overview", 0
        p = self._tours.book.get(self._id) if data is not None else None
        if p is not None and p.count == len(data.stops):
            self._index = p.index
            self._mode = "overview" if p.completed else "tour"
        self._relabel()

    # -- content -------------------------------------------------------------------------------
    @Property(bool, notify=changed)
    def found(self) -> bool:
        return self._data is not None

    def _t(self, attr: str) -> str:
        return ui().app.t(getattr(self._data.route, attr)) if self._data else ""

    @Property(str, notify=changed)
    def title(self) -> str:
        return self._t("title")

    @Property(str, notify=changed)
    def theme(self) -> str:
        return self._t("theme")

    @Property(str, notify=changed)
    def durationText(self) -> str:  # noqa: N802
        return duration_text(self._data.route.duration_min) if self._data else ""

    @Property(str, notify=changed)
    def hallId(self) -> str:  # noqa: N802
        return self._data.route.hall if self._data else ""

    @Property(str, notify=changed)
    def hallName(self) -> str:  # noqa: N802
        return _hall_name(ui().app, self._data.route.hall) if self._data else ""

    @Property(int, notify=changed)
    def count(self) -> int:
        return len(self._data.stops) if self._data else 0

    @Property(int, notify=changed)
    def siteCount(self) -> int:  # noqa: N802
        return sum(1 for s in self._data.stops if s.site is not None) if self._data else 0

    def _stop(self, i: int) -> dict:
        app = ui().app
        s = self._data.stops[i]
        base = {"index": i, "number": i + 1, "exhibitId": s.exhibit_id or "", "summary": "", "period": "",
                "thumb": "", "intro": "", "address": "", "missing": False, "hasPos": False, "x": -1.0, "y": -1.0}
        if s.exhibit_id:
            card = s.card
            title = app.t(card.title) if card else s.exhibit_id
            return {**base, "kind": "exhibit", "title": title, "missing": card is None,
                    "summary": app.t(card.summary) if card else "", "period": app.t(card.period) if card else "",
                    "thumb": file_url(s.thumb), "narrationText": ""}
        site = s.site
        name, intro = app.t(site.name), app.t(site.intro)
        sep = "。" if app.language == "zh" else ". "
        pos = site.map_pos
        return {**base, "kind": "site", "title": name, "intro": intro, "address": app.t(site.address),
                "narrationText": f"{name.rstrip('。. ')}{sep}{intro}", "hasPos": pos is not None,
                "x": float(pos[0]) if pos else -1.0, "y": float(pos[1]) if pos else -1.0}

    @Property("QVariantList", notify=changed)
    def stops(self) -> list[dict]:
        return [self._stop(i) for i in range(self.count)]

    # -- the small map -------------------------------------------------------------------------
    @Property(str, notify=changed)
    def mapSource(self) -> str:  # noqa: N802
        return file_url(self._data.map_image) if self._data else ""

    def _route_hall(self) -> Any:
        if self._data is None:
            return None
        return next((h for h in self._data.halls if h.id == self._data.route.hall), None)

    @Property("QVariantList", notify=changed)
    def mapPins(self) -> list[dict]:  # noqa: N802
        """The route's hall (where its exhibit stops are) and its numbered outside sites."""
        if self._data is None:
            return []
        pins: list[dict] = []
        hall = self._route_hall()
        if hall is not None and hall.map_pos:
            pins.append({"key": "hall", "x": hall.map_pos[0], "y": hall.map_pos[1], "level": hall.level,
                         "label": ui().app.t(hall.name), "number": 0, "labelLeft": False})
        for stop in self.stops:
            if stop["kind"] == "site" and stop["hasPos"]:
                pins.append({"key": f"stop-{stop['index']}", "x": stop["x"], "y": stop["y"], "level": "site",
                             "label": stop["title"], "number": stop["number"], "labelLeft": False})
        return pins

    @Property("QVariantList", notify=changed)
    def mapPath(self) -> list[dict]:  # noqa: N802
        """The route's way over the map in stop order: {x, y} points (exhibit stops at the hall)."""
        if self._data is None:
            return []
        hall = self._route_hall()
        points: list[dict] = []
        for stop in self.stops:
            if stop["kind"] == "site" and stop["hasPos"]:
                pt = {"x": stop["x"], "y": stop["y"]}
            elif stop["kind"] == "exhibit" and hall is not None and hall.map_pos:
                pt = {"x": hall.map_pos[0], "y": hall.map_pos[1]}
            else:
                continue
            if not points or points[-1] != pt:
                points.append(pt)
        return points

    @Property(str, notify=stepChanged)
    def currentPinKey(self) -> str:  # noqa: N802
        if self._data is None or not self._data.stops:
            return ""
        return "hall" if self._data.stops[self._index].exhibit_id else f"stop-{self._index}"

    # -- the tour ------------------------------------------------------------------------------
    @Property(str, notify=stepChanged)
    def mode(self) -> str:
        return self._mode

    @Property(int, notify=stepChanged)
    def currentIndex(self) -> int:  # noqa: N802
        return self._index

    @Property("QVariantMap", notify=stepChanged)
    def current(self) -> dict:
        return self._stop(self._index) if self._data and self._data.stops else {}

    @Property(bool, notify=stepChanged)
    def atFirst(self) -> bool:  # noqa: N802
        return self._index <= 0

    @Property(bool, notify=stepChanged)
    def atLast(self) -> bool:  # noqa: N802
        return self._index >= self.count - 1

    @Property(bool, notify=stepChanged)
    def inProgress(self) -> bool:  # noqa: N802
        p = self._tours.book.get(self._id)
        return p is not None and not p.completed

    @Property(bool, notify=stepChanged)
    def completed(self) -> bool:
        p = self._tours.book.get(self._id)
        return p is not None and p.completed

    @Property(float, notify=stepChanged)
    def progress(self) -> float:
        """0..1 for the progress bar: the current stop's place in the route (1.0 when finished)."""
        p = self._tours.book.get(self._id)
        if p is not None and p.completed and self._mode != "tour":
            return 1.0
        return (self._index + 1) / self.count if self.count else 0.0

    @Property(str, notify=stepChanged)
    def progressText(self) -> str:  # noqa: N802
        if not self.count:
            return ""
        if self._mode == "done":
            return tr("Completed")
        return tr("Stop %1 of %2").replace("%1", str(self._index + 1)).replace("%2", str(self.count))

    @Property(str, notify=stepChanged)
    def resumeText(self) -> str:  # noqa: N802
        """The list view's progress line ('Stop 3 of 7', 'Completed', '')."""
        return progress_text(self._tours.book.get(self._id))

    def _stop_ids(self) -> list[str | None]:
        return [s.exhibit_id for s in self._data.stops] if self._data else []

    def _apply(self, p: RouteProgress, mode: str) -> None:
        self._index = p.index
        self._mode = mode
        self._tours.changed(self._id)  # → _on_progress → stepChanged

    @Slot(str)
    def _on_progress(self, route_id: str) -> None:
        if route_id in ("", self._id):
            if route_id == "" and self._tours.book.get(self._id) is None:
                self._mode, self._index = "overview", 0
            self.stepChanged.emit()

    @Slot()
    def start(self) -> None:
        """Begin the tour, or resume it at the stop the visitor reached; a finished route restarts."""
        if not self._data or not self._data.stops:
            return
        self._apply(self._tours.book.start(self._id, self._stop_ids()), "tour")

    @Slot(int)
    def startAt(self, index: int) -> None:  # noqa: N802
        """Open the tour at one stop (a tap in the stop list)."""
        if not self._data or not self._data.stops:
            return
        book = self._tours.book
        p = book.get(self._id)
        if p is not None and p.completed:
            book.restart(self._id)
        else:
            book.start(self._id, self._stop_ids())
        self._apply(book.go(self._id, index), "tour")

    @Slot()
    def next(self) -> None:
        """The next stop; at the last stop this finishes the route."""
        if self._mode != "tour" or self._tours.book.get(self._id) is None:
            return
        was_last = self._index >= self.count - 1
        p = self._tours.book.next(self._id)
        self._apply(p, "done" if p.completed and was_last else "tour")

    @Slot()
    def previous(self) -> None:
        if self._mode != "tour" or self._tours.book.get(self._id) is None:
            return
        self._apply(self._tours.book.previous(self._id), "tour")

    @Slot(int)
    def goTo(self, index: int) -> None:  # noqa: N802
        if self._tours.book.get(self._id) is None:
            self.startAt(index)
            return
        self._apply(self._tours.book.go(self._id, index), "tour")

    @Slot()
    def finish(self) -> None:
        if self._tours.book.get(self._id) is None:
            return
        self._apply(self._tours.book.complete(self._id), "done")

    @Slot()
    def restart(self) -> None:
        """Start the route again from its first stop."""
        if not self._data or not self._data.stops:
            return
        book = self._tours.book
        p = book.restart(self._id) if book.get(self._id) is not None else book.start(self._id, self._stop_ids())
        self._apply(p, "tour")

    @Slot()
    def showOverview(self) -> None:  # noqa: N802
        """Back to the stop list; the progress is kept."""
        self._mode = "overview"
        self.stepChanged.emit()

    @Slot()
    def reload(self) -> None:
        self._load()
