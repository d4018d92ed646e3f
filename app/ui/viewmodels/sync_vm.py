"""`SyncPanel`: the admin sync screen (`admin_sync`, issue 6 §4–5).

Shows the delivery state of the visit log (last success, last error, backlog, hub URL or "USB
only") and runs, on the events worker (`ui().events.jobs`, never the GUI thread): one network
push pass ("Sync now"), a USB export of the unsent events into a signed bundle
(`app.sync.bundle.export_bundle`), and the import of the hub's acknowledgement files from a stick
(`apply_ack`). USB sticks are looked for on `packs.usb_mounts` (as for pack import).
"""
from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui.context import ui

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

ACK_SUFFIX = ".ack.json"


# ---- worker-thread jobs (no Qt) -------------------------------------------------------------------

def usb_targets(patterns: list[str]) -> list[dict[str, Any]]:
    """Writable removable-media folders: mount points among the configured (or default) mount
    patterns, plus folders named literally in the config. [{path, label, free_gb}]."""
    from app.packs.usb import _roots, default_mounts

    literal = {os.path.realpath(p) for p in patterns if not any(c in p for c in "*?[")}
    out: dict[str, dict[str, Any]] = {}
    for root in _roots(list(patterns) or default_mounts()):
        real = os.path.realpath(root)
        try:
            if not (os.path.ismount(real) or real in literal) or not os.access(real, os.W_OK):
                continue
            free = shutil.disk_usage(real).free
        except OSError:
            continue
        out.setdefault(real, {"path": str(root), "label": root.name or str(root), "free_gb": round(free / 2**30, 1)})
    return sorted(out.values(), key=lambda m: m["path"])


def status_job(store: Any, settings: Any) -> dict[str, Any]:
    """Events-worker job: sync status of the terminal database and the USB sticks present."""
    from app.sync.push import sync_status

    st = sync_status(store.db(settings.db_path), settings.hub_url).as_dict()
    st["mounts"] = usb_targets(settings.usb_mounts)
    return st


def push_job(store: Any, settings: Any) -> dict[str, Any]:
    """Events-worker job: one network pass now (its own connection and HTTP client)."""
    from app.sync.push import Pusher

    pusher = Pusher(store.db(settings.db_path), settings.terminal_id, settings.hub_url, settings.token,
                    batch_size=settings.batch_size, timeout_s=settings.timeout_s,
                    sync_nicknames=settings.sync_nicknames)
    try:
        r = pusher.push_once()
    finally:
        pusher.client.close()
    return {"ok": r.ok, "delivered": r.delivered, "duplicates": r.duplicates, "error": r.error or "",
            "backlog": r.backlog}


def export_job(store: Any, settings: Any, folder: str) -> dict[str, Any]:
    """Events-worker job: write the unsent events to a signed bundle in `folder`."""
    from app.sync.bundle import export_bundle

    r = export_bundle(store.db(settings.db_path), settings.terminal_id, settings.token, Path(folder),
                      settings.sync_nicknames)
    return {"path": str(r.path) if r.path else "", "count": r.count}


