"""Install, roll back, remove and list packs under `<install_dir>`, each step atomic.

An install never touches the active pack until the very last step:

1. verify the signature over the manifest, then check every archive entry against it (names, link
   and file types, sizes, the `max_unpacked_mb` limit, free disk space) before writing anything;
2. unpack into `<install_dir>/.tmp-<random>/`, streaming each file in 1 MiB blocks while hashing it,
   then fsync it; a size or hash mismatch, a read error (USB stick pulled) or a full disk stops here;
3. validate the unpacked folder with the content loader;
4. rename it to `<install_dir>/<pack_id>/<version>/` and switch `active.json` (see `state`).

Installing a version that is already installed is checked just as strictly: the archive must carry
the same manifest (else "already installed with different content"), and its signature, entries and
every file's size and SHA-256 are verified before anything is switched. If the installed folder
still matches its manifest, it is re-activated as it is (no copy); if it is damaged (a file missing,
changed or added), the archive is unpacked and validated as in steps 2-3 and the good copy takes
the damaged folder's place (one atomic exchange on Linux, two renames elsewhere), then the version
is activated.

Whatever fails, the temporary folder is removed; if the process is killed, `cleanup_stale()` (run by
the kiosk at start-up and by every install) removes it.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Callable

from app.packs.archive import (Progress, byte_progress, check_entries, hash_entries, load_checked, open_archive, read_manifest,
                               read_signature, stream_entry)
from app.packs.errors import InstallError, ManifestError, PackError, PackStateError
from app.packs.fsutil import exchange, fsync_dir
from app.packs.manifest import CHUNK, ID_RE, Manifest
from app.packs.signing import SignerCheck, check_signature, trust_set
from app.packs.state import (STATE_NAME, ActiveWatch, PackEntry, PackHold, State, VersionInfo, active_pack_path,
                             in_use, install_dir_of, install_lock, locked, read_state, write_state)

PACK_MARKER = ".hongtu-pack"  # marks <install_dir>/<pack_id>/ as ours, so cleanup only touches our folders
SPACE_MARGIN = 32 << 20
PAUSE_ENV = "HONGTU_PACK_TEST_PAUSE"  # crash tests: pause (and announce) at the named stage

log = logging.getLogger(__name__)

__all__ = ["install_pack", "rollback", "remove_version", "list_installed", "cleanup_stale", "active_pack_path",
           "ActiveWatch", "PackHold", "InstallResult", "trusted_keys", "install_dir_of"]


def _stage(name: str) -> None:
    """Crash-test hook: when $HONGTU_PACK_TEST_PAUSE names this stage, announce it on stderr and wait to be killed."""
    if os.environ.get(PAUSE_ENV) == name:
        print(f"HONGTU_PACK_STAGE {name}", file=sys.stderr, flush=True)
        time.sleep(600)


def trusted_keys(cfg: Any) -> dict:
    """The trusted publisher keys from `packs.trusted_keys`; relative paths resolve against the config's folder."""
    base = Path(cfg.config_path).parent if getattr(cfg, "config_path", None) else Path.cwd()
    return trust_set(cfg.packs.trusted_keys, base)


