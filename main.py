"""Start the Hongtu kiosk (same as `hongtu run`): python main.py [--config PATH] [--windowed] [--pack PATH]."""
import sys

from app.cli import cli, main  # noqa: F401

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "run", *sys.argv[1:]]
    main()
