"""Detail view-models: one hall (`HallDetail`) and one exhibit (`ExhibitDetail`)."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui import store_jobs
from app.ui.context import ui
from app.ui.dbworker import Job
from app.ui.viewmodels.app_state import file_url
from app.ui.viewmodels.db_loading import DetailById, LoadingProperty

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


def markdown_html(md: str) -> str:
    """Exhibit body Markdown → HTML for a QML Text (RichText)."""
    from app.content.markdown import to_html

    return to_html(md)


@QmlElement
class HallDetail(QObject):
    """One hall by `hallId`: name, intro, level, address, parent hall (from the App's cache)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._id = ""
        app = ui().app
        app.languageChanged.connect(self.changed)
        app.hallsChanged.connect(self.changed)

    def _hall(self) -> Any:
        return ui().app.hall(self._id)

    def _get_id(self) -> str:
        return self._id

    def _set_id(self, hall_id: str) -> None:
        if hall_id != self._id:
            self._id = hall_id
            if self._hall() is None and ui().app.ready:
                log.warning("unknown hall %r", hall_id)
            self.changed.emit()

    hallId = Property(str, _get_id, _set_id, notify=changed)

    def _text(self, attr: str) -> str:
        h = self._hall()
        return ui().app.t(getattr(h, attr)) if h is not None else ""

    @Property(bool, notify=changed)
    def found(self) -> bool:
        return self._hall() is not None

    @Property(str, notify=changed)
    def name(self) -> str:
        return self._text("name")

    @Property(str, notify=changed)
    def intro(self) -> str:
        return self._text("intro")

    @Property(str, notify=changed)
    def address(self) -> str:
        return self._text("address")

    @Property(str, notify=changed)
    def level(self) -> str:
        h = self._hall()
        return h.level if h is not None else ""

    @Property(str, notify=changed)
    def parentId(self) -> str:  # noqa: N802
        h = self._hall()
        return (h.parent or "") if h is not None else ""

    @Property(str, notify=changed)
    def parentName(self) -> str:  # noqa: N802
        h = self._hall()
        p = ui().app.hall(h.parent) if h is not None and h.parent else None
        return ui().app.t(p.name) if p is not None else ""


@QmlElement
class ExhibitDetail(LoadingProperty, DetailById, QObject):
    """One exhibit by `exhibitId`, loaded on the DB worker (`loading` until it is shown).

    `images`/`videos`/`audios` are lists of {source, caption, missing}; `related` is a list of
    {exhibitId, title, period, thumb}. `bodyHtml` is the Markdown body rendered for a RichText Text.
    """

    WHAT = "exhibit"
    _data: store_jobs.ExhibitData | None
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._html_cache: dict[str, str] = {}
        ui().app.languageChanged.connect(self.changed)

    exhibitId = Property(str, DetailById._get_id, DetailById._set_id, notify=changed)

    def _detail_job(self, exhibit_id: str) -> Job:
        return lambda store: store_jobs.exhibit_detail(store, exhibit_id)

    def _show(self, data: store_jobs.ExhibitData | None) -> None:
        self._html_cache.clear()
        super()._show(data)

    # -- content -------------------------------------------------------------------------------
    def _t(self, attr: str) -> str:
        if self._data is None:
            return ""
        return ui().app.t(getattr(self._data.exhibit, attr))

    @Property(bool, notify=changed)
    def found(self) -> bool:
        return self._data is not None

    @Property(str, notify=changed)
    def title(self) -> str:
        return self._t("title")

    @Property(str, notify=changed)
    def summary(self) -> str:
        return self._t("summary")

    @Property(str, notify=changed)
    def period(self) -> str:
        return self._t("period")

    @Property(str, notify=changed)
    def bodyHtml(self) -> str:  # noqa: N802
        if self._data is None:
            return ""
        lang = ui().app.language
        if lang not in self._html_cache:
            self._html_cache[lang] = markdown_html(self._t("body"))
        return self._html_cache[lang]

    @Property(str, notify=changed)
    def hallId(self) -> str:  # noqa: N802
        return self._data.exhibit.hall if self._data else ""

    @Property(str, notify=changed)
    def hallName(self) -> str:  # noqa: N802
        if self._data is None:
            return ""
        h = ui().app.hall(self._data.exhibit.hall)
        return ui().app.t(h.name) if h is not None else ""

    @Property("QStringList", notify=changed)
    def tags(self) -> list[str]:
        return list(self._data.exhibit.tags) if self._data else []

    def _media(self, kind: str) -> list[dict]:
        if self._data is None:
            return []
        app = ui().app
        return [
            {"source": file_url(path), "caption": app.t(caption), "missing": not path}
            for k, path, caption in self._data.media
            if k == kind
        ]

    @Property("QVariantList", notify=changed)
    def images(self) -> list[dict]:
        return self._media("image")

    @Property("QVariantList", notify=changed)
    def videos(self) -> list[dict]:
        return self._media("video")

    @Property("QVariantList", notify=changed)
    def audios(self) -> list[dict]:
        return self._media("audio")

    @Property("QVariantList", notify=changed)
    def related(self) -> list[dict]:
        if self._data is None:
            return []
        app = ui().app
        return [
            {"exhibitId": c.id, "title": app.t(c.title), "period": app.t(c.period), "thumb": file_url(c.thumb)}
            for c in self._data.related
        ]

    @Slot()
    def reload(self) -> None:
        self._load()
