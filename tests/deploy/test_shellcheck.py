"""shellcheck on every shell script we ship or run (maintainer scripts, builders, pi-gen stage)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shell_scripts() -> list[Path]:
    found = []
    for folder in ("image_build", "systemd", "scripts", ".ci"):
        for path in sorted((REPO / folder).rglob("*")):
            if not path.is_file() or "work" in path.relative_to(REPO).parts[1:2]:
                continue
            with path.open("rb") as f:
                first = f.readline()
            if path.suffix == ".sh" or (first.startswith(b"#!") and (b"sh" in first.split(b"/")[-1])):
                found.append(path)
    return found


def test_scripts_are_found():
    names = {p.name for p in shell_scripts()}
    assert {"build.sh", "build-deb.sh", "postinst", "prerm", "postrm", "motcua-setup", "prerun.sh",
            "00-run.sh", "01-run.sh", "motcua-kiosk-browser", "system-deps.sh", "run"} <= names


@pytest.mark.parametrize("script", shell_scripts(), ids=lambda p: str(p.relative_to(REPO)))
def test_shellcheck_clean(script):
    proc = subprocess.run(["shellcheck", "--external-sources", "--severity=style", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


FRAGMENTS = [REPO / "image_build/pi-gen/config", REPO / "image_build/pi-gen/stage-motcua/EXPORT_IMAGE"]


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda p: p.name)
def test_sourced_bash_fragments_are_clean(fragment):
    proc = subprocess.run(["shellcheck", "--shell=bash", "--exclude=SC2034", str(fragment)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