def _open_source(path: Path) -> BinaryIO:
    """Open the .hpack for reading (tests replace this to simulate a USB stick pulled mid-copy)."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise PackError(f"{path}: file not found") from None
    except OSError as exc:
        raise InstallError(f"{path}: cannot open ({exc.strerror}); was the USB stick removed?") from None


@dataclass(frozen=True)
class InstallResult:
    pack_id: str
    version: str
    previous: str | None  # the version active before; what rollback returns to
    removed: tuple[str, ...]  # old versions deleted (beyond keep_versions)
    signer: SignerCheck
    path: Path
    already_installed: bool = False  # the same version was on disk, intact, and was re-activated as it is
    repaired: str | None = None  # the same version was on disk but damaged (this says how); reinstalled fresh


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def install_pack(source: Path, cfg: Any, progress: Progress | None = None, trusted: dict | None = None) -> InstallResult:
    """Install the .hpack at `source` and make it the active pack; see the module docstring for the steps.

    `progress(done, total)` is called with unpacked bytes (about once per MiB); an exception raised
    from it (e.g. the admin screen's Cancel) aborts the install cleanly. Raises a PackError subclass
    naming the cause; on any failure the previously active pack stays active and untouched.
    """
    root = install_dir_of(cfg)
    root.mkdir(parents=True, exist_ok=True)
    trusted = trusted_keys(cfg) if trusted is None else trusted
    max_unpacked = cfg.packs.max_unpacked_mb << 20
    with locked(root):
        _cleanup_locked(root)
        state = read_state(root)
        with _open_source(Path(source)) as fobj, open_archive(fobj) as zf:
            manifest = read_manifest(zf)
            signer = check_signature(manifest, read_signature(zf), trusted, cfg.packs.allow_unsigned)
            entries = check_entries(zf, manifest, max_unpacked)
            entry = state.packs.get(manifest.pack_id)
            existing = entry.find(manifest.version) if entry else None
            damage: str | None = None
            if existing is not None and entry is not None:
                if existing.digest != manifest.digest():
                    raise InstallError(f"{manifest.pack_id} version {manifest.version} is already installed with "
                                       "different content; give the new pack a new version number")
                damage = _damage(root / manifest.pack_id / manifest.version, manifest,
                                 (lambda: progress(0, manifest.total_size)) if progress else None)
                if damage is None:
                    return _reactivate(root, state, entry, zf, manifest, entries, existing, signer, progress)
                log.warning("%s %s is installed but damaged (%s); reinstalling it from %s",
                            manifest.pack_id, manifest.version, damage, source)
            free = shutil.disk_usage(root).free
            if free < manifest.total_size + SPACE_MARGIN:
                raise InstallError(f"not enough disk space in {root}: the pack needs {_mb(manifest.total_size)}, "
                                   f"{_mb(free)} free; remove old versions (hongtu pack remove) and try again")
            _stage("checked")
            try:
                tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
            except OSError as exc:
                raise InstallError(f"cannot create a folder in {root} ({exc.strerror or exc})") from None
            try:
                _unpack(zf, manifest, entries, tmp, progress)
                _stage("unpacked")
                _validate_unpacked(tmp, manifest)
                _stage("validated")
                target = _move_into_place(root, tmp, manifest, replace=damage is not None)
            except OSError as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                raise InstallError(f"cannot finish unpacking into {root} ({exc.strerror or exc})") from None
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        _stage("moved")
        if existing is not None and entry is not None:  # a damaged copy was replaced: same version, same manifest
            existing.installed_at, existing.signer = _now(), signer.fingerprint
            previous = _make_active(state, entry, manifest.pack_id, manifest.version)
            write_state(root, state)  # always: the new generation tells a running kiosk to look again
            _stage("switched")
            return InstallResult(manifest.pack_id, manifest.version,
                                 previous if previous != manifest.version else entry.previous, (), signer, target,
                                 repaired=damage)
        if entry is None:
            entry = state.packs.setdefault(manifest.pack_id, PackEntry(active=None))
        previous = entry.active
        if previous is not None:
            entry.history = [v for v in entry.history if v != previous] + [previous]
        entry.active = manifest.version
        entry.versions.append(VersionInfo(manifest.version, _now(), manifest.digest(), manifest.total_size,
                                          len(manifest.files), signer.fingerprint))
        state.current = manifest.pack_id
        doomed = _prune(entry, cfg.packs.keep_versions, root / manifest.pack_id)
        _stage("switching")
        try:
            write_state(root, state)
        except PackStateError:
            _trash(target)
            raise
        _stage("switched")
        for version in doomed:
            _trash(root / manifest.pack_id / version)
        return InstallResult(manifest.pack_id, manifest.version, previous, tuple(doomed), signer, target)


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def _reactivate(root: Path, state: State, entry: PackEntry, zf, manifest: Manifest, entries: dict,
                existing: VersionInfo, signer: SignerCheck, progress: Progress | None) -> InstallResult:
    """The same version is installed and intact: verify the whole archive as an install would, then activate it.

    The caller has checked the signature, the entries and that the manifest is the installed one;
    here every file of the archive is read and hashed, and the installed folder is loaded once more,
    so a tampered archive is refused with the same message a fresh install gives.
    """
    hash_entries(zf, manifest, entries, progress)
    target = root / manifest.pack_id / manifest.version
    _validate_unpacked(target, manifest)
    switch = entry.active != manifest.version or state.current != manifest.pack_id
    previous = _make_active(state, entry, manifest.pack_id, manifest.version)
    if switch:
        write_state(root, state)
    return InstallResult(manifest.pack_id, manifest.version, previous if previous != manifest.version else entry.previous,
                         (), signer, target, already_installed=True)


def _make_active(state: State, entry: PackEntry, pack_id: str, version: str) -> str | None:
    """Make `version` the active one of `pack_id` and the pack shown (in memory); returns the version active before.

    The version left becomes the rollback target (the end of `history`).
    """
    previous = entry.active
    if previous is not None and previous != version:
        entry.history = [v for v in entry.history if v not in (previous, version)] + [previous]
    else:
        entry.history = [v for v in entry.history if v != version]
    entry.active = version
    state.current = pack_id
    return previous


def _damage(folder: Path, manifest: Manifest, tick: Callable[[], None] | None = None) -> str | None:
    """The first difference between an installed version folder and its manifest, as one line; None if identical.

    Finds a missing folder, missing, extra or changed files (size first, then SHA-256), links and
    special files. `tick()` is called for every MiB read (the admin screen's Cancel raises from it).
    """
    if folder.is_symlink():
        return f"{folder}: a symbolic link, not the installed folder"
    if not folder.is_dir():
        return f"{folder}: folder is missing" if not folder.exists() else f"{folder}: not a folder"
    wanted = {f.path: f for f in manifest.files}
    seen: set[str] = set()
    problems: list[str] = []

    def walk_error(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot read ({exc.strerror or exc})")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=walk_error):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            try:
                st = os.lstat(path)
            except OSError as exc:
                return f"{rel}: cannot read ({exc.strerror or exc})"
            if stat.S_ISLNK(st.st_mode):
                return f"{rel}: symbolic link, not in the manifest"
            if stat.S_ISDIR(st.st_mode):
                continue
            mf = wanted.get(rel)
            if mf is None:
                return f"{rel}: extra file not in the manifest"
            if not stat.S_ISREG(st.st_mode):
                return f"{rel}: not a regular file"
            if st.st_size != mf.size:
                return f"{rel}: {st.st_size} bytes, the manifest says {mf.size}"
            seen.add(rel)
    if problems:
        return problems[0]
    missing = [p for p in wanted if p not in seen]
    if missing:
        return f"{missing[0]}: missing" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
    for mf in manifest.files:
        h = hashlib.sha256()
        try:
            with open(folder.joinpath(*mf.path.split("/")), "rb") as f:
                while block := f.read(CHUNK):
                    h.update(block)
                    if tick:
                        tick()
        except OSError as exc:
            return f"{mf.path}: cannot read ({exc.strerror or exc})"
        if h.hexdigest() != mf.sha256:
            return f"{mf.path}: SHA-256 differs from the manifest (file changed or damaged)"
    return None


def _unpack(zf, manifest: Manifest, entries: dict, tmp: Path, progress: Progress | None) -> None:
    tick = byte_progress(progress, manifest.total_size)
    folders = {tmp}
    real_tmp = os.path.realpath(tmp)
    for i, mf in enumerate(manifest.files):
        dest = tmp.joinpath(*mf.path.split("/"))
        if os.path.commonpath([real_tmp, os.path.realpath(dest)]) != real_tmp:  # belt and braces: names were checked
            raise InstallError(f"pack/{mf.path}: resolves outside the install folder")
        try:
            if dest.parent not in folders:
                dest.parent.mkdir(parents=True, exist_ok=True)
                folders.update([dest.parent, *dest.parent.parents])
            with open(dest, "xb") as out:
                stream_entry(zf, entries[mf.path], mf, out, tick)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise InstallError(f"disk full while unpacking pack/{mf.path} into {tmp.parent}; free some space "
                                   "(old versions: hongtu pack remove) and try again") from None
            raise InstallError(f"cannot write {dest} ({exc.strerror or exc})") from None
        if i == 0:
            _stage("unpacking")
    for folder in sorted((f for f in folders if f == tmp or tmp in f.parents), key=lambda p: -len(p.parts)):
        fsync_dir(folder)


def _validate_unpacked(tmp: Path, manifest: Manifest) -> None:
    info = load_checked(tmp, "the unpacked pack").info
    if (info.id, info.version) != (manifest.pack_id, manifest.version):
        raise ManifestError(f"manifest.json says {manifest.pack_id} {manifest.version} but the pack itself is "
                            f"{info.id} {info.version}")


def _move_into_place(root: Path, tmp: Path, manifest: Manifest, replace: bool = False) -> Path:
    """Rename `tmp` to `<root>/<pack_id>/<version>`.

    A folder already there is either an orphan of a killed install (not named by the pointer), or,
    with `replace`, the damaged copy of an installed version: it is renamed away first and deleted
    after, and the running kiosk's hold on that version (`.in-use-<version>`) is kept.
    """
    pack_dir = root / manifest.pack_id
    if not pack_dir.is_dir():
        pack_dir.mkdir()
        fsync_dir(root)
    (pack_dir / PACK_MARKER).touch()
    target = pack_dir / manifest.version
    if replace and (target.exists() or target.is_symlink()):
        if exchange(tmp, target):  # one atomic step: the pointer never names a missing folder
            damaged = tmp  # a .tmp- folder now: cleanup_stale finishes it if we are killed
            _stage("replacing")
        else:  # two renames; a kill between them leaves the version folder missing until it is reinstalled
            damaged = root / f".trash-{secrets.token_hex(6)}"
            os.rename(target, damaged)
            _stage("replacing")
            try:
                os.rename(tmp, target)
            except OSError:
                os.rename(damaged, target)  # put the damaged copy back rather than leave nothing
                raise
        fsync_dir(pack_dir)
        fsync_dir(root)
        if damaged.is_dir() and not damaged.is_symlink():
            shutil.rmtree(damaged, ignore_errors=True)
        else:
            damaged.unlink(missing_ok=True)
        return target
    if target.exists():  # an orphan of a killed install; not named by the pointer (checked by the caller)
        _trash(target)
    os.rename(tmp, target)
    fsync_dir(pack_dir)
    fsync_dir(root)
    return target


def _prune(entry: PackEntry, keep: int, pack_dir: Path) -> list[str]:
    """Drop versions beyond `keep` (the active one and the most recent previous ones stay); returns them.

    A version a running kiosk still shows (PackHold) is spared until a later install.
    """
    keep_set = [entry.active] + list(reversed(entry.history))[: max(keep - 1, 0)]
    doomed = [v.version for v in entry.versions if v.version not in keep_set and not in_use(pack_dir / v.version)]
    entry.versions = [v for v in entry.versions if v.version not in doomed]
    entry.history = [v for v in entry.history if v not in doomed]
    return doomed


def _trash(path: Path) -> None:
    """Delete a folder so that no half-deleted folder is ever left under its real name."""
    if not path.exists():
        return
    trash = path.parent.parent / f".trash-{secrets.token_hex(6)}"  # <install_dir>/.trash-*: cleanup_stale finishes it
    try:
        os.rename(path, trash)
    except OSError:
        trash = path
    shutil.rmtree(trash, ignore_errors=True)
    (path.parent / f".in-use-{path.name}").unlink(missing_ok=True)


def rollback(cfg: Any, pack_id: str | None = None, to: str | None = None) -> tuple[str, str, str]:
    """Switch `pack_id` (default: the current pack) to its previously active version, or to `to`.

    The version left becomes the previous one, so a second rollback switches back again (a toggle
    between the last two active versions); `to` reaches any other installed version. Returns (pack
    id, version left, version now active). One atomic pointer switch; nothing is deleted.
    """
    root = install_dir_of(cfg)
    with locked(root):
        state = read_state(root)
        pack_id = pack_id or state.current
        if pack_id is None:
            raise InstallError("no pack is installed; nothing to roll back")
        entry = state.packs.get(pack_id)
        if entry is None or entry.active is None:
            raise InstallError(f"pack {pack_id!r} is not installed (installed: {', '.join(state.packs) or 'none'})")
        if to is None:
            if not entry.history:
                others = [v.version for v in entry.versions if v.version != entry.active]
                raise InstallError(f"{pack_id} {entry.active}: no earlier version to roll back to"
                                   + (f" (also installed: {', '.join(others)}; use --to VERSION)" if others else ""))
            to = entry.history[-1]
        if entry.find(to) is None:
            raise InstallError(f"{pack_id} has no installed version {to!r} (installed: "
                               f"{', '.join(v.version for v in entry.versions)})")
        if not (root / pack_id / to).is_dir():
            raise InstallError(f"{root / pack_id / to}: folder is missing; cannot roll back to it")
        left = entry.active
        if to == left and state.current == pack_id:
            raise InstallError(f"{pack_id} {to} is already active")
        _make_active(state, entry, pack_id, to)
        write_state(root, state)
        return pack_id, left, to


def remove_version(cfg: Any, pack_id: str, version: str) -> Path:
    """Delete an installed version that is not active. Returns the deleted folder."""
    root = install_dir_of(cfg)
    with locked(root):
        state = read_state(root)
        entry = state.packs.get(pack_id)
        if entry is None or entry.find(version) is None:
            raise InstallError(f"{pack_id} {version} is not installed")
        if entry.active == version:
            raise InstallError(f"{pack_id} {version} is the active version; roll back or install another first")
        if in_use(root / pack_id / version):
            raise InstallError(f"{pack_id} {version} is still shown by the running kiosk; try again when it has "
                               "returned to the home screen")
        entry.versions = [v for v in entry.versions if v.version != version]
        entry.history = [v for v in entry.history if v != version]
        if not entry.versions:
            del state.packs[pack_id]
        write_state(root, state)
        path = root / pack_id / version
        _trash(path)
        return path


@dataclass(frozen=True)
class InstalledRow:
    pack_id: str
    version: str
    active: bool  # the version of this pack in use
    current: bool  # the pack the kiosk shows (and this is its active version)
    previous: bool  # what `rollback` returns to
    info: VersionInfo


def list_installed(cfg: Any) -> list[InstalledRow]:
    """Every installed version, grouped by pack, oldest first."""
    state = read_state(install_dir_of(cfg))
    rows = []
    for pid, entry in sorted(state.packs.items()):
        for v in entry.versions:
            rows.append(InstalledRow(pid, v.version, v.version == entry.active,
                                     pid == state.current and v.version == entry.active,
                                     v.version == entry.previous, v))
    return rows


def cleanup_stale(cfg: Any) -> list[Path]:
    """Remove what an interrupted install left behind; returns the removed paths.

    Call at kiosk start-up. Skips (returns []) if another process is installing right now.
    """
    root = install_dir_of(cfg)
    if not root.is_dir():
        return []
    with install_lock(root) as got:
        return _cleanup_locked(root) if got else []


def _cleanup_locked(root: Path) -> list[Path]:
    removed: list[Path] = []
    try:
        state = read_state(root)
    except PackError:
        state = None  # never guess at orphans when the pointer is unreadable
    for p in root.iterdir():
        if p.name.startswith((".tmp-", ".trash-")) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.name.startswith(f".{STATE_NAME}.tmp-") and p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p)
        elif state is not None and p.is_dir() and not p.is_symlink() and ID_RE.match(p.name) \
                and (p / PACK_MARKER).is_file():
            entry = state.packs.get(p.name)
            known = {v.version for v in entry.versions} if entry else set()
            for child in p.iterdir():
                if child.is_dir() and not child.is_symlink() and child.name not in known:
                    _trash(child)  # an install killed after the rename, before the pointer switch
                    removed.append(child)
    return removed
