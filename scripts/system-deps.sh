#!/usr/bin/env bash
# The Debian packages motcua needs on a development machine, installed when missing (idempotent).
#
#   scripts/system-deps.sh build   what .venv needs: Python with venv to make it, and what
#                                  the appliance itself loads (libusb for USB printers, CA
#                                  certificates, the DejaVu fonts of the tickets, Liberation
#                                  Serif/Mono 2.x for the A4 papers)
#   scripts/system-deps.sh run     the same, plus what the demo itself drives: Chromium (every PDF,
#                                  [web].pdf_warm) and espeak-ng (the hall display's announcements);
#                                  without them a fresh machine's `make run` answered 503 on every
#                                  PDF and the display stayed silent
#   scripts/system-deps.sh test    `run`'s, plus what the tests drive (chromium-driver, sox,
#                                  poppler, shellcheck, debootstrap, dpkg-dev, systemd) and a
#                                  PostgreSQL on 127.0.0.1:5432 for the hub tests
#
# The Makefile calls `build` before it creates .venv, `run` before the demo and `test` before pytest.
# As root it installs with apt-get (a fresh Debian has an empty package list: it runs `apt-get
# update` first); as any other user it prints the one line to run and stops. `make` itself is the only thing to install by
# hand on a fresh machine: `apt-get install -y make`.
#
# PostgreSQL: nothing is installed when MOTCUA_TEST_PG names a server, or when a server already
# answers on 127.0.0.1:5432 (a container's, a chroot's host); otherwise the `postgresql` package is
# installed and its cluster started when it is stopped.
set -euo pipefail

mode=${1:-test}
# The A4 papers' Times-compatible serif with every Vietnamese letter is Liberation 2.x: Debian's
# fonts-liberation from trixie on; bookworm's fonts-liberation is 1.07 (no Vietnamese), its 2.x is
# fonts-liberation2.
serif=fonts-liberation
if grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then serif=fonts-liberation2; fi
build=(python3 python3-venv ca-certificates libusb-1.0-0 fonts-dejavu-core "$serif")
run=(chromium espeak-ng)
test=(chromium-driver sox poppler-utils shellcheck debootstrap dpkg-dev systemd)

case "$mode" in
  build) need=("${build[@]}") ;;
  run) need=("${build[@]}" "${run[@]}") ;;
  test) need=("${build[@]}" "${run[@]}" "${test[@]}") ;;
  *) echo "usage: $0 build|run|test" >&2; exit 2 ;;
esac

pg_answers() {  # without pg_isready, which a fresh machine does not have
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
}

local_pg=0
if [ "$mode" = test ] && [ -z "${MOTCUA_TEST_PG:-}" ] && ! pg_answers; then
  local_pg=1
  need+=(postgresql)
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for pkg in "${need[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Thiếu gói hệ thống / missing Debian packages: ${missing[*]}" >&2
    echo "Chạy / run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A cluster that answers on its port but cannot serve a session: its dynamic shared memory under
# /dev/shm was removed or hidden by a later mount (seen here while chroot checks ran beside it:
# "could not open shared memory segment"). Restarting it makes new segments; its data is untouched.
if [ "$mode" = test ] && [ -z "${MOTCUA_TEST_PG:-}" ] && [ "$(id -u)" -eq 0 ] && pg_answers \
   && command -v psql >/dev/null && command -v pg_ctlcluster >/dev/null; then
  answer=$(psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1' 2>&1) || case "$answer" in
    *"shared memory segment"*)
      version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
      echo "==> PostgreSQL $version: its shared memory is gone; restarting the cluster"
      pg_ctlcluster --skip-systemctl-redirect "$version" main restart
      for _ in $(seq 1 60); do psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done ;;
  esac
fi

if ((local_pg)) && ! pg_answers; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null; then
    version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 60); do pg_answers && break; sleep 1; done
  fi
  pg_answers || {
    echo "PostgreSQL không chạy ở 127.0.0.1:5432 / PostgreSQL is not running on 127.0.0.1:5432" >&2
    exit 1
  }
  # The tests log in as postgres from 127.0.0.1 without a password; Debian's cluster asks for one.
  # On this (test) machine's own cluster, let that one user in from loopback: never on a hub server.
  if ! psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    hba=$(su postgres -c "psql -Atc 'SHOW hba_file'")
    echo "==> $hba: host all postgres 127.0.0.1/32 trust (the tests' login)"
    sed -i '1i host all postgres 127.0.0.1/32 trust  # motcua tests (scripts/system-deps.sh)' "$hba"
    su postgres -c "psql -Atc 'SELECT pg_reload_conf()'" >/dev/null
  fi
fi
