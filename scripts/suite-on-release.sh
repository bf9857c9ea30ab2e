#!/usr/bin/env bash
# Run the test suite (all but the browser and packaging tests) on the Python of another Debian
# release: by default trixie's Python 3.13, the one Raspberry Pi OS trixie and so the image ships.
# CI runs it after `make test` (.ci/run); the machine's own Python (bookworm, 3.11) runs the rest.
#
#   sudo scripts/suite-on-release.sh [--release trixie] [--new-base] [PYTEST ARGS...]
#
# 1. A Debian root (`debootstrap --variant=minbase` + python3, python3-venv and what the appliance
#    loads) is made once under $MOTCUA_TEST_CACHE (default /var/cache/motcua-test)/suite-RELEASE,
#    with a venv of the project's pinned dependencies (made again when pyproject.toml changes).
# 2. This working tree (less .git, .venv, var, dist) is copied to /src there and installed
#    editable into that venv, without dependencies; /proc, /sys and /dev are mounted for the run
#    and unmounted at the end.
# 3. pytest runs there. Default selection: tests/appliance (domain, services, store, sync, web
#    non-browser, devices, printer, pager, audio, ops), tests/district (hub, against this machine's
#    PostgreSQL on 127.0.0.1:5432: the chroot shares its network) and tests/test_error_tree.py,
#    less the WebDriver tests (the `browser` marker, tests/browser). The root has the release's own
#    Chromium (installed with apt-get once, after debootstrap): every paper, report and Biểu II.06a
#    PDF is printed there with the browser the image ships, as on the host. tests/deploy builds and
#    installs the .deb with host tools; it stays on the host.
# The network's settings (proxy variables, the CA bundle named by PIP_CERT / REQUESTS_CA_BUNDLE /
# SSL_CERT_FILE) are handed in as in scripts/fresh-machine-check.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/chroot-tree.sh
. "$here/scripts/chroot-tree.sh"
release=trixie
new_base=0
while [ $# -gt 0 ]; do
  case "$1" in
    --release) release=${2:?--release needs a Debian release name}; shift 2 ;;
    --new-base) new_base=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -gt 0 ]; then
  tests=("$@")
else
  # The WebDriver tests stay on the host (no chromium-driver here); the PDFs are printed here.
  tests=(-q -m "not browser" --ignore=tests/browser --ignore=tests/deploy
         tests/appliance tests/district tests/test_error_tree.py)
fi

[ "$(id -u)" -eq 0 ] || { echo "Chạy bằng root / run as root: sudo $0" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap; }

cache=${MOTCUA_TEST_CACHE:-/var/cache/motcua-test}
root=$cache/suite-$release
# The A4 papers' serif (Liberation 2.x, with the Vietnamese letters): fonts-liberation from trixie on,
# fonts-liberation2 on bookworm (whose fonts-liberation is 1.07), as scripts/system-deps.sh installs.
serif=fonts-liberation
[ "$release" = bookworm ] && serif=fonts-liberation2
packages=python3,python3-venv,ca-certificates,libusb-1.0-0,fonts-dejavu-core,$serif,espeak-ng,sox,poppler-utils
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$cache"
exec 9>"$cache/.suite-$release.lock"
flock 9  # one run at a time per release: the root and its venv are shared
unmount_tree "$root"  # what a killed run left mounted (its EXIT trap never ran)

started=$(date +%s)
if ((new_base)) || [ "$(cat "$root/.complete" 2>/dev/null)" != "$packages" ]; then
  remove_tree "$root"
  echo "==> debootstrap --variant=minbase $release $root ($mirror)"
  debootstrap --variant=minbase --include="$packages" "$release" "$root" "$mirror" >"$cache/suite-$release.debootstrap.log" 2>&1 || {
    tail -n 30 "$cache/suite-$release.debootstrap.log" >&2; exit 1; }
  rm -rf "$root/var/cache/apt/archives/"*.deb
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
  echo "$packages" > "$root/.complete"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# An installed Debian has a machine id (systemd writes it at first boot); a debootstrapped root has
# none, and the device's own name (motcua hostname) is made from it where there is no Pi serial.
[ -s "$root/etc/machine-id" ] || od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$root/etc/machine-id"

mounted=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -lR "${mounted[i]}" || true
  done
}
trap cleanup EXIT
rm -rf "$root/src"
mkdir -p "$root/src"
tar -C "$here" --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./dist --exclude=./build \
    --exclude='*.egg-info' --exclude=__pycache__ --exclude=./tests/artifacts -cf - . | tar -C "$root/src" -xf -
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount --rbind /sys "$root/sys"; mount --make-rslave "$root/sys"; mounted+=("$root/sys")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounted+=("$root/dev")

network_env=()
for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -n "${!var:-}" ] && network_env+=("$var=${!var}")
done
for var in PIP_CERT REQUESTS_CA_BUNDLE SSL_CERT_FILE; do
  if [ -n "${!var:-}" ] && [ -f "${!var}" ]; then
    mkdir -p "$root/etc/ssl"
    cp "${!var}" "$root/etc/ssl/network-ca-$var.crt"
    network_env+=("$var=/etc/ssl/network-ca-$var.crt")
  fi
done
in_chroot() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb PYTHONDONTWRITEBYTECODE=1 "${network_env[@]}" "$@"
}

# What the papers are printed with: Chromium, from the release's own archive. apt-get rather than
# debootstrap --include (whose resolver does not follow Chromium's alternatives); once per root.
extras=chromium
if [ "$(cat "$root/.extras" 2>/dev/null)" != "$extras" ]; then
  echo "==> apt-get install $extras ($release)"
  { in_chroot apt-get update -qq &&
    in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $extras &&
    in_chroot apt-get clean; } >"$cache/suite-$release.extras.log" 2>&1 || {
    tail -n 30 "$cache/suite-$release.extras.log" >&2; exit 1; }
  echo "$extras" > "$root/.extras"
fi

python_version=$(in_chroot python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
venv=/opt/suite-venv-$(sha1sum "$here/pyproject.toml" | cut -c1-12)
if [ ! -x "$root$venv/.complete" ]; then
  echo "==> venv $venv (Python $python_version) with the pinned dependencies"
  rm -rf "$root"/opt/suite-venv-*
  in_chroot python3 -m venv "$venv"
  # The project's own pins (dependencies and the hub and test extras), not an editable install.
  in_chroot python3 -c 'import tomllib; p = tomllib.load(open("/src/pyproject.toml", "rb"))["project"]
print("\n".join(p["dependencies"] + p["optional-dependencies"]["hub"] + p["optional-dependencies"]["test"]))' \
    > "$root/opt/requirements.txt"
  in_chroot "$venv/bin/pip" install --quiet --disable-pip-version-check -r /opt/requirements.txt \
    "setuptools>=68" wheel
  printf '#!/bin/sh\n' > "$root$venv/.complete"; chmod +x "$root$venv/.complete"
fi
in_chroot "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e /src
ready=$(date +%s)

echo "==> Debian $release, Python $python_version: pytest ${tests[*]}"
status=0
# shellcheck disable=SC2016  # expanded by the shell inside the chroot
in_chroot /bin/sh -c 'cd /src && exec "$0" -m pytest -p no:cacheprovider "$@"' \
  "$venv/bin/python" "${tests[@]}" || status=$?
finished=$(date +%s)
echo "==> Debian $release, Python $python_version: set-up $((ready - started)) s, tests $((finished - ready)) s, exit $status"
exit $status
