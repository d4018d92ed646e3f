"""hongtu commands: kiosk."""
from app.cli import cli, pack  # noqa: F401