def find_acks(folder: Path, terminal_id: str) -> list[Path]:
    """Acknowledgement files for this terminal in `folder` and its direct subfolders."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in terminal_id)
    found: list[Path] = []
    for pattern in (f"hongtu-events-{safe}-*{ACK_SUFFIX}", f"*/hongtu-events-{safe}-*{ACK_SUFFIX}"):
        try:
            found += sorted(folder.glob(pattern))
        except OSError:
            continue
    return found


def ack_job(store: Any, settings: Any, folder: str) -> dict[str, Any]:
    """Events-worker job: apply every acknowledgement for this terminal found on the stick."""
    from app.sync.bundle import BundleError, apply_ack

    files = find_acks(Path(folder), settings.terminal_id)
    confirmed, errors = 0, []
    for f in files:
        try:
            confirmed += apply_ack(store.db(settings.db_path), settings.terminal_id, settings.token, f)
        except BundleError as exc:
            errors.append(str(exc))
    return {"files": len(files), "confirmed": confirmed, "errors": errors}


def local_time(ts: str | None) -> str:
    """A stored UTC timestamp as local 'YYYY-MM-DD HH:MM:SS' ('' for none)."""
    if not ts:
        return ""
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ts


# ---- the view-model ---------------------------------------------------------------------------------

@QmlElement
class SyncPanel(QObject):
    """Sync state and actions for QML. `action`: "" | "push" | "export" | "ack" (running);
    `result` / `resultKind` ("ok" | "error" | "info"): the outcome of the last action, one line."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: dict[str, Any] = {}
        self._error = ""
        self._action = ""
        self._result = ""
        self._kind = ""
        self._exported = ""
        self._loaded = False
        self.refresh()

    def _bridge(self) -> Any:
        return ui().events

    def _settings(self) -> Any:
        b = self._bridge()
        return b.settings if b is not None else None

    # -- slots -------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        s = self._settings()
        if s is None or s.db_path is None:
            self._error = "no event log on this terminal"
            self.changed.emit()
            return
        self._bridge().jobs.call(lambda store: status_job(store, s), self._on_status, self._on_status_error)

    @Slot()
    def syncNow(self) -> None:  # noqa: N802
        s = self._settings()
        if self._action or s is None:
            return
        if not s.hub_url:
            self._finish("error", "no hub: sync.hub_url is not set (USB only)")
            return
        self._start("push", lambda store: push_job(store, s), self._on_pushed)

    @Slot(str)
    def exportTo(self, folder: str) -> None:  # noqa: N802
        s = self._settings()
        if self._action or s is None or not folder:
            return
        self._exported = ""
        self._start("export", lambda store: export_job(store, s, folder), self._on_exported)

    @Slot(str)
    def importAck(self, folder: str) -> None:  # noqa: N802
        s = self._settings()
        if self._action or s is None or not folder:
            return
        self._start("ack", lambda store: ack_job(store, s, folder), self._on_acked)

    # -- results -----------------------------------------------------------------------------------
    def _start(self, action: str, job: Any, on_done: Any) -> None:
        self._action, self._result, self._kind = action, "", ""
        self.changed.emit()
        self._bridge().jobs.call(job, on_done, self._on_failed)

    def _finish(self, kind: str, text: str) -> None:
        self._action, self._kind, self._result = "", kind, text
        (log.warning if kind == "error" else log.info)("sync screen: %s", text)
        self.changed.emit()
        self.refresh()

    def _on_pushed(self, r: dict[str, Any]) -> None:
        if r["ok"]:
            self._finish("ok", f"delivered:{r['delivered']}:{r['backlog']}")
        else:
            self._finish("error", r["error"])

    def _on_exported(self, r: dict[str, Any]) -> None:
        self._exported = r["path"]
        self._finish("ok" if r["path"] else "info", f"exported:{r['count']}" if r["path"] else "nothing")

    def _on_acked(self, r: dict[str, Any]) -> None:
        if r["errors"]:
            self._finish("error", r["errors"][0])
        elif not r["files"]:
            self._finish("info", "noack")
        else:
            self._finish("ok", f"acked:{r['confirmed']}:{r['files']}")

    def _on_failed(self, exc: BaseException) -> None:
        self._finish("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _on_status(self, st: dict[str, Any]) -> None:
        self._status, self._error, self._loaded = st, "", True
        self.changed.emit()

    def _on_status_error(self, exc: BaseException) -> None:
        self._error, self._loaded = str(exc).splitlines()[0] if str(exc) else type(exc).__name__, True
        self.changed.emit()

    # -- properties --------------------------------------------------------------------------------
    @Property(bool, notify=changed)
    def loaded(self) -> bool:
        return self._loaded

    @Property(str, notify=changed)
    def error(self) -> str:
        """The status could not be read (one line)."""
        return self._error

    @Property(str, notify=changed)
    def hubUrl(self) -> str:  # noqa: N802
        s = self._settings()
        return s.hub_url if s is not None else ""

    @Property(bool, notify=changed)
    def tokenSet(self) -> bool:  # noqa: N802
        s = self._settings()
        return bool(s is not None and s.token)

    @Property(str, notify=changed)
    def terminalId(self) -> str:  # noqa: N802
        s = self._settings()
        return s.terminal_id if s is not None else ""

    @Property(int, notify=changed)
    def backlog(self) -> int:
        return int(self._status.get("backlog", 0))

    @Property(int, notify=changed)
    def deliveredTotal(self) -> int:  # noqa: N802
        return int(self._status.get("delivered_total", 0) or 0)

    @Property(str, notify=changed)
    def lastSuccess(self) -> str:  # noqa: N802
        return local_time(self._status.get("last_success"))

    @Property(str, notify=changed)
    def lastAttempt(self) -> str:  # noqa: N802
        return local_time(self._status.get("last_attempt"))

    @Property(str, notify=changed)
    def lastError(self) -> str:  # noqa: N802
        return self._status.get("last_error") or ""

    @Property(str, notify=changed)
    def lastErrorAt(self) -> str:  # noqa: N802
        return local_time(self._status.get("last_error_at"))

    @Property(bool, notify=changed)
    def errorIsCurrent(self) -> bool:  # noqa: N802
        """The last pass failed (no success since the last error)."""
        err, ok = self._status.get("last_error_at") or "", self._status.get("last_success") or ""
        return bool(self._status.get("last_error")) and err > ok

    @Property(str, notify=changed)
    def diskWarning(self) -> str:  # noqa: N802
        return self._status.get("disk_warning") or ""

    @Property("QVariantList", notify=changed)
    def mounts(self) -> list[dict[str, Any]]:
        return list(self._status.get("mounts", []))

    @Property(str, notify=changed)
    def action(self) -> str:
        return self._action

    @Property(bool, notify=changed)
    def busy(self) -> bool:
        return bool(self._action)

    @Property(str, notify=changed)
    def result(self) -> str:
        """Machine-readable outcome the QML turns into a sentence: "delivered:N:BACKLOG",
        "exported:N", "nothing", "acked:N:FILES", "noack", or an error message."""
        return self._result

    @Property(str, notify=changed)
    def resultKind(self) -> str:  # noqa: N802
        return self._kind

    @Property(str, notify=changed)
    def exportedPath(self) -> str:  # noqa: N802
        return self._exported
