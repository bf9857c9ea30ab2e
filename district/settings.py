"""Hub settings: built-in defaults < MOTCUA_HUB_* environment < ``test_config`` mapping.

The hub runs as stateless instances behind a load balancer, so every setting comes from the
environment (or the systemd unit's ``Environment=``); secrets that all instances must share (the
session key) live in the database, see :mod:`district.store.meta`.

A wrong value raises :class:`SettingsError` whose one-line Vietnamese message names the variable.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from district.domain.errors import HubError

LEVELS = ("district", "province")
# Since 1 July 2025 communes report to the province; "district" names an intermediate aggregator a
# province may still run, shown as "Cấp trên" (there is no district level any more).
LEVEL_NAMES = {"district": "Cấp trên", "province": "Tỉnh"}
DEFAULT_DATABASE = "sqlite:///" + str(Path("var") / "hub.db")


class SettingsError(HubError):
    """A settings mistake; ``str()`` is one line, in Vietnamese, naming the variable."""

    def __init__(self, message: str):
        super().__init__("settings", message)


@dataclass(frozen=True)
class HubSettings:
    database_url: str = DEFAULT_DATABASE
    level: str = "province"          # since 1 July 2025 communes report to the province
    name: str = "Trung tâm điều hành"
    timezone: str = "Asia/Ho_Chi_Minh"
    max_batch_events: int = 500
    max_batch_bytes: int = 256 * 1024          # gzipped (or raw) request body
    max_inflated_bytes: int = 8 * 1024 * 1024  # guards against gzip bombs
    enrol_token_days: int = 14
    language: str = "vi"
    secret_key: str = ""             # empty: read (or create) the key stored in the database
    ingest_concurrency: int = 4      # batches stored at once per worker process
    ingest_max_wait_s: int = 8       # a batch that would wait longer gets 503 + Retry-After (devices wait 15 s)
    session_idle_hours: int = 10     # a dashboard login ends after this long without use
    ingest_max_waiting: int = 16     # batches waiting for a slot per process (each holds a server thread)
    ingest_deadline_s: int = 12      # a batch not stored this long after the hub began reading it is
    #                                  rolled back and answered 503 + Retry-After (devices wait 15 s)
    lookup_keep_days: int = 90       # `motcua-hub purge`: lookup keys of dossiers closed longer ago are deleted

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


_ENV = {f.name: "MOTCUA_HUB_" + f.name.upper() for f in fields(HubSettings)}


def _coerce(name: str, raw: Any) -> Any:
    default = getattr(HubSettings, name)
    if isinstance(default, int) and not isinstance(raw, int):
        try:
            raw = int(str(raw).strip())
        except ValueError:
            raise SettingsError(f"{_ENV[name]}: phải là số nguyên, nhận được {raw!r}") from None
    return raw


def _check(s: HubSettings) -> HubSettings:
    if s.level not in LEVELS:
        raise SettingsError(f"{_ENV['level']}: chỉ nhận 'province' (tỉnh) hoặc 'district' (cấp trên trung gian), "
                            f"nhận được {s.level!r}")
    if not s.name.strip():
        raise SettingsError(f"{_ENV['name']}: tên đơn vị không được để trống")
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{_ENV['timezone']}: múi giờ không tồn tại, ví dụ 'Asia/Ho_Chi_Minh'") from None
    for key in ("max_batch_events", "max_batch_bytes", "max_inflated_bytes", "enrol_token_days",
                "ingest_deadline_s", "lookup_keep_days"):
        if getattr(s, key) <= 0:
            raise SettingsError(f"{_ENV[key]}: phải là số dương")
    if s.language not in ("vi", "en"):
        raise SettingsError(f"{_ENV['language']}: 'vi' hoặc 'en'")
    if not s.database_url.startswith(("sqlite:", "postgresql")):
        raise SettingsError(f"{_ENV['database_url']}: chỉ hỗ trợ 'sqlite:///ĐƯỜNG_DẪN' hoặc "
                            "'postgresql+psycopg://NGƯỜI_DÙNG@MÁY/CSDL'")
    return s


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default driver would be psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def load(env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> HubSettings:
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for name, var in _ENV.items():
        if var in env and env[var] != "":
            values[name] = _coerce(name, env[var])
    for name, value in (overrides or {}).items():
        if name not in _ENV:
            raise SettingsError(f"thiết lập không tồn tại: {name!r}")
        values[name] = _coerce(name, value)
    s = _check(replace(HubSettings(), **values))
    return replace(s, database_url=normalise_url(s.database_url))
