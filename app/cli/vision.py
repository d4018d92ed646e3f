"""hongtu commands: vision (count people on a recorded clip)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli import cli, pack  # noqa: F401


@cli.command("count")
@click.argument("video", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--line", "line", metavar="X1,Y1,X2,Y2",
              help="Counting line in source pixels (or fractions 0..1). Walking from the first point to the "
                   "second, crossing from your left to your right is 'in'.")
@click.option("--zone", "zone", metavar="X1,Y1,X2,Y2",
              help="Dwell zone rectangle in source pixels (or fractions 0..1); default: the whole frame.")
@click.option("--detector", type=click.Choice(["default", "hog", "onnx", "motion"]),
              help="Person detector (default: vision.detector from the config; 'onnx' when --model is given).")
@click.option("--model", type=click.Path(path_type=Path), help="YOLOX ONNX model file for the onnx detector.")
@click.option("--detect-every", type=click.IntRange(1, 30), help="Run the detector on every Nth frame.")
@click.option("--min-dwell", "min_dwell", type=click.FloatRange(0, 3600), help="Seconds in the zone that make a visitor.")
@click.option("--threads", type=click.IntRange(1, 16), help="CPU threads for the detector.")
@click.option("--width", type=click.IntRange(160, 3840), help="Frames are scaled to this width before detection.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def count(video: Path, line: str | None, zone: str | None, detector: str | None, model: Path | None,
          detect_every: int | None, min_dwell: float | None, threads: int | None, width: int | None,
          as_json: bool) -> None:
    """Count people in a recorded VIDEO file as fast as possible, to check a camera placement.

    Prints in/out crossings of the line, distinct visitors who stayed in the zone for at least
    the minimum dwell time, frames processed and speed. Defaults come from the config's vision
    section ($HONGTU_CONFIG, else /etc/hongtu/kiosk_config.yaml if it exists, else the bundled
    kiosk_config.yaml). Nothing is written to disk.
    """
    from app.config import ConfigError, load_config
    from app.vision.errors import VisionError
    from app.vision.geometry import parse_coords
    from app.vision.pipeline import VisionSettings, count_file

    try:
        cfg = load_config().vision
        settings = VisionSettings.from_config(cfg)
        if line is not None:
            settings.line = parse_coords(line, "--line")
        if zone is not None:
            settings.zone = parse_coords(zone, "--zone")
        if model is not None:
            settings.model = model
            settings.detector = detector or "onnx"
        elif detector is not None:
            settings.detector = detector
        for key, value in (("detect_every", detect_every), ("min_dwell_s", min_dwell), ("threads", threads),
                           ("width", width)):
            if value is not None:
                setattr(settings, key, value)
        result = count_file(video, settings)
    except (ConfigError, VisionError) as exc:
        raise click.ClickException(str(exc)) from None
    if result.warning:
        click.echo(f"warning: {result.warning}", err=True)
    data = result.as_dict()
    if as_json:
        click.echo(json.dumps(data))
        return
    click.echo(f"{video.name}: {data['frames']} frames at {data['fps']} fps ({result.detector} detector)")
    click.echo(f"  in {data['in']}   out {data['out']}   visitors {data['visitors']}   "
               f"frames with someone present {data['presence_frames']}")
    if result.dwell_times:
        click.echo("  dwell times (s): " + ", ".join(f"{d:.1f}" for d in result.dwell_times))
    sys.stdout.flush()
