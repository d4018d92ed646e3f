"""Loading a view-model's content through the DB worker: one job in flight, the newest wins.

Three mixins for QObject view-models (they hold no Qt state of their own, only plain attributes):

- `DbRequest`: at most one `ui().db` job at a time. `_submit(job, on_result, on_error)` cancels
  the job still running; `_schedule_load()` (call it when the state the job depends on changes)
  drops that job at once and runs `_load()` once control is back in the event loop, so the
  property changes QML makes while it creates the object end in one job. An answer is delivered
  on the GUI thread only if no newer job replaced it and the view-model still exists (the
  callbacks are partials of its bound methods, which `DbClient` checks).
- `LoadingProperty`: the QML `loading` property (+ `loadingChanged`): true from the moment a load
  is scheduled until its answer has been shown.
- `DetailById`: one record chosen by an id that QML sets (`exhibitId`, `routeId`, …). Setting the
  id forgets the old record at once (an answer for the old id is dropped, never shown under the
  new id) and loads the new one; the record is `self._data` (None while loading, for an unknown
  id or after a failure).

PySide6 6.12 finds a property's notify signal only among the signals of the class that declares
the property and of its non-QObject mixins, never in a QObject base class; and a signal declared
again in a subclass is ignored. So these are mixins, not QObject bases: Qt merges `LoadingProperty`'s
signal and property into each concrete class, and a concrete `DetailById` declares its own
`changed = Signal()` and id property, e.g.
`exhibitId = Property(str, DetailById._get_id, DetailById._set_id, notify=changed)`.

After QML destroys a view-model, `qtfix.release_qml_payloads()` clears its `__dict__`; the class
attributes below are the defaults it then falls back to, and the scheduled load is tied to the
object (`QTimer.singleShot` with it as context), so nothing runs for a destroyed view-model.
"""
from __future__ import annotations

import logging
from functools import partial
from typing import Any, Callable

from PySide6.QtCore import Property, QTimer, Signal

from app.ui.context import ui
from app.ui.dbworker import Job


class DbRequest:
    """Mixin for a QObject view-model: its DB-worker job, at most one in flight."""

    _db_request = 0  # the DbClient request id of the job in flight; 0 = none
    _load_scheduled = False

    def _load(self) -> None:
        """Submit the job for the current state (`_submit`), or show what needs no job."""
        raise NotImplementedError

    def _schedule_load(self) -> None:
        """Run `_load()` once, when control returns to the event loop; loading from now on.

        The job in flight answered the state before this change, so it is dropped now."""
        self._drop_request()
        self._set_loading(True)
        if not self._load_scheduled:
            self._load_scheduled = True
            QTimer.singleShot(0, self, self._run_scheduled_load)

    def _run_scheduled_load(self) -> None:
        self._load_scheduled = False
        self._load()

    def _submit(self, job: Job, on_result: Callable[[Any], None],
                on_error: Callable[[BaseException], None]) -> None:
        """Run `job(store)` on the DB worker in place of any job still in flight."""
        self._drop_request()
        self._db_request = ui().db.call(job, partial(self._deliver, on_result), partial(self._deliver, on_error))
        self._set_loading(True)

    def _drop_request(self) -> None:
        """Forget the job in flight: its answer will not be delivered."""
        if self._db_request:
            ui().db.cancel(self._db_request)
            self._db_request = 0

    def _nothing_to_load(self) -> None:
        """The current state needs no job: drop the one in flight, stop loading."""
        self._drop_request()
        self._set_loading(False)

    def _deliver(self, handler: Callable[[Any], None], answer: Any) -> None:
        self._db_request = 0
        handler(answer)
        if not self._db_request and not self._load_scheduled:  # the handler may have asked again
            self._set_loading(False)

    def _set_loading(self, on: bool) -> None:
        """Overridden by `LoadingProperty`; without it there is no loading state to show."""


class LoadingProperty:
    """Mixin (before `DbRequest` in the bases): the QML `loading` property and its signal."""

    _loading = False
    loadingChanged = Signal()

    def _set_loading(self, on: bool) -> None:
        if on != self._loading:
            self._loading = on
            self.loadingChanged.emit()

    def _get_loading(self) -> bool:
        return self._loading

    loading = Property(bool, _get_loading, notify=loadingChanged)


class DetailById(DbRequest):
    """Mixin: one record by id, loaded by `_detail_job(id)` on the DB worker.

    The concrete class declares `changed = Signal()` and its id property over `_get_id`/`_set_id`,
    sets `WHAT` (for log lines), implements `_detail_job`, and may extend `_show` when it holds
    more state than `_data`.
    """

    WHAT = "record"
    _id = ""
    _data: Any = None

    def _detail_job(self, detail_id: str) -> Job:
        """The job `job(store) -> record | None` (None: no such id) for `detail_id`."""
        raise NotImplementedError

    def _get_id(self) -> str:
        return self._id

    def _set_id(self, detail_id: str) -> None:
        if detail_id == self._id:
            return
        self._id = detail_id
        if detail_id:
            self._schedule_load()  # the answer still coming for the previous id is dropped
        else:
            self._nothing_to_load()
        self._show(None)

    def _load(self) -> None:
        if self._id:
            self._submit(self._detail_job(self._id), self._on_record, self._on_record_error)
        else:
            self._nothing_to_load()

    def _on_record(self, data: Any) -> None:
        if data is None:
            logging.getLogger(type(self).__module__).warning("unknown %s %r", self.WHAT, self._id)
        self._show(data)

    def _on_record_error(self, exc: BaseException) -> None:
        logging.getLogger(type(self).__module__).warning("%s %r: %s", self.WHAT, self._id, exc)
        self._show(None)

    def _show(self, data: Any) -> None:
        """Hold `data` (None: nothing to show) and tell QML."""
        self._data = data
        self.changed.emit()  # type: ignore[attr-defined]  # declared by the concrete class
