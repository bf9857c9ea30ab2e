#!/usr/bin/env bash
# Does the arm64 .deb work on the Pi's Debian? An emulated arm64 Debian trixie root (debootstrap +
# qemu-user-static), opt-in (tens of minutes; never run by `make test`; the test
# tests/deploy/test_arm64_root.py runs it when MOTCUA_TEST_ARM64=1).
#
#   sudo scripts/arm64-root-check.sh [--deb PATH] [--new-base] [--keep]
#
# 1. qemu-user-static is installed when missing and registered for aarch64 in binfmt_misc with the
#    F flag (the interpreter is opened once, so it works inside a chroot); binfmt_misc is mounted
#    when it is not.
# 2. A pristine Debian trixie arm64 root (`debootstrap --arch=arm64 --variant=minbase`, plus
#    ca-certificates) is made once under $MOTCUA_TEST_CACHE (default /var/cache/motcua-test)/
#    arm64-trixie and copied for each run.
# 3. The .deb is built for arm64 (ARCH=arm64 image_build/build-deb.sh) unless --deb names one.
# 4. Inside, emulated: how many packages `apt-get install ./motcua.deb` would pull (with and
#    without Recommends, and what Chromium alone would add), then the install itself (postinst:
#    user, venv from the bundled wheels, `motcua init`), `motcua doctor` (its exit status: a fresh
#    office has no services yet, so 1 is the truthful answer), `motcua serve` as the service user
#    on 127.0.0.1:$PORT (default: a free port), once it says it serves there, GET /api/v1/health and
#    GET /display from this machine:
#    the pairing screen (401 with a code), as a TV with no token shows it.
# Every step prints one `==> ` line; the last is `==> arm64 root passed in N s`. The log is
# /var/tmp/motcua-arm64-run.log.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/chroot-tree.sh
. "$here/scripts/chroot-tree.sh"
cache=${MOTCUA_TEST_CACHE:-/var/cache/motcua-test}
base=$cache/arm64-trixie
root=/var/tmp/motcua-arm64-run
log=/var/tmp/motcua-arm64-run.log
# A port nobody holds (another program on a fixed port would answer in our place).
port=${PORT:-$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
deb=""
new_base=0
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$(realpath "${2:?--deb needs a path}"); shift 2 ;;
    --new-base) new_base=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "Chạy bằng root / run as root: sudo $0" >&2; exit 1; }

exec > >(tee "$log") 2>&1
started=$(date +%s)
step() { echo "==> $* ($(($(date +%s) - started)) s)"; }

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
[ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  # Debian's own entry, with the static interpreter and the F flag instead of the P wrapper.
  sed -e 's#:[^:]*:[A-Z]*$#:/usr/bin/qemu-aarch64-static:F#' /usr/lib/binfmt.d/qemu-aarch64.conf > "$binfmt/register"
fi
step "qemu-aarch64: $(head -n1 "$binfmt/qemu-aarch64"), $(/usr/bin/qemu-aarch64-static --version | head -n1)"

mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$cache"
exec 9>"$cache/.arm64-trixie.lock"
flock 9
if ((new_base)) || [ ! -e "$base/.complete" ]; then
  remove_tree "$base"
  step "debootstrap --arch=arm64 --variant=minbase trixie ($mirror)"
  debootstrap --arch=arm64 --variant=minbase --include=ca-certificates trixie "$base" "$mirror" \
    > "$cache/arm64-trixie.debootstrap.log" 2>&1 || { tail -n 30 "$cache/arm64-trixie.debootstrap.log"; exit 1; }
  rm -rf "$base/var/cache/apt/archives/"*.deb
  touch "$base/.complete"
fi

if [ -z "$deb" ]; then
  step "ARCH=arm64 image_build/build-deb.sh"
  out=$(mktemp -d)
  python=${PYTHON:-python3}
  [ -x "$here/.venv/bin/python" ] && python=${PYTHON:-$here/.venv/bin/python}
  ARCH=arm64 OUT_DIR="$out" PYTHON=$python "$here/image_build/build-deb.sh" >/dev/null
  deb=$(ls "$out"/motcua_*_arm64.deb)
fi
step "deb $(basename "$deb")"

mounted=()
server=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local i
  if [ -n "$server" ]; then  # never let a server already gone stop the unmounting
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -lR "${mounted[i]}" || true
  done
  ((keep)) || remove_tree "$root"
}
trap cleanup EXIT
remove_tree "$root"
cp -a "$base" "$root"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
cp "$deb" "$root/tmp/motcua.deb"
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounted+=("$root/dev")
mount --rbind /sys "$root/sys"; mount --make-rslave "$root/sys"; mounted+=("$root/sys")

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -ec "$1"
}

