#!/usr/bin/env bash
# Runs the whole test suite (installing what is missing first). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software
export HONGTU_SHARED="${HONGTU_SHARED:-$(cd .. && pwd)/shared}"
exec .venv/bin/python -m pytest "$@"
