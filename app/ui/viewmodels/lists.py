"""List models for QML: halls and exhibit cards (QAbstractListModel with role names).

Both keep the raw content (LText maps) and pick the visitor's language in `data()`, so a language
switch only emits `dataChanged` — no new query.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement

from app.ui import store_jobs
from app.ui.context import ui
from app.ui.viewmodels.app_state import file_url
from app.ui.viewmodels.db_loading import DbRequest, LoadingProperty

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex


class _LocalisedListModel(QAbstractListModel):
    """A list of raw items; ROLES maps role name → fn(app, item) giving the QML value."""

    ROLES: dict[str, Callable[[Any, Any], Any]] = {}
    countChanged = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._items: list[Any] = []
        self._names = list(self.ROLES)
        ui().app.languageChanged.connect(self._relabel)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802
        return {Qt.ItemDataRole.UserRole + i: QByteArray(n.encode()) for i, n in enumerate(self._names)}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._items):
            return None
        i = role - Qt.ItemDataRole.UserRole
        if role == Qt.ItemDataRole.DisplayRole:
            i = 1
        if not 0 <= i < len(self._names):
            return None
        return self.ROLES[self._names[i]](ui().app, self._items[row])

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()
        self.countChanged.emit()

    def items(self) -> list[Any]:
        return list(self._items)

    @Property(int, notify=countChanged)
    def count(self) -> int:
        return len(self._items)

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict:
        """One row as a {role: value} map (for QML code outside delegates)."""
        if not 0 <= row < len(self._items):
            return {}
        return {n: self.ROLES[n](ui().app, self._items[row]) for n in self._names}

    def _relabel(self) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))


def _pos(h: Any, i: int) -> float:
    return float(h.map_pos[i]) if h.map_pos else -1.0


@QmlElement
class HallListModel(_LocalisedListModel):
    """The pack's halls, optionally filtered by `level` (province|city|county) and `parentHall`."""

    ROLES = {
        "hallId": lambda app, h: h.id,
        "name": lambda app, h: app.t(h.name),
        "intro": lambda app, h: app.t(h.intro),
        "level": lambda app, h: h.level,
        "parentId": lambda app, h: h.parent or "",
        "address": lambda app, h: app.t(h.address),
        "hasMapPos": lambda app, h: h.map_pos is not None,
        "mapX": lambda app, h: _pos(h, 0),
        "mapY": lambda app, h: _pos(h, 1),
    }
    filterChanged = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._level = ""
        self._parent_hall = ""
        ui().app.hallsChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        halls = [
            h
            for h in ui().app.halls
            if (not self._level or h.level == self._level)
            and (not self._parent_hall or h.parent == self._parent_hall)
        ]
        self.set_items(halls)

    def _get_level(self) -> str:
        return self._level

    def _set_level(self, level: str) -> None:
        if level != self._level:
            self._level = level
            self.filterChanged.emit()
            self._refresh()

    level = Property(str, _get_level, _set_level, notify=filterChanged)

    def _get_parent_hall(self) -> str:
        return self._parent_hall

    def _set_parent_hall(self, hall_id: str) -> None:
        if hall_id != self._parent_hall:
            self._parent_hall = hall_id
            self.filterChanged.emit()
            self._refresh()

    parentHall = Property(str, _get_parent_hall, _set_parent_hall, notify=filterChanged)


@QmlElement
class ExhibitListModel(LoadingProperty, DbRequest, _LocalisedListModel):
    """Exhibit cards: the home screen's featured row (`featured: true`), a hall's or a tag's."""

    ROLES = {
        "exhibitId": lambda app, c: c.id,
        "title": lambda app, c: app.t(c.title),
        "summary": lambda app, c: app.t(c.summary),
        "period": lambda app, c: app.t(c.period),
        "hallId": lambda app, c: c.hall,
        "hallName": lambda app, c: app.t(h.name) if (h := app.hall(c.hall)) else "",
        "tags": lambda app, c: list(c.tags),
        "thumb": lambda app, c: file_url(c.thumb),
    }
    filterChanged = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._hall = ""
        self._tag = ""
        self._featured = False
        self._schedule_load()  # property changes made while QML creates the object end in one query

    def _load(self) -> None:
        ctx = ui()
        if self._featured:
            ctx.app.packChanged.connect(self._take_featured, Qt.ConnectionType.UniqueConnection)
            self._take_featured()
            self._nothing_to_load()
            return
        hall, tag = self._hall, self._tag
        self._submit(lambda store: store_jobs.exhibit_cards(store, hall, tag), self.set_items, self._on_error)

    def _take_featured(self) -> None:
        self.set_items(ui().app.featured)

    def _on_error(self, exc: BaseException) -> None:
        log.warning("exhibit list (hall=%r tag=%r): %s", self._hall, self._tag, exc)
        self.set_items([])

    def _get_hall(self) -> str:
        return self._hall

    def _set_hall(self, hall_id: str) -> None:
        if hall_id != self._hall:
            self._hall = hall_id
            self.filterChanged.emit()
            self._schedule_load()

    hall = Property(str, _get_hall, _set_hall, notify=filterChanged)

    def _get_tag(self) -> str:
        return self._tag

    def _set_tag(self, tag: str) -> None:
        if tag != self._tag:
            self._tag = tag
            self.filterChanged.emit()
            self._schedule_load()

    tag = Property(str, _get_tag, _set_tag, notify=filterChanged)

    def _get_featured(self) -> bool:
        return self._featured

    def _set_featured(self, on: bool) -> None:
        if on != self._featured:
            self._featured = on
            self.filterChanged.emit()
            self._schedule_load()

    featured = Property(bool, _get_featured, _set_featured, notify=filterChanged)

    @Slot()
    def reload(self) -> None:
        self._schedule_load()
