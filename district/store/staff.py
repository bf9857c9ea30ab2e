"""Hub staff: dashboard users (hashed passwords) and API bearer tokens (``motcua-hub token add``)."""
from __future__ import annotations

import re

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from district import security
from district.db.schema import api_tokens, staff_sessions, staff_users
from district.domain import passwords
from district.domain.errors import HubError
from district.store.clock import utcnow

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{2,64}$")
MIN_PASSWORD = passwords.MIN_LENGTH


def add_user(conn: Connection, name: str, password: str) -> None:
    """Create user ``name`` or set a new password for it."""
    if not NAME_RE.match(name):
        raise HubError("invalid_name", "Tên đăng nhập 2–64 ký tự: chữ không dấu, số, '.', '_', '-'", "name")
    why = passwords.problem(password, name)
    if why:
        raise HubError("weak_password", why, "password")
    hashed = security.hash_password(password)
    if conn.execute(update(staff_users).where(staff_users.c.name == name)
                    .values(password_hash=hashed, disabled=False)).rowcount == 0:
        conn.execute(staff_users.insert().values(name=name, password_hash=hashed, created_at=utcnow()))
    else:
        end_sessions(conn, name)   # a new password ends every session of that person


# --- dashboard sessions ---------------------------------------------------------------------
TOUCH_S = 60.0   # last_seen_at is written at most once a minute per session


def start_session(conn: Connection, name: str) -> str:
    sid = security.new_token("")
    now = utcnow()
    conn.execute(staff_sessions.insert().values(id_hash=security.token_hash(sid), staff_name=name, created_at=now,
                                                last_seen_at=now))
    return sid


def session_alive(conn: Connection, sid: str, name: str, idle_s: float) -> tuple[bool, bool]:
    """(the session is live for ``name`` and the user not disabled, its last_seen_at should be written)."""
    row = conn.execute(select(staff_sessions.c.staff_name, staff_sessions.c.last_seen_at)
                       .join(staff_users, staff_users.c.name == staff_sessions.c.staff_name)
                       .where(staff_sessions.c.id_hash == security.token_hash(sid),
                              staff_users.c.disabled.is_(False))).first()
    if row is None or row.staff_name != name:
        return False, False
    idle = (utcnow() - row.last_seen_at).total_seconds()
    return idle <= idle_s, idle >= TOUCH_S


def touch_session(conn: Connection, sid: str) -> None:
    conn.execute(update(staff_sessions).where(staff_sessions.c.id_hash == security.token_hash(sid))
                 .values(last_seen_at=utcnow()))


def end_session(conn: Connection, sid: str) -> None:
    conn.execute(delete(staff_sessions).where(staff_sessions.c.id_hash == security.token_hash(sid)))


def end_sessions(conn: Connection, name: str) -> int:
    return conn.execute(delete(staff_sessions).where(staff_sessions.c.staff_name == name)).rowcount


def check_login(conn: Connection, name: str, password: str) -> bool:
    row = conn.execute(select(staff_users.c.password_hash).where(
        staff_users.c.name == name, staff_users.c.disabled.is_(False))).first()
    if row is None:
        security.hash_password(password)  # same work either way: no user-name oracle by timing
        return False
    return security.password_ok(row.password_hash, password)


def add_token(conn: Connection, name: str) -> str:
    if not NAME_RE.match(name):
        raise HubError("invalid_name", "Tên mã truy cập 2–64 ký tự: chữ không dấu, số, '.', '_', '-'", "name")
    token = security.new_token(security.STAFF_PREFIX)
    conn.execute(api_tokens.insert().values(name=name, token_hash=security.token_hash(token), created_at=utcnow()))
    return token


def revoke_token(conn: Connection, name: str) -> int:
    return conn.execute(update(api_tokens).where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                        .values(revoked_at=utcnow())).rowcount


def staff_for_token(conn: Connection, token: str) -> str | None:
    return conn.execute(select(api_tokens.c.name).where(api_tokens.c.token_hash == security.token_hash(token),
                                                        api_tokens.c.revoked_at.is_(None))).scalar()
