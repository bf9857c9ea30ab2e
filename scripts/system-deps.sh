#!/usr/bin/env bash
# The Debian packages the tests need, installed when missing (idempotent), and the local
# PostgreSQL started when it is installed but not running. Called by `make test`.
set -euo pipefail

need=(chromium chromium-driver espeak-ng sox poppler-utils shellcheck debootstrap fonts-dejavu-core
      dpkg-dev systemd postgresql)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Thiếu gói hệ thống / missing Debian packages: ${missing[*]}" >&2
    echo "Chạy / run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null; then
    version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || {
    echo "PostgreSQL không chạy ở 127.0.0.1:5432 / PostgreSQL is not running on 127.0.0.1:5432" >&2
    exit 1
  }
fi
