"""The .deb for the Pi, built here for arm64 (no emulation: only wheels are fetched), and every
wheel it bundles checked against the target: aarch64, the glibc of Debian/Raspberry Pi OS trixie
(2.41), CPython 3.11 (bookworm) to 3.13 (trixie). Then pip itself, offline and told it is an
aarch64 CPython of each version, resolves motcua from the wheelhouse alone, as postinst will."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.tags import Tag
from packaging.utils import parse_wheel_filename

TARGET_GLIBC = (2, 41)  # trixie
PYTHONS = ("3.11", "3.12", "3.13")
ARCH_TAG = "aarch64"

pytestmark = pytest.mark.slow


def tag_fits(tag: Tag, python: str) -> bool:
    """Whether a wheel tag installs on an aarch64 CPython `python` with glibc TARGET_GLIBC."""
    cp = "cp" + python.replace(".", "")
    if tag.platform != "any":
        m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", tag.platform)
        legacy = {"manylinux2014_" + ARCH_TAG: (2, 17)}
        if m:
            glibc, arch = (int(m[1]), int(m[2])), m[3]
        elif tag.platform in legacy:
            glibc, arch = legacy[tag.platform], ARCH_TAG
        else:  # musllinux, linux_*, macOS, Windows
            return False
        if arch != ARCH_TAG or glibc > TARGET_GLIBC:
            return False
    if tag.abi == "none":
        return tag.interpreter in ("py3", cp) or (tag.interpreter.startswith("cp3")
                                                   and tag.platform == "any")
    if tag.abi == "abi3":
        return tag.interpreter.startswith("cp3") and int(tag.interpreter[3:]) <= int(cp[3:])
    return tag.abi == cp and tag.interpreter == cp


def wheel_fits(filename: str, python: str) -> bool:
    _, _, _, tags = parse_wheel_filename(filename)
    return any(tag_fits(t, python) for t in tags)


def test_the_tag_check_can_say_no():
    ok = "pillow-13.0.0-cp313-cp313-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl"
    assert wheel_fits(ok, "3.13") and not wheel_fits(ok, "3.11")
    assert wheel_fits("pyyaml-6.0.4-cp311-cp311-manylinux2014_aarch64.whl", "3.11")
    assert wheel_fits("cryptography-46.0-cp311-abi3-manylinux_2_34_aarch64.whl", "3.13")
    assert wheel_fits("flask-3.1.3-py3-none-any.whl", "3.12")
    for bad in ("pillow-13.0.0-cp313-cp313-manylinux_2_28_x86_64.whl",
                "pillow-13.0.0-cp313-cp313-musllinux_1_2_aarch64.whl",
                "pillow-13.0.0-cp313-cp313-manylinux_2_42_aarch64.whl",
                "pillow-13.0.0-cp313-cp313-linux_aarch64.whl",
                "pillow-13.0.0-cp314-cp314-manylinux_2_28_aarch64.whl",
                "pyyaml-6.0.4-cp313-cp313t-manylinux_2_28_aarch64.whl"):
        assert not wheel_fits(bad, "3.13"), bad


@pytest.fixture(scope="module")
def unpacked(arm64_deb_file, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("arm64-root")
    subprocess.run(["dpkg-deb", "-x", str(arm64_deb_file), str(root)], check=True, timeout=120)
    return root


@pytest.fixture(scope="module")
def wheels(unpacked) -> list[str]:
    return sorted(p.name for p in (unpacked / "usr/lib/motcua/wheelhouse").glob("*.whl"))


def test_control_fields(arm64_deb_file, wheels):
    fields = dict(re.findall(r"^(\S+): (.*)$", subprocess.run(
        ["dpkg-deb", "-f", str(arm64_deb_file)], capture_output=True, text=True,
        check=True).stdout, re.M))
    assert arm64_deb_file.name.endswith("_arm64.deb") and fields["Architecture"] == "arm64"
    depends = fields["Depends"]
    assert "python3 (>= 3.11)" in depends and "python3 (<< 3.14)" in depends
    libc = re.search(r"libc6 \(>= 2\.(\d+)\)", depends)
    assert libc, depends
    needed = max([17] + [int(m) for w in wheels for m in re.findall(r"manylinux_2_(\d+)_", w)])
    assert int(libc[1]) == needed and (2, needed) <= TARGET_GLIBC


def test_every_wheel_fits_the_pi(wheels):
    assert any(w.startswith("motcua-") for w in wheels)
    misfits = [w for w in wheels if not any(wheel_fits(w, py) for py in PYTHONS)]
    assert not misfits, f"wheels that no supported Pi can install: {misfits}"


def test_every_binary_dependency_for_each_python(wheels):
    binary: dict[str, list[str]] = {}
    for w in wheels:
        name, _, _, tags = parse_wheel_filename(w)
        if any(t.platform != "any" for t in tags):
            binary.setdefault(str(name), []).append(w)
    assert {"pillow", "markupsafe", "pyyaml"} <= set(binary), binary
    for name, files in binary.items():
        for py in PYTHONS:
            assert any(wheel_fits(f, py) for f in files), f"{name}: no wheel for CPython {py}"


@pytest.mark.parametrize("python", PYTHONS)
def test_pip_resolves_offline_for_each_python(unpacked, python, tmp_path):
    wheelhouse = unpacked / "usr/lib/motcua/wheelhouse"
    cp = "cp" + python.replace(".", "")
    platforms = [a for minor in range(TARGET_GLIBC[1], 16, -1)
                 for a in ("--platform", f"manylinux_2_{minor}_{ARCH_TAG}")]
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--isolated", "--no-index", "--find-links",
         str(wheelhouse), "--only-binary=:all:", "--python-version", python,
         "--implementation", "cp", "--abi", cp, "--abi", "abi3", "--abi", "none", *platforms,
         "--dest", str(tmp_path), "motcua"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = {p.name for p in tmp_path.glob("*.whl")}
    assert any(w.startswith("pillow-") and f"-{cp}-" in w for w in got), got
