"""The arm64 .deb in an emulated arm64 Debian trixie root (scripts/arm64-root-check.sh): it
installs, `init` makes the database, `doctor` answers, `serve` answers /api/v1/health and serves
the pairing screen on /display. Opt-in, marker ``arm64root``: tens of minutes under qemu, so it runs only when
MOTCUA_TEST_ARM64=1 (a choice to run it, not a skip of a test that would otherwise run)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Collected only with MOTCUA_TEST_ARM64=1 (tests/deploy/conftest.py): a normal run neither runs
# nor skips it.
pytestmark = [pytest.mark.arm64root, pytest.mark.slow]


def test_arm64_root(arm64_deb_file):
    proc = subprocess.run(["bash", str(REPO / "scripts/arm64-root-check.sh"), "--deb", str(arm64_deb_file)],
                          capture_output=True, text=True, timeout=7200)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    steps = [line for line in out.splitlines() if line.startswith("==> ")]
    assert any("uname -m inside: aarch64" in s and "trixie" in s for s in steps), steps
    counts = re.search(r"(\d+) packages with Recommends, (\d+) without; chromium alone: (\d+)", out)
    assert counts and int(counts[2]) <= int(counts[1]) < int(counts[3]), steps
    assert any(s.startswith("==> installed: motcua ") and "Python 3.13" in s for s in steps), steps
    assert any(s.startswith("==> init: database and admin password") for s in steps), steps
    # A fresh office has no services and the placeholder agency code: doctor says so, exit 1.
    assert "==> doctor exit status 1" in out and "Lĩnh vực và quầy" in out and "Mã cơ quan" in out
    assert any(s.startswith("==> serve: /api/v1/health") for s in steps), steps
    # No token: the pairing screen, a code for an administrator to approve.
    assert any(re.match(r"==> GET /display: 401 pairing code [A-Z0-9]+ ", s) for s in steps), steps
    assert steps[-1].startswith("==> arm64 root passed in ")
