"""Our RF-bridge line protocol (docs/pager.md): a microcontroller keys the 433 MHz radio with exact timing.

Host → bridge, one ASCII line ending in LF::

    TX <tag> <repeats> <d1> <d2> … <dn>

``tag`` 1–9999 (echoed), ``repeats`` 1–255, ``d1..dn`` durations in µs (1–65535), alternately
carrier ON and OFF starting with ON; ``n`` even, at most 256. Bridge → host: ``OK <tag>`` once the
last repetition has left the antenna, or ``ERR <tag> <CODE> <text>`` (tag ``-`` when the line
could not be read). ``PING`` → ``PONG <name> <version>``; at boot the bridge prints
``READY <name> <version>``. Any other line from the bridge is ignored.
"""
from __future__ import annotations

import itertools

from .encoder import Encoder, PulseEncoder
from .frames import Reply, Transmission
from .options import Options

MAX_DURATIONS = 256
MAX_US = 65535
ERROR_CODES = {
    "SYNTAX": "dòng lệnh sai cú pháp",
    "RANGE": "giá trị ngoài phạm vi",
    "TOOLONG": "dòng lệnh quá dài",
    "BUSY": "đang phát lệnh trước",
}


def tx_line(tag: int, repeats: int, durations: list[int]) -> bytes:
    return f"TX {tag} {repeats} {' '.join(str(d) for d in durations)}\n".encode("ascii")


def reply_reader(tag: int):
    def read(buffer: bytes) -> Reply | None:
        for raw in buffer.split(b"\n")[:-1]:          # complete lines only
            words = raw.decode("ascii", "replace").strip().split(" ", 3)
            if len(words) >= 2 and words[0] == "OK" and words[1] == str(tag):
                return Reply("ack", "Bộ phát cầu RF đã phát xong", buffer)
            if len(words) >= 3 and words[0] == "ERR" and words[1] in (str(tag), "-"):
                text = ERROR_CODES.get(words[2], words[3] if len(words) > 3 else words[2])
                return Reply("nak", f"Bộ phát cầu RF từ chối lệnh: {words[2]} – {text}", buffer)
        return None
    return read


class BridgeEncoder(Encoder):
    protocol = "bridge"
    kind = "bytes"

    def __init__(self, radio: PulseEncoder, reply_timeout_s: float = 2.0):
        self.radio = radio
        self.pager_min, self.pager_max = radio.pager_min, min(radio.pager_max, 9999)
        self.reply_timeout_s = reply_timeout_s

    def encode(self, pager: int) -> Transmission:
        inner = self.radio.encode(self.check_pager(pager))
        durations = [us for _, us in inner.frame]
        levels = [lv for lv, _ in inner.frame]
        if levels[0] != 1 or any(a == b for a, b in itertools.pairwise(levels)):
            raise ValueError("khung xung phải xen kẽ bật/tắt và bắt đầu bằng bật")
        if len(durations) % 2:
            durations.append(1)   # the frame ends ON: close it with the shortest OFF
        if len(durations) > MAX_DURATIONS or max(durations) > MAX_US or inner.repeats > 255:
            raise ValueError("khung xung vượt giới hạn của cầu RF (256 xung, 65535 µs, 255 lần lặp)")
        timeout = inner.duration_us / 1e6 + self.reply_timeout_s
        return Transmission(protocol=self.protocol, pager=pager,
                            data=tx_line(pager, inner.repeats, durations),
                            read_reply=reply_reader(pager), reply_timeout_s=timeout)


def make_bridge(system_id: int, opts: Options, reply_timeout_s: float, radios: dict) -> BridgeEncoder:
    radio = opts.choice("radio", "retekess-td157", tuple(radios))
    return BridgeEncoder(radios[radio](system_id, opts), reply_timeout_s)
