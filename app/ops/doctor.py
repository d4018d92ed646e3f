"""`hongtu doctor`: plain-words health checks for hall staff and support.

Each check returns a `Check` with a status: ok, warn (works but needs attention) or fail (a visitor
would notice). The command exits non-zero when any check fails.

The words are English (the CLI's language). Each `Check` also carries a stable `key`, and its
detail as a template from `DETAILS` (with %1, %2 placeholders) plus its arguments, so the admin
System status screen shows the name and the detail through the UI's translation tables
(app/ui/i18n/doctor.py). Doctor only reads: it creates no folder or file in the data folder.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Literal, Sequence

from app import fonts
from app.config import KioskConfig
from app.ops.dbrecovery import DatabaseUnavailable, check_integrity

Status = Literal["ok", "warn", "fail"]
MIN_FREE_MB = 500
KIOSK_UNITS = ("hongtu-kiosk.service", "hongtu-kiosk-x11.service")
LOCK_NAME = "kiosk.lock"  # app.ops.instance.InstanceLock on <data_dir>/kiosk.lock (see app/ui/kiosk.py)
SERVICE_RUNTIME_DIR = Path("/run/hongtu")  # XDG_RUNTIME_DIR of hongtu-kiosk.service (cage's Wayland socket)

# Check key → name shown to people (English; the UI translates it).
NAMES: dict[str, str] = {
    "display": "display",
    "fonts": "Chinese fonts",
    "audio": "audio output",
    "voices": "speech voices",
    "camera": "camera",
    "pack": "content pack",
    "disk": "disk space",
    "database": "database",
    "clock": "clock",
    "hub": "hub",
}

NO_AUDIO = "no audio output: narration will be silent; captions still show (videos play without sound)"

# Detail id → English template; %1, %2 … are the arguments (paths, numbers, causes).
DETAILS: dict[str, str] = {
    "display.kiosk": "the kiosk is showing (pid %1)",
    "display.offscreen": "Qt is set to draw off screen (QT_QPA_PLATFORM=offscreen): nothing is shown",
    "display.env": "screen available (%1)",
    "display.windows": "screen available (Windows desktop)",
    "display.socket": "a screen is running (%1); the kiosk is not running",
    "display.none": "no screen: the kiosk is not running and there is no Wayland or X display "
                    "(is cage or X running? see `systemctl status hongtu-kiosk`)",
    "display.hidden": "no screen found, but %1 could not be looked into (permission denied): "
                      "run `hongtu doctor` as root or as the hongtu user",
    "fonts.ui_built": "UI fonts built: %1 files, %2 MB; other characters from %3",
    "fonts.ui_missing": "UI fonts not built in %1: the kiosk uses the full fonts (%2) and more memory; "
                        "run `hongtu fonts build`",
    "fonts.ui_only": "only the UI fonts (%1 files, %2 MB) have Chinese characters: rare characters show as "
                     "boxes; install fonts-noto-cjk",
    "fonts.none": "no font with Chinese characters: install fonts-noto-cjk",
    "audio.windows": "Windows audio",
    "audio.pulse": "%1 PulseAudio/PipeWire output(s)",
    "audio.alsa": "ALSA sound card present",
    "audio.none": NO_AUDIO,
    "voices.off": "narration switched off in the config",
    "voices.ok": "voices: %1",
    "voices.missing": "not available: %1",
    "camera.off": "visitor counting is off",
    "camera.ok": "%1 delivers frames",
    "camera.no_frames": "%1: no frames from the camera; counts pause until it returns",
    "camera.no_video": "%1: no frames from the video; counts pause until it returns",
    "camera.timeout": "%1: the camera did not answer within %2 s; counts pause until it returns",
    "pack.problems": "%1: %2 problem(s), first: %3",
    "pack.plain": "%1 (bundled or configured folder) loads cleanly",
    "pack.unsigned": "%1 is installed unsigned",
    "pack.untrusted": "%1 is signed by %2, which is no longer in packs.trusted_keys",
    "pack.signed": "%1, signed by trusted key %2",
    "disk.low": "only %1 MB free in %2",
    "disk.warn": "%1 MB free in %2: old visit logs will be pruned",
    "disk.ok": "%1 MB free in %2",
    "disk.missing": "%1 does not exist yet (the kiosk creates it at first start); %2 MB free there",
    "disk.unusable": "%1 does not exist and cannot be created (%2)",
    "database.none": "%1 not created yet (made at first start)",
    "database.damaged": "%1 is damaged (%2); the kiosk will move it aside at start",
    "database.ok": "%1 passes its integrity check",
    "database.unchecked": "the database could not be checked: %1",
    "clock.wrong": "the clock says %1: visit logs would carry wrong dates",
    "clock.ok": "%1 UTC",
    "hub.none": "no hub configured: visit logs travel by USB stick",
    "hub.ok": "%1 answers (%2)",
    "hub.http": "%1 answers %2: logs wait on the terminal",
    "hub.unreachable": "%1 not reachable (%2): logs wait on the terminal",
    "check.crashed": "the check itself failed: %1",
}

_PLACEHOLDER = re.compile(r"%(\d)")


def fill(template: str, args: Sequence[str]) -> str:
    """`template` with %1, %2 … replaced by `args` (the same rule as the QML side)."""
    return _PLACEHOLDER.sub(lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(args) else m.group(0),
                            template)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    key: str = ""  # stable id of the check (NAMES)
    template: str = ""  # the detail's English template (DETAILS), for translation
    args: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "name": self.name, "status": self.status, "detail": self.detail,
                "template": self.template, "args": list(self.args)}


def _c(key: str, status: Status, detail_id: str, *args: object) -> Check:
    template = DETAILS[detail_id]
    strs = tuple(str(a) for a in args)
    return Check(NAMES[key], status, fill(template, strs), key, template, strs)


# -- display ----------------------------------------------------------------------------------
def kiosk_lock_holder(data_dir: Path) -> str | None:
    """The pid (as written, or "unknown") of the live kiosk holding `<data_dir>/kiosk.lock`, or None
    when no kiosk holds it. Only opens the file for reading: nothing is created."""
    from app.ops.instance import _lock  # the kiosk's own locking call (flock / msvcrt)

    path = Path(data_dir) / LOCK_NAME
    try:
        f = open(path, encoding="ascii", errors="replace")
    except OSError:
        return None
    with f:
        try:
            _lock(f)
        except OSError:  # held by a live process (the OS drops it at any exit)
            f.seek(0)
            return f.read().strip() or "unknown"
    return None  # we got it, so nobody holds it; closing the file released it


def kiosk_service_pid(systemctl: str | None) -> str | None:
    """The main pid of an active hongtu-kiosk unit (systemd), or None."""
    if not systemctl:
        return None
    try:
        r = subprocess.run([systemctl, "show", "-p", "ActiveState", "-p", "MainPID", *KIOSK_UNITS],
                           capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for block in r.stdout.split("\n\n"):
        props = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        if props.get("ActiveState") == "active":
            pid = props.get("MainPID", "0")
            return pid if pid not in ("", "0") else "unknown"
    return None


def _display_sockets(runtime_dirs: Sequence[Path], x11_dir: Path) -> tuple[list[Path], list[Path]]:
    """(Wayland or X sockets found, folders this account may not look into)."""
    found: list[Path] = []
    hidden: list[Path] = []
    candidates: list[tuple[Path, str]] = [(d, "wayland-*") for d in runtime_dirs] + [(x11_dir, "X*")]
    for folder, pattern in candidates:
        try:
            entries = sorted(folder.glob(pattern)) if os.access(folder, os.R_OK | os.X_OK) else None
        except OSError:
            entries = None
        if entries is None:
            if folder.exists():
                hidden.append(folder)
            continue
        for p in entries:
            try:
                if stat.S_ISSOCK(p.stat().st_mode):
                    found.append(p)
            except OSError:
                continue
    return found, hidden


def default_runtime_dirs(env: dict[str, str]) -> list[Path]:
    """Where a Wayland compositor puts its socket: the service's runtime folder, every user's, ours."""
    dirs = [SERVICE_RUNTIME_DIR]
    try:
        dirs += sorted(p for p in Path("/run/user").iterdir() if p.is_dir())
    except OSError:
        pass
    if env.get("XDG_RUNTIME_DIR"):
        dirs.append(Path(env["XDG_RUNTIME_DIR"]))
    return list(dict.fromkeys(dirs))


def check_display(env: dict[str, str] | None = None, data_dir: Path | None = None, systemctl: str | None = "",
                  runtime_dirs: Sequence[Path] | None = None, x11_dir: Path = Path("/tmp/.X11-unix")) -> Check:
    """Is there a screen? A running kiosk is the best answer (its lock in `data_dir`, or an active
    hongtu-kiosk unit); else a Wayland or X display socket; DISPLAY/WAYLAND_DISPLAY are often unset in
    a support shell (ssh, runuser), so they are not required. `systemctl` (default: found on PATH),
    `runtime_dirs` and `x11_dir` are parameters for tests."""
    env = dict(os.environ) if env is None else env
    pid = kiosk_lock_holder(data_dir) if data_dir is not None else None
    if pid is None:
        pid = kiosk_service_pid(shutil.which("systemctl") if systemctl == "" else systemctl)
    inside_kiosk = pid == str(os.getpid())
    if pid is not None and not (inside_kiosk and env.get("QT_QPA_PLATFORM") == "offscreen"):
        return _c("display", "ok", "display.kiosk", pid)
    if env.get("QT_QPA_PLATFORM") == "offscreen":
        return _c("display", "warn", "display.offscreen")
    if env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"):
        return _c("display", "ok", "display.env", env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"))
    if sys.platform == "win32":
        return _c("display", "ok", "display.windows")
    found, hidden = _display_sockets(default_runtime_dirs(env) if runtime_dirs is None else runtime_dirs, x11_dir)
    if found:
        return _c("display", "ok", "display.socket", ", ".join(str(p) for p in found[:2]))
    if hidden:
        return _c("display", "fail", "display.hidden", ", ".join(str(p) for p in hidden))
    return _c("display", "fail", "display.none")


# -- fonts, audio -----------------------------------------------------------------------------
def full_chinese_fonts(env: dict[str, str] | None = None, fc_list: str | None = "") -> str | None:
    """Where the full Chinese fonts come from: the bundled folder ($HONGTU_FONT_DIR) or the first
    installed families with Chinese (fontconfig); None when there are none."""
    env = dict(os.environ) if env is None else env
    bundled = env.get("HONGTU_FONT_DIR")
    if bundled and any(Path(bundled).glob("*.tt[cf]")):
        return bundled
    fc_list = shutil.which("fc-list") if fc_list == "" else fc_list
    if fc_list:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
        families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
        if families:
            return ", ".join(families[:3])
    return None


def check_fonts(env: dict[str, str] | None = None, fc_list: str | None = "", ui_dir: Path | None = None) -> Check:
    """Chinese fonts: the full Noto CJK (installed or bundled) and the cut-down UI fonts (app/fonts.py)
    the kiosk draws with. No Chinese font at all fails; UI fonts not built is a warning (the kiosk
    then uses the full fonts, which costs more memory). `fc_list` (default: found on PATH) and
    `ui_dir` (default: app.fonts.font_dir()) are parameters for tests."""
    full = full_chinese_fonts(env, fc_list)
    ui_dir = fonts.font_dir() if ui_dir is None else ui_dir
    ui = fonts.installed(ui_dir)
    mb = f"{sum(p.stat().st_size for p in ui) / 1e6:.1f}"
    if full is None:
        return _c("fonts", "warn", "fonts.ui_only", len(ui), mb) if ui else _c("fonts", "fail", "fonts.none")
    if ui:
        return _c("fonts", "ok", "fonts.ui_built", len(ui), mb, full)
    return _c("fonts", "warn", "fonts.ui_missing", ui_dir, full)


def check_audio(pactl: str | None = "", cards: Path = Path("/proc/asound/cards")) -> Check:
    """An audio output for narration and video sound. Without one the kiosk runs silent: the
    narration bar shows captions on a clock and says sound is unavailable (a warning, not a failure).
    `pactl` (default: found on PATH) and `cards` are parameters for tests."""
    if sys.platform == "win32":
        return _c("audio", "ok", "audio.windows")
    pactl = shutil.which("pactl") if pactl == "" else pactl
    if pactl:
        try:
            r = subprocess.run([pactl, "list", "short", "sinks"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            r = None
        # 'auto_null' is PulseAudio's stand-in when there is no hardware: it plays to nobody
        sinks = [line for line in (r.stdout.splitlines() if r is not None and r.returncode == 0 else [])
                 if line.strip() and "auto_null" not in line]
        if sinks:
            return _c("audio", "ok", "audio.pulse", len(sinks))
    try:
        listed = cards.read_text(errors="replace")
    except OSError:
        listed = ""
    if listed.strip() and "no soundcards" not in listed:
        return _c("audio", "ok", "audio.alsa")
    return _c("audio", "warn", "audio.none")


# -- disk, database, clock, hub ---------------------------------------------------------------
def _existing_ancestor(path: Path) -> Path | None:
    for p in (path, *path.parents):
        if p.exists():
            return p
    return None


def check_disk(data_dir: Path) -> Check:
    """Free space where the data folder is (or will be); never creates the folder."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        base = _existing_ancestor(data_dir.absolute())
        if base is None or not base.is_dir():
            return _c("disk", "fail", "disk.unusable", data_dir, f"{base} is not a folder" if base else "no such disk")
        if not os.access(base, os.W_OK | os.X_OK):
            return _c("disk", "fail", "disk.unusable", data_dir, f"{base} is not writable")
        free_mb = shutil.disk_usage(base).free // (1024 * 1024)
        if free_mb < MIN_FREE_MB // 5:
            return _c("disk", "fail", "disk.low", free_mb, base)
        return _c("disk", "warn", "disk.missing", data_dir, f"{free_mb:,}")
    free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    if free_mb < MIN_FREE_MB // 5:
        return _c("disk", "fail", "disk.low", free_mb, data_dir)
    if free_mb < MIN_FREE_MB:
        return _c("disk", "warn", "disk.warn", free_mb, data_dir)
    return _c("disk", "ok", "disk.ok", f"{free_mb:,}", data_dir)


