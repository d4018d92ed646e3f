#!/usr/bin/env bash
# Builds dist/hongtu/: the kiosk and the CLI in one folder that runs without Python.
# Check it with packaging/check_build.sh (or on a bare Debian root: packaging/verify_fresh_debian.sh),
# then install it on a terminal with packaging/linux/install.sh. See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# What the spec copies from the build machine into the bundle besides the venv: fontconfig's fc-match
# and fc-list, the DejaVu symbol fonts (fonts-noto-cjk and espeak-ng come with scripts/setup.sh).
BUILD_PKGS=(fontconfig fonts-dejavu-core)
missing=()
for p in "${BUILD_PKGS[@]}"; do dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (needed by packaging/hongtu.spec)"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
.venv/bin/python -m pip install -q "pyinstaller==6.22.3"
.venv/bin/pyinstaller packaging/hongtu.spec --noconfirm --distpath dist --workpath build/pyinstaller
du -sh dist/hongtu | sed 's/^/build size: /'
echo "check it: packaging/check_build.sh dist/hongtu"
