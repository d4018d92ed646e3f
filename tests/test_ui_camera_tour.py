"""The calibration screen's tour steps run on the synthetic clip (no development footage needed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from packbuilder import write_pack
from PIL import Image, ImageStat

pytest.importorskip("PySide6")
pytestmark = pytest.mark.timeout(120)


def test_camera_tour_steps_show_the_preview_with_a_visitor(qapp, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from app.config import load_config
    from app.ui import camera_tour
    from app.ui.tour import TOUR_STEPS, run_tour

    monkeypatch.setenv("HONGTU_SHARED", str(tmp_path / "no-shared"))  # → the rendered synthetic clip
    monkeypatch.setattr(camera_tour, "_demo", {})
    before = Path(load_config(None, env={}).config_path).read_bytes()
    cfg = load_config(None, env={})
    steps = [s for s in TOUR_STEPS if s.run.__module__ == "app.ui.camera_tour"]
    assert [s.name for s in steps] == ["admin-camera", "admin-camera-refused"]
    files = run_tour(cfg, tmp_path / "shots", pack_path=write_pack(tmp_path / "pack"), db_path=tmp_path / "tour.db",
                     sizes=[(1280, 800)], languages=("en",), steps=steps)
    assert [f.name for f in files] == ["1280x800-en-01-admin-camera.png", "1280x800-en-02-admin-camera-refused.png"]
    for f in files:
        with Image.open(f) as im:
            assert im.size == (1280, 800)
            preview = im.convert("L").crop((40, 200, 840, 680))  # the picture, not the dark stage around it
            assert ImageStat.Stat(preview).stddev[0] > 20, f"{f.name}: no camera picture"
    assert Path(cfg.config_path).read_bytes() == before  # the tour never writes the config
