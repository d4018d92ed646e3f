"""EventLog: the terminal's visit log. `log()` only validates and queues; one writer thread
batches the queued events into SQLite at least every half second.

A process killed at any moment loses at most the events queued in the last `flush_interval_s`;
SQLite's WAL journal keeps the database valid through a kill or a power loss, and the visitor
session such a stop cut off is closed by the writer's first write at the next start
(`app.events.interrupted`).
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from app.events.schema import EventError, utc_now_iso, validate
from app.events.store import conn_of, open_events_db

log = logging.getLogger(__name__)

PackProvider = Callable[[], tuple[str | None, str | None]]
_STOP = object()
INSERT_SQL = ("INSERT INTO visit_events (uuid, terminal_id, pack_id, pack_version, ts, kind, data) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")


def event_row(terminal_id: str, pack_id: str | None, pack_version: str | None, ts: str, kind: str,
              data: dict[str, Any]) -> tuple:
    """One validated event as the row `INSERT_SQL` takes, with a new UUID (raises EventError)."""
    clean = validate(kind, data)
    return (str(uuid.uuid4()), terminal_id, pack_id, pack_version, ts, kind,
            json.dumps(clean, ensure_ascii=False, separators=(",", ":")))


class EventLogClosed(EventError):
    """log() called after close()."""


@dataclass(frozen=True)
class StaffMark:
    """Queued by `EventLog.mark_staff`: admin mode opened at `ts` in visitor session `session_id`."""

    session_id: str
    ts: str


class EventLog:
    """Log visit events for one terminal into `<data_dir>/hongtu.db` (table visit_events).

    `pack` returns the (pack id, pack version) being shown, read at each log() call.
    With `close_interrupted` (the default) the writer's first write closes the visitor sessions a
    kill or power loss cut off (`app.events.interrupted`), before any event queued here is written;
    `interrupted_closed` is then how many (None until done, or when it failed: logged).
    """

    def __init__(self, db_path: Path | str, terminal_id: str, pack: PackProvider | None = None,
                 flush_interval_s: float = 0.5, max_batch: int = 5000, close_interrupted: bool = True) -> None:
        if not terminal_id:
            raise EventError("terminal_id: must not be empty")
        self.db_path = Path(db_path)
        self.terminal_id = terminal_id
        self._pack = pack or (lambda: (None, None))
        self._interval = flush_interval_s
        self._max_batch = max_batch
        self._close_interrupted = close_interrupted
        self.interrupted_closed: int | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._written = 0
        self._queued = 0
        self._cond = threading.Condition()
        self._count_lock = threading.Lock()
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hongtu-event-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    # -- caller side -------------------------------------------------------------------------
    def log(self, kind: str, **data: Any) -> str:
        """Validate and queue one event; returns its UUID. Never waits for the disk."""
        if self._closed:
            raise EventLogClosed(f"{kind}: the event log is closed")
        try:
            pack_id, pack_version = self._pack()
        except Exception:  # no pack loaded (yet): the event is still worth keeping
            pack_id, pack_version = None, None
        row = event_row(self.terminal_id, pack_id, pack_version, utc_now_iso(), kind, data)
        uid = row[0]
        with self._count_lock:  # log() may be called from several threads (GUI, camera counter)
            self._queued += 1
        self._queue.put(row)
        return uid

    def mark_staff(self, session_id: str) -> None:
        """Note that admin mode opened in session `session_id` (a staff session). Queued like an
        event, so it is on disk right after the session's earlier events; if the kiosk is killed
        before the session's end, the next start closes it as a staff session, not a visitor one
        (`app.events.interrupted`). Never waits for the disk."""
        if self._closed:
            raise EventLogClosed("staff mark: the event log is closed")
        if not isinstance(session_id, str) or not session_id:
            raise EventError(f"staff mark: session_id must be non-empty text, got {session_id!r}")
        with self._count_lock:
            self._queued += 1
        self._queue.put(StaffMark(session_id, utc_now_iso()))

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until every event queued so far is on disk; False on timeout."""
        target = self._queued
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._written < target and self._thread.is_alive():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return self._written >= target

    def close(self, timeout: float | None = 30.0) -> None:
        """Write everything queued, then stop the writer thread."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)

    @property
    def pending(self) -> int:
        """Events queued but not yet written."""
        return self._queued - self._written

    @property
    def last_error(self) -> BaseException | None:
        return self._error

    def __enter__(self) -> "EventLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- writer thread -----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            db = open_events_db(self.db_path)
        except BaseException as exc:  # reported to the constructor
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        conn = conn_of(db)
        stop = False
        try:
            if self._close_interrupted:
                self._close_cut_off_sessions(db)
            while not stop:
                item = self._queue.get()
                batch: list[tuple] = []
                deadline = time.monotonic() + self._interval
                while True:  # take what is already queued, commit as soon as the queue is empty
                    if item is _STOP:
                        stop = True
                        break
                    batch.append(item)
                    if len(batch) >= self._max_batch or time.monotonic() >= deadline:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                if batch:
                    self._write(conn, batch)
        finally:
            db.close()
            with self._cond:
                self._cond.notify_all()

    def _close_cut_off_sessions(self, db: Any) -> None:
        """Runs first on the writer thread: no session of this process exists in the table yet."""
        from app.events.interrupted import close_interrupted_sessions

        try:
            n = close_interrupted_sessions(db, self.terminal_id)
        except Exception as exc:  # never keeps the kiosk from logging; the next start tries again
            log.warning("event log: could not close the sessions cut off by the last stop: %s", exc)
            return
        self.interrupted_closed = n
        if n:
            log.info("closed %d visitor sessions cut off by the last stop", n)

    def _write(self, conn: Any, batch: list[Any]) -> None:
        rows = [r for r in batch if not isinstance(r, StaffMark)]
        marks = [m for m in batch if isinstance(m, StaffMark)]
        for attempt in range(50):
            try:
                with conn:
                    conn.executemany(INSERT_SQL, rows)
                    if marks:
                        from app.events.interrupted import note_staff_session

                        for m in marks:
                            note_staff_session(conn, m.session_id, m.ts)
                self._error = None
                break
            except Exception as exc:  # database locked, disk full: keep the batch, retry
                self._error = exc
                log.warning("event log: write failed (%s), retrying", exc)
                time.sleep(min(0.1 * (attempt + 1), 1.0))
        else:
            log.error("event log: %d events could not be written: %s", len(batch), self._error)
        with self._cond:
            self._written += len(batch)
            self._cond.notify_all()
