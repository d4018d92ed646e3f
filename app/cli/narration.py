"""hongtu commands: narration."""
from app.cli import cli, pack  # noqa: F401
