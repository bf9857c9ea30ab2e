#!/bin/bash
# Build the motcua Raspberry Pi OS Lite (trixie, arm64) image with pi-gen at a pinned tag.
#
#   image_build/build.sh [--native] [--data-label LABEL]
#
# Needs either Docker (default: pi-gen's build-docker.sh, with binfmt/qemu for arm64 on an
# x86 host) or an arm64 Debian/Raspberry Pi OS host run as root (--native). It downloads
# pi-gen and Raspberry Pi OS packages, so it cannot run in CI here; see docs/deploy.md.
# Output: image_build/work/pi-gen/deploy/*-motcua.img.xz
set -euo pipefail

PI_GEN_REPO=https://github.com/RPi-Distro/pi-gen.git
# Pinned: the pi-gen release that built Raspberry Pi OS Lite 2026-06-18 (trixie, arm64; the tag
# is on pi-gen's arm64 branch, whose build.sh fixes ARCH=arm64 and defaults RELEASE=trixie).
# Change it deliberately, then rebuild and re-test on a Pi.
PI_GEN_REF=2026-06-18-raspios-trixie-arm64

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${WORK_DIR:-$here/work}
native=no
data_label=""

while [ $# -gt 0 ]; do
    case "$1" in
        --native) native=yes ;;
        --data-label) data_label=${2:?--data-label needs a label, e.g. MOTCUA-DATA}; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

mkdir -p "$work"

echo "==> motcua .deb for arm64"
rm -f "$work"/deb/motcua_*_arm64.deb
ARCH=arm64 OUT_DIR="$work/deb" "$here/build-deb.sh"

echo "==> pi-gen $PI_GEN_REF"
pigen=$work/pi-gen
if [ ! -d "$pigen/.git" ]; then
    git clone --depth 1 --branch "$PI_GEN_REF" "$PI_GEN_REPO" "$pigen"
fi
actual=$(git -C "$pigen" describe --tags --exact-match 2>/dev/null || true)
if [ "$actual" != "$PI_GEN_REF" ]; then
    echo "$pigen is at '${actual:-an untagged commit}', expected $PI_GEN_REF; delete it and rerun" >&2
    exit 1
fi

echo "==> stage-motcua"
rm -rf "$pigen/stage-motcua"
cp -a "$here/pi-gen/stage-motcua" "$pigen/stage-motcua"
cp "$work"/deb/motcua_*_arm64.deb "$pigen/stage-motcua/00-motcua/files/"
# Only our stage exports an image; stage2 (plain Lite) is an intermediate step.
touch "$pigen/stage2/SKIP_IMAGES"
rm -f "$pigen/stage2/EXPORT_NOOBS"
cp "$here/pi-gen/config" "$pigen/config"
if [ -n "$data_label" ]; then
    printf 'export MOTCUA_DATA_LABEL=%q\n' "$data_label" >> "$pigen/config"
fi

echo "==> build"
cd "$pigen"
if [ "$native" = yes ]; then
    ./build.sh -c config
else
    ./build-docker.sh -c config
fi
ls -l "$pigen"/deploy/
