"""The account commands: users, passwords, roles and API tokens, each inside the caller's unit of
work (``appliance.services.uow``), so the change, its audit row and its time (the appliance's
clock) commit together.

The rules are ``appliance.domain.accounts`` (pure); the SQL is ``appliance.store.accounts``.
Passwords are stored as werkzeug hashes; a token is shown once and only its hash is stored.
"""
from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import accounts as rules
from ..domain.accounts import Principal
from ..domain.errors import Conflict, NotFound
from ..domain.throttle import LoginThrottle
from ..errors import MotcuaError
from ..store import accounts as store
from .uow import UnitOfWork, Units

log = logging.getLogger(__name__)

PASSWORD_METHOD = "scrypt"  # werkzeug's default; tests lower the cost


def generate_password() -> str:
    """Easy to read aloud and type: three groups of lowercase letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def check_password_rules(password: str, login: str = "", office_name: str = "") -> None:
    """Refuse a weak password before any write (``appliance.domain.passwords``)."""
    rules.check_password(password, login, office_name)


def add_user(tx: UnitOfWork, login: str, role: str, password: str, full_name: str = "",
             must_change: bool = False, office_name: str = "") -> int:
    """A new person; ``duplicate`` if the login is taken. Returns the user's id."""
    login = rules.normal_login(login)
    rules.check_user_role(role)
    rules.check_password(password, login, office_name)
    if store.login_taken(tx.conn, login):
        raise Conflict("duplicate", "login", value=login)
    return store.insert_user(tx.conn, login, full_name, role, generate_password_hash(password, PASSWORD_METHOD),
                             must_change, tx.now)


def set_password(tx: UnitOfWork, user_id: int, password: str, must_change: bool = False,
                 office_name: str = "", keep_session: str | None = None) -> None:
    """A new password ends every login session of the user but ``keep_session`` (the one changing it)."""
    rules.check_password(password, store.user_login(tx.conn, user_id) or "", office_name)
    store.update_password(tx.conn, user_id, generate_password_hash(password, PASSWORD_METHOD), must_change,
                          keep_session)


def set_role(tx: UnitOfWork, user_id: int, role: str) -> None:
    rules.check_user_role(role)
    store.update_role(tx.conn, user_id, role)


def set_active(tx: UnitOfWork, user_id: int, active: bool) -> None:
    """Disabling an account ends its login sessions at once."""
    store.update_active(tx.conn, user_id, active)


def authenticate(conn: sqlite3.Connection, login: str, password: str) -> Principal | None:
    """The active user with this login and password, else ``None``."""
    row = store.active_user_by_login(conn, login.strip().lower())
    if row is None or not check_password_hash(row["password_hash"], password):
        return None
    return store.user_principal(row)


def add_token(tx: UnitOfWork, name: str, role: str, counter_id: int | None = None,
              counters: tuple[int, ...] | None = None) -> str:
    """Create a bearer token (rules: :func:`appliance.domain.accounts.check_token`); only its hash
    is stored, the token itself is returned once."""
    rules.check_token(name, role, counter_id, counters, lambda c: store.counter_exists(tx.conn, c))
    token = "mc_" + secrets.token_urlsafe(32)
    store.insert_token(tx.conn, name.strip(), role, rules.token_hash(token), tx.now, counter_id, counters)
    return token


def touch_token(tx: UnitOfWork, token_id: int) -> None:
    """Record a token's last use (the admin page shows it)."""
    store.update_token_used(tx.conn, token_id, tx.now)


def revoke_token(tx: UnitOfWork, token_id: int) -> None:
    if not store.update_token_revoked(tx.conn, token_id):
        raise NotFound("not_found", "token", what=(f"mã truy cập {token_id}", f"access token {token_id}"))


class _KeptInDatabase:
    """The login backoff's counts written through to ``login_failures``, one small unit each."""

    def __init__(self, units: Units) -> None:
        self.units = units

    def put(self, kind: str, login: str, address: str, failures: int, last: float) -> None:
        try:
            with self.units() as tx:
                store.put_login_failure(tx.conn, kind, login, address, failures, last)
        except (sqlite3.Error, MotcuaError) as exc:   # e.g. a full disk: the count still holds in memory
            log.warning("login backoff count not kept: %s", exc)

    def drop(self, kind: str, login: str, address: str) -> None:
        try:
            with self.units() as tx:
                store.delete_login_failure(tx.conn, kind, login, address)
        except (sqlite3.Error, MotcuaError) as exc:
            log.warning("login backoff count not cleared: %s", exc)


def login_backoff(units: Units, clock: Callable[[], float]) -> LoginThrottle:
    """The login backoff (``appliance.domain.throttle``) with its counts kept in SQLite: the counts
    of the last hour are read back, so a restart does not reset an attacker's wait; older rows go."""
    throttle = LoginThrottle(clock, keep=_KeptInDatabase(units))
    since = clock() - throttle.forget_after_s
    with units() as tx:
        store.forget_login_failures(tx.conn, since)
        throttle.restore(store.login_failures(tx.conn, since))
    return throttle
