"""``make_transport(settings.pager)``: the transport named by the URL scheme, checked against the protocol.

* ``serial:///dev/serial/by-id/usb-…?baudrate=19200&rtscts=1`` — a serial transmitter;
* ``socket://HOST:PORT`` (or ``tcp://HOST:PORT``) — a serial transmitter behind a serial-to-TCP server;
* ``loop://`` — pyserial's loopback (tests);
* ``gpio://17`` or ``gpio://17?chip=0`` — a 433 MHz module on BCM pin 17 (Retekess protocols);
* ``sim://var/devices/pager`` — the recording fake (relative paths from the current directory);
* ``""`` — no transmitter.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from appliance.config import ConfigError, Pager

from .encoders import PULSE_PROTOCOLS, SERIAL_DEFAULTS
from .gpio_transport import GpioTransport
from .serial_transport import SerialTransport
from .sim_transport import SimTransport
from .transport import DisabledTransport, Transport

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def _bad(url: str, why: str) -> ConfigError:
    return ConfigError(f"Cấu hình sai [pager].url = {url!r}: {why}")


def _query(url: str, query: str, allowed: tuple[str, ...]) -> dict[str, str]:
    params = dict(parse_qsl(query, keep_blank_values=True))
    for key in params:
        if key not in allowed:
            raise _bad(url, f"tham số '{key}' không được hỗ trợ"
                       + (", chỉ dùng " + ", ".join(allowed) if allowed else ""))
    return params


def _serial_params(url: str, protocol: str, params: dict[str, str]) -> dict:
    out = dict(SERIAL_DEFAULTS.get(protocol, {"baudrate": 9600, "rtscts": False}))
    if "baudrate" in params:
        if not params["baudrate"].isdigit() or not 50 <= int(params["baudrate"]) <= 4_000_000:
            raise _bad(url, "baudrate phải là số nguyên, ví dụ 19200")
        out["baudrate"] = int(params["baudrate"])
    if "rtscts" in params:
        value = params["rtscts"].lower()
        if value not in TRUE + FALSE:
            raise _bad(url, "rtscts phải là 1 hoặc 0")
        out["rtscts"] = value in TRUE
    return out


def make_transport(settings: Pager, gpio_sink_factory: Callable | None = None) -> Transport:
    url = settings.url.strip()
    protocol = settings.protocol
    if not url:
        return DisabledTransport()
    parts = urlsplit(url)
    scheme = parts.scheme
    pulses = protocol in PULSE_PROTOCOLS
    if scheme == "sim":
        _query(url, parts.query, ())
        path = (parts.netloc + parts.path) or "var/devices/pager"
        return SimTransport(path, url=url)
    if scheme == "gpio":
        if not pulses:
            raise _bad(url, f"giao thức {protocol} là bộ phát nối tiếp; gpio:// chỉ dùng cho "
                       + ", ".join(PULSE_PROTOCOLS))
        params = _query(url, parts.query, ("chip",))
        pin = parts.netloc or parts.path.strip("/")
        if not pin.isdigit() or not 0 <= int(pin) <= 27:
            raise _bad(url, "dạng gpio://CHÂN với CHÂN là số BCM 0–27, ví dụ gpio://17")
        chip = params.get("chip", "0")
        if not chip.isdigit():
            raise _bad(url, "chip phải là số gpiochip, ví dụ ?chip=0")
        return GpioTransport(int(pin), int(chip), sink_factory=gpio_sink_factory, url=url)
    if pulses:
        raise _bad(url, f"giao thức {protocol} phát thẳng sóng 433 MHz: dùng gpio://CHÂN, "
                   "hoặc protocol = \"bridge\" với bộ phát cầu RF qua USB")
    if scheme == "serial":
        params = _query(url, parts.query, ("baudrate", "rtscts"))
        path = parts.path if not parts.netloc else "/" + parts.netloc + parts.path
        if not path.startswith("/dev/") and not path.startswith("/"):
            raise _bad(url, "dạng serial:///dev/serial/by-id/… hoặc serial:///dev/ttyUSB0")
        return SerialTransport(path, url=url, **_serial_params(url, protocol, params))
    if scheme in ("socket", "tcp"):
        params = _query(url, parts.query, ("baudrate", "rtscts"))
        if not parts.hostname or not parts.port:
            raise _bad(url, "dạng socket://MÁY:CỔNG, ví dụ socket://192.168.1.50:4001")
        return SerialTransport(f"socket://{parts.hostname}:{parts.port}", url=url,
                               **_serial_params(url, protocol, params))
    if scheme == "loop":
        params = _query(url, parts.query, ("baudrate", "rtscts"))
        return SerialTransport("loop://", url=url, **_serial_params(url, protocol, params))
    raise _bad(url, "bộ phát thẻ rung dùng serial://, socket://, loop://, gpio://CHÂN hoặc sim://THƯ_MỤC")
