"""`hongtu fonts`: build and inspect the kiosk's UI fonts (app/fonts.py)."""
from __future__ import annotations

import time
from pathlib import Path

import click

from app import fonts as ui_fonts
from app.cli import cli

OUT_HELP = f"Folder of the UI fonts (default: ${ui_fonts.FONT_DIR_ENV}, else var/ui-fonts in the checkout)."


@cli.group("fonts")
def fonts_group() -> None:
    """Build and inspect the UI fonts: Noto CJK cut down to the characters the kiosk shows, which
    keeps the kiosk's memory low (without them it uses the full system fonts)."""


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _print_files(files: list[ui_fonts.FontFile]) -> None:
    for f in files:
        if f.size is None:
            click.echo(f"  {f.spec.out}: missing")
        else:
            chars = "?" if f.characters is None else f"{f.characters:,}"
            click.echo(f"  {f.spec.out}: {_mb(f.size)}, {chars} characters")


@fonts_group.command("build")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=OUT_HELP)
@click.option("--force", is_flag=True, help="Build them again even when they are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when they are up to date (for scripts).")
def build_cmd(out_dir: Path | None, force: bool, quiet: bool) -> None:
    """Build the UI fonts (about a minute of CPU; does nothing when they are up to date).

    They are rebuilt when a source font or the character list changes (GB 2312, Latin and pinyin,
    punctuation and symbols, and every character of the sample pack and the UI's own text). Needs
    fontTools and the system's Noto CJK fonts (fonts-noto-cjk)."""
    out_dir = ui_fonts.font_dir() if out_dir is None else out_dir
    started = time.monotonic()

    def progress(spec: ui_fonts.UiFont, src: Path) -> None:
        click.echo(f"building {spec.out} from {src} …", err=True)

    try:
        _paths, built = ui_fonts.build(out_dir=out_dir, force=force, progress=progress)
    except ui_fonts.FontBuildError as exc:
        raise click.ClickException(f"UI fonts not built: {exc}") from None
    if built:
        click.echo(f"UI fonts built in {out_dir} ({time.monotonic() - started:.0f} s):")
    elif quiet:
        return
    else:
        click.echo(f"UI fonts up to date in {out_dir}:")
    _print_files(ui_fonts.built_files(out_dir))


@fonts_group.command("status")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=OUT_HELP)
def status_cmd(out_dir: Path | None) -> None:
    """Show where the UI fonts are, whether they are built and whether they are up to date."""
    st = ui_fonts.status(out_dir)
    click.echo(f"UI fonts in {st.folder}:")
    _print_files(st.files)
    if not st.built:
        click.echo("not built: the kiosk uses the full system fonts, which costs more memory "
                   "(run `hongtu fonts build`)")
    elif st.current is None:
        click.echo(f"built; cannot tell whether they are up to date: {st.reason}")
    elif st.current:
        click.echo("up to date")
    else:
        click.echo("out of date: a source font or the character list changed (run `hongtu fonts build`)")
