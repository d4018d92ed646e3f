"""hongtu commands: kiosk (`run`) and the screenshot tour (`tour`)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli import CONFIG_HELP, cli, pack  # noqa: F401

_config_opt = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help=CONFIG_HELP,
)
_pack_opt = click.option(
    "--pack", "pack_path", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Content pack folder to show (default: from the config, else the sample pack).",
)


def _load_config(config_path: Path | None):  # noqa: ANN202
    from app.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        click.echo(f"hongtu: {exc}", err=True)
        sys.exit(2)


@cli.command()
@_config_opt
@_pack_opt
@click.option("--windowed", is_flag=True, help="Run in a normal window instead of frameless full screen.")
def run(config_path: Path | None, pack_path: Path | None, windowed: bool) -> None:
    """Start the full-screen kiosk (the same as `python main.py`).

    One kiosk per data folder: a second one exits with code 3 and names the running one's pid.
    SIGTERM quits cleanly (what `systemctl stop` sends). Under systemd it extends the start timeout
    while it makes progress, reports READY=1 after the first frame and WATCHDOG=1 heartbeats from
    the GUI thread; after 5 starts in a row that never ran healthily it starts in safe mode (the last
    known good pack, else the bundled sample; camera off). Exit codes: 2 no content, 3 already
    running, 4 data folder not writable, 5 database.
    """
    from app.ops.watchdog import EARLY_EXTEND_S, StartTimeout, SystemdNotifier

    # First thing under systemd: extend the unit's short TimeoutStartSec for the slow synchronous
    # steps ahead (PySide6 import, start-up checks, Qt and fonts, QML load; docs/operations.md).
    StartTimeout(SystemdNotifier()).extend(EARLY_EXTEND_S)
    cfg = _load_config(config_path)
    from app.ui.kiosk import run_kiosk

    sys.exit(run_kiosk(cfg, pack_path, windowed))


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PNG screenshots (created if missing).")
@_config_opt
@_pack_opt
@click.option("--size", "sizes", multiple=True, default=("1920x1080", "1280x800"), show_default=True,
              help="Window size WxH; repeat for several.")
@click.option("--lang", "languages", multiple=True, default=("zh", "en"), show_default=True,
              help="Interface language; repeat for several.")
@click.option("--only", default="", help="Only the steps whose name contains this text.")
def tour(out_dir: Path, config_path: Path | None, pack_path: Path | None, sizes: tuple[str, ...],
         languages: tuple[str, ...], only: str) -> None:
    """Drive every kiosk screen offscreen and save a PNG of each (per size and language).

    Files are named <size>-<lang>-<NN>-<step>.png. Runs with QT_QPA_PLATFORM=offscreen and the
    software renderer unless a platform is already set.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    cfg = _load_config(config_path)
    from app.ui.tour import TourError, run_tour

    try:
        parsed = [tuple(int(v) for v in s.lower().split("x")) for s in sizes]
    except ValueError:
        raise click.BadParameter("expected WxH, e.g. 1920x1080", param_hint="--size") from None
    try:
        files = run_tour(cfg, out_dir, pack_path=pack_path, sizes=parsed, languages=languages, only=only)
    except TourError as exc:
        click.echo(f"hongtu: {exc}", err=True)
        sys.exit(2)
    click.echo(f"{len(files)} screenshots in {out_dir}")
