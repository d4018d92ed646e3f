#!/usr/bin/env bash
# Runs the kiosk on the bundled sample pack (installing what is missing first).
# Extra arguments go to `hongtu run`, e.g. scripts/kiosk.sh --windowed
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"  # as the systemd unit does (docs/operations.md)
exec .venv/bin/python main.py "$@"
