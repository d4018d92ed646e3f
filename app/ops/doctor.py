"""`hongtu doctor`: plain-words health checks for hall staff and support.

Each check returns a `Check` with a status: ok, warn (works but needs attention) or fail (a visitor
would notice). The command exits non-zero when any check fails.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from app.config import KioskConfig
from app.ops.dbrecovery import check_integrity

Status = Literal["ok", "warn", "fail"]
MIN_FREE_MB = 500


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def check_display(env: dict[str, str] | None = None) -> Check:
    env = dict(os.environ) if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform == "offscreen":
        return Check("display", "warn", "Qt is set to draw off screen (QT_QPA_PLATFORM=offscreen): nothing is shown")
    if sys.platform == "win32" or env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"):
        where = env.get("WAYLAND_DISPLAY") or env.get("DISPLAY") or "Windows desktop"
        return Check("display", "ok", f"screen available ({where})")
    return Check("display", "fail", "no screen: neither WAYLAND_DISPLAY nor DISPLAY is set (is cage or X running?)")


def check_fonts() -> Check:
    bundled = os.environ.get("HONGTU_FONT_DIR")
    if bundled and any(Path(bundled).glob("*.tt[cf]")):
        return Check("Chinese fonts", "ok", f"bundled fonts in {bundled}")
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
        families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
        if families:
            return Check("Chinese fonts", "ok", ", ".join(families[:3]))
    return Check("Chinese fonts", "fail", "no font with Chinese characters: install fonts-noto-cjk")


NO_AUDIO = "no audio output: narration will be silent; captions still show (videos play without sound)"


def check_audio(pactl: str | None = "", cards: Path = Path("/proc/asound/cards")) -> Check:
    """An audio output for narration and video sound. Without one the kiosk runs silent: the
    narration bar shows captions on a clock and says sound is unavailable (a warning, not a failure).
    `pactl` (default: found on PATH) and `cards` are parameters for tests."""
    if sys.platform == "win32":
        return Check("audio output", "ok", "Windows audio")
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
            return Check("audio output", "ok", f"{len(sinks)} PulseAudio/PipeWire output(s)")
    try:
        listed = cards.read_text(errors="replace")
    except OSError:
        listed = ""
    if listed.strip() and "no soundcards" not in listed:
        return Check("audio output", "ok", "ALSA sound card present")
    return Check("audio output", "warn", NO_AUDIO)


def check_disk(data_dir: Path) -> Check:
    data_dir.mkdir(parents=True, exist_ok=True)
    free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    if free_mb < MIN_FREE_MB // 5:
        return Check("disk space", "fail", f"only {free_mb} MB free in {data_dir}")
    if free_mb < MIN_FREE_MB:
        return Check("disk space", "warn", f"{free_mb} MB free in {data_dir}: old visit logs will be pruned")
    return Check("disk space", "ok", f"{free_mb:,} MB free in {data_dir}")


def check_database(db_path: Path) -> Check:
    if not db_path.exists():
        return Check("database", "ok", f"{db_path} not created yet (made at first start)")
    problem = check_integrity(db_path)
    if problem:
        return Check("database", "fail", f"{db_path} is damaged ({problem}); the kiosk will move it aside at start")
    return Check("database", "ok", f"{db_path} passes its integrity check")


def check_clock(now: datetime | None = None) -> Check:
    now = now or datetime.now(timezone.utc)
    if now.year < 2025:
        return Check("clock", "fail", f"the clock says {now:%Y-%m-%d}: visit logs would carry wrong dates")
    return Check("clock", "ok", f"{now:%Y-%m-%d %H:%M} UTC")


def check_hub(hub_url: str, timeout_s: float = 5.0) -> Check:
    if not hub_url:
        return Check("hub", "ok", "no hub configured: visit logs travel by USB stick")
    url = hub_url.rstrip("/") + "/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:  # noqa: S310 (configured URL)
            return Check("hub", "ok", f"{hub_url} answers ({r.status})")
    except urllib.error.HTTPError as exc:
        return Check("hub", "warn", f"{hub_url} answers {exc.code}: logs wait on the terminal")
    except (urllib.error.URLError, socket.timeout, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Check("hub", "warn", f"{hub_url} not reachable ({reason}): logs wait on the terminal")


def check_voices(cfg: KioskConfig) -> Check:
    """A TTS voice for every interface language (recorded narration in packs plays regardless)."""
    if not cfg.narration.enabled:
        return Check("speech voices", "ok", "narration switched off in the config")
    from app.narration.service import NarrationService

    service = NarrationService(cfg)
    try:
        found = {lang: service.available(lang) for lang in cfg.languages}
        voices = {lang: service.voice_for(lang).name for lang, a in found.items() if a.ok}
    finally:
        service.close()
    missing = {lang: a.reason for lang, a in found.items() if not a.ok}
    if not missing:
        return Check("speech voices", "ok", ", ".join(f"{lang}: {name}" for lang, name in voices.items()))
    status: Status = "fail" if len(missing) == len(found) else "warn"
    return Check("speech voices", status, "; ".join(f"{lang}: {why}" for lang, why in missing.items()))


def check_camera(cfg: KioskConfig, timeout_s: float = 5.0) -> Check:
    if not cfg.vision.enabled:
        return Check("camera", "ok", "visitor counting is off")
    import cv2

    from app.vision.sources import describe, is_live_spec

    spec = cfg.vision.source
    source: int | str = int(spec) if spec.isdigit() else spec
    cap = cv2.VideoCapture(source)
    try:
        ok = cap.isOpened() and cap.read()[0]
    finally:
        cap.release()
    if ok:
        return Check("camera", "ok", f"{describe(spec)} delivers frames")
    what = "camera" if is_live_spec(spec) else "video"
    return Check("camera", "warn", f"{describe(spec)}: no frames from the {what}; counts pause until it returns")


def check_pack(cfg: KioskConfig) -> Check:
    """The pack visitors see loads cleanly, and an installed pack's signer is still trusted."""
    from app.content.loader import validate_pack
    from app.packs.install import list_installed, trusted_keys

    path = cfg.active_pack_path()
    problems = validate_pack(path)
    if problems:
        return Check("content pack", "fail", f"{path}: {len(problems)} problem(s), first: {problems[0]}")
    current = next((r for r in list_installed(cfg) if r.current), None)
    if current is None:
        return Check("content pack", "ok", f"{path.name} (bundled or configured folder) loads cleanly")
    signer = current.info.signer
    label = f"{current.pack_id} {current.version}"
    if signer is None:
        status: Status = "ok" if cfg.packs.allow_unsigned else "warn"
        return Check("content pack", status, f"{label} is installed unsigned")
    if signer not in trusted_keys(cfg):
        return Check("content pack", "warn", f"{label} is signed by {signer}, which is no longer in packs.trusted_keys")
    return Check("content pack", "ok", f"{label}, signed by trusted key {signer}")


def run_checks(cfg: KioskConfig) -> list[Check]:
    checks = [check_display(), check_fonts(), check_audio()]
    for fn in (check_voices, check_camera, check_pack):
        try:
            checks.append(fn(cfg))
        except Exception as exc:  # a broken check must not hide the others
            checks.append(Check(fn.__name__.removeprefix("check_"), "fail", f"the check itself failed: {exc}"))
    checks += [check_disk(cfg.data_dir), check_database(cfg.db_path), check_clock(),
               check_hub(cfg.sync.hub_url, cfg.sync.timeout_s)]
    return checks
