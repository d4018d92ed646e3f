"""`hongtu tour`: every screen, both languages, both sizes; each PNG has the right size and content."""
from __future__ import annotations

from pathlib import Path

import pytest
from packbuilder import write_pack
from PIL import Image, ImageStat

pytestmark = pytest.mark.timeout(120)


def test_tour_writes_a_real_screenshot_of_every_step(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    from app.config import load_config
    from app.ui.tour import TOUR_STEPS, run_tour

    pack = write_pack(tmp_path / "pack")
    out = tmp_path / "shots"
    cfg = load_config(None, env={})
    # the shell's own steps; each later screen's tests run its own steps
    shell = [s for s in TOUR_STEPS if s.run.__module__ == "app.ui.tour"]
    files = run_tour(cfg, out, pack_path=pack, db_path=tmp_path / "tour.db", steps=shell)

    sizes = {(1920, 1080), (1280, 800)}
    assert len(files) == len(shell) * len(sizes) * 2
    names = {f.name for f in files}
    for w, h in sizes:
        for lang in ("zh", "en"):
            for i, step in enumerate(shell, 1):
                assert f"{w}x{h}-{lang}-{i:02d}-{step.name}.png" in names
    for f in files:
        assert f.is_file()
        with Image.open(f) as im:
            w, h = map(int, f.name.split("-")[0].split("x"))
            assert im.size == (w, h), f.name
            small = im.convert("L").resize((192, 108))
            assert ImageStat.Stat(small).stddev[0] > 8, f"{f.name} looks blank"


def test_tour_cli_reports_a_broken_pack_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from app.cli import cli
    import app.cli.kiosk  # noqa: F401  (registers the commands)

    pack = write_pack(tmp_path / "pack")
    (pack / "pack.yaml").write_text("schema: 1\nid: [\n", encoding="utf-8")
    cfg = tmp_path / "kiosk.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["tour", "--out", str(tmp_path / "o"), "--config", str(cfg),
                                      "--pack", str(pack), "--size", "640x480", "--lang", "zh"])
    assert result.exit_code == 2
    assert "pack.yaml" in result.output and len(result.output.strip().splitlines()) == 1
