"""hongtu commands: packs."""
from app.cli import cli, pack  # noqa: F401
