"""View-models of the smaller admin screens: `AdminStatusModel`, `AdminLogsModel`, `AdminPinChange`, `AdminInfo`.

Health checks, disk space, notices and logs are read on the admin worker; the sync status (a
database read) on the DB worker.
"""
from __future__ import annotations

import logging
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.packs.errors import PinError, PinLockedError
from app.ui.context import ui
from app.ui.screens import SCREENS
from app.ui.viewmodels import admin as admin_mod

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

LOG_LIMIT = 300


def _gb(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB"


# ---- worker-thread jobs (no Qt) -------------------------------------------------------------------

def status_job(cfg: Any) -> dict[str, Any]:
    """Health checks, disk space, the active pack and the staff notices."""
    from app.ops.doctor import run_checks
    from app.ops.notices import list_notices
    from app.packs.install import list_installed

    # name and detail in English plus the detail's template and arguments: the screen translates them
    checks = [c.as_dict() for c in run_checks(cfg)]
    data_dir = Path(cfg.data_dir)
    probe = data_dir if data_dir.exists() else data_dir.parent
    try:
        du = shutil.disk_usage(probe)
        disk = {"free": _gb(du.free), "total": _gb(du.total), "percent": round(100 * du.free / du.total)}
    except OSError as exc:
        disk = {"free": "?", "total": "?", "percent": -1, "error": str(exc)}
    try:
        current = next((r for r in list_installed(cfg) if r.current), None)
    except Exception as exc:  # noqa: BLE001  (a damaged pointer is shown, not fatal)
        current = None
        log.warning("status: %s", exc)
    try:
        notices = list(reversed(list_notices(data_dir)))
    except OSError:
        notices = []
    return {
        "checks": checks,
        "disk": disk,
        "installed": f"{current.pack_id} {current.version}" if current else "",
        "notices": notices,
    }


def sync_job(store: Any, hub_url: str) -> dict[str, Any]:
    """DB-worker job: the last delivery of visit logs (app.sync.push.sync_status)."""
    from app.sync.push import sync_status

    return sync_status(store.db, hub_url).as_dict()


def logs_job(cfg: Any) -> list[dict]:
    from app.ops.logs import read_recent

    return list(reversed(read_recent(Path(cfg.data_dir), LOG_LIMIT)))


# ---- view-models ----------------------------------------------------------------------------------

@QmlElement
class AdminStatusModel(QObject):
    """System status: checks (ok/warn/fail), version, pack, disk, last sync, staff notices."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._admin = admin_mod.current()
        self._data: dict[str, Any] = {}
        self._sync: dict[str, Any] = {}
        self._sync_error = ""
        self._loading = False
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._loading = True
        self.changed.emit()
        self._admin.run(status_job, self._on_status, self._on_error)
        hub = self._admin.cfg.sync.hub_url if self._admin.cfg is not None else ""
        ui().db.call(lambda store: sync_job(store, hub), self._on_sync, self._on_sync_error)

    @Slot()
    def clearNotices(self) -> None:  # noqa: N802
        from app.ops.notices import clear_notices

        self._admin.run(lambda cfg: clear_notices(Path(cfg.data_dir)), self._refresh_after)

    def _refresh_after(self, _result: Any) -> None:
        self.refresh()

    def _on_status(self, data: dict[str, Any]) -> None:
        self._data = data
        self._loading = False
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        self._data = {"checks": [{"key": "status", "name": "status", "status": "fail", "detail": str(exc),
                                  "template": "", "args": []}]}
        self._loading = False
        self.changed.emit()

    def _on_sync(self, data: dict[str, Any]) -> None:
        self._sync, self._sync_error = data, ""
        self.changed.emit()

    def _on_sync_error(self, exc: BaseException) -> None:
        self._sync, self._sync_error = {}, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.changed.emit()

    @Property(bool, notify=changed)
    def loading(self) -> bool:
        return self._loading

    @Property("QVariantList", notify=changed)
    def checks(self) -> list[dict]:
        return list(self._data.get("checks", []))

    @Property("QVariantMap", notify=changed)
    def disk(self) -> dict:
        return dict(self._data.get("disk", {}))

    @Property(str, notify=changed)
    def installedPack(self) -> str:  # noqa: N802
        return str(self._data.get("installed", ""))

    @Property("QVariantList", notify=changed)
    def notices(self) -> list[dict]:
        return list(self._data.get("notices", []))

    @Property("QVariantMap", notify=changed)
    def sync(self) -> dict:
        """{hub_url, backlog, last_success, last_error, delivered_total, …}; {} when unknown."""
        return {k: ("" if v is None else v) for k, v in self._sync.items()}

    @Property(str, notify=changed)
    def syncError(self) -> str:  # noqa: N802
        return self._sync_error


@QmlElement
class AdminLogsModel(QObject):
    """The newest log entries, newest first: {ts, level, logger, msg}."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._admin = admin_mod.current()
        self._entries: list[dict] = []
        self._error = ""
        self._loaded = False
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._admin.run(logs_job, self._on_logs, self._on_error)

    def _on_logs(self, entries: list[dict]) -> None:
        self._entries = [{"ts": str(e.get("ts", "")).replace("T", " ")[:19], "level": str(e.get("level", "")),
                          "logger": str(e.get("logger", "")), "msg": str(e.get("msg", ""))} for e in entries]
        self._error, self._loaded = "", True
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        self._entries, self._error, self._loaded = [], str(exc), True
        self.changed.emit()

    @Property("QVariantList", notify=changed)
    def entries(self) -> list[dict]:
        return self._entries

    @Property(str, notify=changed)
    def error(self) -> str:
        return self._error

    @Property(bool, notify=changed)
    def loaded(self) -> bool:
        return self._loaded


@QmlElement
class AdminPinChange(QObject):
    """Change the PIN on the pad: stage "old" → "new" → "confirm" → "done".

    `messageKind`: "" | "wrong" (old PIN wrong) | "format" | "mismatch" | "locked" | "error".
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._admin = admin_mod.current()
        self._stage = "old"
        self._buf = ""
        self._old = ""
        self._new = ""
        self._kind = ""
        self._message = ""
        self._busy = False

    @Property(str, notify=changed)
    def stage(self) -> str:
        return self._stage

    @Property(int, notify=changed)
    def length(self) -> int:
        return len(self._buf)

    @Property(str, notify=changed)
    def messageKind(self) -> str:  # noqa: N802
        return self._kind

    @Property(str, notify=changed)
    def message(self) -> str:
        return self._message

    @Property(bool, notify=changed)
    def busy(self) -> bool:
        return self._busy

    @Slot(int)
    def digit(self, d: int) -> None:
        if not self._busy and self._stage != "done" and len(self._buf) < admin_mod.MAX_PIN and 0 <= d <= 9:
            self._buf += str(int(d))
            self.changed.emit()

    @Slot()
    def backspace(self) -> None:
        self._buf = self._buf[:-1]
        self.changed.emit()

    @Slot()
    def restart(self) -> None:
        self._stage, self._buf, self._old, self._new, self._kind, self._message = "old", "", "", "", "", ""
        self.changed.emit()

    @Slot()
    def ok(self) -> None:
        if self._busy or not self._buf or self._stage == "done":
            return
        from app.packs.pin import PIN_RE

        pin, self._buf = self._buf, ""
        self._kind = self._message = ""
        if self._stage == "old":
            self._busy = True
            self._admin.run(lambda cfg: _check_old(cfg, pin), partial(self._on_old, pin), self._on_error)
        elif self._stage == "new":
            if PIN_RE.match(pin):
                self._new, self._stage = pin, "confirm"
            else:
                self._kind = "format"
        elif self._stage == "confirm":
            if pin != self._new:
                self._kind, self._stage, self._new = "mismatch", "new", ""
            else:
                self._busy = True
                old, new = self._old, self._new
                self._admin.run(lambda cfg: _set_pin(cfg, old, new), self._on_set, self._on_error)
        self.changed.emit()

    def _on_old(self, pin: str, ok: bool) -> None:
        self._busy = False
        if ok:
            self._old, self._stage = pin, "new"
        else:
            self._kind = "wrong"
        self.changed.emit()

    def _on_set(self, _r: Any) -> None:
        self._busy = False
        self._stage, self._old, self._new = "done", "", ""
        log.info("admin PIN changed from admin mode")
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, PinLockedError):
            self._kind, self._message = "locked", str(int(exc.remaining_s + 0.999))
            self._stage = "old"
        else:
            self._kind, self._message = "error", str(exc)
            if isinstance(exc, PinError):
                self._stage = "old"
        self.changed.emit()


def _check_old(cfg: Any, pin: str) -> bool:
    from app.packs.pin import AdminPin

    return AdminPin(cfg).check(pin)


def _set_pin(cfg: Any, old: str, new: str) -> None:
    from app.packs.pin import AdminPin

    pin = AdminPin(cfg)
    if not pin.check(old):  # the old PIN is checked again at the moment of the change
        raise PinError("the current PIN is wrong; start again")
    pin.set_pin(new)


def stats_available() -> bool:
    """True when another engineer registered the visitor-figures screen `admin_stats`."""
    return "admin_stats" in SCREENS


@QmlElement
class AdminInfo(QObject):
    """Small facts the admin home needs: whether the visitor-figures screen exists."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    @Property(bool, constant=True)
    def statsAvailable(self) -> bool:  # noqa: N802
        return stats_available()
