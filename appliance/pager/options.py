"""Reading ``[pager].options``: every key checked, unknown keys refused, one-line Vietnamese errors.

Each encoder reads the keys it understands through :class:`Options`; :meth:`Options.finish`
then refuses whatever nobody read, naming the keys that are allowed for that protocol. The keys
common to every protocol (the service's knobs) are read by :func:`service_options`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from appliance.config import ConfigError

#: Keys every protocol accepts (the service's knobs, see ServiceOptions).
COMMON_KEYS = ("dedup_s", "reply_timeout_s", "max_delay_s", "backoff_max_s")


def _where(key: str) -> str:
    return f"[pager].options.{key}"


class Options:
    def __init__(self, raw: Mapping[str, Any] | None, protocol: str):
        self.raw = dict(raw or {})
        self.protocol = protocol
        self.read: set[str] = set()

    def _get(self, key: str, default: Any) -> Any:
        self.read.add(key)
        return self.raw.get(key, default)

    def bad(self, key: str, value: Any, allowed: str) -> ConfigError:
        return ConfigError(f"Cấu hình sai {_where(key)} = {value!r} (giao thức {self.protocol}): phải là {allowed}")

    def integer(self, key: str, default: int, lo: int, hi: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.bad(key, value, f"số nguyên {lo}–{hi}")
        return value

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise self.bad(key, value, f"số từ {lo:g} đến {hi:g}")
        return float(value)

    def choice(self, key: str, default: Any, allowed: Iterable[Any]) -> Any:
        allowed = tuple(allowed)
        value = self._get(key, default)
        if value not in allowed or isinstance(value, bool):
            raise self.bad(key, value, "một trong " + ", ".join(str(a) for a in allowed))
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.bad(key, value, "true hoặc false")
        return value

    def text(self, key: str, default: str, charset: str | None = None, max_len: int = 200,
             what: str = "chuỗi ASCII in được") -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or len(value) > max_len:
            raise self.bad(key, value, f"{what}, tối đa {max_len} ký tự")
        probe = value.replace("{pager}", "")
        ok = all(c in charset for c in probe) if charset is not None else all(
            32 <= ord(c) < 127 for c in probe)
        if not ok:
            raise self.bad(key, value, what + " (không dấu; '{pager}' thay bằng số thẻ)")
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.read - set(COMMON_KEYS))
        if unknown:
            allowed = sorted(self.read | set(COMMON_KEYS))
            raise ConfigError(f"Khóa cấu hình không hợp lệ {_where(unknown[0])} (giao thức {self.protocol}): "
                              "các khóa được phép là " + ", ".join(allowed))


def check_system_id(value: int, protocol: str, lo: int, hi: int, meaning: str) -> int:
    if not lo <= value <= hi:
        raise ConfigError(f"Cấu hình sai [pager].system_id = {value!r}: giao thức {protocol} cần {meaning} "
                          f"trong khoảng {lo}–{hi}")
    return value


@dataclass(frozen=True)
class ServiceOptions:
    dedup_s: float = 5.0           # the same pager paged twice within this many seconds sends once
    reply_timeout_s: float = 2.0   # how long to wait for a transmitter's ACK/NAK
    max_delay_s: float = 60.0      # a page not sent within this many seconds (device down) is dropped
    backoff_max_s: float = 30.0    # longest pause between two reconnect attempts


def service_options(raw: Mapping[str, Any] | None, protocol: str) -> ServiceOptions:
    opts = Options(raw, protocol)
    return ServiceOptions(
        dedup_s=opts.number("dedup_s", ServiceOptions.dedup_s, 0, 600),
        reply_timeout_s=opts.number("reply_timeout_s", ServiceOptions.reply_timeout_s, 0.05, 60),
        max_delay_s=opts.number("max_delay_s", ServiceOptions.max_delay_s, 1, 3600),
        backoff_max_s=opts.number("backoff_max_s", ServiceOptions.backoff_max_s, 0.01, 600),
    )
