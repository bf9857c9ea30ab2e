"""Devices: creation with a one-time enrolment token, enrolment, revocation, bearer lookup."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from district import security
from district.db.schema import devices
from district.domain.batch import DEVICE_ID_RE
from district.domain.errors import Conflict, HubError, Unauthorised
from district.store.clock import utcnow


def add_device(conn: Connection, code: str, commune_name: str | None = None, commune_code: str | None = None,
               valid_days: int = 14) -> str:
    """Create device ``code`` (or renew its enrolment if never enrolled); returns the enrolment token."""
    code = code.strip().lower()
    if not DEVICE_ID_RE.match(code):
        raise HubError("invalid_code", "Mã thiết bị chỉ gồm chữ thường không dấu, số, '.', '_', '-' "
                       "(tối đa 64 ký tự), ví dụ xa-duong-xa", "code")
    token = security.new_token(security.ENROL_PREFIX)
    now = utcnow()
    values = {"enrol_token_hash": security.token_hash(token), "enrol_expires_at": now + timedelta(days=valid_days)}
    existing = conn.execute(select(devices.c.enrolled_at, devices.c.revoked_at)
                            .where(devices.c.id == code)).first()
    if existing is None:
        name = commune_name or _name_from_code(code)
        conn.execute(devices.insert().values(id=code, commune_code=commune_code or code, commune_name=name,
                                             created_at=now, config={}, **values))
    elif existing.enrolled_at is not None and existing.revoked_at is None:
        raise Conflict("already_enrolled", f"Thiết bị {code} đã đăng ký và đang hoạt động. Muốn thay thiết bị, "
                       f"hãy thu hồi ('motcua-hub device revoke {code}') rồi thêm thiết bị với mã mới.", "code")
    elif existing.revoked_at is not None:
        raise Conflict("revoked", f"Thiết bị {code} đã bị thu hồi; mã này không dùng lại được (số thứ tự sự kiện "
                       "sẽ trùng). Hãy thêm thiết bị với mã mới, ví dụ " + code + "-2.", "code")
    else:
        values.update({k: v for k, v in (("commune_name", commune_name), ("commune_code", commune_code)) if v})
        conn.execute(update(devices).where(devices.c.id == code).values(**values))
    return token


def _name_from_code(code: str) -> str:
    words = re.split(r"[-_.]", code)
    return " ".join(w.capitalize() for w in words)


def enrol(conn: Connection, enrol_token: str) -> tuple[str, str]:
    """Exchange a one-time enrolment token for ``(device_id, device_token)``."""
    row = conn.execute(select(devices.c.id, devices.c.enrol_expires_at, devices.c.revoked_at)
                       .where(devices.c.enrol_token_hash == security.token_hash(enrol_token))).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorised("invalid_enrolment", "Mã đăng ký không đúng hoặc đã dùng. Hãy xin mã mới "
                           "('motcua-hub device add MÃ').", "token")
    if row.enrol_expires_at < utcnow():
        raise Unauthorised("expired_enrolment", "Mã đăng ký đã hết hạn. Hãy xin mã mới "
                           "('motcua-hub device add MÃ').", "token")
    token = security.new_token(security.DEVICE_PREFIX)
    conn.execute(update(devices).where(devices.c.id == row.id).values(
        token_hash=security.token_hash(token), enrol_token_hash=None, enrol_expires_at=None,
        enrolled_at=utcnow()))
    return row.id, token


def revoke(conn: Connection, code: str) -> bool:
    result = conn.execute(update(devices).where(devices.c.id == code, devices.c.revoked_at.is_(None)).values(
        revoked_at=utcnow(), token_hash=None, enrol_token_hash=None, enrol_expires_at=None))
    return result.rowcount == 1


def device_for_token(conn: Connection, token: str) -> str | None:
    return conn.execute(select(devices.c.id).where(devices.c.token_hash == security.token_hash(token),
                                                   devices.c.revoked_at.is_(None))).scalar()


def list_devices(conn: Connection) -> list:
    return list(conn.execute(select(devices).order_by(devices.c.commune_code, devices.c.id)).all())


def set_config(conn: Connection, code: str, config: dict) -> bool:
    return conn.execute(update(devices).where(devices.c.id == code).values(config=config)).rowcount == 1
