"""The `hongtu` command line. Every command lives in a feature module listed in COMMAND_MODULES.

A feature module imports `cli` or one of the groups below and decorates its commands. Heavy imports
(Qt, OpenCV, FastAPI) go inside the command functions so that `hongtu --help` stays fast.
"""
from __future__ import annotations

import importlib

import click

from app import __version__

COMMAND_MODULES = [
    "app.cli.content",  # pack validate
    "app.cli.search",  # search
    "app.cli.kiosk",  # run, tour
    "app.cli.narration",  # narrate, pack narrate
    "app.cli.packs",  # keys, pack build/sign/verify/install/rollback/list, admin
    "app.cli.sync",  # stats, sync, hub
    "app.cli.vision",  # count
    "app.cli.doctor",  # doctor
    "app.cli.fonts",  # fonts build/status
]


CONFIG_HELP = ("Config file (default: $HONGTU_CONFIG, else the terminal's /etc/hongtu/kiosk_config.yaml "
               "if it exists, else the bundled kiosk_config.yaml).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hongtu")
def cli() -> None:
    """Hongtu (红图): the red-education kiosk and its tools for hall staff and operators."""


@cli.group()
def pack() -> None:
    """Build, check, sign, install and roll back content packs."""


def load_commands() -> click.Group:
    """Import every feature module so that its commands join `cli`; returns `cli`."""
    for name in COMMAND_MODULES:
        importlib.import_module(name)
    return cli


def main() -> None:
    load_commands()()
