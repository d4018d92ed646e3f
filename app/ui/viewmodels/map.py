"""`RedMap`: the 1+9+N red map for QML — hall pins, parent/child links, the hall tree, the
selected hall's panel (intro, base, exhibits, routes)."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui import route_jobs
from app.ui.context import ui
from app.content.model import pick
from app.ui.hall_tree import LEVEL_RANK, descendants, label_left, short_name, tree_order
from app.ui.viewmodels.app_state import file_url
from app.ui.viewmodels.routes import duration_text, level_text, progress_text, route_tours

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
class RedMap(QObject):
    """The map screen's view-model, loaded on the DB worker.

    `pins`: halls with a map position, {key, hallId, x, y (0..1 of the image), level, label (short
    name), subLabel (short name in the other language, '' if the same), labelLeft, number (0)}; `links`: {x1, y1, x2, y2} from each hall to the halls under it (both
    pinned); `tree`: every hall (pinned or not) depth-first, {hallId, name, level, levelText, depth,
    pinned, exhibitCount}; `selected`: the tapped hall, {} when none (see `_panel`).
    """

    changed = Signal()  # content or language
    selectionChanged = Signal()
    loadingChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data: route_jobs.MapData | None = None
        self._selected = ""
        self._loading = True
        app = ui().app
        app.languageChanged.connect(self._relabel)
        route_tours().progressChanged.connect(self._on_progress)
        QTimer.singleShot(0, self._load)

    @Slot()
    def _relabel(self) -> None:
        self.changed.emit()
        self.selectionChanged.emit()

    @Slot(str)
    def _on_progress(self, _route_id: str) -> None:
        self.selectionChanged.emit()

    def _load(self) -> None:
        ui().db.call(route_jobs.map_data, self._on_data, self._on_error)

    def _on_data(self, data: route_jobs.MapData) -> None:
        self._data = data
        if not data.map_image:
            log.warning("the pack has no usable map image; the map shows pins on a plain background")
        if self._selected and self._hall(self._selected) is None:
            log.warning("unknown hall %r on the map", self._selected)
            self._selected = ""
        self._loading = False
        self.loadingChanged.emit()
        self.changed.emit()
        self.selectionChanged.emit()

    def _on_error(self, exc: BaseException) -> None:
        log.warning("red map: %s", exc)
        self._on_data(route_jobs.MapData("", [], {}, []))

    def _halls(self) -> list[Any]:
        return self._data.halls if self._data else []

    def _hall(self, hall_id: str) -> Any:
        return next((h for h in self._halls() if h.id == hall_id), None)

    # -- properties ----------------------------------------------------------------------------
    @Property(bool, notify=loadingChanged)
    def loading(self) -> bool:
        return self._loading

    @Property(str, notify=changed)
    def mapSource(self) -> str:  # noqa: N802
        return file_url(self._data.map_image) if self._data else ""

    @Property("QVariantList", notify=changed)
    def pins(self) -> list[dict]:
        app = ui().app
        placed = [h for h in self._halls() if h.map_pos]
        positions = [tuple(h.map_pos) for h in placed]
        # provinces first, counties last: smaller pins are drawn (and tapped) on top
        placed.sort(key=lambda h: LEVEL_RANK.get(h.level, 3))
        other = "en" if app.language == "zh" else "zh"
        out = []
        for h in placed:
            label = short_name(app.t(h.name), h.level)
            sub = short_name(pick(h.name, other, other), h.level)
            out.append({"key": h.id, "hallId": h.id, "x": float(h.map_pos[0]), "y": float(h.map_pos[1]),
                        "level": h.level, "label": label, "subLabel": sub if sub != label else "",
                        "labelLeft": label_left(tuple(h.map_pos), positions), "number": 0})
        return out

    @Property("QVariantList", notify=changed)
    def links(self) -> list[dict]:
        by_id = {h.id: h for h in self._halls()}
        out = []
        for h in self._halls():
            p = by_id.get(h.parent or "")
            if p is not None and p.map_pos and h.map_pos:
                out.append({"x1": p.map_pos[0], "y1": p.map_pos[1], "x2": h.map_pos[0], "y2": h.map_pos[1],
                            "from": p.id, "to": h.id})
        return out

    @Property("QVariantList", notify=changed)
    def tree(self) -> list[dict]:
        app = ui().app
        counts = self._data.exhibit_counts if self._data else {}
        return [
            {"hallId": h.id, "name": app.t(h.name), "level": h.level, "levelText": level_text(h.level),
             "depth": depth, "pinned": h.map_pos is not None, "exhibitCount": counts.get(h.id, 0)}
            for h, depth in tree_order(self._halls())
        ]

    @Property("QVariantMap", notify=changed)
    def levelCounts(self) -> dict:  # noqa: N802
        """How many halls of each level (the legend: 1 + 9 + N)."""
        out = {"province": 0, "city": 0, "county": 0}
        for h in self._halls():
            out[h.level] = out.get(h.level, 0) + 1
        return out

    @Property(int, notify=changed)
    def unpinnedCount(self) -> int:  # noqa: N802
        return sum(1 for h in self._halls() if not h.map_pos)

    def _get_selected_id(self) -> str:
        return self._selected

    def _set_selected_id(self, hall_id: str) -> None:
        if hall_id != self._selected:
            self._selected = hall_id
            self.selectionChanged.emit()

    selectedHallId = Property(str, _get_selected_id, _set_selected_id, notify=selectionChanged)

    @Property("QVariantMap", notify=selectionChanged)
    def selected(self) -> dict:
        h = self._hall(self._selected) if self._selected else None
        return self._panel(h) if h is not None else {}

    def _panel(self, h: Any) -> dict:
        """The selected hall's panel: {hallId, name, level, levelText, intro, address, pinned,
        exhibitCount, parentId, parentName, children [{hallId, name}], baseName, cityName,
        routes [{routeId, title, hallName, stopCount, durationText, progressText, own}]}."""
        app = ui().app
        halls = self._halls()
        counts = self._data.exhibit_counts if self._data else {}
        parent = self._hall(h.parent) if h.parent else None
        # routes of the hall itself, then (for a city or county hall) those of the halls under it
        keep = [h.id] if h.level == "province" else [h.id, *descendants(halls, h.id)]
        routes = [r for r in (self._data.routes if self._data else []) if r.hall in keep]
        routes.sort(key=lambda r: keep.index(r.hall))
        book = route_tours().book
        city = h if h.level == "city" else (parent if h.level == "county" and parent is not None else None)
        return {
            "hallId": h.id,
            "name": app.t(h.name),
            "level": h.level,
            "levelText": level_text(h.level),
            "intro": app.t(h.intro),
            "address": app.t(h.address),
            "pinned": h.map_pos is not None,
            "exhibitCount": counts.get(h.id, 0),
            "parentId": parent.id if parent else "",
            "parentName": app.t(parent.name) if parent else "",
            "children": [{"hallId": c.id, "name": app.t(c.name), "level": c.level}
                         for c in halls if c.parent == h.id],
            "baseName": app.t(h.name),
            "cityName": short_name(app.t(city.name), city.level) if city is not None else "",
            "routes": [{"routeId": r.id, "title": app.t(r.title), "hallName": app.t(rh.name) if (rh := self._hall(r.hall)) else r.hall,
                        "stopCount": len(r.stops), "durationText": duration_text(r.duration_min),
                        "progressText": progress_text(book.get(r.id)), "own": r.hall == h.id}
                       for r in routes],
        }

    # -- slots ---------------------------------------------------------------------------------
    @Slot(str)
    def select(self, hall_id: str) -> None:
        """A pin or a list entry was tapped."""
        self._set_selected_id(hall_id)

    @Slot()
    def clearSelection(self) -> None:  # noqa: N802
        self._set_selected_id("")
