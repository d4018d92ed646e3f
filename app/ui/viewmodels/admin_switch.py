"""`PackFollower`: the running kiosk picks up a newly installed or rolled-back pack between visitor
sessions, never in the middle of one.

Whenever a visitor session ends (and every few seconds while the attract loop shows, unless admin
mode is open) it asks `ActiveWatch.changed()` on the admin worker thread whether `active.json`
moved on. If the active pack folder differs from the one shown (or is the same folder, repaired in
place by a reinstall), the DB worker re-indexes the catalog from it (`ensure_catalog`) and returns fresh home data; the App then reloads the home
screen. A pack that fails to index leaves the previous catalog in place and adds a staff notice.
The kiosk also holds (`PackHold`) the folder it shows so that pruning never deletes it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.packs.install import ActiveWatch, PackHold, active_pack_path
from app.ui import store_jobs

log = logging.getLogger(__name__)

POLL_MS = 5000


def switch_pack(store: Any, path: Path) -> store_jobs.HomeData:
    """DB-worker job: index the pack at `path` (if needed) and make it the catalog shown."""
    from app.store.catalog import ensure_catalog

    catalog = ensure_catalog(store.db, path)
    store.catalog = catalog
    store.pack_root = Path(catalog.pack_root() or path)
    store.warning = ""
    return store_jobs.home_data(store)


class PackFollower(QObject):
    """Polls the installed-pack pointer between sessions and switches the kiosk's catalog."""

    switched = Signal(str)  # the new pack folder
    failed = Signal(str)  # one line for a person

    def __init__(self, kiosk: Any, cfg: Any, admin: Any, shown: Path, follow: bool = True) -> None:
        super().__init__()
        self._kiosk = kiosk
        self._cfg = cfg
        self._admin = admin
        self.shown = Path(shown)
        self.follow = follow
        self._busy = False
        self._failed: Path | None = None  # a pack that failed to index: not retried until another is active
        self._watch: ActiveWatch | None = None
        self._active: Path | None = None  # worker thread only
        self._probed = False  # worker thread only
        self._hold = PackHold()
        admin.run(self._start_job)
        if follow:
            kiosk.core.on_reset(self.check)
            self._timer = QTimer(self)
            self._timer.setInterval(POLL_MS)
            self._timer.timeout.connect(self._poll)
            self._timer.start()

    # -- worker jobs ------------------------------------------------------------------------------
    def _start_job(self, cfg: Any) -> None:
        self._watch = ActiveWatch(cfg)  # records the generation seen at start-up
        self._hold.hold(self.shown)

    def _probe_job(self, cfg: Any) -> tuple[Path | None, bool]:
        """(the active pack folder, whether active.json changed since the last probe).

        A stat per probe; the pointer is read only when it changed (or on the first probe).
        """
        if self._watch is None:
            self._watch = ActiveWatch(cfg)
        changed = self._watch.changed()
        if changed or not self._probed:
            self._active = active_pack_path(cfg)
            self._probed = True
        return self._active, changed

    # -- GUI thread -------------------------------------------------------------------------------
    def _poll(self) -> None:
        if self._kiosk.between_sessions():
            self.check()

    def check(self) -> None:
        """Look for a new active pack now (called when a session ends)."""
        if self._busy or not self.follow:
            return
        self._busy = True
        self._admin.run(self._probe_job, self._on_probe, self._on_probe_error)

    def _on_probe(self, probe: tuple[Path | None, bool]) -> None:
        path, changed = probe
        if changed:
            self._failed = None  # a new install or rollback: worth another try
        # the folder shown is looked at again only when the pointer changed: a reinstall that
        # repaired it in place (same folder, files restored) must reach the screen too
        same = path is not None and Path(path) == self.shown and not changed
        if path is None or same or Path(path) == self._failed:
            self._busy = False
            return
        if not self._kiosk.between_sessions():  # a visitor started meanwhile: try at the next session end
            self._busy = False
            return
        log.info("switching to the newly active pack %s", path)
        self._kiosk.db.call(lambda store: switch_pack(store, Path(path)),
                            lambda data: self._on_switched(Path(path), data),
                            lambda exc: self._on_error(Path(path), exc))

    def _on_switched(self, path: Path, data: Any) -> None:
        self._busy = False
        self.shown = path
        self._admin.run(lambda _cfg: self._hold.hold(path))
        app = self._kiosk.app
        app.set_home_data(data)
        if app.depth > 1:  # a visitor touched while the catalog was re-indexed: start them at home
            app.clearScreens()
        self.switched.emit(str(path))

    def _on_probe_error(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("cannot read the installed-pack state: %s", exc)

    def _on_error(self, path: Path, exc: BaseException) -> None:
        self._busy = False
        self._failed = path
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"the newly installed pack could not be shown ({line}); the kiosk keeps the previous content"
        log.warning("%s", msg)
        try:
            from app.ops.notices import add_notice

            add_notice(Path(self._cfg.data_dir), msg)
        except OSError:
            pass
        self.failed.emit(msg)

    def close(self) -> None:
        if self.follow:
            self._timer.stop()
        self._hold.release()
