"""The encoder interface: a pager number in, a :class:`Transmission` out. Pure: no I/O, no clock."""
from __future__ import annotations

import abc

from .frames import Transmission
from .pulses import IdealPulse, quantise


class Encoder(abc.ABC):
    protocol: str = ""
    kind: str = "bytes"          # "bytes" for serial transmitters, "pulses" for a radio on a GPIO pin
    pager_min: int = 1
    pager_max: int = 999

    def check_pager(self, pager: int) -> int:
        if isinstance(pager, bool) or not isinstance(pager, int) or not self.pager_min <= pager <= self.pager_max:
            raise ValueError(f"Số thẻ rung {pager!r} nằm ngoài phạm vi {self.pager_min}–{self.pager_max} "
                             f"của giao thức {self.protocol}")
        return pager

    @abc.abstractmethod
    def encode(self, pager: int) -> Transmission:
        """The exact bytes (or pulses) that page ``pager``; ``ValueError`` if it is out of range."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.protocol}>"


class PulseEncoder(Encoder):
    kind = "pulses"
    repeats: int = 1

    @abc.abstractmethod
    def ideal_frame(self, pager: int) -> list[IdealPulse]:
        """One frame with exact (float) durations in µs, starting with the carrier on."""

    def encode(self, pager: int) -> Transmission:
        frame = quantise(self.ideal_frame(self.check_pager(pager)))
        return Transmission(protocol=self.protocol, pager=pager, frame=frame, repeats=self.repeats)
