"""`ExhibitLinks`: the study routes and quizzes that use an exhibit (its page's links section).

Loaded on the DB worker from `Catalog.related()`; `routes` is a list of {routeId, title, stop,
stops} (stop = the exhibit's 1-based place on the route), `quizzes` a list of {quizId, title,
questions} (how many of the quiz's questions are about the exhibit).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Property, QObject, Signal
from PySide6.QtQml import QmlElement

from app.ui.context import ui
from app.ui.dbworker import Job
from app.ui.viewmodels.db_loading import DetailById

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1


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


_NO_LINKS = LinksData()


@QmlElement
class ExhibitLinks(DetailById, QObject):
    """QML type `ExhibitLinks { exhibitId: … }` → `routes`, `quizzes`, `count`."""

    WHAT = "links of exhibit"
    _data: LinksData | None
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ui().app.languageChanged.connect(self.changed)

    exhibitId = Property(str, DetailById._get_id, DetailById._set_id, notify=changed)

    def _detail_job(self, exhibit_id: str) -> Job:
        return lambda store: links_job(store, exhibit_id)

    def _links(self) -> LinksData:
        return self._data or _NO_LINKS

    @Property("QVariantList", notify=changed)
    def routes(self) -> list[dict]:
        app = ui().app
        return [{"routeId": i, "title": app.t(t), "stop": s, "stops": n} for i, t, s, n in self._links().routes]

    @Property("QVariantList", notify=changed)
    def quizzes(self) -> list[dict]:
        app = ui().app
        return [{"quizId": i, "title": app.t(t), "questions": n} for i, t, n in self._links().quizzes]

    @Property(int, notify=changed)
    def count(self) -> int:
        links = self._links()
        return len(links.routes) + len(links.quizzes)
