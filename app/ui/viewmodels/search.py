"""`SearchModel`: search-as-you-type over the pack's exhibits for the search screen.

The visitor's text goes into `query`; after `DEBOUNCE_MS` without a change the query runs on the DB
worker (`search_job`, plain Python: `app.store.search.search` plus thumbnails). Every request gets a
sequence number and an answer is shown only if it is newer than the one on screen, so a slow answer
to an older query never replaces the results of a newer one. Rows carry the title with the matched
terms highlighted (StyledText), the snippet (highlighted too), the period and the thumbnail.

`state`: "idle" (nothing typed), "searching" (first answer pending), "results", "none" (no match)
or "error". A `search` visit event (query length and result count only, never the text) is logged
when the visitor opens a result, clears the field or leaves the screen (`finish()`).
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from PySide6.QtCore import Property, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement
from shiboken6 import isValid

from app.ui.context import ui
from app.ui.store_jobs import resolve_media
from app.ui.viewmodels.app_state import file_url
from app.ui.viewmodels.lists import _LocalisedListModel

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
RESULT_LIMIT = 40
HIGHLIGHT_COLOR = "#B3261E"  # Theme.redBright

# Suggested searches for visitors who do not want to type (each finds exhibits in the sample pack).
SUGGESTIONS: dict[str, list[str]] = {
    "zh": ["红船", "古田", "5G", "精神", "长征", "交通线"],
    "en": ["Red Boat", "Gutian", "5G", "spirit", "Long March", "radio"],
}


@dataclass(frozen=True)
class SearchResult:
    """One hit, ready for the GUI thread: content texts as language maps, thumbnail resolved."""

    exhibit_id: str
    title: dict
    snippet: str
    period: dict
    thumb: str  # absolute path or '' (placeholder)
    score: float


def search_job(store: Any, query: str, lang: str, limit: int = RESULT_LIMIT) -> list[SearchResult]:
    """Runs on the DB worker: the hits for `query` with their cards' period and thumbnail."""
    from app.store.search import search

    hits = search(store.db, query, lang, limit)
    out = []
    for h in hits:
        card = store.catalog.exhibit_card(h.exhibit_id)
        out.append(
            SearchResult(
                exhibit_id=h.exhibit_id,
                title=dict(h.title or (card.title if card else {})),
                snippet=h.snippet,
                period=dict((card.period or {}) if card else {}),
                thumb=resolve_media(store.pack_root, card.thumb) if card else "",
                score=h.score,
            )
        )
    return out


def highlight(text: str, terms: list[str], color: str = HIGHLIGHT_COLOR) -> str:
    """`text` as StyledText with every occurrence of any term in bold colour (case-insensitive)."""
    if not text:
        return ""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return html.escape(text, quote=False)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        out.append(f'<b><font color="{color}">{html.escape(m.group(), quote=False)}</font></b>')
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


Submit = Callable[[Callable[[Any], Any], Callable[[Any], None], Callable[[BaseException], None]], int]


