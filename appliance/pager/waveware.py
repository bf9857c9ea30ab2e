"""WaveWare SPS-5 paging encoder (POCSAG), WaveWare protocol, RS-232 9600 8N1.

Command: ``<SOH>T,B,C…C<EOT>`` where T is the message type (``1``..``4`` beeps, ``N`` numeric,
``A`` alphanumeric; a message follows as ``,<STX>text<ETX>``), B the data rate (``5`` 512 bps,
``1`` 1200, ``2`` 2400) and C…C the cap code. ``<SOH>3,1,145678<EOT>`` sends three beeps at
1200 bps to cap code 0145678. The encoder echoes the command, then answers
``<SOH><ACK>V…,QQ,D,C,II<EOT>`` or ``<SOH><NAK>EE<EOT>``.
"""
from __future__ import annotations

from .encoder import Encoder
from .frames import Reply, Transmission
from .lrs import lrs_capcode
from .options import Options, check_system_id

SOH, STX, ETX, EOT, ACK, NAK = b"\x01", b"\x02", b"\x03", b"\x04", b"\x06", b"\x15"
RATES = {512: "5", 1200: "1", 2400: "2"}
ALERTS = (1, 2, 3, 4, "numeric", "alpha")
NAK_REASONS = {
    "01": "loại tin không hợp lệ",
    "02": "tốc độ dữ liệu không hợp lệ",
    "03": "mã cap code không hợp lệ",
    "04": "tràn bộ đệm nhập (kiểm tra dây CTS / rtscts)",
    "05": "tràn bộ đệm phát (sóng nhiễu trên tần số?)",
    "06": "lệnh cài đặt/trạng thái không hợp lệ",
    "07": "lỗi ghi EEPROM, cần sửa bộ phát",
    "08": "lệnh sai định dạng",
}


def read_reply(buffer: bytes) -> Reply | None:
    """Find the ACK/NAK block in what the encoder sent back (after its echo); ``None`` while incomplete."""
    for marker, status in ((SOH + ACK, "ack"), (SOH + NAK, "nak")):
        start = buffer.find(marker)
        if start < 0:
            continue
        end = buffer.find(EOT, start)
        if end < 0:
            return None
        body = buffer[start + 2:end].decode("ascii", "replace")
        if status == "ack":
            fields = body.split(",")
            queued = fields[1] if len(fields) > 1 else "?"
            return Reply("ack", f"Bộ phát WaveWare đã nhận lệnh (phiên bản {fields[0] or '?'}, "
                                f"hàng đợi {queued})", buffer)
        reason = NAK_REASONS.get(body, "mã lỗi không rõ")
        return Reply("nak", f"Bộ phát WaveWare từ chối lệnh: lỗi {body} – {reason}", buffer)
    return None


class WaveWareEncoder(Encoder):
    protocol = "waveware"
    pager_min, pager_max = 0, 9999

    def __init__(self, system_id: int, opts: Options, reply_timeout_s: float = 2.0):
        self.system_id = system_id
        self.reply_timeout_s = reply_timeout_s
        self.alert = opts.choice("alert", 3, ALERTS)
        self.rate = opts.choice("rate", 1200, RATES)
        self.capcode_mode = opts.choice("capcode", "base+pager", ("base+pager", "lrs"))
        self.capcode_base = opts.integer("capcode_base", 0, 0, 2097151)
        if self.capcode_mode == "lrs":
            check_system_id(system_id, self.protocol, 0, 13, "mã hệ thống LRS")
        numeric = self.alert == "numeric"
        self.message = opts.text("message", "{pager}" if self.alert in ("numeric", "alpha") else "",
                                 charset="0123456789 -U[]*" if numeric else None, max_len=200,
                                 what="chữ số, khoảng trắng, '-', 'U', '[', ']', '*'" if numeric
                                 else "chuỗi ASCII in được")

    def capcode(self, pager: int) -> int:
        if self.capcode_mode == "lrs":
            return lrs_capcode(self.system_id, pager)
        return self.capcode_base + pager

    def encode(self, pager: int) -> Transmission:
        self.check_pager(pager)
        cap = self.capcode(pager)
        if not 8 <= cap <= 2097151:
            raise ValueError(f"Cap code {cap} của thẻ rung {pager} không hợp lệ (8–2097151)")
        kind = {"numeric": "N", "alpha": "A"}.get(self.alert, str(self.alert))
        data = SOH + f"{kind},{RATES[self.rate]},{cap}".encode("ascii")
        if kind in ("N", "A"):
            data += b"," + STX + self.message.replace("{pager}", str(pager)).encode("ascii") + ETX
        data += EOT
        return Transmission(protocol=self.protocol, pager=pager, data=data, read_reply=read_reply,
                            reply_timeout_s=self.reply_timeout_s)
