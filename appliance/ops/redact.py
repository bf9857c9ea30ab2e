"""Take secrets and citizens' personal data out of what leaves the device (support bundles).

Keys whose names say they hold a secret lose their value; URLs lose embedded credentials and
query tokens; free text (log lines) loses bearer tokens, phone numbers and ID-card numbers.
"""
from __future__ import annotations

import re
from typing import Any

MASK = "***"
SECRET_KEY = re.compile(r"token|secret|password|passwd|key|cookie|credential", re.I)
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@", re.I)
_URL_QUERY_SECRET = re.compile(r"([?&](?:token|key|secret|password|sig)[^=&\s]*=)[^&\s]+", re.I)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I)
_ASSIGNED_SECRET = re.compile(
    r"((?:token|secret|password|passwd|api_key|cookie)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+", re.I)
# Vietnamese mobile/landline numbers (0xx… or +84…) and 9/12-digit ID numbers (CMND/CCCD).
_PHONE = re.compile(r"(?<![\d.])(?:\+84|0)(?:[\s.-]?\d){8,10}(?![\d.])")
_ID_NUMBER = re.compile(r"(?<![\d.-])(?:\d{12}|\d{9})(?![\d.-])")


def redact_text(text: str) -> str:
    text = _URL_CREDENTIALS.sub(lambda m: m.group("scheme") + MASK + "@", text)
    text = _URL_QUERY_SECRET.sub(r"\1" + MASK, text)
    text = _BEARER.sub(r"\1" + MASK, text)
    text = _ASSIGNED_SECRET.sub(r"\1" + MASK, text)
    text = _PHONE.sub("<số điện thoại>", text)
    return _ID_NUMBER.sub("<số giấy tờ>", text)


def redact_value(key: str, value: Any) -> Any:
    if SECRET_KEY.search(key) and value not in ("", None, {}, []):
        return MASK
    if isinstance(value, dict):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(key, v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_mapping(data: dict[str, Any]) -> dict[str, Any]:
    return {k: redact_value(str(k), v) for k, v in data.items()}
