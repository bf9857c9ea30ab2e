"""A 433 MHz OOK module on a GPIO pin, driven by an lgpio software-timed wave (``gpio://PIN``).

lgpio is imported only when the pin is opened (Debian ``python3-lgpio``; not needed elsewhere).
The wave sink is injectable: tests and the benchmark pass an object with ``send(pulses)`` and
``close()``. Software timing is fine for ~330 µs pulses and marginal for 200 µs chips: for
TD157/TD158 prefer the RF bridge.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from .frames import PagerError, Pulse, Reply, Transmission
from .pulses import build_wave
from .transport import Transport


class WaveSink(Protocol):
    def send(self, pulses: Sequence[Pulse]) -> None: ...
    def close(self) -> None: ...


class LgpioWaveSink:
    def __init__(self, pin: int, chip: int = 0):
        try:
            import lgpio  # noqa: PLC0415 - only on a Pi
        except ImportError as exc:
            raise PagerError("Chưa cài thư viện lgpio (gói Debian python3-lgpio) để phát thẻ rung qua GPIO",
                             retryable=False) from exc
        self.lgpio = lgpio
        self.pin = pin
        try:
            self.handle = lgpio.gpiochip_open(chip)
        except lgpio.error as exc:
            raise self._open_error(pin, chip, exc) from exc
        try:
            lgpio.gpio_claim_output(self.handle, pin, 0)
        except lgpio.error as exc:
            try:  # each retry would otherwise leak one chip handle
                lgpio.gpiochip_close(self.handle)
            except lgpio.error:
                pass
            raise self._open_error(pin, chip, exc) from exc

    @staticmethod
    def _open_error(pin: int, chip: int, exc: Exception) -> PagerError:
        return PagerError(f"Không mở được chân GPIO {pin} trên gpiochip{chip}: {exc} "
                          "(người dùng dịch vụ cần nhóm gpio; chân có đang bị dùng?)")

    def send(self, pulses: Sequence[Pulse]) -> None:
        lg = self.lgpio
        wave = [lg.pulse(bits, mask, delay) for bits, mask, delay in build_wave(pulses)]
        lg.tx_wave(self.handle, self.pin, wave)
        deadline = time.monotonic() + sum(us for _, us in pulses) / 1e6 + 1.0
        while lg.tx_busy(self.handle, self.pin, lg.TX_WAVE):
            if time.monotonic() > deadline:
                raise PagerError(f"Chân GPIO {self.pin} phát quá lâu: sóng bị kẹt")
            time.sleep(0.01)
        lg.gpio_write(self.handle, self.pin, 0)

    def close(self) -> None:
        try:
            self.lgpio.gpio_free(self.handle, self.pin)
            self.lgpio.gpiochip_close(self.handle)
        except Exception:  # closing a dead handle must not mask the real error
            pass


class GpioTransport(Transport):
    kind = "pulses"

    def __init__(self, pin: int, chip: int = 0, sink_factory: Callable[[int, int], WaveSink] | None = None,
                 url: str | None = None):
        self.pin = pin
        self.chip = chip
        self.url = url or f"gpio://{pin}"
        self._factory = sink_factory or LgpioWaveSink
        self._sink: WaveSink | None = None

    @property
    def is_open(self) -> bool:
        return self._sink is not None

    def open(self) -> None:
        if self._sink is None:
            self._sink = self._factory(self.pin, self.chip)

    def send(self, tx: Transmission) -> Reply:
        if not tx.is_pulses:
            raise PagerError(f"Giao thức {tx.protocol} cần cổng nối tiếp, không phát được qua chân GPIO",
                             retryable=False)
        self.open()
        sink = self._sink
        if sink is None:
            raise PagerError(f"Chưa mở được chân GPIO{self.pin} của bộ phát")
        try:
            sink.send(tx.pulses)
        except PagerError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise PagerError(f"Lỗi phát sóng trên chân GPIO {self.pin}: {exc}") from exc
        return Reply("sent", f"Đã phát {tx.summary()} trên chân GPIO {self.pin}")

    def close(self) -> None:
        sink, self._sink = self._sink, None
        if sink is not None:
            sink.close()
