"""Shared set-up of the camera UI tests: a rendered clip with one crossing and one visitor, and a site config."""
from __future__ import annotations

from pathlib import Path

from app.vision.synthetic import Walker, render

# 320×240 at 25 fps: the motion detector learns the empty floor for 30 frames, then one figure walks
# down across the line (one "in") and another stands 3 s in the right half (one visitor in the zone)
SCENE = [Walker([(30, 80, 30), (60, 80, 220)]),
         Walker([(70, 240, 235), (100, 240, 120), (170, 240, 120)], colour=(30, 120, 30))]
LINE = [0.0625, 0.5, 0.9375, 0.5]
ZONE = [0.55, 0.0, 1.0, 1.0]

CONFIG = """\
# Hongtu kiosk configuration of the test site.
terminal_id: test-cam-01  # keep this comment
data_dir: var

ui:
  # Seconds without a touch before the countdown.
  idle_timeout_s: 90

vision:
  # Run the camera visitor counter.
  enabled: {enabled}
  source: '{source}'
  detector: motion
  detect_every: 1
  # Counting line x1, y1, x2, y2 (pixels or fractions); empty = none.
  line: [20, 120, 300, 120]   # pixels of the 320x240 clip
  # Dwell zone
  zone:
    - 0.55
    - 0.0
    - 1.0
    - 1.0
  min_dwell_s: 1.0
  debug_recording: {recording}

log:
  level: INFO
"""


def render_scene(folder: Path, frames: int = 400) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return render(folder / "scene.avi", SCENE, frames=frames, size=(320, 240), fps=25)


def write_config(folder: Path, source: str, enabled: bool = True, recording: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk_config.yaml"
    path.write_text(CONFIG.format(source=source, enabled=str(enabled).lower(), recording=str(recording).lower()),
                    encoding="utf-8")
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
