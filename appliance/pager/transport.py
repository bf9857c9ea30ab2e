"""The transport interface: deliver one :class:`Transmission` and return the transmitter's :class:`Reply`.

``send`` opens the link when needed and raises :class:`PagerError` when the link is down (the
caller retries with back-off); a refused page is a ``Reply`` with status ``nak``, not an error.
"""
from __future__ import annotations

import abc

from .frames import PagerError, Reply, Transmission


class Transport(abc.ABC):
    kind: str = "bytes"     # "bytes", "pulses" or "any"
    url: str = ""

    @abc.abstractmethod
    def open(self) -> None:
        """Connect now; raises PagerError with an actionable message."""

    @abc.abstractmethod
    def send(self, tx: Transmission) -> Reply: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    @property
    def is_open(self) -> bool:
        return True

    def describe(self) -> str:
        return self.url

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url!r}>"


class DisabledTransport(Transport):
    """``[pager].url = ""``: no transmitter in this office."""
    kind = "any"

    def open(self) -> None:
        return None

    def send(self, tx: Transmission) -> Reply:
        raise PagerError("Chưa cấu hình bộ phát thẻ rung ([pager].url để trống)", retryable=False)

    def close(self) -> None:
        return None
