#!/usr/bin/env bash
# Does `make test` hold on a fresh Debian machine? An opt-in check (minutes; never run by `make test`).
#
#   sudo scripts/fresh-machine-check.sh [--keep] [--new-base] [PYTEST ARGS...]
#
# 1. A minimal Debian bookworm (`debootstrap --variant=minbase`: no python3, no make, no git) is made
#    once under /var/tmp/motcua-fresh-base and copied for each run to /var/tmp/motcua-fresh-run.
# 2. A clean clone of this repository's HEAD (committed work only) goes to /root/motcua inside it.
# 3. Inside the chroot, as root with an empty environment, exactly what the README says:
#    `apt-get install -y make` (the one bootstrap line), `make setup` (system packages for the venv,
#    then .venv), `make run` on a free port (its own packages, Chromium and espeak-ng; this machine
#    then asks for the health, /display, /kiosk and a PDF as the demo's admin:
#    scripts/demo-pages-check.py), `bash scripts/system-deps.sh test`, then
#    `make test PYTEST_ARGS=...` on a subset
#    (default: the domain, config, printer options, the sync tests against the hub on PostgreSQL,
#    and one browser test). Before each step it lists which commands the machine still lacks.
#
# The chroot shares this machine's network: PostgreSQL of the host answers on 127.0.0.1:5432 and
# system-deps then installs none (it must not start a second one on a taken port). Packages are not
# allowed to start services inside the chroot (/usr/sbin/policy-rc.d, as usual in a chroot).
# This machine's network settings (proxy variables, the CA bundle its TLS-inspecting proxy needs,
# named by PIP_CERT / REQUESTS_CA_BUNDLE / SSL_CERT_FILE) are handed in: they belong to the network,
# not to the machine's packages. /proc, /sys, /dev are mounted for the run and unmounted at the end, whatever happens. The log is
# /var/tmp/motcua-fresh-run.log. --keep leaves the run's tree for a look; --new-base makes the base again.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/chroot-tree.sh
. "$here/scripts/chroot-tree.sh"
base=/var/tmp/motcua-fresh-base
root=/var/tmp/motcua-fresh-run
log=/var/tmp/motcua-fresh-run.log
keep=0
new_base=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1; shift ;;
    --new-base) new_base=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -gt 0 ]; then
  tests="$*"
else
  tests="-q tests/appliance/domain tests/appliance/test_config.py tests/appliance/printer/test_printer_options.py tests/appliance/sync tests/browser/test_pages_layout.py"
fi

[ "$(id -u)" -eq 0 ] || { echo "Chạy bằng root / run as root: sudo $0" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap; }

mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}

if ((new_base)) || [ ! -e "$base/.complete" ]; then
  remove_tree "$base"
  echo "==> debootstrap --variant=minbase bookworm $base ($mirror)"
  debootstrap --variant=minbase bookworm "$base" "$mirror"
  touch "$base/.complete"
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -lR "${mounted[i]}" || true
  done
  if ((keep)); then
    echo "==> kept $root"
  else
    remove_tree "$root"
  fi
}
trap cleanup EXIT

remove_tree "$root"
cp -a "$base" "$root"
rm -f "$root/.complete"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# An installed Debian follows its point and security updates too, not only the release debootstrap
# names: the same archive sections as this machine.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
  rm -f "$root/etc/apt/sources.list"
fi
# What the Debian installer (or a container runtime) writes and debootstrap does not: without it
# "localhost" does not resolve and chromedriver cannot be reached.
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"

commit=$(git -C "$here" rev-parse HEAD)
git clone --quiet --no-hardlinks "$here" "$root/root/motcua"
git -C "$root/root/motcua" checkout --quiet --detach "$commit"

mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount --rbind /sys "$root/sys"; mount --make-rslave "$root/sys"; mounted+=("$root/sys")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounted+=("$root/dev")

# The network's own set-up, not the machine's: a proxy, and a TLS-inspecting proxy's CA that this
# machine's environment points pip and requests at (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE).
# The bundle is copied beside Debian's (which ca-certificates rebuilds) and the variables follow.
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
    LANG=C.UTF-8 TERM=dumb "${network_env[@]}" /bin/bash -c "$1"
}

# shellcheck disable=SC2016  # expanded inside the chroot, not here
lacks() {  # which of the commands a newcomer might expect this machine still lacks
  in_chroot 'for c in make git curl python3 gcc cc pg_isready psql chromium; do
               command -v "$c" >/dev/null || printf "%s " "$c"; done
             dpkg-query -W -f="\${Status}" python3-venv 2>/dev/null | grep -q "ok installed" || printf "python3-venv "
             dpkg-query -W -f="\${Status}" libusb-1.0-0 2>/dev/null | grep -q "ok installed" || printf "libusb-1.0-0 "
             dpkg-query -W -f="\${Status}" ca-certificates 2>/dev/null | grep -q "ok installed" || printf "ca-certificates "'
}

step() {
  echo "==> lacks now: $(lacks)"
  echo "==> $1"
  in_chroot "cd /root/motcua && $1"
}

# `make run` as the README says (it installs the demo's own packages: Chromium, espeak-ng), on a
# port nobody holds; once it says where it serves, this machine asks for the health, the hall
# display, the kiosk and a PDF as the demo's admin (scripts/demo-pages-check.py), then stops it.
demo_check() {
  local port demo i
  port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  echo "==> lacks now: $(lacks)"
  echo "==> make run DEMO_ARGS='--port $port'"
  in_chroot "cd /root/motcua && exec make run DEMO_ARGS='--port $port'" > "$root.demo.log" 2>&1 &
  demo=$!
  for i in $(seq 1 900); do
    grep -q "panel: http://127.0.0.1:$port" "$root.demo.log" && break
    kill -0 "$demo" 2>/dev/null || break
    sleep 1
  done
  grep -v -e 'generated clip' -e 'migration 0' "$root.demo.log" | sed 's/^/    /'
  if ! grep -q "panel: http://127.0.0.1:$port" "$root.demo.log"; then
    kill "$demo" 2>/dev/null || true
    echo "==> make run did not start"
    return 1
  fi
  echo "==> make run serves after ${i} s; the pages:"
  local status=0
  python3 "$here/scripts/demo-pages-check.py" "$port" "$root/root/motcua/var/demo-logins.txt" || status=$?
  # The demo is `motcua demo` under make under chroot: stop that program (the one whose root is
  # this tree), make and chroot end with it.
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && [ "$(cat "$p/comm" 2>/dev/null)" = motcua ] &&
      { kill -TERM "${p#/proc/}" 2>/dev/null || true; }
  done
  wait "$demo" 2>/dev/null || true
  return "$status"
}

{
  echo "==> fresh Debian bookworm minbase, motcua $commit, $(date -u +%FT%TZ)"
  step "apt-get update -qq && apt-get install -y -qq make"
  step "make setup"
  demo_check
  step "bash scripts/system-deps.sh test"
  step "make test PYTEST_ARGS='$tests'"
  echo "==> lacks at the end: $(lacks)"
  echo "==> the fresh machine passed"
} 2>&1 | tee "$log"
