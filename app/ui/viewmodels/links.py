"""`ExhibitLinks`: the study routes and quizzes that use an exhibit (its page's links section).

Loaded on the DB worker from `Catalog.related()`; `routes` is a list of {routeId, title, stop,
stops} (stop = the exhibit's 1-based place on the route), `quizzes` a list of {quizId, title,
questions} (how many of the quiz's questions are about the exhibit).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal
from PySide6.QtQml import QmlElement

from app.ui.context import ui

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@dataclass
class LinksData:
    routes: list[tuple[str, dict, int, int]] = field(default_factory=list)  # id, title, stop, stops
    quizzes: list[tuple[str, dict, int]] = field(default_factory=list)  # id, title, questions


def links_job(store: Any, exhibit_id: str) -> LinksData:
    """Runs on the DB worker: routes through the exhibit and quizzes asking about it."""
    rel = store.catalog.related(exhibit_id)
    data = LinksData()
    for r in rel.routes:
        stops = list(r.stops)
        place = next((i for i, s in enumerate(stops, 1) if s.exhibit == exhibit_id), 0)
        data.routes.append((r.id, dict(r.title or {}), place, len(stops)))
    counts: dict[str, int] = {}
    for quiz_id, _question in rel.questions:
        counts[quiz_id] = counts.get(quiz_id, 0) + 1
    for quiz_id, n in counts.items():
        quiz = store.catalog.quiz(quiz_id)
        if quiz is not None:
            data.quizzes.append((quiz_id, dict(quiz.title or {}), n))
    return data


@QmlElement
class ExhibitLinks(QObject):
    """QML type `ExhibitLinks { exhibitId: … }` → `routes`, `quizzes`, `count`."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._id = ""
        self._data = LinksData()
        self._request = 0
        ui().app.languageChanged.connect(self.changed)

    def _get_id(self) -> str:
        return self._id

    def _set_id(self, exhibit_id: str) -> None:
        if exhibit_id != self._id:
            self._id = exhibit_id
            self._data = LinksData()
            self.changed.emit()
            QTimer.singleShot(0, self._load)

    exhibitId = Property(str, _get_id, _set_id, notify=changed)

    def _load(self) -> None:
        db = ui().db
        if self._request:
            db.cancel(self._request)
        if not self._id:
            return
        eid = self._id
        self._request = db.call(lambda store: links_job(store, eid), self._on_data, self._on_error)

    def _on_data(self, data: LinksData) -> None:
        self._request = 0
        self._data = data
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        self._request = 0
        log.warning("links of exhibit %r: %s", self._id, exc)

    @Property("QVariantList", notify=changed)
    def routes(self) -> list[dict]:
        app = ui().app
        return [{"routeId": i, "title": app.t(t), "stop": s, "stops": n} for i, t, s, n in self._data.routes]

    @Property("QVariantList", notify=changed)
    def quizzes(self) -> list[dict]:
        app = ui().app
        return [{"quizId": i, "title": app.t(t), "questions": n} for i, t, n in self._data.quizzes]

    @Property(int, notify=changed)
    def count(self) -> int:
        return len(self._data.routes) + len(self._data.quizzes)