def check_database(db_path: Path) -> Check:
    if not db_path.exists():
        return _c("database", "ok", "database.none", db_path)
    try:
        problem = check_integrity(db_path)  # the full PRAGMA integrity_check
    except DatabaseUnavailable as exc:  # locked, unreadable: not known to be damaged
        return _c("database", "warn", "database.unchecked", exc)
    if problem:
        return _c("database", "fail", "database.damaged", db_path, problem)
    return _c("database", "ok", "database.ok", db_path)


def check_clock(now: datetime | None = None) -> Check:
    now = now or datetime.now(timezone.utc)
    if now.year < 2025:
        return _c("clock", "fail", "clock.wrong", f"{now:%Y-%m-%d}")
    return _c("clock", "ok", "clock.ok", f"{now:%Y-%m-%d %H:%M}")


def check_hub(hub_url: str, timeout_s: float = 5.0) -> Check:
    if not hub_url:
        return _c("hub", "ok", "hub.none")
    url = hub_url.rstrip("/") + "/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:  # noqa: S310 (configured URL)
            return _c("hub", "ok", "hub.ok", hub_url, r.status)
    except urllib.error.HTTPError as exc:
        return _c("hub", "warn", "hub.http", hub_url, exc.code)
    except (urllib.error.URLError, socket.timeout, OSError) as exc:
        return _c("hub", "warn", "hub.unreachable", hub_url, getattr(exc, "reason", exc))


