"""hongtu commands: vision."""
from app.cli import cli, pack  # noqa: F401
