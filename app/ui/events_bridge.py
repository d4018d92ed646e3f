"""`EventsBridge`: the one place the kiosk UI writes visit events (issue 6).

The kiosk builds one bridge (`attach(kiosk, cfg)`) and puts it in the UI context; any view-model
logs with `ui().events.log(kind, **fields)` (or `app.ui.context.events().log(...)`). The bridge
adds the visitor's `session_id` to kinds that carry one and hands the event to
`app.events.EventLog.log`, which only validates and queues (its own thread writes to SQLite), so
the GUI thread never waits for the disk. A bad event is logged as a warning, never raised into
the UI.

The bridge itself records what the shell sees:
* `session_start` / `session_end` from the visitor session's start and reset hooks;
* `exhibit_view` with `dwell_s`: the time an exhibit page is the top screen (left by going back,
  by opening another screen, or by the session reset);
* `narration_played` from the `NarrationPlayer` (seconds actually played, completed or not).

It also owns `jobs`, a serial worker over the events database for the admin figures and sync
screens, and the background `Pusher` when `sync.hub_url` is set.
"""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from app.events.schema import KINDS, EventError

log = logging.getLogger(__name__)

SESSION_KINDS = frozenset(k for k, spec in KINDS.items() if "session_id" in spec
                          and k not in ("session_start", "session_end"))


@dataclass
class SyncSettings:
    """What the figures and sync screens need, flattened from the config (the tour overrides it)."""

    db_path: Path | None = None  # the database the figures and sync read (the terminal's hongtu.db)
    terminal_id: str = ""
    hub_url: str = ""
    token: str = ""
    batch_size: int = 500
    timeout_s: float = 20.0
    sync_nicknames: bool = False
    usb_mounts: list[str] = field(default_factory=list)  # empty = app.packs.usb defaults

    @classmethod
    def from_config(cls, cfg: Any, db_path: Path | None = None) -> "SyncSettings":
        s = cfg.sync
        return cls(db_path=Path(db_path or cfg.db_path), terminal_id=cfg.terminal_id, hub_url=s.hub_url,
                   token=s.token, batch_size=s.batch_size, timeout_s=s.timeout_s, sync_nicknames=s.sync_nicknames,
                   usb_mounts=list(cfg.packs.usb_mounts))


class EventsStore:
    """The events worker's state: one SQLite connection per database path, opened on first use."""

    def __init__(self) -> None:
        self._dbs: dict[str, Any] = {}

    def db(self, path: Path | str) -> Any:
        from app.events.store import open_events_db

        key = str(path)
        if key not in self._dbs:
            self._dbs[key] = open_events_db(path)
        return self._dbs[key]

    def close(self) -> None:
        for db in self._dbs.values():
            try:
                db.conn.close()
            except Exception:  # noqa: BLE001  (closing at shutdown)
                pass
        self._dbs.clear()


