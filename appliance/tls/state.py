"""HTTPS on or off, kept in the state directory (``<state>/tls/``): ``ca.pem`` (given out to the
office's browsers), ``ca-key.pem``, ``server.pem``, ``server-key.pem`` (keys 0600), and
``enabled.json`` (``{"port": 8443}``) while HTTPS is on. ``motcua tls disable`` removes only
``enabled.json``: the authority stays, so browsers that trust it still do if HTTPS comes back."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..files import write_private
from ..netinfo import MDNS_NAME, local_ipv4, mdns_name

DEFAULT_PORT = 8443


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca-key.pem"

    @property
    def cert(self) -> Path:
        return self.folder / "server.pem"

    @property
    def key(self) -> Path:
        return self.folder / "server-key.pem"

    @property
    def marker(self) -> Path:
        return self.folder / "enabled.json"


def files(state_dir: Path) -> TlsFiles:
    return TlsFiles(Path(state_dir) / "tls")


def enabled_port(state_dir: Path) -> int | None:
    """The HTTPS port while HTTPS is on (and its files are there), else None."""
    f = files(state_dir)
    if not (f.marker.exists() and f.cert.exists() and f.key.exists()):
        return None
    try:
        return int(json.loads(f.marker.read_text(encoding="utf-8")).get("port", DEFAULT_PORT))
    except (ValueError, AttributeError):
        return DEFAULT_PORT


def device_names() -> list[str]:
    """motcua.local, this machine's own .local name, localhost."""
    return [MDNS_NAME, mdns_name(), "localhost"]


def enable(state_dir: Path, office_name: str, port: int = DEFAULT_PORT, addresses: list[str] | None = None,
           names: list[str] | None = None) -> TlsFiles:
    """Make (or keep) the authority, make a fresh certificate for the names and addresses, turn HTTPS on."""
    from . import certs  # cryptography: only here, not in the serving process that reads the state
    f = files(state_dir)
    f.folder.mkdir(parents=True, exist_ok=True)
    if f.ca.exists() and f.ca_key.exists():
        authority = certs.Pem(f.ca.read_bytes(), f.ca_key.read_bytes())
    else:
        authority = certs.make_authority(office_name)
        write_private(f.ca_key, authority.key.decode())
        f.ca.write_bytes(authority.cert)
    ips = ["127.0.0.1", *(local_ipv4() if addresses is None else addresses)]
    server = certs.make_certificate(authority, names or device_names(), ips)
    write_private(f.key, server.key.decode())
    f.cert.write_bytes(server.cert)
    f.marker.write_text(json.dumps({"port": port}), encoding="utf-8")
    return f


def disable(state_dir: Path) -> bool:
    """Turn HTTPS off; True when it was on."""
    marker = files(state_dir).marker
    if marker.exists():
        marker.unlink()
        return True
    return False
