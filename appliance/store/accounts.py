"""People and machines that may use the panel and the API: users, API tokens, the audit log."""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import passwords
from ..domain.errors import Conflict, DomainError, NotFound
from .db import inserted_id

USER_ROLES = ("admin", "officer", "volunteer")
TOKEN_ROLES = ("admin", "officer", "volunteer", "kiosk", "display")   # tokens for the whole office
COUNTER_TOKEN_ROLES = ("mirror",)   # tokens bound to one counter: the screen facing its citizen
ALL_TOKEN_ROLES = TOKEN_ROLES + COUNTER_TOKEN_ROLES
MIN_PASSWORD = passwords.MIN_LENGTH
PASSWORD_METHOD = "scrypt"  # werkzeug's default; tests lower the cost


@dataclass(frozen=True)
class Principal:
    """Who is asking: a logged-in person or an API token."""
    kind: str            # "user" | "token"
    id: int
    name: str
    role: str
    full_name: str = ""
    must_change_password: bool = False
    counter_id: int | None = None   # a mirror token: the one counter it may show
    counters: tuple[int, ...] | None = None  # a hall display token: the counters it shows (None: all)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate_password() -> str:
    """Easy to read aloud and type: three groups of lowercase letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def check_password_rules(password: str, login: str = "", office_name: str = "") -> None:
    """The rules of :mod:`appliance.domain.passwords` (common, trivial, the login, the office)."""
    passwords.check(password, login, office_name)


def add_user(conn: sqlite3.Connection, login: str, role: str, password: str, full_name: str = "",
             must_change: bool = False, office_name: str = "") -> int:
    login = login.strip().lower()
    if not login or not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise DomainError("invalid", "login", detail=("tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch",
                                                           "a login name has only letters, digits, dots and dashes"))
    if role not in USER_ROLES:
        raise DomainError("invalid", "role", detail=("vai trò là một trong " + ", ".join(USER_ROLES),
                                                          "the role is one of " + ", ".join(USER_ROLES)))
    check_password_rules(password, login, office_name)
    if conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone():
        raise Conflict("duplicate", "login", value=login)
    return inserted_id(conn.execute(
        "INSERT INTO users (login, full_name, role, password_hash, must_change_password, created_ts) "
        "VALUES (?, ?, ?, ?, ?, ?)", (login, full_name, role, generate_password_hash(password, PASSWORD_METHOD),
                                                  int(must_change), time.time())))


def set_password(conn: sqlite3.Connection, user_id: int, password: str, must_change: bool = False,
                 office_name: str = "", keep_session: str | None = None) -> None:
    """A new password ends every session of the user (but ``keep_session``, the one changing it)."""
    row = conn.execute("SELECT login FROM users WHERE id = ?", (user_id,)).fetchone()
    check_password_rules(password, row[0] if row else "", office_name)
    end_sessions(conn, user_id, keep=keep_session)
    conn.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
                 (generate_password_hash(password, PASSWORD_METHOD), int(must_change), user_id))


def active_admins(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0]


def user_row(conn: sqlite3.Connection, user_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()


def set_active(conn: sqlite3.Connection, user_id: int, active: bool) -> None:
    conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))
    if not active:
        end_sessions(conn, user_id)


# --- login sessions -------------------------------------------------------------------------
SESSION_TOUCH_S = 60.0   # last_seen is written at most once a minute per session


def start_session(conn: sqlite3.Connection, user_id: int, address: str = "", now: float | None = None) -> str:
    """A new session for ``user_id``; returns its id (kept in the signed cookie, only its hash here)."""
    sid = secrets.token_urlsafe(32)
    ts = time.time() if now is None else now
    conn.execute("INSERT INTO user_sessions (id_hash, user_id, created_ts, last_seen_ts, address) "
                 "VALUES (?, ?, ?, ?, ?)", (token_hash(sid), user_id, ts, ts, address[:64]))
    return sid


def session_principal(conn: sqlite3.Connection, sid: str, user_id: int, idle_s: float,
                      now: float | None = None) -> tuple[Principal | None, bool]:
    """(the user of a live session, whether its last_seen should be written), or (None, False) when
    the session was ended, belongs to someone else, the user is disabled, or it was idle too long."""
    ts = time.time() if now is None else now
    row = conn.execute("SELECT s.last_seen_ts, u.* FROM user_sessions s JOIN users u ON u.id = s.user_id "
                       "WHERE s.id_hash = ? AND u.active", (token_hash(sid),)).fetchone()
    if row is None or row["id"] != user_id or ts - row["last_seen_ts"] > idle_s:
        return None, False
    return user_principal(row), ts - row["last_seen_ts"] >= SESSION_TOUCH_S


def touch_session(conn: sqlite3.Connection, sid: str, now: float | None = None) -> None:
    conn.execute("UPDATE user_sessions SET last_seen_ts = ? WHERE id_hash = ?",
                 (time.time() if now is None else now, token_hash(sid)))


def end_session(conn: sqlite3.Connection, sid: str) -> None:
    conn.execute("DELETE FROM user_sessions WHERE id_hash = ?", (token_hash(sid),))


def end_sessions(conn: sqlite3.Connection, user_id: int, keep: str | None = None) -> int:
    """End every session of ``user_id`` (but ``keep``); returns how many ended."""
    return conn.execute("DELETE FROM user_sessions WHERE user_id = ? AND id_hash != ?",
                        (user_id, token_hash(keep) if keep else "")).rowcount


def purge_idle_sessions(conn: sqlite3.Connection, idle_s: float, now: float | None = None) -> int:
    ts = time.time() if now is None else now
    return conn.execute("DELETE FROM user_sessions WHERE last_seen_ts < ?", (ts - idle_s,)).rowcount


def set_role(conn: sqlite3.Connection, user_id: int, role: str) -> None:
    if role not in USER_ROLES:
        raise DomainError("invalid", "role", detail=("vai trò là một trong " + ", ".join(USER_ROLES),
                                                          "the role is one of " + ", ".join(USER_ROLES)))
    conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))


def authenticate(conn: sqlite3.Connection, login: str, password: str) -> Principal | None:
    row = conn.execute("SELECT * FROM users WHERE login = ? AND active", (login.strip().lower(),)).fetchone()
    if row is None or not check_password_hash(row["password_hash"], password):
        return None
    return user_principal(row)


def user_principal(row: sqlite3.Row) -> Principal:
    return Principal("user", row["id"], row["login"], row["role"], row["full_name"],
                     bool(row["must_change_password"]))


def user_by_id(conn: sqlite3.Connection, user_id: int) -> Principal | None:
    row = conn.execute("SELECT * FROM users WHERE id = ? AND active", (user_id,)).fetchone()
    return user_principal(row) if row else None


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM users ORDER BY login").fetchall()


def add_token(conn: sqlite3.Connection, name: str, role: str, counter_id: int | None = None,
              counters: tuple[int, ...] | None = None) -> str:
    """Create a bearer token; only its hash is stored, the token itself is returned once.

    A ``mirror`` token is bound to one counter (``counter_id``, which must exist); no other role
    takes a counter. A ``display`` token may show only some counters (``counters``; None: all).
    """
    if role not in ALL_TOKEN_ROLES:
        raise DomainError("invalid", "role", detail=("vai trò là một trong " + ", ".join(ALL_TOKEN_ROLES),
                                                    "the role is one of " + ", ".join(ALL_TOKEN_ROLES)))
    if not name.strip():
        raise DomainError("required", "name", name="name")
    if role in COUNTER_TOKEN_ROLES:
        if counter_id is None:
            raise DomainError("invalid", "counter_id", detail=(
                "mã vai trò mirror phải gắn với một quầy: chọn số quầy có màn hình công dân này",
                "a mirror token belongs to one counter: choose the counter of this citizen screen"))
        if isinstance(counter_id, bool) or not isinstance(counter_id, int) \
                or not conn.execute("SELECT 1 FROM counters WHERE id = ?", (counter_id,)).fetchone():
            raise DomainError("unknown_counter", "counter_id", counter=counter_id)
    elif counter_id is not None:
        raise DomainError("invalid", "counter_id", detail=(
            f"chỉ mã vai trò mirror gắn với một quầy; mã vai trò {role} dùng cho cả cơ quan, đừng chọn quầy",
            f"only a mirror token belongs to a counter; a {role} token is for the whole office, "
            "choose no counter"))
    if counters is not None and role != "display":
        raise DomainError("invalid", "counters", detail=(
            "chỉ màn hình sảnh chọn các quầy hiển thị", "only a hall display shows chosen counters"))
    for c in counters or ():
        if not conn.execute("SELECT 1 FROM counters WHERE id = ?", (c,)).fetchone():
            raise DomainError("unknown_counter", "counters", counter=c)
    token = "mc_" + secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO api_tokens (name, role, token_hash, created_ts, counter_id, counters) VALUES (?, ?, ?, ?, ?, ?)",
        (name.strip(), role, token_hash(token), time.time(), counter_id,
         None if counters is None else ",".join(str(c) for c in counters)))
    return token


def token_principal(conn: sqlite3.Connection, token: str) -> Principal | None:
    row = conn.execute("SELECT * FROM api_tokens WHERE token_hash = ? AND NOT revoked",
                       (token_hash(token),)).fetchone()
    if row is None:
        return None
    counters = tuple(int(c) for c in row["counters"].split(",")) if row["counters"] else None
    return Principal("token", row["id"], row["name"], row["role"], counter_id=row["counter_id"], counters=counters)


def touch_token(conn: sqlite3.Connection, token_id: int) -> None:
    conn.execute("UPDATE api_tokens SET last_used_ts = ? WHERE id = ?", (time.time(), token_id))


def revoke_token(conn: sqlite3.Connection, token_id: int) -> None:
    if conn.execute("UPDATE api_tokens SET revoked = 1 WHERE id = ?", (token_id,)).rowcount == 0:
        raise NotFound("not_found", "token", what=(f"mã truy cập {token_id}", f"access token {token_id}"))


def list_tokens(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT id, name, role, counter_id, created_ts, last_used_ts, revoked FROM api_tokens "
                        "ORDER BY id").fetchall()


def audit(conn: sqlite3.Connection, user_login: str | None, action: str, object: str = "",
          detail: str = "") -> None:
    conn.execute("INSERT INTO audit_log (ts, user_login, action, object, detail) VALUES (?, ?, ?, ?, ?)",
                 (time.time(), user_login, action, object, detail))