class EventsBridge:
    """Visit logging for the UI; see the module docstring. `event_log` None = log nothing."""

    def __init__(self, event_log: Any, app: Any, core: Any, settings: SyncSettings | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from app.ui.dbworker import DbClient

        self.event_log = event_log
        self.app = app
        self.core = core
        self.settings = settings or SyncSettings()
        self.clock = clock
        self.jobs = DbClient(EventsStore)  # figures, sync passes, USB export (never the GUI thread)
        self.pusher: Any = None
        self._push_stop: Any = None
        self.session_id: str | None = None
        self._session_started = 0.0
        self._staff = False  # admin mode was opened during this session
        self._view: tuple[str, float] | None = None  # (exhibit id, opened at)
        self._player: Any = None
        self._narr: dict[str, Any] | None = None  # the narration being played
        self._narr_last: dict[str, Any] | None = None  # the one that just stopped (`finished` may follow)
        core.on_start(self._on_session_start)
        core.on_reset(self._on_session_reset)
        app.stackChanged.connect(self._on_stack)

    # -- the accessor other view-models use ----------------------------------------------------
    def log(self, kind: str, **data: Any) -> str | None:
        """Queue one visit event (adds `session_id` where the kind has one); returns its UUID,
        or None when no event log is wired or the event was refused (logged as a warning)."""
        if self.event_log is None:
            log.debug("visit event (no event log): %s %s", kind, data)
            return None
        if kind in SESSION_KINDS and "session_id" not in data and self.session_id:
            data["session_id"] = self.session_id
        try:
            return self.event_log.log(kind, **data)
        except EventError as exc:
            log.warning("visit event not logged: %s", exc)
            return None

    def search(self, query: str, results: int | None = None) -> str | None:
        """A search: only the query's length (and the result count) is logged, never the text."""
        return self.log("search", query_length=len(query), results=results, lang=self.app.language)

    # -- visitor session -----------------------------------------------------------------------
    def _on_session_start(self) -> None:
        self.session_id = uuid.uuid4().hex
        self._session_started = self.clock()
        self._staff = False
        self.log("session_start", session_id=self.session_id, lang=self.app.language, trigger="touch")
        self._on_stack()

    def _on_session_reset(self, reason: str = "") -> None:
        self._close_view()
        self._close_narration(completed=False)
        if self.session_id is None:
            return
        idle = self.core.idle_s >= self.core.idle_timeout_s
        # a staff session is "admin" whatever ended it (also a quit or SIGTERM in admin mode)
        reason = "admin" if self._staff else (reason or ("idle" if idle else "ended"))
        self.log("session_end", session_id=self.session_id,
                 duration_s=round(max(0.0, self.clock() - self._session_started), 1), reason=reason)
        self.session_id = None

    def staff_mode(self, on: bool) -> None:
        """Admin mode opened (on) or closed: the current session is marked as a staff session, also
        in the event log (`EventLog.mark_staff`), so a kill in admin mode still ends it as one."""
        if on:
            if not self._staff and self.session_id and self.event_log is not None:
                try:
                    self.event_log.mark_staff(self.session_id)
                except EventError as exc:
                    log.warning("staff session not noted in the event log: %s", exc)
            self._staff = True
            self._close_view()

    # -- exhibit pages ---------------------------------------------------------------------------
    def _on_stack(self) -> None:
        stack = self.app.stack()
        name, params = stack[-1] if stack else ("", {})
        eid = str(params.get("exhibitId", "")) if name == "exhibit" else ""
        if self._view is not None and self._view[0] == eid:
            return
        self._close_view()
        if eid and self.session_id:
            self._view = (eid, self.clock())
        self._watch_narration()

    def _close_view(self) -> None:
        if self._view is None:
            return
        eid, opened = self._view
        self._view = None
        self.log("exhibit_view", exhibit_id=eid, dwell_s=round(max(0.0, self.clock() - opened), 1))

    # -- narration -------------------------------------------------------------------------------
    def watch_player(self, player: Any) -> None:
        """Log `narration_played` for this NarrationPlayer (its `changed`/`finished` signals)."""
        from shiboken6 import isValid

        if player is None or player is self._player or not isValid(player):
            return  # none yet, the same, or one left over from a kiosk already closed
        self._player = player
        player.changed.connect(self._on_narration)
        player.finished.connect(self._on_narration_finished)

    def _watch_narration(self) -> None:
        if self._player is None:
            from app.ui.viewmodels import narration

            self.watch_player(narration._instance)  # created by QML on first use

    def _on_narration(self) -> None:
        p = self._player
        state, current = p.property("state"), p.property("currentId")
        n = self._narr
        if n is not None and (current != n["exhibit_id"] or state in ("idle", "error", "loading")):
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda n=n: self._finish_narration(n))  # after `finished`, if it follows
            self._narr, self._narr_last = None, n
            n["ended"] = self.clock()
            n["played"] += n["ended"] - n["since"] if n["since"] is not None else 0.0
            n["since"] = None
            n = None
        if n is None and state == "playing" and current:
            self._narr = {"exhibit_id": current, "lang": p.property("language") or self.app.language,
                          "played": 0.0, "since": self.clock(), "session_id": self.session_id}
        elif n is not None and state == "paused" and n["since"] is not None:
            n["played"] += self.clock() - n["since"]
            n["since"] = None
        elif n is not None and state == "playing" and n["since"] is None:
            n["since"] = self.clock()

    def _on_narration_finished(self) -> None:
        if self._narr_last is not None:
            self._narr_last["completed"] = True

    def _finish_narration(self, n: dict[str, Any]) -> None:
        if n.get("logged"):
            return
        n["logged"] = True
        done = bool(n.get("completed"))
        self.log("narration_played", exhibit_id=n["exhibit_id"], lang=n["lang"],
                 duration_s=round(n["played"], 1), completed=done, session_id=n["session_id"])

    def _close_narration(self, completed: bool) -> None:
        n, self._narr = self._narr, None
        if n is None:
            return
        if n["since"] is not None:
            n["played"] += self.clock() - n["since"]
        n["completed"] = completed
        self._finish_narration(n)

    # -- background sync and shutdown ------------------------------------------------------------
    def start_pusher(self, cfg: Any) -> None:
        """Push events to the hub in the background when `sync.hub_url` is set."""
        if not cfg.sync.hub_url:
            return
        from app.sync.push import Pusher, SyncError

        try:
            self.pusher = Pusher.from_config(cfg)
        except SyncError as exc:  # e.g. no token: the admin sync screen shows it, USB still works
            log.warning("network sync not started: %s", exc)
            return
        _thread, self._push_stop = self.pusher.start()

    def close(self) -> None:
        """End the open view and session, write every queued event, stop the workers."""
        if self.session_id is not None:
            self._on_session_reset("shutdown")
        self._close_narration(completed=False)
        if self._player is not None:  # the player outlives this kiosk (tests build several)
            try:
                self._player.changed.disconnect(self._on_narration)
                self._player.finished.disconnect(self._on_narration_finished)
            except (RuntimeError, TypeError):
                pass
            self._player = None
        if self._push_stop is not None:
            self._push_stop.set()
            self._push_stop = None
        self.jobs.stop()
        if self.event_log is not None:
            self.event_log.close()


