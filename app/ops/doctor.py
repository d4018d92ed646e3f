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
from typing import Callable, Literal

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


def check_audio() -> Check:
    if sys.platform == "win32":
        return Check("audio output", "ok", "Windows audio")
    if shutil.which("pactl"):
        r = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=10)
        if r.returncode == 0 and r.stdout.strip():
            return Check("audio output", "ok", f"{len(r.stdout.splitlines())} PulseAudio/PipeWire output(s)")
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text(errors="replace"):
        return Check("audio output", "ok", "ALSA sound card present")
    return Check("audio output", "warn", "no audio device: the kiosk runs silent (narration and video sound off)")


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


def run_checks(cfg: KioskConfig, extra: list[Callable[[KioskConfig], Check]] | None = None) -> list[Check]:
    checks = [check_display(), check_fonts(), check_audio(), check_disk(cfg.data_dir),
              check_database(cfg.db_path), check_clock(), check_hub(cfg.sync.hub_url, cfg.sync.timeout_s)]
    for fn in extra or []:
        try:
            checks.append(fn(cfg))
        except Exception as exc:  # a broken check must not hide the others
            checks.append(Check(getattr(fn, "__name__", "check"), "fail", f"the check itself failed: {exc}"))
    return checks


EXTRA_CHECKS: list[Callable[[KioskConfig], Check]] = []