# -- voices, camera, pack ---------------------------------------------------------------------
def check_voices(cfg: KioskConfig) -> Check:
    """A TTS voice for every interface language (recorded narration in packs plays regardless)."""
    if not cfg.narration.enabled:
        return _c("voices", "ok", "voices.off")
    from app.narration.service import NarrationService

    cache_dir = Path(cfg.narration.cache_dir or (cfg.data_dir / "narration-cache"))
    with tempfile.TemporaryDirectory(prefix="hongtu-doctor-") as scratch:
        # the cache remembers the engine's voices; when it does not exist yet, a scratch folder
        # stands in so that doctor creates nothing in the data folder
        service = NarrationService(cfg, cache_dir=cache_dir if cache_dir.is_dir() else Path(scratch))
        try:
            found = {lang: service.available(lang) for lang in cfg.languages}
            voices = {lang: service.voice_for(lang).name for lang, a in found.items() if a.ok}
        finally:
            service.close()
    missing = {lang: a.reason for lang, a in found.items() if not a.ok}
    if not missing:
        return _c("voices", "ok", "voices.ok", ", ".join(f"{lang}: {name}" for lang, name in voices.items()))
    status: Status = "fail" if len(missing) == len(found) else "warn"
    return _c("voices", status, "voices.missing", "; ".join(f"{lang}: {why}" for lang, why in missing.items()))


