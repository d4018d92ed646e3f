"""Every `hongtu` command documents itself and answers --help."""
import click
import pytest
from click.testing import CliRunner

from app.cli import load_commands

cli = load_commands()


def walk(group: click.Group, path: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        yield path + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from walk(cmd, path + (name,))


COMMANDS = list(walk(cli))


def test_there_are_commands():
    assert len(COMMANDS) >= 3


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"hongtu {' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
