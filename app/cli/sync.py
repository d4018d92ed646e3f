"""hongtu commands: stats, sync (push/status/export/ack/prune), hub (serve/import/add-terminal/halls)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import click

from app.cli import CONFIG_HELP, cli, pack  # noqa: F401

CONFIG_OPT = click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
                          help=CONFIG_HELP)
HUB_DATA_OPT = click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("hub-data"),
                            envvar="HONGTU_HUB_DATA", show_default=True,
                            help="Hub data folder (SQLite database hub.db) [env HONGTU_HUB_DATA].")
HUB_URL_OPT = click.option("--db-url", default=None, envvar="HONGTU_HUB_DB_URL",
                           help="PostgreSQL URL (postgresql://user:pw@host:port/db) instead of SQLite "
                                "[env HONGTU_HUB_DB_URL].")


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the core's specific errors into one-line CLI errors (exit 1)."""
    from app.config import ConfigError
    from app.events.schema import EventError
    from app.hub.storage import HubError
    from app.store.db import StoreError
    from app.sync.bundle import BundleError
    from app.sync.push import SyncError

    try:
        yield
    except (ConfigError, EventError, HubError, StoreError, BundleError, SyncError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


def _config(config_path: Path | None) -> Any:
    from app.config import load_config

    return load_config(config_path)


def _terminal_db(cfg: Any) -> Any:
    from app.events.store import open_events_db

    return open_events_db(cfg.db_path)


# -- stats -----------------------------------------------------------------------------------
@cli.command("stats")
@click.option("--from", "frm", metavar="YYYY-MM-DD", help="First day (local time), inclusive.")
@click.option("--to", "to", metavar="YYYY-MM-DD", help="Last day (local time), inclusive.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows: section, key, metric, value.")
@CONFIG_OPT
def stats_cmd(frm: str | None, to: str | None, as_json: bool, as_csv: bool, config_path: Path | None) -> None:
    """Visit figures of this terminal: visitors per day and hour (sessions beside camera counts),
    top exhibits by views and dwell time, route completion, quiz participation and scores."""
    from app.events.stats import parse_day, stats_csv, stats_text, terminal_stats

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with _errors():
        lo, hi = parse_day(frm, "--from"), parse_day(to, "--to")
        if lo and hi and hi < lo:
            raise click.UsageError("--to is before --from")
        cfg = _config(config_path)
        figures = terminal_stats(_terminal_db(cfg), lo, hi)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(stats_csv(figures), nl=False)
    else:
        click.echo(stats_text(figures))


# -- sync (terminal side) --------------------------------------------------------------------
@cli.group()
def sync() -> None:
    """Deliver this terminal's visit events to the hub (network or USB stick)."""


@sync.command("push")
@CONFIG_OPT
def sync_push(config_path: Path | None) -> None:
    """Send every undelivered event to the hub now (one pass); exits 1 if the hub did not take them."""
    import logging

    from app.sync.push import Pusher

    logging.getLogger("app.sync").setLevel(logging.ERROR)  # the outcome is printed below
    with _errors():
        cfg = _config(config_path)
        result = Pusher.from_config(cfg).push_once()
    msg = (f"delivered {result.delivered} events in {result.batches} batches"
           f" ({result.duplicates} the hub already had); {result.backlog} left")
    if not result.ok:
        raise click.ClickException(f"{result.error}; {msg}")
    click.echo(msg)


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@CONFIG_OPT
def sync_status_cmd(as_json: bool, config_path: Path | None) -> None:
    """Show the sync backlog, the last successful delivery and the last error."""
    from app.sync.push import sync_status

    with _errors():
        cfg = _config(config_path)
        st = sync_status(_terminal_db(cfg), cfg.sync.hub_url)
    if as_json:
        click.echo(json.dumps(st.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"hub:            {st.hub_url or '(none: USB only)'}")
    click.echo(f"backlog:        {st.backlog} events not yet delivered")
    click.echo(f"last success:   {st.last_success or 'never'}")
    click.echo(f"last attempt:   {st.last_attempt or 'never'}")
    if st.last_error:
        click.echo(f"last error:     {st.last_error_at}  {st.last_error}")
    click.echo(f"failures in a row: {st.failures_in_a_row}; delivered in total: {st.delivered_total}")
    if st.disk_warning:
        click.echo(f"warning:        {st.disk_warning}")


@sync.command("export")
@click.option("--to", "to_dir", required=True, type=click.Path(path_type=Path),
              help="Folder to write the bundle into (for example the USB stick).")
@CONFIG_OPT
def sync_export(to_dir: Path, config_path: Path | None) -> None:
    """Write every undelivered event, with the terminal's recent logs, into one signed bundle file
    for the hub (USB sync). With no undelivered events the bundle carries the logs only (for support).

    The events stay undelivered until the hub's acknowledgement file is imported with
    `hongtu sync ack`.
    """
    from app.ops.logs import read_recent
    from app.sync.bundle import export_bundle

    with _errors():
        cfg = _config(config_path)
        res = export_bundle(_terminal_db(cfg), cfg.terminal_id, cfg.sync.token, to_dir, cfg.sync.sync_nicknames,
                            logs=read_recent(cfg.data_dir, limit=5000))
    if res.path is None:
        click.echo("nothing to export: no undelivered events and no log entries")
    elif res.count == 0:
        click.echo(f"no undelivered events; the bundle carries the logs only: wrote {res.path} "
                   f"({res.log_entries} log entries)")
    else:
        click.echo(f"wrote {res.path} ({res.count} events, seq {res.first_seq}–{res.last_seq}; "
                   f"{res.log_entries} log entries)")
    asides = [p for p in sorted(cfg.db_path.parent.glob(cfg.db_path.name + ".corrupt-*"))
              if not p.name.endswith(("-wal", "-shm"))]  # the moved-aside database's own side files
    for aside in asides:
        click.echo(f"note: {aside} is a damaged database the kiosk moved aside; the events it held that were "
                   f"not yet delivered are in that file, not in this bundle: keep it and call support")


@sync.command("ack")
@click.argument("file", type=click.Path(path_type=Path))
@CONFIG_OPT
def sync_ack(file: Path, config_path: Path | None) -> None:
    """Import the hub's acknowledgement FILE (*.ack.json) and mark those events delivered."""
    from app.sync.bundle import apply_ack

    with _errors():
        cfg = _config(config_path)
        n = apply_ack(_terminal_db(cfg), cfg.terminal_id, cfg.sync.token, file)
    click.echo(f"marked {n} events delivered")


@sync.command("prune")
@CONFIG_OPT
def sync_prune(config_path: Path | None) -> None:
    """Delete delivered events older than sync.retention_days (and, when the disk is nearly
    full, the oldest delivered ones). Undelivered events are never deleted."""
    from app.events.store import disk_free, prune

    with _errors():
        cfg = _config(config_path)
        rep = prune(_terminal_db(cfg), cfg.sync.retention_days, disk_free_fn=disk_free(cfg.data_dir),
                    min_free_bytes=cfg.sync.min_free_mb * 1024 * 1024)
    click.echo(f"pruned {rep.expired} expired and {rep.for_space} for space")
    if rep.warning:
        click.echo(f"warning: {rep.warning}", err=True)


# -- hub -------------------------------------------------------------------------------------
@cli.group()
def hub() -> None:
    """The hub server that collects every terminal's visit events and shows the network dashboard."""


def _store(data_dir: Path, db_url: str | None) -> Any:
    from app.hub.storage import HubStore

    return HubStore.open(data_dir, db_url)


@hub.command("serve")
@HUB_DATA_OPT
@HUB_URL_OPT
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 = all).")
@click.option("--port", default=8750, show_default=True, type=int, help="TCP port.")
@click.option("--max-body-mb", default=8, show_default=True, type=int, help="Largest accepted request body (MB).")
def hub_serve(data_dir: Path, db_url: str | None, host: str, port: int, max_body_mb: int) -> None:
    """Run the hub: event API for terminals, JSON stats and the web dashboard at http://HOST:PORT/."""
    import uvicorn

    from app.hub.server import create_app

    with _errors():
        store = _store(data_dir, db_url)
    click.echo(f"hub database: {store.where}; dashboard at http://{host}:{port}/")
    uvicorn.run(create_app(store, max_body_bytes=max_body_mb * 1024 * 1024), host=host, port=port,
                log_level="info")


@hub.command("add-terminal")
@click.argument("terminal_id")
@click.option("--hall", default=None, help="Hall id the terminal stands in.")
@click.option("--hall-name", default=None, help="Name of the hall, if it is new to the hub.")
@click.option("--parent", default=None, help="Parent hall id, if the hall is new (city or province hall).")
@click.option("--level", type=click.Choice(["province", "city", "county"]), default=None,
              help="Level of the hall, if it is new.")
@HUB_DATA_OPT
@HUB_URL_OPT
def hub_add_terminal(terminal_id: str, hall: str | None, hall_name: str | None, parent: str | None,
                     level: str | None, data_dir: Path, db_url: str | None) -> None:
    """Register TERMINAL_ID (or replace its token) and print its token, once.

    Put the token in the terminal's kiosk_config.yaml as sync.token. Only its hash is stored.
    """
    with _errors():
        store = _store(data_dir, db_url)
        if hall and (hall_name or parent or level):
            store.upsert_hall(hall, name=hall_name, parent=parent, level=level)
        token = store.add_terminal(terminal_id, hall)
    click.echo(token)


@hub.command("halls")
@click.argument("path", type=click.Path(path_type=Path))
@HUB_DATA_OPT
@HUB_URL_OPT
def hub_halls(path: Path, data_dir: Path, db_url: str | None) -> None:
    """Import the hall tree (province, cities, counties) from a content pack's halls.yaml (file or pack folder)."""
    from app.hub.network import import_halls

    with _errors():
        n = import_halls(_store(data_dir, db_url), path)
    click.echo(f"imported {n} halls")


@hub.command("import")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--ack-dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the acknowledgement file (default: beside the bundle).")
@HUB_DATA_OPT
@HUB_URL_OPT
def hub_import(bundle: Path, ack_dir: Path | None, data_dir: Path, db_url: str | None) -> None:
    """Ingest a terminal's USB BUNDLE (refused whole if damaged or tampered) and write the
    acknowledgement file to carry back to the terminal (`hongtu sync ack FILE`)."""
    from app.hub.importer import import_bundle

    with _errors():
        res = import_bundle(_store(data_dir, db_url), bundle, ack_dir, logs_dir=data_dir / "terminal-logs")
    click.echo(f"{res.terminal_id}: {res.ack.accepted} new events, {res.ack.duplicates} already stored; "
               f"acknowledgement: {res.ack_path}")
    if res.logs_path:
        click.echo(f"terminal logs: {res.logs_path}")
