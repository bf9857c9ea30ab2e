"""JTECH SmartAlert 8214/8205 (RS-232 1200 8N1, CTS) and the J1901 module (UART 19200 8N1).

Frame: ``FF FF FF`` + function byte ``01``..``04`` + 7-digit ASCII cap code + format separator
(``0A`` alphanumeric 512 bps, ``03`` numeric 512 bps, ``05`` numeric 1200 bps) + message + ``0D``.
The cap code is the 3-digit base (``system_id``) followed by the 4-digit pager number:
base 010, pager 0001 → ``0100001``. The transmitter sends no reply.
"""
from __future__ import annotations

from .encoder import Encoder
from .frames import Transmission
from .options import Options, check_system_id

PREAMBLE = b"\xff\xff\xff"
FORMATS = {"alpha-512": 0x0A, "numeric-512": 0x03, "numeric-1200": 0x05}
NUMERIC_CHARS = "0123456789 -U[]*"


def capcode(system_id: int, pager: int) -> str:
    return f"{system_id:03d}{pager:04d}"


class JtechEncoder(Encoder):
    pager_min, pager_max = 1, 9999

    def __init__(self, protocol: str, system_id: int, opts: Options):
        self.protocol = protocol
        self.system_id = check_system_id(system_id, protocol, 0, 999, "mã đế (base) 3 chữ số")
        self.function = opts.integer("function", 1, 1, 4)
        self.format = opts.choice("format", "numeric-512", FORMATS)
        numeric = self.format.startswith("numeric")
        self.message = opts.text("message", "", charset=NUMERIC_CHARS if numeric else None, max_len=80,
                                 what="chữ số, khoảng trắng, '-', 'U', '[', ']', '*'" if numeric
                                 else "chuỗi ASCII in được")

    def encode(self, pager: int) -> Transmission:
        self.check_pager(pager)
        message = self.message.replace("{pager}", str(pager)).encode("ascii")
        data = (PREAMBLE + bytes([self.function]) + capcode(self.system_id, pager).encode("ascii")
                + bytes([FORMATS[self.format]]) + message + b"\r")
        return Transmission(protocol=self.protocol, pager=pager, data=data)
