#!/usr/bin/env bash
# Runs a build on a bare Debian 12 (no Python), the way a terminal gets it: a `debootstrap --variant=minbase`
# root, only the packages packaging/linux/install.sh lists (--packages-only --no-session: no cage/X, the
# checks draw off screen), then packaging/check_build.sh inside it. Run as root on a Debian/Ubuntu host:
#   packaging/verify_fresh_debian.sh [--fresh] [--full] [ROOT] [BUILD_DIR]
#     ROOT       the chroot folder (default /work/chroot-bare); made with debootstrap if missing
#     BUILD_DIR  default dist/hongtu
#     --fresh    delete ROOT first and debootstrap it again (~30 s with a fast mirror)
#     --full     check_build.sh --full: tour every screen instead of the home screens
# The check artefacts (tour PNGs, wavs, kiosk log) land in ROOT/root/hongtu-check. Mounts are undone on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
FRESH=0
CHECK_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh) FRESH=1; shift ;;
    --full) CHECK_ARGS+=(--full); shift ;;
    -*) echo "verify_fresh_debian.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
ROOT="${1:-/work/chroot-bare}"
BUILD="${2:-dist/hongtu}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" -eq 0 ] || { echo "verify_fresh_debian.sh: run as root (debootstrap, chroot, mount)" >&2; exit 1; }
[ -x "$BUILD/hongtu" ] || { echo "verify_fresh_debian.sh: no build at $BUILD (run packaging/build.sh)" >&2; exit 1; }

stamp() { date -u +%H:%M:%S; }
if [ "$FRESH" = 1 ] && [ -d "$ROOT" ]; then
  if grep -q " $(realpath "$ROOT")/" /proc/mounts; then echo "verify_fresh_debian.sh: $ROOT has mounts; not deleting" >&2; exit 1; fi
  rm -rf "$ROOT"
fi
if [ ! -x "$ROOT/bin/bash" ]; then
  echo "[$(stamp)] debootstrap --variant=minbase bookworm $ROOT $MIRROR"
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >/dev/null
fi

MOUNTED=()
cleanup() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount "${MOUNTED[$i]}" || umount -l "${MOUNTED[$i]}" || true; done
}
trap cleanup EXIT
mnt() { mount "$@" && MOUNTED+=("${@: -1}"); }
mnt -t proc proc "$ROOT/proc"
mnt --bind /sys "$ROOT/sys"
mnt --bind /dev "$ROOT/dev"
mnt --bind /dev/pts "$ROOT/dev/pts"

inroot() { chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
echo "[$(stamp)] $(inroot sh -c '. /etc/os-release; echo "$PRETTY_NAME"'), $(inroot dpkg-query -W -f '.\n' | wc -l) packages;" \
  "python3: $(inroot sh -c 'command -v python3 python3.11 python || echo none')"

echo "[$(stamp)] copying $BUILD ($(du -sh "$BUILD" | cut -f1)) to $ROOT/opt/hongtu"
rm -rf "$ROOT/opt/hongtu" "$ROOT/opt/hongtu-packaging"
cp -a "$BUILD" "$ROOT/opt/hongtu"
mkdir -p "$ROOT/opt/hongtu-packaging"
cp -a packaging/check_build.sh packaging/linux "$ROOT/opt/hongtu-packaging/"

PKGS=$(bash packaging/linux/install.sh --print-packages --no-session)
echo "[$(stamp)] installing the build's system packages: $PKGS"
before=$(inroot dpkg-query -W -f '.\n' | wc -l)
inroot bash /opt/hongtu-packaging/linux/install.sh --packages-only --no-session >/dev/null
echo "[$(stamp)] installed $(( $(inroot dpkg-query -W -f '.\n' | wc -l) - before )) packages (with dependencies);" \
  "python3: $(inroot sh -c 'command -v python3 python3.11 python || echo none')"

echo "[$(stamp)] packaging/check_build.sh in the chroot"
rm -rf "$ROOT/root/hongtu-check"
rc=0
inroot bash /opt/hongtu-packaging/check_build.sh "${CHECK_ARGS[@]}" --out /root/hongtu-check /opt/hongtu || rc=$?
echo "[$(stamp)] done (exit $rc); artefacts in $ROOT/root/hongtu-check"
exit "$rc"