_quiet_lock = threading.Lock()
_quiet = {"probes": 0, "before": None}  # OpenCV's log level is process-wide: restored by the last probe


def _opencv_quiet(cv2: object, on: bool) -> None:
    """Silence OpenCV's own log lines ([ WARN:0@…] cap_v4l…) while camera probes run."""
    api = getattr(getattr(cv2, "utils", None), "logging", None)
    if api is None:
        return
    with _quiet_lock:
        if on:
            if _quiet["probes"] == 0:
                _quiet["before"] = api.getLogLevel()
                api.setLogLevel(api.LOG_LEVEL_SILENT)
            _quiet["probes"] += 1
        else:
            _quiet["probes"] -= 1
            if _quiet["probes"] == 0 and _quiet["before"] is not None:
                api.setLogLevel(_quiet["before"])


def _probe_camera(source: int | str, network: bool, timeout_s: float) -> bool:
    """Open the source and read one frame, with OpenCV's own log lines silenced meanwhile."""
    import cv2

    _opencv_quiet(cv2, True)
    try:
        params: list[int] = []
        if network and hasattr(cv2, "CAP_PROP_OPEN_TIMEOUT_MSEC"):
            ms = max(1, int(timeout_s * 1000))
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
        cap = cv2.VideoCapture(source, cv2.CAP_ANY, params) if params else cv2.VideoCapture(source)
        try:
            return bool(cap.isOpened() and cap.read()[0])
        finally:
            cap.release()
    finally:
        _opencv_quiet(cv2, False)


