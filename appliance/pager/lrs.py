"""LRS T74C232 / T74USB transmitter: text lines.

``PAGE,<pager>,<system id>,<message>`` pages an LRS pager by its ID; ``CCPAGE,<cap code>,<message>``
pages a cap code directly. LRS maps system ID and pager ID to a POCSAG cap code as
``8·pager + 100000·system + 700000`` for system IDs 0–13 (pager 23, system 3 → 1000184).
"""
from __future__ import annotations

from .encoder import Encoder
from .frames import Transmission
from .options import Options, check_system_id

LINE_ENDS = {"crlf": b"\r\n", "cr": b"\r", "lf": b"\n"}


def lrs_capcode(system_id: int, pager: int) -> int:
    if not 0 <= system_id <= 13:
        raise ValueError(f"Công thức cap code LRS chỉ áp dụng cho mã hệ thống 0–13, không phải {system_id}")
    return 8 * pager + 100000 * system_id + 700000


class LrsEncoder(Encoder):
    protocol = "lrs-t74"
    pager_min, pager_max = 1, 9999

    def __init__(self, system_id: int, opts: Options):
        self.mode = opts.choice("mode", "page", ("page", "capcode"))
        hi = 13 if self.mode == "capcode" else 255
        self.system_id = check_system_id(system_id, self.protocol, 0, hi, "mã hệ thống (System ID)")
        self.message = opts.text("message", "{pager}", max_len=200)
        self.line_end = LINE_ENDS[opts.choice("line_end", "crlf", LINE_ENDS)]

    def encode(self, pager: int) -> Transmission:
        self.check_pager(pager)
        message = self.message.replace("{pager}", str(pager))
        if self.mode == "capcode":
            line = f"CCPAGE,{lrs_capcode(self.system_id, pager):07d},{message}"
        else:
            line = f"PAGE,{pager},{self.system_id},{message}"
        return Transmission(protocol=self.protocol, pager=pager, data=line.encode("ascii") + self.line_end)
