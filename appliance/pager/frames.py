"""What an encoder hands to a transport: bytes for a serial transmitter or a pulse train for a radio.

A pulse is ``(level, microseconds)``: level 1 keys the 433 MHz carrier, 0 leaves it off. A pulse
train is one ``frame`` sent ``repeats`` times back to back (the frame already ends with its gap).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from appliance.errors import DeviceError

Pulse = tuple[int, int]


class PagerError(DeviceError):
    """The transmitter could not be reached; ``str()`` is a Vietnamese sentence an officer can act on."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class Reply:
    """The transmitter's answer to one page. ``status``: ``sent`` (no reply expected),
    ``ack``, ``nak`` (refused) or ``no_reply`` (a reply was expected and none came)."""
    status: str
    message: str
    raw: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status in ("sent", "ack")


ReplyReader = Callable[[bytes], "Reply | None"]


@dataclass(frozen=True)
class Transmission:
    protocol: str
    pager: int
    data: bytes = b""
    frame: tuple[Pulse, ...] = ()
    repeats: int = 1
    read_reply: ReplyReader | None = field(default=None, compare=False)
    reply_timeout_s: float = 2.0

    @property
    def is_pulses(self) -> bool:
        return bool(self.frame)

    @property
    def pulses(self) -> list[Pulse]:
        return list(self.frame) * self.repeats

    @property
    def duration_us(self) -> int:
        return sum(us for _, us in self.frame) * self.repeats

    def summary(self) -> str:
        if self.is_pulses:
            return f"{len(self.frame)} xung × {self.repeats} lần, {self.duration_us / 1000:.0f} ms"
        return self.data.hex(" ").upper()
