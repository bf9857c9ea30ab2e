"""Retekess guest-pager radio frames (433.92 MHz OOK), as pulse trains for a GPIO pin or the RF bridge.

* **TD157**: 25 bits MSB first = keypad id (10) | pager (10) | action (5, ``00100`` call);
  bit 0 = chips ``1000``, bit 1 = ``1110`` at 4800 chips/s; the frame is repeated ~31× with
  5 ms gaps. Keypad 274, pager 1 → chips ``8E 88 8E 88 E8 88 88 88 88 8E 88 E8 80``.
* **TD158/TD161**: the same chips at 5000 chips/s; nibbles, each sent LSB first: pager BCD
  (ones, tens, hundreds), alert type, system BCD (ones, tens, hundreds), two zero nibbles, then 7
  "off" symbols (``0000``); repeated 30×. Pager 999 with alert 0 switches every pager off.
* **T112/T119** (PT2262-like): bits LSB first, 13-bit system id + 10-bit pager + a cancel bit
  (sources disagree on the widths: they are options); bit 0 = 330 µs on / 990 µs off, bit 1 =
  990/330, then the sync 220 µs on / 6480 µs off that ends every word.
"""
from __future__ import annotations

from .encoder import PulseEncoder
from .options import Options, check_system_id
from .pulses import IdealPulse, chips_to_ideal, merge

ZERO, ONE, OFF = "1000", "1110", "0000"


def chips_to_bytes(chips: str) -> bytes:
    """Pack a chip string MSB first, padding the last byte with zeros (how captures are written)."""
    chips += "0" * (-len(chips) % 8)
    return bytes(int(chips[i:i + 8], 2) for i in range(0, len(chips), 8))


def _bcd_nibbles(value: int) -> list[int]:
    return [value % 10, value // 10 % 10, value // 100 % 10]


def _nibble_lsb_first(n: int) -> str:
    return "".join(ONE if n >> b & 1 else ZERO for b in range(4))


class Td157Encoder(PulseEncoder):
    protocol = "retekess-td157"
    pager_min, pager_max = 1, 1023

    def __init__(self, system_id: int, opts: Options):
        self.keypad = check_system_id(system_id, self.protocol, 0, 1023, "mã bàn phím (keypad id)")
        self.action = opts.integer("action", 0b00100, 0, 31)
        self.repeats = opts.integer("repeats", 31, 1, 100)
        self.gap_us = opts.integer("gap_us", 5000, 0, 60000)
        self.chip_rate = opts.integer("chip_rate", 4800, 1000, 10000)

    def chips(self, pager: int) -> str:
        bits = f"{self.keypad:010b}{self.check_pager(pager):010b}{self.action:05b}"
        return "".join(ONE if b == "1" else ZERO for b in bits)

    def ideal_frame(self, pager: int) -> list[IdealPulse]:
        return merge(chips_to_ideal(self.chips(pager), 1e6 / self.chip_rate) + [(0, float(self.gap_us))])


class Td158Encoder(PulseEncoder):
    protocol = "retekess-td158"
    pager_min, pager_max = 1, 998   # 999 is "switch every pager off"

    def __init__(self, system_id: int, opts: Options):
        self.system = check_system_id(system_id, self.protocol, 0, 999, "mã hệ thống")
        self.alert = opts.integer("alert", 0, 0, 15)
        self.repeats = opts.integer("repeats", 30, 1, 100)
        self.chip_rate = opts.integer("chip_rate", 5000, 1000, 10000)

    def nibbles(self, pager: int) -> list[int]:
        return _bcd_nibbles(self.check_pager(pager)) + [self.alert] + _bcd_nibbles(self.system) + [0, 0]

    def chips(self, pager: int) -> str:
        return "".join(_nibble_lsb_first(n) for n in self.nibbles(pager)) + OFF * 7

    def ideal_frame(self, pager: int) -> list[IdealPulse]:
        return chips_to_ideal(self.chips(pager), 1e6 / self.chip_rate)


class T119Encoder(PulseEncoder):
    protocol = "retekess-t119"

    def __init__(self, system_id: int, opts: Options):
        self.system_bits = opts.integer("system_bits", 13, 1, 24)
        self.pager_bits = opts.integer("pager_bits", 10, 4, 16)
        self.cancel_bit = opts.boolean("cancel_bit", True)
        self.short_us = opts.integer("short_us", 330, 50, 5000)
        self.long_us = opts.integer("long_us", 990, 50, 10000)
        self.sync_on_us = opts.integer("sync_on_us", 220, 50, 5000)
        self.sync_off_us = opts.integer("sync_off_us", 6480, 1000, 60000)
        self.repeats = opts.integer("repeats", 10, 1, 100)
        if self.long_us <= self.short_us:
            raise opts.bad("long_us", self.long_us, f"lớn hơn short_us ({self.short_us})")
        self.system = check_system_id(system_id, self.protocol, 0, (1 << self.system_bits) - 1,
                                      f"mã hệ thống {self.system_bits} bit")
        self.pager_max = min(999, (1 << self.pager_bits) - 1)

    def bits(self, pager: int) -> str:
        """Transmission order: system id then pager, each LSB first, then the cancel bit (0 = ring)."""
        self.check_pager(pager)
        out = f"{self.system:0{self.system_bits}b}"[::-1] + f"{pager:0{self.pager_bits}b}"[::-1]
        return out + ("0" if self.cancel_bit else "")

    def ideal_frame(self, pager: int) -> list[IdealPulse]:
        out: list[IdealPulse] = []
        for b in self.bits(pager):
            on, off = (self.long_us, self.short_us) if b == "1" else (self.short_us, self.long_us)
            out += [(1, float(on)), (0, float(off))]
        return out + [(1, float(self.sync_on_us)), (0, float(self.sync_off_us))]
