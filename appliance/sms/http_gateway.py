"""An HTTP SMS gateway, for an office that has internet: the second transport behind the same
interface, never required.

``[sms].url = "https://gateway.example/send"`` (or ``http://`` on the LAN, e.g. an Android phone
running an SMS gateway app). Each message is one ``POST`` of JSON ``{"to": "+8491…", "text": "…",
"reference": "<motcua id>"}`` with ``Authorization: Bearer <[sms].token>`` when a token is set.

* 2xx: accepted; a JSON answer's ``id`` (or ``message_id``) is kept as the reference;
* 408, 425, 429 and 5xx, a timeout, no route: a link error (the message waits, the worker retries);
* any other 4xx: this message is refused (the attempt counts).

A gateway that speaks another body format is put behind a small adapter of the office's own; the
appliance never needs the internet to run.
"""
from __future__ import annotations

import requests

from . import pdu
from .transport import LinkState, Sent, SmsLinkError, SmsRejected, SmsTransport

TEMPORARY = {408, 425, 429}


class HttpGateway(SmsTransport):
    kind = "gateway"

    def __init__(self, url: str, token: str = "", timeout_s: float = 10.0, session: requests.Session | None = None):
        self.url = url
        self.token = token
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self._last: LinkState = LinkState(True, message="Cổng SMS qua mạng: chưa gửi tin nào",
                                          message_en="HTTP SMS gateway: nothing sent yet")

    def open(self) -> None:
        return None

    def send(self, number: str, text: str, reference: str = "") -> Sent:
        try:
            full = pdu.international(number)
        except ValueError:
            raise SmsRejected(f"Số điện thoại không hợp lệ: {number!r}", f"Not a phone number: {number!r}") from None
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            answer = self.session.post(self.url, json={"to": full, "text": text, "reference": reference},
                                       headers=headers, timeout=self.timeout_s)
        except requests.RequestException as exc:
            self._last = LinkState(False, message=f"Không gửi được tới cổng SMS {self.url}: {type(exc).__name__}",
                                   message_en=f"Cannot reach the SMS gateway {self.url}: {type(exc).__name__}")
            raise SmsLinkError(self._last.message, self._last.message_en) from exc
        if answer.status_code in TEMPORARY or answer.status_code >= 500:
            code = answer.status_code
            self._last = LinkState(False, message=f"Cổng SMS {self.url} tạm thời không nhận tin (HTTP {code})",
                                   message_en=f"The SMS gateway {self.url} is not taking messages (HTTP {code})")
            raise SmsLinkError(self._last.message, self._last.message_en)
        if answer.status_code >= 400:
            raise SmsRejected(f"Cổng SMS từ chối tin (HTTP {answer.status_code}): {answer.text[:200]}",
                              f"The SMS gateway refused the message (HTTP {answer.status_code})")
        self._last = LinkState(True, message=f"Cổng SMS qua mạng {self.url} hoạt động",
                               message_en=f"HTTP SMS gateway {self.url} is working")
        ref = ""
        try:
            body = answer.json()
            if isinstance(body, dict):
                ref = str(body.get("id") or body.get("message_id") or "")
        except ValueError:
            pass
        return Sent([ref] if ref else [], pdu.count_parts(text), f"Cổng SMS đã nhận tin (HTTP {answer.status_code})")

    def link(self) -> LinkState:
        return self._last