step "uname -m inside: $(in_root 'uname -m'), $(sed -n 's/^PRETTY_NAME=//p' "$root/etc/os-release")"
in_root 'apt-get update -qq'
count() { in_root "apt-get -s install $1" | grep -c '^Inst ' || true; }
headless=$(count "./tmp/motcua.deb")
bare=$(count "--no-install-recommends ./tmp/motcua.deb")
browser=$(count "--no-install-recommends chromium")
step "apt-get -s install ./motcua.deb: $headless packages with Recommends, $bare without; chromium alone: $browser"

in_root 'apt-get install -y -qq ./tmp/motcua.deb' > "$root.install.log" 2>&1 || { tail -n 40 "$root.install.log"; exit 1; }
step "installed: $(in_root 'motcua --version'), $(in_root '/opt/motcua/bin/python --version')"
in_root 'test -s /var/lib/motcua/motcua.db && test -s /var/lib/motcua/admin-password.txt'
step "init: database and admin password made by postinst ($(in_root 'stat -c "%U %a" /var/lib/motcua/motcua.db'))"
# `motcua init` again as the service user: idempotent.
in_root 'cd /var/lib/motcua && setpriv --reuid=motcua --regid=motcua --init-groups env MOTCUA_CONFIG=/etc/motcua/config.toml /opt/motcua/bin/motcua init' | tail -n1

doctor_status=0
in_root 'MOTCUA_CONFIG=/etc/motcua/config.toml motcua doctor' > "$root.doctor.log" 2>&1 || doctor_status=$?
sed 's/^/    /' "$root.doctor.log"
step "doctor exit status $doctor_status"

chroot "$root" /usr/bin/env -i HOME=/var/lib/motcua PATH=/usr/bin:/bin LANG=C.UTF-8 \
  MOTCUA_CONFIG=/etc/motcua/config.toml setpriv --reuid=motcua --regid=motcua --init-groups \
  /bin/sh -c "cd /var/lib/motcua && exec /opt/motcua/bin/motcua serve --host 127.0.0.1 --port $port" \
  > "$root.serve.log" 2>&1 &
server=$!
# Wait for our own server to say where it serves (emulated Python starts slowly: up to 10 minutes).
for _ in $(seq 1 600); do
  grep -q "Bảng điều khiển / panel: http://127.0.0.1:$port" "$root.serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$root.serve.log"; exit 1; }
  sleep 1
done
grep -q "Bảng điều khiển / panel: http://127.0.0.1:$port" "$root.serve.log" || { cat "$root.serve.log"; exit 1; }
health=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/api/v1/health', timeout=120).read().decode()[:120])")
step "serve: /api/v1/health $health"
# A screen with no token gets the pairing page (status 401): a code for an administrator to approve.
python3 - "$port" "$root.display.html" <<'PY' > "$root.display.txt"
import re, sys, urllib.error, urllib.request
try:
    answer = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/display", timeout=120)
    status, body = answer.status, answer.read().decode()
except urllib.error.HTTPError as exc:
    status, body = exc.code, exc.read().decode()
open(sys.argv[2], "w", encoding="utf-8").write(body)
code = re.search(r'id="pairing-code" data-code="([^"]+)"', body)
title = re.search(r"<title>([^<]*)</title>", body)
print(status, "pairing code", code[1] if code else "none", "|", title[1].strip() if title else "")
PY
step "GET /display: $(cat "$root.display.txt")"
grep -q '^401 pairing code [^ n]' "$root.display.txt"
step "arm64 root passed in $(($(date +%s) - started)) s"
