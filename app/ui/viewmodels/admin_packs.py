"""`AdminPacksModel` (QML type): installed packs with rollback/remove, and the USB import list with install.

All pack work runs on the admin worker (`Admin.jobs`); progress comes back by a queued signal.
Errors are sorted into a few plain causes (`error_kind`) that the screen words for staff, with the
core's one-line message underneath.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.packs.install import install_dir_of
from app.packs.errors import (ArchiveReadError, ManifestError, PackInvalidError, SignatureError,
                              UnsafeArchiveError)
from app.ui.context import ui
from app.ui.viewmodels import admin as admin_mod

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

MAX_PACK_YAML = 1 << 20


class InstallCancelled(Exception):
    """Staff tapped Cancel during an install."""


def error_kind(exc: BaseException | None, text: str = "") -> str:
    """One of: cancelled, signature, usb, disk, unsafe, damaged, content, schema, version, busy, other."""
    text = (text or str(exc or "")).lower()
    if isinstance(exc, InstallCancelled):
        return "cancelled"
    if isinstance(exc, SignatureError) or "signed" in text or "signature" in text:
        return "signature"
    if "usb stick" in text or "file not found" in text:
        return "usb"
    if "disk full" in text or "disk space" in text or "no space" in text:
        return "disk"
    if "newer than this kiosk" in text:
        return "schema"
    if isinstance(exc, UnsafeArchiveError) or "unsafe path" in text or "not allowed in a pack" in text \
            or "exceeds the limit" in text or "max_unpacked_mb" in text:
        return "unsafe"
    if isinstance(exc, PackInvalidError) or "problem(s)" in text:
        return "content"
    if "already installed with different content" in text:
        return "version"
    if "another pack install" in text or "is running" in text:
        return "busy"
    if isinstance(exc, (ManifestError, ArchiveReadError)) or "sha-256" in text or "truncated" in text \
            or "manifest" in text or "damaged" in text:
        return "damaged"
    return "other"


def _mb(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(n, 0) / 1024:.0f} KB"


@dataclass
class UsbPack:
    path: Path
    pack_id: str
    version: str
    size: int
    title: dict
    publisher: dict
    signer: str  # "trusted" | "untrusted" | "unsigned" | ""
    fingerprint: str
    problem: str


# ---- worker-thread jobs (no Qt) -------------------------------------------------------------------

def _pack_meta(path: Path) -> tuple[dict, dict]:
    """Title and publisher from the archive's pack.yaml (small; {} when unreadable)."""
    import yaml

    from app.packs.archive import PREFIX, open_archive

    try:
        with open_archive(path) as zf:
            info = zf.getinfo(PREFIX + "pack.yaml")
            if info.file_size > MAX_PACK_YAML:
                return {}, {}
            data = yaml.safe_load(zf.read(info)) or {}
    except Exception:  # noqa: BLE001  (a damaged file: describe_archive names the cause)
        return {}, {}
    lt = lambda v: v if isinstance(v, dict) else ({"zh": str(v)} if v else {})  # noqa: E731
    return lt(data.get("title")), lt(data.get("publisher"))


def scan_usb(cfg: Any) -> list[UsbPack]:
    """Every .hpack on removable media, described from its manifest and signature."""
    from app.packs.archive import describe_archive
    from app.packs.install import trusted_keys
    from app.packs.usb import find_usb_packs

    trusted = trusted_keys(cfg)
    out = []
    for path in find_usb_packs(cfg):
        s = describe_archive(path, trusted, cfg.packs.allow_unsigned, cfg.packs.max_unpacked_mb << 20)
        title, publisher = _pack_meta(path) if s.pack_id else ({}, {})
        if s.signer is None:
            signer = ""
        elif s.signer.fingerprint is None:
            signer = "unsigned"
        else:
            signer = "trusted" if s.signer.trusted else "untrusted"
        out.append(UsbPack(path, s.pack_id or "", s.version or "", s.size, title, publisher, signer,
                           (s.signer.fingerprint or "") if s.signer else "", s.problem or ""))
    return out


def installed_rows(cfg: Any) -> list[Any]:
    from app.packs.install import list_installed

    return list_installed(cfg)


# ---- the view-model -------------------------------------------------------------------------------

