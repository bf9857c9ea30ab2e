"""Where staff find the panel: the mDNS name and this machine's LAN addresses (read locally,
no traffic), for the start-up message and the boot slip."""
from __future__ import annotations

import fcntl
import socket
import struct

MDNS_NAME = "motcua.local"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_SIOCGIFADDR = 0x8915


def local_ipv4() -> list[str]:
    """IPv4 addresses of this machine's interfaces other than loopback."""
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


def panel_urls(host: str, port: int, addresses: list[str] | None = None) -> list[str]:
    """The addresses the panel answers on: only loopback when it listens on loopback, else
    ``http://motcua.local`` then ``http://IP`` for each interface (``:port`` unless 80)."""
    suffix = "" if port == 80 else f":{port}"
    if host in LOOPBACK_HOSTS:
        return [f"http://127.0.0.1{suffix}"]
    if host not in ("0.0.0.0", "", "::"):
        return [f"http://{host}{suffix}"]
    addresses = local_ipv4() if addresses is None else addresses
    return [f"http://{MDNS_NAME}{suffix}"] + [f"http://{ip}{suffix}" for ip in addresses]