def attach(kiosk: Any, cfg: Any) -> EventsBridge:
    """Build the kiosk's bridge: an EventLog on the terminal database when there is a config
    (bare test kiosks and the tour log nothing), and the background pusher when a hub is set.
    `kiosk.opts.extra["log_events"] = False` keeps a kiosk with a config from logging (tours)."""
    from app.ui.viewmodels import stats, sync_vm  # noqa: F401  (register the QML types)

    app = kiosk.app
    clock = kiosk.opts.clock or time.monotonic
    live = cfg is not None and kiosk.opts.extra.get("log_events", True)
    settings = SyncSettings.from_config(cfg) if cfg is not None else SyncSettings(db_path=Path(kiosk.opts.db_path))
    event_log = None
    if live:
        from app.events import EventLog

        def pack() -> tuple[str | None, str | None]:
            info = getattr(app, "_info", None)  # the PackInfo shown (App.set_home_data)
            return (info.id, info.version) if info is not None else (None, None)

        event_log = EventLog(cfg.db_path, cfg.terminal_id, pack)
    bridge = EventsBridge(event_log, app, kiosk.core, settings, clock=clock)
    admin = getattr(kiosk, "admin", None)
    if admin is not None and getattr(admin, "enabled", False):
        admin.modeChanged.connect(lambda: bridge.staff_mode(admin.mode != "off"))
    bridge._watch_narration()  # the kiosk installs its NarrationPlayer before building the window
    if live:
        bridge.start_pusher(cfg)
    return bridge
