"""The database worker: one QThread with a serial queue for every catalog/search call.

The GUI thread never touches SQLite. A view-model calls `DbClient.call(job, on_result)`: `job` is a
plain function `job(store) -> result` that runs on the worker thread, in submission order, with the
`StoreContext` the worker opened (its own SQLite connection). The result (or the exception) comes
back to the GUI thread by a queued signal and is handed to `on_result` (or `on_error`).
"""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

from PySide6.QtCore import Property, QObject, QThread, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]


class _Worker(QObject):
    done = Signal(int, object, object)  # request id, result, exception

    def __init__(self, opener: Callable[[], Any]) -> None:
        super().__init__()
        self._opener = opener
        self._store: Any = None
        self._open_error: BaseException | None = None

    @Slot(int, object)
    def run(self, rid: int, job: Job) -> None:
        if self._store is None and self._open_error is None:
            try:
                self._store = self._opener()
            except Exception as exc:  # reported with every later job
                self._open_error = exc
        if self._open_error is not None:
            self.done.emit(rid, None, self._open_error)
            return
        try:
            result = job(self._store)
        except Exception as exc:
            self.done.emit(rid, None, exc)
        else:
            self.done.emit(rid, result, None)

    @Slot()
    def close(self) -> None:
        close = getattr(self._store, "close", None)
        if close is not None:
            close()
        self._store = None


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False when `callback` is a method (or a functools.partial of one) of a QObject whose C++
    side was deleted."""
    owner = getattr(getattr(callback, "func", callback), "__self__", None)
    return not isinstance(owner, QObject) or isValid(owner)


class DbClient(QObject):
    """GUI-side handle to the worker. `pending` counts jobs not yet answered."""

    _submit = Signal(int, object)
    _close = Signal()
    pendingChanged = Signal()
    failed = Signal(str)  # a job failed and had no on_error: the message, for logs/UI

    def __init__(self, opener: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("hongtu-db")
        self._worker = _Worker(opener)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._close.connect(self._worker.close)
        self._worker.done.connect(self._on_done)
        self._thread.start()

    def call(
        self,
        job: Job,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Queue `job(store)` on the worker; returns the request id."""
        rid = next(self._ids)
        self._callbacks[rid] = (on_result, on_error)
        self._submit.emit(rid, job)
        self.pendingChanged.emit()
        return rid

    def cancel(self, rid: int) -> None:
        """Drop the callbacks of a request whose answer is no longer wanted."""
        if rid in self._callbacks:
            self._callbacks[rid] = (None, None)

    def _get_pending(self) -> int:
        return len(self._callbacks)

    pending = Property(int, _get_pending, notify=pendingChanged)

    @Slot(int, object, object)
    def _on_done(self, rid: int, result: Any, error: BaseException | None) -> None:
        on_result, on_error = self._callbacks.pop(rid, (None, None))
        if not (_alive(on_result) and _alive(on_error)):
            on_result = on_error = None  # its view-model was destroyed (screen popped) meanwhile
            error = None
        try:
            if error is not None:
                if on_error is not None:
                    on_error(error)
                else:
                    log.warning("store job failed: %s", error)
                    self.failed.emit(str(error))
            elif on_result is not None:
                on_result(result)
        finally:
            self.pendingChanged.emit()

    def stop(self) -> None:
        """Close the worker's connection and end its thread (idempotent)."""
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait(5000)
