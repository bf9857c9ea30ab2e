"""Where staff find the panel: the mDNS name and this machine's LAN addresses (read locally,
no traffic), for the start-up message and the boot slip."""
from __future__ import annotations

import fcntl
import socket
import struct

MDNS_NAME = "motcua.local"   # a machine whose name was never set (see appliance.ops.hostname)
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


def mdns_name(hostname: str | None = None) -> str:
    """The name avahi answers for: this machine's own (``motcua-b9c1.local``, set at first boot)."""
    name = (socket.gethostname() if hostname is None else hostname).split(".", 1)[0].strip().lower()
    return f"{name}.local" if name and name != "localhost" else MDNS_NAME


def panel_urls(host: str, port: int, addresses: list[str] | None = None, mdns: str | None = None) -> list[str]:
    """The addresses the panel answers on: only loopback when it listens on loopback, else
    ``http://<this machine>.local`` then ``http://IP`` for each interface (``:port`` unless 80)."""
    suffix = "" if port == 80 else f":{port}"
    if host in LOOPBACK_HOSTS:
        return [f"http://127.0.0.1{suffix}"]
    if host not in ("0.0.0.0", "", "::"):
        return [f"http://{host}{suffix}"]
    addresses = local_ipv4() if addresses is None else addresses
    mdns = mdns_name() if mdns is None else mdns
    return [f"http://{mdns}{suffix}"] + [f"http://{ip}{suffix}" for ip in addresses]
