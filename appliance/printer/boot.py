"""The boot slip: the panel's address printed once per boot, so staff can find it."""
from __future__ import annotations

import fcntl
import socket
import struct
from pathlib import Path

MDNS_NAME = "motcua.local"
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
MARKER = "printer-boot-slip"
_SIOCGIFADDR = 0x8915


def local_ipv4() -> list[str]:
    """IPv4 addresses of this machine's interfaces other than loopback (read locally, no traffic)."""
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            if name == "lo":
                continue
            try:
                req = struct.pack("256s", name.encode()[:15])
                addr = socket.inet_ntoa(fcntl.ioctl(s.fileno(), _SIOCGIFADDR, req)[20:24])
            except OSError:
                continue
            if not addr.startswith("127.") and addr not in out:
                out.append(addr)
    return out


def panel_urls(port: int, addresses: list[str] | None = None) -> list[str]:
    """``http://motcua.local`` then ``http://IP`` for each interface (``:port`` unless 80)."""
    suffix = "" if port == 80 else f":{port}"
    addresses = local_ipv4() if addresses is None else addresses
    return [f"http://{MDNS_NAME}{suffix}"] + [f"http://{ip}{suffix}" for ip in addresses]


def boot_slip_due(state_dir: Path, boot_id_file: Path = BOOT_ID) -> bool:
    """True the first time it is asked after each boot (remembers the kernel's boot id)."""
    try:
        boot_id = boot_id_file.read_text().strip()
    except OSError:
        boot_id = ""
    marker = Path(state_dir) / MARKER
    try:
        if boot_id and marker.read_text().strip() == boot_id:
            return False
    except OSError:
        pass
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(boot_id + "\n")
    except OSError:
        pass
    return True


def announce_panel(service, state_dir: Path, port: int) -> str | None:
    """Print the boot slip if enabled, a printer is configured, and not yet done since boot."""
    if not service.enabled or not service.options.boot_slip or not boot_slip_due(state_dir):
        return None
    return service.print_boot_slip(panel_urls(port))
