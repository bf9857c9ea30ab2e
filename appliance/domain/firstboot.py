"""First boot with no keyboard and no SSH: the pure rules.

On a fresh install with no administrator, the first visit from the office network creates the
administrator account in the browser. It is guarded by a one-time setup code (printed on the boot
slip and shown on the TV's pairing screen) and by where the visit comes from: only private, LAN or
loopback addresses. Each device also gets its own ``motcua-XXXX.local`` name, so two appliances on
one network do not collide. No I/O here.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Callable

from .errors import DomainError, NotAllowed
from .screens import CODE_ALPHABET

SETUP_CODE_LENGTH = 8
HOSTNAME_PREFIX = "motcua-"
HOSTNAME_SUFFIX_LENGTH = 4


def new_setup_code(choice: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choice(CODE_ALPHABET) for _ in range(SETUP_CODE_LENGTH))


def format_setup_code(code: str) -> str:
    """``ACDE4796`` as printed: ``ACDE-4796``."""
    return f"{code[:4]}-{code[4:]}"


def setup_code_matches(typed: str, expected: str) -> bool:
    """Does what was typed (any case, spaces or dashes) equal the setup code? Constant time."""
    given = "".join(ch for ch in (typed or "").upper() if ch not in " -_.\t")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def is_office_address(address: str | None) -> bool:
    """A visit from the office network: a private (RFC 1918, ULA), link-local or loopback address.

    A public address (a port forwarded from the internet, a carrier's shared 100.64/10 space)
    may never create the first administrator.
    """
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_link_local:
        return True
    return ip.is_private and not ip.is_unspecified and not ip.is_multicast and not ip.is_reserved


def check_office_address(address: str | None) -> None:
    if not is_office_address(address):
        raise NotAllowed("not_office_network", None, address=address or "?")


def device_hostname(serial: str | None, machine_id: str | None = None) -> str:
    """``motcua-XXXX``: the last 4 hexadecimal digits of the Raspberry Pi's serial number (printed on
    the boot slip, so staff can match a name to a box), else 4 digits from the machine id's hash."""
    serial = (serial or "").strip().lower()
    if re.fullmatch(r"[0-9a-f]{4,}", serial) and int(serial, 16) != 0:
        return HOSTNAME_PREFIX + serial[-HOSTNAME_SUFFIX_LENGTH:]
    seed = (machine_id or "").strip() or serial
    if not seed:
        raise DomainError("invalid", "serial", detail=("máy không có số sê-ri hay machine-id",
                                                       "the machine has no serial number nor machine id"))
    return HOSTNAME_PREFIX + hashlib.sha256(seed.encode()).hexdigest()[:HOSTNAME_SUFFIX_LENGTH]


def mdns_name(hostname: str) -> str:
    return hostname + ".local"
