"""``make_transport(settings.sms)``: the SMS transport named by ``[sms].url``.

* ``serial:///dev/motcua-modem`` (or ``/dev/serial/by-id/usb-…``), ``?baudrate=115200&pin=1234`` — a
  USB GSM modem (AT commands); ``socket://HOST:PORT`` a modem behind a serial-to-TCP server;
  ``loop://`` pyserial's loopback (tests);
* ``sim://var/devices/sms`` — the recording modem (demo);
* ``https://…`` or ``http://…`` — an HTTP SMS gateway (``[sms].token``);
* ``""`` — no SMS.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from appliance.config import ConfigError, Sms

from .at_modem import AtModem
from .sim_modem import SimModem
from .transport import DisabledTransport, SmsTransport


def _bad(url: str, why: str) -> ConfigError:
    return ConfigError(f"Cấu hình sai [sms].url = {url!r}: {why}")


def make_transport(settings: Sms) -> SmsTransport:
    url = settings.url.strip()
    if not url:
        return DisabledTransport()
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sim":
        return SimModem((parts.netloc + parts.path) or "var/devices/sms", url=url)
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise _bad(url, "thiếu tên máy của cổng SMS, ví dụ https://sms.example.vn/send")
        from .http_gateway import HttpGateway  # requests (~15 MB) only for an office that uses a gateway
        return HttpGateway(url, token=settings.token)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key in params:
        if key not in ("baudrate", "pin"):
            raise _bad(url, f"tham số '{key}' không được hỗ trợ, chỉ dùng baudrate, pin")
    baudrate = params.get("baudrate", "115200")
    if not baudrate.isdigit() or not 300 <= int(baudrate) <= 4_000_000:
        raise _bad(url, "baudrate phải là số nguyên, ví dụ 115200")
    pin = params.get("pin", "")
    if pin and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise _bad(url, "pin là mã PIN của SIM, 4–8 chữ số")
    options = dict(baudrate=int(baudrate), pin=pin, delivery_reports=settings.delivery_reports, url=url)
    if scheme == "serial":
        path = parts.path if not parts.netloc else "/" + parts.netloc + parts.path
        if not path.startswith("/"):
            raise _bad(url, "dạng serial:///dev/serial/by-id/… hoặc serial:///dev/ttyUSB0")
        return AtModem(path, **options)  # type: ignore[arg-type]
    if scheme in ("socket", "tcp"):
        if not parts.hostname or not parts.port:
            raise _bad(url, "dạng socket://MÁY:CỔNG")
        return AtModem(f"socket://{parts.hostname}:{parts.port}", **options)  # type: ignore[arg-type]
    if scheme == "loop":
        return AtModem("loop://", **options)  # type: ignore[arg-type]
    raise _bad(url, "dùng serial://, socket://, sim://THƯ_MỤC, https://… hoặc để trống")
