"""Which pack versions are installed and which one is active: `<install_dir>/active.json`.

Why a pointer file rather than a row in SQLite: the switch must be one atomic step that the
kiosk can read even before (or without) the database, and a file written to a temporary name,
fsynced and `os.replace`d over the old one is atomic on Linux and Windows. A crash leaves the old
pointer or the new one. Version folders are moved into place *before* the pointer names them and
are deleted only *after* it stops naming them, so the pointer never names a half-written folder.

Layout::

    <install_dir>/active.json             the pointer (this module)
    <install_dir>/<pack_id>/<version>/    an installed pack folder (what load_pack() reads)
    <install_dir>/<pack_id>/.in-use-<v>   shared-locked by the kiosk showing <v> (PackHold)
    <install_dir>/.tmp-<random>/          an install in progress (removed by cleanup_stale)
    <install_dir>/.trash-<random>/        a version being deleted (removed by cleanup_stale)
    <install_dir>/.lock                   held while installing, rolling back or cleaning up

`generation` grows by one on every change, so the running kiosk notices a new active pack by
polling `ActiveWatch.changed()` between visitor sessions.
"""
from __future__ import annotations

import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from app.packs.errors import InstallError, PackStateError
from app.packs.fsutil import atomic_write_json

log = logging.getLogger(__name__)

STATE_NAME = "active.json"
STATE_FORMAT = 1


def install_dir_of(cfg: Any) -> Path:
    """`packs.install_dir`, else `<data_dir>/packs`."""
    return Path(cfg.packs.install_dir) if cfg.packs.install_dir else Path(cfg.data_dir) / "packs"


@dataclass
class VersionInfo:
    version: str
    installed_at: str
    digest: str  # SHA-256 of the canonical manifest
    size: int
    files: int
    signer: str | None  # key fingerprint; None = unsigned

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PackEntry:
    active: str | None
    versions: list[VersionInfo] = field(default_factory=list)  # install order, oldest first
    # versions active before, least recently active first; the last one is what `rollback` returns to,
    # and a rollback appends the version it leaves (so a second rollback switches back)
    history: list[str] = field(default_factory=list)

    def find(self, version: str) -> VersionInfo | None:
        return next((v for v in self.versions if v.version == version), None)

    @property
    def previous(self) -> str | None:
        """The version `rollback` returns to: the one active before the active one."""
        return self.history[-1] if self.history else None


@dataclass
class State:
    generation: int = 0
    current: str | None = None  # pack id the kiosk shows
    packs: dict[str, PackEntry] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "generation": self.generation,
            "current": self.current,
            "packs": {pid: {"active": e.active, "history": e.history, "versions": [v.to_dict() for v in e.versions]}
                      for pid, e in sorted(self.packs.items())},
        }


def read_state(install_dir: Path) -> State:
    """The pointer's content; an empty State when nothing was ever installed."""
    path = install_dir / STATE_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return State()
    except OSError as exc:
        raise PackStateError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != STATE_FORMAT:
            raise ValueError(f"format {raw.get('format')!r} not supported")
        packs = {
            pid: PackEntry(e["active"], [VersionInfo(**v) for v in e["versions"]], list(e["history"]))
            for pid, e in raw["packs"].items()
        }
        return State(int(raw["generation"]), raw["current"], packs)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PackStateError(f"{path}: damaged ({exc})") from None


def write_state(install_dir: Path, state: State) -> None:
    """Bump the generation and replace the pointer atomically."""
    try:
        atomic_write_json(install_dir / STATE_NAME, {**state.to_dict(), "generation": state.generation + 1}, mode=0o644)
    except OSError as exc:
        raise PackStateError(f"cannot write {install_dir / STATE_NAME} ({exc.strerror or exc}); nothing was switched") from None
    state.generation += 1


@contextmanager
def install_lock(install_dir: Path, wait: bool = False) -> Iterator[bool]:
    """Hold `<install_dir>/.lock`; yields False (without holding it) if another process has it and not `wait`.

    The operating system releases the lock when the holder dies, even by `kill -9`.
    """
    install_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(install_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    got = False
    try:
        if os.name == "nt":
            import msvcrt

            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
                got = True
            except OSError:
                got = False
        else:
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                got = True
            except BlockingIOError:
                got = False
        yield got
    finally:
        if got and os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)


@contextmanager
def locked(install_dir: Path) -> Iterator[None]:
    """`install_lock` that raises InstallError when another install or rollback is running."""
    with install_lock(install_dir) as got:
        if not got:
            raise InstallError(f"{install_dir}: another pack install, rollback or removal is running; try again when it ends")
        yield


def active_pack_path(cfg: Any) -> Path | None:
    """Folder of the active installed pack, or None when none is installed (or its folder is gone).

    A damaged pointer is logged and treated as "none installed", so the kiosk still starts (with the
    bundled pack) instead of failing in front of visitors.
    """
    root = install_dir_of(cfg)
    try:
        state = read_state(root)
    except PackStateError as exc:
        log.error("%s", exc)
        return None
    if state.current is None:
        return None
    entry = state.packs.get(state.current)
    if entry is None or entry.active is None:
        return None
    path = root / state.current / entry.active
    return path if path.is_dir() else None


class ActiveWatch:
    """Cheap change detection for the running kiosk: call `changed()` between visitor sessions.

    It stats the pointer file and reads it only when the stat changed; True when the generation
    differs from the one seen last (the first call just records it and returns False).
    """

    def __init__(self, cfg: Any) -> None:
        self._path = install_dir_of(cfg) / STATE_NAME
        self._dir = install_dir_of(cfg)
        self._stat: tuple[int, int, int] | None = None
        self.generation = self._read_generation()
        self._stat = self._stat_key()

    def _stat_key(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_generation(self) -> int:
        try:
            return read_state(self._dir).generation
        except PackStateError:
            return -1

    def changed(self) -> bool:
        key = self._stat_key()
        if key == self._stat:
            return False
        self._stat = key
        gen = self._read_generation()
        if gen == self.generation:
            return False
        self.generation = gen
        return True


def _in_use_file(version_dir: Path) -> Path:
    return version_dir.parent / f".in-use-{version_dir.name}"


class PackHold:
    """The running kiosk's claim on the pack folder it shows: pruning and `remove` leave that folder alone.

    The kiosk calls `hold(path)` whenever it (re)loads a pack; holding another path releases the old
    one. It takes a shared lock on `<install_dir>/<pack_id>/.in-use-<version>`, which the operating
    system drops if the kiosk dies. Folders outside the install dir (the bundled sample) are ignored.
    On Windows (no shared file locks) this is a no-op.
    """

    def __init__(self) -> None:
        self._fd: int | None = None
        self.path: Path | None = None

    def hold(self, pack_dir: Path | None) -> None:
        self.release()
        if pack_dir is None or os.name == "nt" or not (pack_dir.parent / ".hongtu-pack").is_file():
            return
        import fcntl

        fd = os.open(_in_use_file(pack_dir), os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        self._fd, self.path = fd, pack_dir

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
        self._fd, self.path = None, None


def in_use(version_dir: Path) -> bool:
    """True while a running kiosk holds `version_dir` (see PackHold)."""
    if os.name == "nt":
        return False
    import fcntl

    try:
        fd = os.open(_in_use_file(version_dir), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
