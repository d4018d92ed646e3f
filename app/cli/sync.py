"""hongtu commands: sync."""
from app.cli import cli, pack  # noqa: F401
