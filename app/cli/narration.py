"""hongtu commands: narration (narrate, pack narrate)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli import CONFIG_HELP, cli, pack  # noqa: F401

_CONFIG = click.option("--config", "config_path", type=click.Path(path_type=Path),
                       help=CONFIG_HELP)


def counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 caption', '2 captions', '0 captions'."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _service(config_path: Path | None, cache_dir: Path | None = None):  # noqa: ANN202
    from app.config import ConfigError, load_config
    from app.narration.service import NarrationService

    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return NarrationService(cfg, cache_dir=cache_dir)


@cli.command("narrate")
@click.argument("text", required=False)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language (chooses the voice).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the narration to this .wav file.")
@click.option("--rate", type=click.IntRange(60, 400), help="Speech rate in words per minute (default: narration.rate).")
@click.option("--voices", "list_voices", is_flag=True, help="List the engine's voices and the one chosen per language.")
@click.option("--captions", is_flag=True, help="Print each caption with its start and end time.")
@_CONFIG
def narrate(text: str | None, lang: str, out: Path | None, rate: int | None, list_voices: bool,
            captions: bool, config_path: Path | None) -> None:
    """Speak TEXT with the kiosk's offline TTS, for staff trying voices and rates.

    TEXT is plain text or Markdown; '-' reads it from standard input. Numbers are read the Chinese
    way for --lang zh (1921年 → 一九二一年). Writes a wav with --out and prints its length, the
    voice and the engine. The audio also lands in the narration cache, so the kiosk will reuse it.

    Example: hongtu narrate "古田会议于1929年12月召开。" --lang zh --out gutian.wav
    """
    import shutil

    from app.narration.errors import NarrationError

    if text == "-":
        text = sys.stdin.read()
    if not list_voices and text is None:
        raise click.UsageError("give the TEXT to speak (or --voices)")
    service = _service(config_path)
    try:
        if list_voices:
            service.worker.start()
            click.echo(f"engine: {service.worker.engine_name}, {counted(len(service.worker.voices), 'voice')}")
            for code in ("zh", "en"):
                ok = service.available(code)
                if ok:
                    v = service.voice_for(code)
                    click.echo(f"  {code}: {v.id} ({v.name}; {', '.join(v.languages)})")
                else:
                    click.echo(f"  {code}: unavailable - {ok.reason}")
            if text is None:
                return
        narration = service.prepare(text or "", lang, rate=rate)
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.tmp")
            shutil.copyfile(narration.path, tmp)
            tmp.replace(out)
        where = f" → {out}" if out else f" (cached at {narration.path})" if narration.source != "tts" or service.cache.enabled else ""
        engine = service.worker.engine_name or "cache"
        click.echo(f"{narration.duration_s:.2f} s of audio, {counted(len(narration.sentences), 'caption')}, voice {narration.voice}, "
                   f"engine {engine}, {narration.source}{where}")
        if narration.truncated:
            click.echo("warning: the text was too long and was cut at a sentence end", err=True)
        if captions:
            for c in narration.sentences:
                click.echo(f"  {c.start_s:7.2f}–{c.end_s:7.2f}  {c.text}")
    except NarrationError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot write ({exc.strerror})") from None
    finally:
        service.close()


@pack.command("narrate")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", "langs", multiple=True, type=click.Choice(["zh", "en"]), help="Only these languages (default: all of the pack's).")
@_CONFIG
def pack_narrate(path: Path, langs: tuple[str, ...], config_path: Path | None) -> None:
    """Pre-render the narration of every exhibit and route stop of the pack at PATH into the cache.

    Run it after installing or editing a pack so the kiosk only plays files. Exhibits with a
    recorded narration (exhibits/*.yaml `narration:`) are checked, not synthesised. Prints one
    progress line per item and a summary; exits 1 if any item failed.
    """
    from app.content.loader import PackError, load_pack
    from app.narration.prerender import prerender_pack

    try:
        loaded = load_pack(path)
    except PackError as exc:
        for problem in exc.problems[:10]:
            click.echo(str(problem), err=True)
        if len(exc.problems) > 10:
            click.echo(f"… and {len(exc.problems) - 10} more", err=True)
        raise click.ClickException(f"{path}: the pack has problems; run `hongtu pack validate {path}`") from None
    service = _service(config_path)
    tty = sys.stdout.isatty()

    def progress(n: int, total: int, item, outcome: str) -> None:  # noqa: ANN001
        line = f"[{n}/{total}] {item.label}: {outcome}"
        if tty:
            click.echo("\r\x1b[2K" + line, nl=n == total)
        else:
            click.echo(line)

    try:
        report = prerender_pack(service, loaded, langs or None, progress)
        cache_note = "" if service.cache.enabled else f"; cache OFF ({service.cache.disabled_reason}), nothing was kept"
        click.echo(f"{loaded.info.id}: {counted(report.total, 'narration')} in {report.seconds:.1f} s — {report.rendered} rendered, "
                   f"{report.cached} already cached, {report.recorded} recorded, {report.empty} empty, "
                   f"{len(report.failures)} failed; {report.audio_s / 60:.1f} min of audio; cache {service.cache_dir} "
                   f"{service.cache.total_bytes() / 1e6:.1f} MB{cache_note}")
        for failure in report.failures:
            click.echo(f"failed: {failure}", err=True)
        if report.failures:
            sys.exit(1)
    finally:
        service.close()
