"""hongtu commands: content."""
from app.cli import cli, pack  # noqa: F401
