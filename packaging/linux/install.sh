#!/usr/bin/env bash
# Installs a Hongtu build on a Debian/Ubuntu terminal: the one-folder build to /opt/hongtu, a
# dedicated `hongtu` user, the config in /etc/hongtu, and the systemd units. Run as root:
#   packaging/linux/install.sh [BUILD_DIR]          (default: dist/hongtu, made by packaging/build.sh)
#   packaging/linux/install.sh --x11 [BUILD_DIR]    (X server without a window manager instead of cage)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
UNIT=hongtu-kiosk.service
if [ "${1:-}" = "--x11" ]; then UNIT=hongtu-kiosk-x11.service; shift; fi
BUILD="${1:-$HERE/../../dist/hongtu}"
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
[ -x "$BUILD/hongtu" ] || { echo "install.sh: no build at $BUILD (run packaging/build.sh first)" >&2; exit 1; }

# Runtime system packages: the compositor (or X), fonts, speech voices, audio.
PKGS=(fonts-noto-cjk espeak-ng-data libpulse0 libasound2 libegl1 libgl1 libxkbcommon0 libwayland-client0 libwayland-egl1)
if [ "$UNIT" = hongtu-kiosk.service ]; then PKGS+=(cage); else PKGS+=(xserver-xorg xinit); fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}"

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
    echo "# Hongtu terminal configuration; the documented defaults are in /opt/hongtu/kiosk_config.yaml."
    echo "data_dir: /var/lib/hongtu"
    echo "pack: # empty: the installed active pack, else the bundled sample"
  } > /etc/hongtu/kiosk_config.yaml
  chgrp hongtu /etc/hongtu/kiosk_config.yaml
  chmod 0640 /etc/hongtu/kiosk_config.yaml
fi
install -d -o hongtu -g hongtu -m 0750 /var/lib/hongtu

install -m 0644 "$HERE/hongtu-kiosk.service" "$HERE/hongtu-kiosk-x11.service" "$HERE/hongtu-hub.service" /etc/systemd/system/
ln -sf /opt/hongtu/hongtu /usr/local/bin/hongtu
systemctl daemon-reload
systemctl disable hongtu-kiosk.service hongtu-kiosk-x11.service >/dev/null 2>&1 || true
systemctl enable "$UNIT"
systemctl set-default graphical.target
echo "Installed. Set the admin PIN with: sudo -u hongtu hongtu --help; hongtu admin set-pin --config /etc/hongtu/kiosk_config.yaml"
echo "Start now with: systemctl start $UNIT   (it also starts on every boot)"
