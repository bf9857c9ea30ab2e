"""Fixtures for the deployment tests: the built .deb and a cached Debian bookworm chroot.

The chroot is made once with debootstrap (minbase + what the .deb depends on) from the apt mirror
this machine already uses, and kept under ``$MOTCUA_TEST_CACHE`` (default
``/var/cache/motcua-test``). Each test session gets a throw-away copy: an overlay mount on top of
the cached tree when the kernel allows it, a plain copy otherwise.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The emulated arm64 root (test_arm64_root.py) takes tens of minutes under qemu: it is collected only
# when asked for with MOTCUA_TEST_ARM64=1, so a normal run neither runs nor skips it.
collect_ignore = [] if os.environ.get("MOTCUA_TEST_ARM64") == "1" else ["test_arm64_root.py"]


REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("MOTCUA_TEST_CACHE", "/var/cache/motcua-test"))
SUITE = "bookworm"
# What the .deb needs from Debian (Depends), installed into the cached base once.
# The serif is fonts-liberation2 on bookworm (its fonts-liberation 1.07 has no Vietnamese letters).
BASE_PACKAGES = ["python3", "python3-venv", "libusb-1.0-0", "systemd", "fonts-dejavu-core", "fonts-liberation2"]


def run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("check", True)
    kw.setdefault("text", True)
    kw.setdefault("capture_output", True)
    try:
        return subprocess.run(cmd, **kw)
    except subprocess.CalledProcessError as exc:
        raise AssertionError(f"{cmd} exited {exc.returncode}\nstdout:\n{exc.stdout}\n"
                             f"stderr:\n{exc.stderr}") from None


def apt_mirror() -> str:
    """The Debian mirror configured on this machine (deb822 or one-line format)."""
    for path in sorted(Path("/etc/apt").glob("sources.list.d/*.sources")) + [
            Path("/etc/apt/sources.list")]:
        if not path.exists():
            continue
        text = path.read_text()
        for block in text.split("\n\n"):
            uris = re.search(r"^URIs:\s*(\S+)", block, re.M)
            suites = re.search(r"^Suites:.*\b" + SUITE + r"\b", block, re.M)
            if uris and suites and "security" not in uris.group(1):
                return uris.group(1)
        for line in text.splitlines():
            m = re.match(r"deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+" + SUITE + r"\s", line)
            if m:
                return m.group(1)
    return "http://deb.debian.org/debian"


def base_chroot() -> Path:
    """The cached pristine chroot, built on first use (a few minutes), reused afterwards."""
    key = "-".join([SUITE, "minbase", *BASE_PACKAGES])
    target = CACHE / key
    if (target / ".complete").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / ".complete").exists():
            return target
        work = Path(tempfile.mkdtemp(prefix=key + ".", dir=CACHE))
        run(["debootstrap", "--variant=minbase", "--include=" + ",".join(BASE_PACKAGES),
             SUITE, str(work), apt_mirror()], timeout=1200)
        # Keep the cache small: package lists and downloaded .debs are not needed again.
        shutil.rmtree(work / "var/cache/apt/archives", ignore_errors=True)
        (work / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
        (work / ".complete").write_text(key + "\n")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    return target


class Chroot:
    """A disposable root file system with /proc and /dev mounted; ``sh()`` runs a command in it."""

    def __init__(self, root: Path):
        self.root = root

    def sh(self, script: str, env: dict | None = None, check: bool = True,
           timeout: float = 600) -> subprocess.CompletedProcess:
        base = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG": "C.UTF-8", "HOME": "/root", "DEBIAN_FRONTEND": "noninteractive"}
        return run(["chroot", str(self.root), "/bin/sh", "-ec", script],
                   env={**base, **(env or {})}, check=check, timeout=timeout)

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")


@contextlib.contextmanager
def disposable_chroot(base: Path):
    tmp = Path(tempfile.mkdtemp(prefix="motcua-chroot."))
    root = tmp / "root"
    root.mkdir()
    mounts: list[Path] = []
    try:
        upper, work = tmp / "upper", tmp / "work"
        upper.mkdir()
        work.mkdir()
        overlay = subprocess.run(
            ["mount", "-t", "overlay", "overlay", "-o",
             f"lowerdir={base},upperdir={upper},workdir={work}", str(root)],
            capture_output=True)
        if overlay.returncode == 0:
            mounts.append(root)
        else:
            run(["cp", "-a", f"{base}/.", str(root)])
        for fs, where in (("proc", "proc"), ("devtmpfs", "dev")):
            run(["mount", "-t", fs, fs, str(root / where)])
            mounts.append(root / where)
        shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
        # Like a Debian chroot build: no daemons are started from maintainer scripts.
        policy = root / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        yield Chroot(root)
    finally:
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", str(m)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def deb_file(tmp_path_factory) -> Path:
    """The .deb built from this working tree by image_build/build-deb.sh (native architecture)."""
    out = tmp_path_factory.mktemp("deb")
    env = {**os.environ, "PYTHON": sys.executable, "OUT_DIR": str(out)}
    proc = run([str(REPO / "image_build/build-deb.sh")], env=env, timeout=900)
    debs = sorted(out.glob("motcua_*.deb"))
    assert len(debs) == 1, f"build-deb.sh made {debs}\n{proc.stdout}\n{proc.stderr}"
    return debs[0]


@pytest.fixture(scope="session")
def arm64_deb_file(tmp_path_factory) -> Path:
    """The .deb for the Raspberry Pi (arm64), built on this machine without emulation."""
    out = tmp_path_factory.mktemp("deb-arm64")
    env = {**os.environ, "PYTHON": sys.executable, "OUT_DIR": str(out), "ARCH": "arm64"}
    proc = run([str(REPO / "image_build/build-deb.sh")], env=env, timeout=900)
    debs = sorted(out.glob("motcua_*_arm64.deb"))
    assert len(debs) == 1, f"build-deb.sh made {debs}\n{proc.stdout}\n{proc.stderr}"
    return debs[0]


@pytest.fixture(scope="session")
def chroot():
    with disposable_chroot(base_chroot()) as c:
        yield c