def check_camera(cfg: KioskConfig, timeout_s: float = 5.0) -> Check:
    """One frame from the configured camera or video within `timeout_s`. The capture opens on a
    worker thread: a camera that never answers (an RTSP address with nobody there) gives a warning
    after `timeout_s` instead of stalling doctor or the admin status screen."""
    if not cfg.vision.enabled:
        return _c("camera", "ok", "camera.off")
    from app.vision.sources import describe, is_live_spec

    spec = cfg.vision.source
    source: int | str = int(spec) if spec.isdigit() else spec
    network = "://" in spec
    result: dict[str, object] = {}

    def probe() -> None:
        try:
            result["ok"] = _probe_camera(source, network, timeout_s)
        except Exception as exc:  # noqa: BLE001  (reported below)
            result["error"] = exc

    worker = threading.Thread(target=probe, name="doctor-camera", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        return _c("camera", "warn", "camera.timeout", describe(spec), f"{timeout_s:g}")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    if result.get("ok"):
        return _c("camera", "ok", "camera.ok", describe(spec))
    return _c("camera", "warn", "camera.no_frames" if is_live_spec(spec) else "camera.no_video", describe(spec))


def check_pack(cfg: KioskConfig) -> Check:
    """The pack visitors see loads cleanly, and an installed pack's signer is still trusted."""
    from app.content.loader import validate_pack
    from app.packs.install import list_installed, trusted_keys

    path = cfg.active_pack_path()
    problems = validate_pack(path)
    if problems:
        return _c("pack", "fail", "pack.problems", path, len(problems), problems[0])
    current = next((r for r in list_installed(cfg) if r.current), None)
    if current is None:
        return _c("pack", "ok", "pack.plain", path.name)
    signer = current.info.signer
    label = f"{current.pack_id} {current.version}"
    if signer is None:
        return _c("pack", "ok" if cfg.packs.allow_unsigned else "warn", "pack.unsigned", label)
    if signer not in trusted_keys(cfg):
        return _c("pack", "warn", "pack.untrusted", label, signer)
    return _c("pack", "ok", "pack.signed", label, signer)


def _guarded(key: str, fn: Callable[[], Check]) -> Check:
    """Run one check; an unexpected error becomes a FAIL line naming the check and the cause."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001  (a broken check must not hide the others)
        cause = str(exc).splitlines()[0] if str(exc) else ""
        return _c(key, "fail", "check.crashed", f"{type(exc).__name__}: {cause}" if cause else type(exc).__name__)


def run_checks(cfg: KioskConfig) -> list[Check]:
    """Every check in order; never raises."""
    steps: list[tuple[str, Callable[[], Check]]] = [
        ("display", lambda: check_display(data_dir=cfg.data_dir)),
        ("fonts", check_fonts),
        ("audio", check_audio),
        ("voices", lambda: check_voices(cfg)),
        ("camera", lambda: check_camera(cfg)),
        ("pack", lambda: check_pack(cfg)),
        ("disk", lambda: check_disk(cfg.data_dir)),
        ("database", lambda: check_database(cfg.db_path)),
        ("clock", check_clock),
        ("hub", lambda: check_hub(cfg.sync.hub_url, cfg.sync.timeout_s)),
    ]
    return [_guarded(key, fn) for key, fn in steps]
