"""Network sync on the terminal: push undelivered events to the hub in gzip batches.

Events are marked delivered only after the hub's ack for their batch; anything else (500,
timeout, a dropped connection, 401) leaves them undelivered for the next pass. The background
loop waits `interval_s` between passes and backs off exponentially, with jitter, after failures.
Clock, sleep and randomness are injectable so tests can simulate hours in milliseconds.
"""
from __future__ import annotations

import gzip
import json
import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import httpx

from app.events.schema import to_iso
from app.events.store import (DEFAULT_MIN_FREE_BYTES, PruneReport, backlog, disk_free, get_state, mark_delivered_span,
                              open_events_db, prune, set_state, undelivered_wire)

log = logging.getLogger(__name__)
EVENTS_PATH = "/api/v1/events"


class SyncError(Exception):
    """A sync pass that failed; the message says why (and nothing was marked delivered)."""


@dataclass(frozen=True)
class PushResult:
    ok: bool
    delivered: int  # events newly acknowledged in this pass
    batches: int
    duplicates: int  # events the hub already had
    error: str | None
    backlog: int


@dataclass(frozen=True)
class SyncStatus:
    hub_url: str
    backlog: int
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    last_attempt: str | None
    delivered_total: int
    failures_in_a_row: int
    disk_warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Pusher:
    """Delivers this terminal's events to the hub."""

    def __init__(self, db: Any, terminal_id: str, hub_url: str, token: str, batch_size: int = 500,
                 interval_s: float = 60.0, max_backoff_s: float = 1800.0, timeout_s: float = 20.0,
                 sync_nicknames: bool = False, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep, rng: Callable[[], float] = random.random,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 retention_days: int | None = None, min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
                 disk_free_fn: Callable[[], int] | None = None) -> None:
        if not hub_url:
            raise SyncError("sync.hub_url: not set; set it in kiosk_config.yaml or use USB export")
        if not token:
            raise SyncError("sync.token: not set; issue one with `hongtu hub add-terminal` on the hub")
        self.db = db if not isinstance(db, (str, Path)) else open_events_db(db)
        self.terminal_id = terminal_id
        self.hub_url = hub_url.rstrip("/")
        self.token = token
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self.sync_nicknames = sync_nicknames
        self.client = client or httpx.Client(timeout=timeout_s)
        self.sleep = sleep
        self.rng = rng
        self.clock = clock
        self._lock = threading.Lock()
        self.retention_days = retention_days
        self.min_free_bytes = min_free_bytes
        self.disk_free_fn = disk_free_fn
        self._last_prune: datetime | None = None

    @classmethod
    def from_config(cls, cfg: Any, **kw: Any) -> "Pusher":
        s = cfg.sync
        kw.setdefault("retention_days", s.retention_days)
        kw.setdefault("min_free_bytes", s.min_free_mb * 1024 * 1024)
        kw.setdefault("disk_free_fn", disk_free(cfg.data_dir))
        return cls(cfg.db_path, cfg.terminal_id, s.hub_url, s.token, s.batch_size, s.interval_s, s.max_backoff_s,
                   s.timeout_s, s.sync_nicknames, **kw)

    # -- one pass --------------------------------------------------------------------------
    def push_once(self, max_batches: int | None = None) -> PushResult:
        """Send undelivered events batch by batch until none are left (or a batch fails)."""
        with self._lock:
            delivered = batches = dups = 0
            now = to_iso(self.clock())
            set_state(self.db, last_attempt=now)
            try:
                while max_batches is None or batches < max_batches:
                    seqs, texts = undelivered_wire(self.db, self.batch_size, self.sync_nicknames)
                    if not seqs:
                        break
                    ack = self._send(texts)
                    n = mark_delivered_span(self.db, seqs[0], seqs[-1], "net", to_iso(self.clock()))
                    delivered += n
                    dups += int(ack.get("duplicates", 0))
                    batches += 1
                    set_state(self.db, delivered_total=get_state(self.db, "delivered_total", 0) + n)
            except SyncError as exc:
                fails = get_state(self.db, "failures_in_a_row", 0) + 1
                set_state(self.db, last_error=str(exc), last_error_at=to_iso(self.clock()), failures_in_a_row=fails)
                log.warning("sync: %s (%d events still to send)", exc, backlog(self.db))
                return PushResult(False, delivered, batches, dups, str(exc), backlog(self.db))
            set_state(self.db, last_success=to_iso(self.clock()), failures_in_a_row=0)
            return PushResult(True, delivered, batches, dups, None, backlog(self.db))

    def _send(self, texts: list[str]) -> dict[str, Any]:
        batch_id = str(uuid.uuid4())
        head = json.dumps({"terminal_id": self.terminal_id, "batch_id": batch_id, "sent_at": to_iso(self.clock())},
                          ensure_ascii=False, separators=(",", ":"))
        body = gzip.compress((head[:-1] + ',"events":[' + ",".join(texts) + "]}").encode(), compresslevel=5)
        try:
            resp = self.client.post(self.hub_url + EVENTS_PATH, content=body, headers={
                "Content-Type": "application/json", "Content-Encoding": "gzip",
                "Authorization": f"Bearer {self.token}"})
        except httpx.TimeoutException:
            raise SyncError(f"{self.hub_url}: no answer in time (timeout)") from None
        except httpx.HTTPError as exc:
            raise SyncError(f"{self.hub_url}: {type(exc).__name__}: {exc or 'connection failed'}") from None
        if resp.status_code != 200:
            try:
                msg = resp.json().get("error") or resp.text
            except ValueError:
                msg = resp.text[:200]
            hint = " (check sync.token)" if resp.status_code == 401 else ""
            raise SyncError(f"{self.hub_url}: HTTP {resp.status_code}: {msg}{hint}")
        try:
            ack = resp.json()
        except ValueError:
            raise SyncError(f"{self.hub_url}: the answer is not JSON; is hub_url the hub?") from None
        if not isinstance(ack, dict) or ack.get("batch_id") != batch_id or \
                int(ack.get("accepted", -1)) + int(ack.get("duplicates", -1)) != len(texts):
            raise SyncError(f"{self.hub_url}: acknowledgement does not match the batch sent: {str(ack)[:200]}")
        return ack

    # -- the background loop ---------------------------------------------------------------
    def next_delay(self, ok: bool) -> float:
        """Seconds to wait before the next pass: interval when all is well, else capped
        exponential backoff (5 s, 10 s, 20 s, …) with ±50 % jitter."""
        if ok:
            return float(self.interval_s)
        fails = max(1, get_state(self.db, "failures_in_a_row", 1))
        base = min(self.max_backoff_s, 5.0 * 2 ** min(fails - 1, 30))
        return min(self.max_backoff_s, base * (0.5 + self.rng()))

    def run(self, stop: threading.Event | Callable[[], bool]) -> None:
        """Push, wait, repeat until `stop` is set; resumes from the database after a restart."""
        should_stop = stop.is_set if isinstance(stop, threading.Event) else stop
        while not should_stop():
            try:
                result = self.push_once()
                ok = result.ok
            except Exception as exc:  # database trouble: log and retry later
                log.exception("sync pass failed: %s", exc)
                ok = False
            self.maybe_prune()
            if should_stop():
                break
            delay = self.next_delay(ok)
            if isinstance(stop, threading.Event) and self.sleep is time.sleep:
                stop.wait(delay)
            else:
                self.sleep(delay)

    def maybe_prune(self, every: timedelta = timedelta(hours=1)) -> PruneReport | None:
        """Apply retention (at most once per `every`); a disk warning is kept for sync status."""
        if self.retention_days is None:
            return None
        now = self.clock()
        if self._last_prune is not None and now - self._last_prune < every:
            return None
        self._last_prune = now
        try:
            report = prune(self.db, self.retention_days, now, self.disk_free_fn, self.min_free_bytes)
        except Exception as exc:  # never let housekeeping stop delivery
            log.warning("sync: pruning failed: %s", exc)
            return None
        set_state(self.db, disk_warning=report.warning, disk_warning_at=to_iso(now) if report.warning else None)
        if report.warning:
            log.warning("sync: %s", report.warning)
        return report

    def start(self) -> tuple[threading.Thread, threading.Event]:
        """Run the loop in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        t = threading.Thread(target=self.run, args=(stop,), name="hongtu-sync", daemon=True)
        t.start()
        return t, stop

    def status(self) -> SyncStatus:
        return sync_status(self.db, self.hub_url)


def sync_status(db: Any, hub_url: str = "") -> SyncStatus:
    """Last success, last error and backlog, as recorded in the terminal database."""
    g = lambda k, d=None: get_state(db, k, d)  # noqa: E731
    return SyncStatus(hub_url, backlog(db), g("last_success"), g("last_error"), g("last_error_at"),
                      g("last_attempt"), g("delivered_total", 0), g("failures_in_a_row", 0), g("disk_warning"))
