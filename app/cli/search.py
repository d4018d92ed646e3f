"""hongtu commands: search."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli import CONFIG_HELP, cli, pack  # noqa: F401


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _print_pack_error(exc) -> None:  # noqa: ANN001 - app.content.problems.PackError
    problems = getattr(exc, "problems", None) or [exc]
    for problem in problems:
        click.echo(str(problem), err=True)


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--pack", "pack_path", type=click.Path(path_type=Path),
              help="Search this pack folder (indexed into a temporary in-memory database) "
                   "instead of the terminal's database.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of titles and snippets (default: the pack's first language).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Most hits printed.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help=CONFIG_HELP)
def search_command(query: tuple[str, ...], pack_path: Path | None, as_json: bool, lang: str | None,
                   limit: int, config_path: Path | None) -> None:
    """Search exhibits (titles, summaries, texts, tags, hall names, every language) for QUERY.

    Chinese works for any length (红船, 党, 5G, 红船精神). Several words must all match:
    `hongtu search 红船 精神`. Without --pack, searches the terminal database
    (<data_dir>/hongtu.db), first re-indexing the configured pack if its files changed.
    Prints one hit per line: id, title, snippet.
    """
    from app.content.loader import PackError, load_pack
    from app.content.model import pick
    from app.store.catalog import Catalog, ensure_catalog
    from app.store.db import StoreError, open_db
    from app.store.search import search

    text = " ".join(query)
    try:
        if pack_path is not None:
            try:
                loaded = load_pack(pack_path)
            except PackError as exc:
                _print_pack_error(exc)
                _fail(f"{pack_path}: the pack does not load, nothing to search")
            db = open_db(":memory:")
            catalog = Catalog(db)
            catalog.index_pack(loaded)
        else:
            from app.config import ConfigError, load_config

            try:
                cfg = load_config(config_path)
            except ConfigError as exc:
                _fail(str(exc))
            db = open_db(cfg.db_path)
            pack_root = cfg.active_pack_path()
            try:
                catalog = ensure_catalog(db, pack_root)
            except PackError as exc:
                catalog = Catalog(db)
                if catalog.pack_info() is None:
                    _print_pack_error(exc)
                    _fail(f"{pack_root}: the pack does not load and {cfg.db_path} holds no catalog")
                click.echo(f"warning: {pack_root} does not load ({exc}); searching the last good "
                           f"catalog in {cfg.db_path}", err=True)
        info = catalog.pack_info()
        language = lang or (info.default_language if info else "zh")
        hits = search(db, text, language, limit)
    except StoreError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(
            [{"id": h.exhibit_id, "title": dict(h.title), "snippet": h.snippet, "score": round(h.score, 4)}
             for h in hits],
            ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"no exhibit matches '{text}'", err=True)
        return
    for h in hits:
        click.echo(f"{h.exhibit_id}\t{pick(h.title, language)}\t{h.snippet}")
