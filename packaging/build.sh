#!/usr/bin/env bash
# Builds dist/hongtu/: the kiosk and the CLI in one folder that runs without Python.
# Then install it on a terminal with packaging/linux/install.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pip install -q "pyinstaller==6.22.3"
.venv/bin/pyinstaller packaging/hongtu.spec --noconfirm --distpath dist --workpath build/pyinstaller
du -sh dist/hongtu | sed 's/^/build size: /'
