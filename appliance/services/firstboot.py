"""First boot with no keyboard and no SSH: the setup code and the first administrator.

A fresh install (``motcua init --browser-setup``, the image's first boot) has no administrator.
Until one exists, a one-time setup code is kept in the database (``kv``): the boot slip prints it
and the hall TV's pairing screen shows it. The first visit from the office network that types it
creates the administrator account in the browser (:func:`create_first_admin`); the code is then
deleted and never accepted again. Wrong codes are throttled per address. Every attempt that
creates the account, and every refused one, is written to the audit log.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Protocol

from ..domain import firstboot as rules
from ..domain.errors import Conflict, NotAllowed, TooManyRequests
from ..store import accounts as account_store
from ..store import kv_store
from ..store.db import Database
from . import accounts
from .uow import NoListeners, Units

SETUP_CODE_KEY = "setup_code"
WIZARD_KEY = "setup_wizard"      # the wizard's last finished step, once an admin exists


class Throttle(Protocol):
    def retry_after(self, login: str, address: str) -> int: ...
    def failed(self, login: str, address: str) -> None: ...


def needs_admin(conn: sqlite3.Connection) -> bool:
    return account_store.active_admins(conn) == 0


def setup_pending(db: Database) -> bool:
    """A setup code waits for the browser (the image's first boot chose browser setup)."""
    conn = db.conn()
    return needs_admin(conn) and kv_store.get(conn, SETUP_CODE_KEY) is not None


def setup_code(db: Database) -> str | None:
    """The setup code while no administrator exists (made on first use), else None."""
    conn = db.conn()
    if not needs_admin(conn):
        return None
    code = kv_store.get(conn, SETUP_CODE_KEY)
    if code:
        return code
    with db.write() as tx:
        if not needs_admin(tx):
            return None
        code = kv_store.get(tx, SETUP_CODE_KEY)
        if not code:
            code = rules.new_setup_code()
            kv_store.put(tx, SETUP_CODE_KEY, code)
    return code


def shown_setup_code(db: Database) -> str | None:
    code = setup_code(db)
    return rules.format_setup_code(code) if code else None


THROTTLE_NAME = "setup-code"


def create_first_admin(db: Database, address: str | None, typed_code: str, login: str, password: str,
                       full_name: str = "", throttle: Throttle | None = None,
                       clock: Callable[[], float] = time.time) -> int:
    """Create the first administrator from the browser; returns the user id.

    Refused (nothing written but the audit line) from outside the office network, with a wrong
    code, when too many wrong codes came from this address, or once an administrator exists.
    ``clock`` times the account and the audit rows (the panel passes ``Appliance.clock``).
    """
    units = Units(db, NoListeners(), clock, lambda: False)
    rules.check_office_address(address)
    if throttle is not None:
        wait = throttle.retry_after(THROTTLE_NAME, address or "?")
        if wait:
            raise TooManyRequests("too_many_setup_attempts", "setup_code", minutes=max(1, round(wait / 60)))
    code = setup_code(db)
    if code is None:
        raise Conflict("already_set_up", None)
    if not rules.setup_code_matches(typed_code, code):
        if throttle is not None:
            throttle.failed(THROTTLE_NAME, address or "?")
        with units() as tx:
            tx.audit(None, "setup.refused", "", f"mã cài đặt sai; {address}")
        raise NotAllowed("bad_setup_code", "setup_code")
    with units() as tx:
        if not needs_admin(tx.conn):
            raise Conflict("already_set_up", None)
        user_id = accounts.add_user(tx, login, "admin", password, full_name)
        kv_store.delete(tx.conn, SETUP_CODE_KEY)
        kv_store.put(tx.conn, WIZARD_KEY, "admin")
        tx.audit(login.strip().lower(), "setup.admin_created", f"user:{login.strip().lower()}",
                 f"cài đặt lần đầu trên trình duyệt; {address}")
    return user_id


def wizard_step(db: Database) -> str | None:
    """The wizard's last finished step ("admin", …, "done"), None when it never ran."""
    return kv_store.get(db.conn(), WIZARD_KEY)


def set_wizard_step(db: Database, step: str) -> None:
    with db.write() as tx:
        kv_store.put(tx, WIZARD_KEY, step)
