"""The SMS transport interface: a GSM modem (AT commands), the recording ``sim://`` modem, or an
HTTP gateway, all behind the same four calls.

``open()`` connects and checks (raises :class:`SmsLinkError`); ``send(number, text)`` hands one
message over and returns the references the network gave its parts (for delivery reports);
``link()`` says how the link stands (SIM, signal, network) without sending; ``reports()`` drains the
delivery reports heard since the last call.

Two kinds of failure, which the worker treats differently:

* :class:`SmsLinkError`: the modem is unplugged, has no SIM, no signal, no network, the gateway is
  unreachable. The message is not at fault: it stays queued, the attempt is not counted, the link
  is probed again with back-off.
* :class:`SmsRejected`: the network or gateway refused this message (a wrong number, a barred
  destination). The attempt counts; after ``[sms].max_attempts`` the message is marked failed.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field

from appliance.errors import DeviceError


class SmsError(DeviceError):
    """An SMS could not be sent; ``str()`` is a Vietnamese sentence an officer can act on."""

    def __init__(self, message: str, message_en: str = ""):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message


class SmsLinkError(SmsError):
    """The modem or gateway cannot send anything now (unplugged, no SIM, no signal, unreachable);
    ``sim`` names the SIM's state when that is the reason (``missing``, ``pin``, ``puk``, …)."""

    def __init__(self, message: str, message_en: str = "", sim: str | None = None):
        super().__init__(message, message_en)
        self.sim = sim


class SmsRejected(SmsError):
    """This one message was refused (the network's or gateway's error for it)."""


@dataclass(frozen=True)
class LinkState:
    """How the modem stands. ``sim``: ``ready``, ``pin`` (needs its PIN), ``puk``, ``missing``,
    ``unknown``; ``signal``: 0–31 (AT+CSQ), ``None`` when unknown or none; ``network``:
    ``home``, ``roaming``, ``searching``, ``denied``, ``none``, ``unknown``."""
    ok: bool
    sim: str = "unknown"
    signal: int | None = None
    network: str = "unknown"
    operator: str = ""
    message: str = ""
    message_en: str = ""

    @property
    def signal_dbm(self) -> int | None:
        return None if self.signal is None else -113 + 2 * self.signal

    def as_dict(self) -> dict:
        return {"ok": self.ok, "sim": self.sim, "signal": self.signal, "signal_dbm": self.signal_dbm,
                "network": self.network, "operator": self.operator}


@dataclass(frozen=True)
class DeliveryReport:
    reference: str        # the part's reference as send() returned it
    state: str            # delivered, pending, failed (appliance.sms.pdu.delivery_state)
    status: int = 0       # the network's TP-Status
    raw: str = ""


@dataclass
class Sent:
    references: list[str] = field(default_factory=list)
    parts: int = 1
    message: str = ""


class SmsTransport(abc.ABC):
    kind = "modem"        # "modem", "sim" or "gateway"
    url = ""
    delivery_reports = False

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def send(self, number: str, text: str) -> Sent: ...

    @abc.abstractmethod
    def link(self) -> LinkState: ...

    def reports(self) -> list[DeliveryReport]:
        return []

    def close(self) -> None:
        return None

    def describe(self) -> str:
        return self.url


class DisabledTransport(SmsTransport):
    """``[sms].url = ""``: the office sends no SMS; messages are still queued for when it does."""
    kind = "none"

    def open(self) -> None:
        raise SmsLinkError("Chưa cấu hình gửi tin nhắn ([sms].url để trống)",
                           "No SMS modem or gateway configured ([sms].url is empty)")

    def send(self, number: str, text: str) -> Sent:
        self.open()
        raise AssertionError("unreachable")

    def link(self) -> LinkState:
        return LinkState(False, message="Chưa cấu hình gửi tin nhắn ([sms].url để trống)",
                         message_en="No SMS modem or gateway configured ([sms].url is empty)")
