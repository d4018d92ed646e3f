"""hongtu commands: search."""
from app.cli import cli, pack  # noqa: F401
