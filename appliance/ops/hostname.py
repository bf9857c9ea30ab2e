"""Each appliance's own network name, ``motcua-XXXX.local``, so two on one network do not collide.

``motcua hostname --apply`` (run as root once at first boot by ``motcua-hostname.service``) takes
the last 4 hexadecimal digits of the Raspberry Pi's serial number (or 4 digits from the machine
id elsewhere, see :func:`appliance.domain.firstboot.device_hostname`), writes ``/etc/hostname``
and the ``127.0.1.1`` line of ``/etc/hosts``, tells systemd (``hostnamectl``) and restarts avahi,
which then answers for ``<name>.local``. A name an administrator chose is kept: only the image's
default names are replaced, unless ``--force``.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from ..domain.firstboot import device_hostname
from ..files import atomic_write

SERIAL_FILES = (Path("/sys/firmware/devicetree/base/serial-number"), Path("/proc/device-tree/serial-number"))
CPUINFO = Path("/proc/cpuinfo")
MACHINE_ID = Path("/etc/machine-id")
# names a fresh image or install has: replaced by the device's own
DEFAULT_NAMES = ("", "localhost", "raspberrypi", "motcua", "debian", "pi")

Runner = Callable[[Sequence[str]], object]


def read_serial(serial_files: Sequence[Path] = SERIAL_FILES, cpuinfo: Path = CPUINFO) -> str | None:
    """The board's serial number: the device tree's (recent Pi firmware), else ``Serial`` in cpuinfo."""
    for path in serial_files:
        try:
            text = path.read_bytes().rstrip(b"\0\n").decode("ascii", "replace").strip()
        except OSError:
            continue
        if text:
            return text
    try:
        match = re.search(r"^Serial\s*:\s*([0-9a-fA-F]+)\s*$", cpuinfo.read_text(), re.M)
    except OSError:
        return None
    return match[1] if match else None


def read_machine_id(path: Path = MACHINE_ID) -> str | None:
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def this_device_name(serial_files: Sequence[Path] = SERIAL_FILES, cpuinfo: Path = CPUINFO,
                     machine_id: Path = MACHINE_ID) -> str:
    return device_hostname(read_serial(serial_files, cpuinfo), read_machine_id(machine_id))


def current_name(etc: Path = Path("/etc")) -> str:
    try:
        return (etc / "hostname").read_text().strip()
    except OSError:
        return ""


def hosts_with_name(text: str, name: str) -> str:
    """``/etc/hosts`` with its ``127.0.1.1`` line naming ``name`` (added when missing)."""
    line = f"127.0.1.1\t{name}"
    if re.search(r"^127\.0\.1\.1\s.*$", text, re.M):
        return re.sub(r"^127\.0\.1\.1\s.*$", line, text, count=1, flags=re.M)
    return text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"


def _run_quietly(command: Sequence[str]) -> object:
    return subprocess.run(list(command), check=False, capture_output=True, timeout=60)


def apply(name: str, etc: Path = Path("/etc"), run: Runner = _run_quietly, force: bool = False) -> bool:
    """Give this machine ``name``; False (nothing changed) when it already has it or has a name
    an administrator chose (not one of :data:`DEFAULT_NAMES`) and ``force`` is not set."""
    current = current_name(etc)
    if current == name or (current not in DEFAULT_NAMES and not force):
        return False
    atomic_write(etc / "hostname", (name + "\n").encode(), mode=0o644)
    hosts = etc / "hosts"
    try:
        text = hosts.read_text()
    except OSError:
        text = "127.0.0.1\tlocalhost\n"
    atomic_write(hosts, hosts_with_name(text, name).encode(), mode=0o644)
    if etc == Path("/etc"):
        try:  # the running kernel's name at once, even before D-Bus answers at early boot
            socket.sethostname(name)
        except (OSError, AttributeError):
            pass
    if shutil.which("hostnamectl"):
        run(["hostnamectl", "set-hostname", name])
    if shutil.which("systemctl"):
        run(["systemctl", "try-restart", "avahi-daemon.service"])
    return True
