#!/usr/bin/env bash
# Installs a Hongtu build on a Debian/Ubuntu terminal: the one-folder build to /opt/hongtu, a
# dedicated `hongtu` user, the config in /etc/hongtu, and the systemd units. Run as root:
#   packaging/linux/install.sh [BUILD_DIR]          (default: dist/hongtu, made by packaging/build.sh)
#   packaging/linux/install.sh --x11 [BUILD_DIR]    (X server without a window manager instead of cage)
#   packaging/linux/install.sh --packages-only [--x11]   only the system packages below (no user, no units)
#   packaging/linux/install.sh --print-packages [--x11]  print that package list and exit
#   --no-session with any of them: no cage/X and no kiosk at boot (a hub server, or a headless check)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
UNIT=hongtu-kiosk.service
MODE=install
NO_SESSION=0
while [ $# -gt 0 ]; do
  case "$1" in
    --x11) UNIT=hongtu-kiosk-x11.service; shift ;;
    --packages-only) MODE=packages; shift ;;
    --print-packages) MODE=print; shift ;;
    --no-session) NO_SESSION=1; shift ;;
    -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
BUILD="${1:-$HERE/../../dist/hongtu}"

# System packages the build needs. Everything else (Qt, FFmpeg, Python, espeak-ng and its voices,
# the Noto CJK fonts with their fontconfig set-up, PulseAudio/ALSA client libraries) is inside the
# build. These are the libraries PyInstaller deliberately leaves out because they must match the
# machine (X/Wayland client libraries, the GPU's OpenGL/EGL driver). Verified on a fresh Debian 12
# minbase root with packaging/check_build.sh, see docs/packaging.md. Without:
BUNDLE_PKGS=(
  libxcb1              # libxcb.so.1: the bundled libX11, libpulse (espeak-ng's audio) and Qt's xcb plugin link it;
                       #   without it `hongtu narrate` fails with "no TTS engine"
  libgl1 libegl1       # libGL.so.1, libEGL.so.1 (GLVND + Mesa): libQt6Gui links both; without them no
                       #   Qt command starts ("ImportError: libGL.so.1"), not even offscreen
  libwayland-client0 libwayland-cursor0 libwayland-egl1   # Qt's wayland platform plugin, used under cage
  libasound2           # brings libasound2-data, ALSA's configuration (/usr/share/alsa) for the bundled libasound
)
# The locked-down session: the cage Wayland kiosk compositor, or X with no window manager (--x11).
# xwayland: Debian 12's cage (0.1.4) exits at start with "Cannot create XWayland server" without it.
if [ "$UNIT" = hongtu-kiosk.service ]; then SESSION_PKGS=(cage xwayland); else SESSION_PKGS=(xserver-xorg xinit); fi
[ "$NO_SESSION" = 1 ] && SESSION_PKGS=()
PKGS=("${BUNDLE_PKGS[@]}" "${SESSION_PKGS[@]}")
if [ "$MODE" = print ]; then echo "${PKGS[@]}"; exit 0; fi

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
if [ "$MODE" = install ] && [ ! -x "$BUILD/hongtu" ]; then
  echo "install.sh: no build at $BUILD (run packaging/build.sh first)" >&2; exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}"
[ "$MODE" = packages ] && exit 0

id hongtu >/dev/null 2>&1 || useradd --system --home-dir /var/lib/hongtu --create-home --shell /usr/sbin/nologin hongtu
for g in video audio input render tty; do getent group "$g" >/dev/null && usermod -aG "$g" hongtu; done

# The build: copied to a new folder, then swapped in with a rename, so a failed copy leaves the old one.
rm -rf /opt/hongtu.new
cp -a "$BUILD" /opt/hongtu.new
[ -d /opt/hongtu ] && mv /opt/hongtu /opt/hongtu.old
mv /opt/hongtu.new /opt/hongtu
rm -rf /opt/hongtu.old

install -d -o root -g hongtu -m 0750 /etc/hongtu
if [ ! -f /etc/hongtu/kiosk_config.yaml ]; then
  {
    echo "# Hongtu terminal configuration; the documented defaults are in /opt/hongtu/_internal/kiosk_config.yaml."
    echo "data_dir: /var/lib/hongtu"
    echo "pack: # empty: the installed active pack, else the bundled sample"
  } > /etc/hongtu/kiosk_config.yaml
  chgrp hongtu /etc/hongtu/kiosk_config.yaml
  chmod 0640 /etc/hongtu/kiosk_config.yaml
fi
install -d -o hongtu -g hongtu -m 0750 /var/lib/hongtu

install -m 0644 "$HERE/hongtu-kiosk.service" "$HERE/hongtu-kiosk-x11.service" "$HERE/hongtu-hub.service" /etc/systemd/system/
ln -sf /opt/hongtu/hongtu /usr/local/bin/hongtu
# daemon-reload only when systemd runs: in a chroot (building a terminal image) enable still works.
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
if [ "$NO_SESSION" = 1 ]; then
  # A hub server (or a machine without a screen): the build and the units, no kiosk at boot.
  echo "Installed without a kiosk session. For a hub server: systemctl enable --now hongtu-hub.service"
  exit 0
fi
systemctl disable hongtu-kiosk.service hongtu-kiosk-x11.service >/dev/null 2>&1 || true
systemctl enable "$UNIT"
systemctl set-default graphical.target
echo "Installed. Set the admin PIN: runuser -u hongtu -- hongtu admin set-pin --config /etc/hongtu/kiosk_config.yaml"
echo "Start now with: systemctl start $UNIT   (it also starts on every boot)"