@QmlElement
class AdminPacksModel(QObject):
    """The packs screen's state. `message`/`messageKind`/`errorKind` describe the last action."""

    installedChanged = Signal()
    usbChanged = Signal()
    busyChanged = Signal()
    progressChanged = Signal()
    messageChanged = Signal()
    _progress = Signal(float, float)  # emitted from the worker thread (queued to the GUI thread)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._admin = admin_mod.current()
        self._installed: list[Any] = []
        self._usb: list[UsbPack] = []
        self._scanned = False
        self._busy = ""  # "" | "scan" | "install" | "rollback" | "remove" | "list"
        self._done = 0.0
        self._total = 0.0
        self._message = ""
        self._message_kind = ""  # "" | "ok" | "error" | "info"
        self._error_kind = ""
        self._detail = ""
        self._cancel = threading.Event()
        self._progress.connect(self._on_progress)
        ui().app.textChanged.connect(self.usbChanged)
        self._admin.keep_alive = lambda: self._busy == "install"
        self.refresh()
        self.refreshUsb()

    # -- properties ----------------------------------------------------------------------------
    @Property("QVariantList", notify=installedChanged)
    def installed(self) -> list[dict]:
        """{packId, version, active, current, shown, previous, installedAt, size, files, signed}

        `shown`: the folder the running kiosk shows right now (it switches between visitor sessions).
        """
        follower = getattr(self._admin, "follower", None)
        shown = Path(follower.shown) if follower is not None else None
        root = install_dir_of(self._admin.cfg) if self._admin.cfg is not None else None
        return [{
            "packId": r.pack_id, "version": r.version, "active": r.active, "current": r.current,
            "shown": root is not None and shown == root / r.pack_id / r.version,
            "previous": r.previous, "installedAt": r.info.installed_at.replace("T", " ").replace("Z", " UTC"),
            "size": _mb(r.info.size), "files": r.info.files, "signed": bool(r.info.signer),
        } for r in self._installed]

    @Property(bool, notify=installedChanged)
    def canRollback(self) -> bool:  # noqa: N802
        return any(r.previous for r in self._installed)

    @Property("QVariantList", notify=usbChanged)
    def usb(self) -> list[dict]:
        """{name, path, packId, version, title, publisher, size, signer, fingerprint, problem, problemKind}"""
        t = ui().app.t
        return [{
            "name": u.path.name, "path": str(u.path), "packId": u.pack_id, "version": u.version,
            "title": t(u.title) if u.title else "", "publisher": t(u.publisher) if u.publisher else "",
            "size": _mb(u.size) if u.size else "", "signer": u.signer, "fingerprint": u.fingerprint[:16],
            "problem": u.problem, "problemKind": error_kind(None, u.problem) if u.problem else "",
        } for u in self._usb]

    def usb_packs(self) -> list[UsbPack]:
        """The last USB scan, as found (for the tour and tests)."""
        return list(self._usb)

    @Property(bool, notify=usbChanged)
    def scanned(self) -> bool:
        return self._scanned

    @Property(str, notify=busyChanged)
    def busy(self) -> str:
        return self._busy

    @Property(float, notify=progressChanged)
    def progress(self) -> float:
        return self._done / self._total if self._total > 0 else 0.0

    @Property(str, notify=progressChanged)
    def progressText(self) -> str:  # noqa: N802
        return f"{_mb(int(self._done))} / {_mb(int(self._total))}" if self._total else ""

    @Property(str, notify=messageChanged)
    def message(self) -> str:
        return self._message

    @Property(str, notify=messageChanged)
    def messageKind(self) -> str:  # noqa: N802
        return self._message_kind

    @Property(str, notify=messageChanged)
    def errorKind(self) -> str:  # noqa: N802
        return self._error_kind

    @Property(str, notify=messageChanged)
    def detail(self) -> str:
        return self._detail

    # -- slots ---------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Reload the installed packs list."""
        self._admin.run(installed_rows, self._on_installed, self._on_list_error)

    @Slot()
    def refreshUsb(self) -> None:  # noqa: N802
        """Search the removable media for .hpack files again."""
        if self._busy:
            return
        self._set_busy("scan")
        self._admin.run(scan_usb, self._on_usb, self._on_usb_error)

    @Slot(int)
    def install(self, index: int) -> None:
        """Install the index-th USB pack; progress, then a message."""
        if self._busy or not 0 <= index < len(self._usb):
            return
        src = self._usb[index].path
        self._cancel.clear()
        self._done, self._total = 0.0, float(self._usb[index].size or 0)
        self.progressChanged.emit()
        self._set_message("", "info", "", "")
        self._set_busy("install")
        log.info("admin: installing %s", src)
        self._admin.run(lambda cfg: self._install_job(cfg, src), self._on_installed_pack, self._on_action_error)

    @Slot()
    def cancelInstall(self) -> None:  # noqa: N802
        if self._busy == "install":
            self._cancel.set()

    @Slot(str)
    def rollback(self, pack_id: str) -> None:
        """Switch `pack_id` back to its previous version (the screen confirms first)."""
        if self._busy:
            return
        from app.packs.install import rollback

        self._set_busy("rollback")
        self._admin.run(lambda cfg: rollback(cfg, pack_id or None), self._on_rolled_back, self._on_action_error)

    @Slot(str, str)
    def remove(self, pack_id: str, version: str) -> None:
        """Delete an installed version that is not active (the screen confirms first)."""
        if self._busy:
            return
        from app.packs.install import remove_version

        self._set_busy("remove")
        self._admin.run(lambda cfg: remove_version(cfg, pack_id, version),
                              lambda _p: self._on_removed(pack_id, version), self._on_action_error)

    # -- worker side ---------------------------------------------------------------------------------
    def _install_job(self, cfg: Any, src: Path) -> Any:
        from app.packs.install import install_pack

        def progress(done: int, total: int) -> None:
            if self._cancel.is_set():
                raise InstallCancelled("install cancelled; nothing was changed")
            self._progress.emit(float(done), float(total))

        return install_pack(src, cfg, progress=progress)

    # -- results (GUI thread) ------------------------------------------------------------------
    def _on_progress(self, done: float, total: float) -> None:
        self._done, self._total = done, total
        self.progressChanged.emit()

    def _on_installed(self, rows: list[Any]) -> None:
        self._installed = list(rows)
        self.installedChanged.emit()

    def _on_list_error(self, exc: BaseException) -> None:
        self._installed = []
        self.installedChanged.emit()
        self._set_message(str(exc), "error", error_kind(exc), str(exc))

    def _on_usb(self, found: list[UsbPack]) -> None:
        self._usb = found
        self._scanned = True
        self._set_busy("")
        self.usbChanged.emit()

    def _on_usb_error(self, exc: BaseException) -> None:
        self._usb, self._scanned = [], True
        self._set_busy("")
        self.usbChanged.emit()
        self._set_message(str(exc), "error", "usb", str(exc))

    def _on_installed_pack(self, result: Any) -> None:
        self._set_busy("")
        self._done = self._total = float(max(self._total, 1))
        self.progressChanged.emit()
        log.info("admin: installed %s %s", result.pack_id, result.version)
        what = "already" if result.already_installed else "installed"
        self._set_message(f"{result.pack_id} {result.version}", "ok", what, "")
        self.refresh()

    def _on_rolled_back(self, result: tuple[str, str, str]) -> None:
        self._set_busy("")
        pack_id, left, now = result
        log.info("admin: rolled %s back from %s to %s", pack_id, left, now)
        self._set_message(f"{pack_id} {now}", "ok", "rolledback", left)
        self.refresh()

    def _on_removed(self, pack_id: str, version: str) -> None:
        self._set_busy("")
        self._set_message(f"{pack_id} {version}", "ok", "removed", "")
        self.refresh()

    def _on_action_error(self, exc: BaseException) -> None:
        kind = error_kind(exc)
        if self._busy == "install":
            self._done = 0.0
            self.progressChanged.emit()
        self._set_busy("")
        log.warning("admin: %s", exc)
        self._set_message(str(exc), "info" if kind == "cancelled" else "error", kind, str(exc))
        self.refresh()

    def _set_busy(self, what: str) -> None:
        if what != self._busy:
            self._busy = what
            self.busyChanged.emit()

    def _set_message(self, text: str, kind: str, error: str, detail: str) -> None:
        self._message, self._message_kind, self._error_kind, self._detail = text, kind, error, detail
        self.messageChanged.emit()
