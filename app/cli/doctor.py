"""hongtu commands: doctor."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli import CONFIG_HELP, cli

MARKS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}


@cli.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def doctor(config_path: Path | None, as_json: bool) -> None:
    """Check the terminal's health in plain words: screen, Chinese fonts, audio, speech voices,
    camera, disk, database, content pack, clock and hub. Exits non-zero if a visitor would notice
    something broken."""
    from app.config import DEFAULT_CONFIG, ConfigError, load_config
    from app.ops.doctor import run_checks

    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    checks = run_checks(cfg)
    if as_json:
        click.echo(json.dumps([{k: c.as_dict()[k] for k in ("key", "name", "status", "detail")} for c in checks],
                              ensure_ascii=False, indent=1))
    else:
        where = cfg.config_path or "none found (built-in defaults)"
        bundled = " (the bundled defaults, not a terminal's own config)" if cfg.config_path == DEFAULT_CONFIG.resolve() else ""
        click.echo(f"config: {where}{bundled}")
        click.echo(f"data:   {cfg.data_dir}\n")
        for c in checks:
            click.echo(f"{MARKS[c.status]}  {c.name}: {c.detail}")
    failed = [c.name for c in checks if c.status == "fail"]
    if failed:
        if not as_json:
            click.echo(f"\n{len(failed)} problem(s) a visitor would notice: {', '.join(failed)}", err=True)
        sys.exit(1)
