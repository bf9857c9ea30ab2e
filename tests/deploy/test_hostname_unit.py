"""The image's motcua-hostname.service, checked with systemd's own tool in a scratch root (as
test_systemd_units does for the package's units): valid keys, executables where it says."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from test_systemd_units import exec_paths

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "image_build/pi-gen/stage-motcua/01-system/files/motcua-hostname.service"


def test_hostname_unit_verifies(tmp_path):
    root = tmp_path / "root"
    shutil.copytree("/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    target = root / "etc/systemd/system"
    target.mkdir(parents=True)
    shutil.copy(UNIT, target / UNIT.name)
    paths = exec_paths(UNIT)
    assert paths == ["/opt/motcua/bin/motcua", "/usr/bin/touch"]
    for path in paths:
        stub = root / path.lstrip("/")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    proc = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={root}", str(target / UNIT.name)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", proc.stdout + proc.stderr
    text = UNIT.read_text()
    assert "ConditionPathExists=!/var/lib/motcua/.hostname-set" in text  # once, not at every boot
    assert "Before=avahi-daemon.service motcua.service" in text  # the boot slip shows the new name
