#!/usr/bin/env bash
# Installs what Hongtu needs on Debian/Ubuntu: system packages via apt (only those missing) and the
# pinned Python packages (requirements.lock) into .venv. Safe to run again; fast when nothing changed.
#   scripts/setup.sh            runtime only
#   scripts/setup.sh --test     also what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

# Why each system package is needed (see README.md):
RUNTIME_PKGS=(
  ca-certificates git                # HTTPS to PyPI/Debian mirrors; cloning and updating this repository
  python3 python3-venv python3-pip   # Python 3.11 and venv (Debian 12's python3 is 3.11)
  fonts-noto-cjk                     # Chinese glyphs for the whole UI
  espeak-ng libespeak-ng1            # offline TTS voices used by pyttsx3 (zh: cmn, en)
  libpulse0 libasound2               # audio output for QtMultimedia
  libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0   # Qt Quick rendering and fonts
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1    # Qt's xcb platform plugin (X11)
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libx11-xcb1
  libwayland-client0 libwayland-cursor0 libwayland-egl1   # Qt's wayland plugin (cage kiosk compositor)
)
TEST_PKGS=(
  xvfb                               # a virtual screen to drive the kiosk in a real window
  sox                                # measures narration audio (duration, loudness) in tests
  postgresql                         # the hub's PostgreSQL backend is tested against a real server
  ffmpeg                             # ffprobe checks the sample pack's video and audio; tools/make_sample_media.py encodes them
  systemd                            # systemd-analyze verifies the kiosk and hub units
)

want=("${RUNTIME_PKGS[@]}")
[ "$WITH_TEST" = 1 ] && want+=("${TEST_PKGS[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SECONDS=0
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "setup: apt-get install failed for: ${missing[*]}" >&2; exit 1; }
  echo "setup: system packages installed in ${SECONDS} s"
fi

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  command -v python3.11 >/dev/null && PY=python3.11 || { echo "setup: Python 3.11 is required" >&2; exit 1; }
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv

# requirements.lock pins every Python package, the test tools included: one environment for both.
stamp=".venv/.hongtu-installed"
want_stamp="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
  echo "setup: installing Python packages into .venv"
  SECONDS=0
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want_stamp" > "$stamp"
  echo "setup: Python packages installed in ${SECONDS} s"
fi

# The UI fonts (app/fonts.py): Noto CJK cut down to the characters the kiosk shows, so the kiosk maps
# and indexes far less font data. About a minute of CPU the first time, a fraction of a second when
# up to date. Not fatal: without them the kiosk uses the full system fonts.
if ! .venv/bin/hongtu fonts build --quiet; then
  echo "setup: warning: the UI fonts could not be built (see above): the kiosk will use the full system fonts, which costs more memory" >&2
fi