@QmlElement
class SearchModel(_LocalisedListModel):
    """Results of the visitor's query (QML type `SearchModel`); see the module docstring."""

    ROLES = {
        "exhibitId": lambda app, r: r[0].exhibit_id,
        "title": lambda app, r: app.t(r[0].title),
        "titleHtml": lambda app, r: highlight(app.t(r[0].title), r[1]),
        "snippetHtml": lambda app, r: highlight(r[0].snippet, r[1]),
        "period": lambda app, r: app.t(r[0].period),
        "thumb": lambda app, r: file_url(r[0].thumb),
    }
    queryChanged = Signal()
    stateChanged = Signal()
    suggestionsChanged = Signal()

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._query = ""
        self._shown_query = ""
        self._state = "idle"
        self._error = ""
        self._seq = 0  # last request sent
        self._shown_seq = 0  # request whose answer is on screen (or that cleared it)
        self._pending_event: dict[str, Any] | None = None
        self.submit: Submit = lambda job, ok, err: ui().db.call(job, ok, err)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        app = ui().app
        app.languageChanged.connect(self._on_language)

    # -- properties ----------------------------------------------------------------------------
    def _get_query(self) -> str:
        return self._query

    def _set_query(self, text: str) -> None:
        text = text or ""
        if text == self._query:
            return
        previous = self._query.strip()
        self._query = text
        self.queryChanged.emit()
        if previous and not text.strip().startswith(previous):
            self._flush_event()  # a new search, not the same one growing
        if not text.strip():
            self._timer.stop()
            self._seq += 1
            self._shown_seq = self._seq  # any answer still on its way is stale
            self._shown_query = ""
            self.set_items([])
            self._set_state("idle")
            return
        if self._state in ("idle", "error"):
            self._set_state("searching")
        self._timer.start()

    query = Property(str, _get_query, _set_query, notify=queryChanged)

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self._state

    @Property(str, notify=stateChanged)
    def shownQuery(self) -> str:  # noqa: N802
        """The query the rows on screen answer (may lag `query` by one debounce)."""
        return self._shown_query

    @Property(str, notify=stateChanged)
    def error(self) -> str:
        return self._error

    @Property(int, constant=True)
    def debounceMs(self) -> int:  # noqa: N802
        return DEBOUNCE_MS

    @Property("QStringList", notify=suggestionsChanged)
    def suggestions(self) -> list[str]:
        return list(SUGGESTIONS.get(ui().app.language, SUGGESTIONS["en"]))

    # -- slots ---------------------------------------------------------------------------------
    @Slot(str)
    def searchNow(self, text: str) -> None:  # noqa: N802
        """Set the query and run it at once (a suggested search was tapped)."""
        self._set_query(text)
        if self._query.strip():
            self._timer.stop()
            self._run()

    @Slot()
    def clear(self) -> None:
        self._set_query("")

    @Slot(str)
    def openResult(self, exhibit_id: str) -> None:  # noqa: N802
        """The visitor tapped a result: log the search, open the exhibit."""
        self._flush_event()
        ui().app.go("exhibit", {"exhibitId": exhibit_id})

    @Slot()
    def finish(self) -> None:
        """The screen is going away: log the search if one was made."""
        self._timer.stop()
        self._flush_event()

    # -- internals -----------------------------------------------------------------------------
    def _run(self) -> None:
        query = self._query.strip()
        if not query:
            return
        self._seq += 1
        seq, lang = self._seq, ui().app.language
        self.submit(
            lambda store: search_job(store, query, lang),
            partial(self._on_results, seq, query),
            partial(self._on_error, seq, query),
        )

    def _on_results(self, seq: int, query: str, results: list[SearchResult]) -> None:
        if not isValid(self):
            return  # the screen was closed while the query ran
        if seq <= self._shown_seq:
            log.debug("dropped stale search answer for request %d (showing %d)", seq, self._shown_seq)
            return
        self._shown_seq = seq
        self._shown_query = query
        from app.store.search import split_terms  # lazy: keeps sqlite_utils off the start-up path

        terms = split_terms(query)
        self.set_items([(r, terms) for r in results])
        self._error = ""
        self._set_state("results" if results else "none")
        self._pending_event = {"query_length": len(query), "results": len(results), "lang": ui().app.language}

    def _on_error(self, seq: int, query: str, exc: BaseException) -> None:
        if not isValid(self) or seq <= self._shown_seq:
            return
        self._shown_seq = seq
        log.warning("search for a %d-character query failed: %s", len(query), exc)
        self._shown_query = query
        self.set_items([])
        self._error = str(exc)
        self._set_state("error")

    def _set_state(self, state: str) -> None:
        self._state = state
        self.stateChanged.emit()

    def _on_language(self) -> None:
        self.suggestionsChanged.emit()
        if self._query.strip():  # snippets are picked in the visitor's language: ask again
            self._timer.stop()
            self._run()

    def _flush_event(self) -> None:
        event, self._pending_event = self._pending_event, None
        if event is not None:
            log_search_event(event)


def log_search_event(fields: dict[str, Any]) -> None:
    """The one place a search reaches the visit log (`search` event, issue 6): length, never text.

    Uses the UI context's `events` (an `app.events.EventLog`) when the kiosk wires one in; until
    then the fields go to the application log.
    """
    try:
        sink = getattr(ui(), "events", None)
    except RuntimeError:  # the kiosk is shutting down
        sink = None
    if sink is None:
        log.info("search %s", fields)
        return
    try:
        sink.log("search", **fields)
    except Exception as exc:  # the visit log must never break searching
        log.warning("search event not logged: %s", exc)
