"""Helpers shared by the page tests (the fixtures built on them are in conftest.py).

``staff`` logs a test client in as a person of a given role (session cookie, as the login page
would), ``csrf`` reads the token from a rendered form, ``post_form`` submits a form with it.
"""
from __future__ import annotations

import html
import re

from appliance.services import accounts
from appliance.store import accounts as account_store

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "mat-khau-thu-123"


def make_user(appliance, login: str, role: str, password: str = PASSWORD, must_change: bool = False) -> int:
    with appliance.units() as tx:
        row = tx.conn.execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()
        if row:
            accounts.set_password(tx, row[0], password, must_change)
            return row[0]
        return accounts.add_user(tx, login, role, password, f"Người thử {login}", must_change)


def server_session(client, user_id: int) -> dict:
    """The cookie content of a real login: the user and a live server-side session."""
    appliance = client.application.extensions["motcua"]
    with appliance.db.write() as conn:
        sid = account_store.start_session(conn, user_id, "127.0.0.1", appliance.clock())
    return {"user_id": user_id, "sid": sid}


def log_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session.clear()
        session.update(server_session(client, user_id))
        session.permanent = True


def csrf(client, path: str = "/admin/users") -> str:
    page = client.get(path)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, page: str | None = None, **kwargs):
    data = dict(data or {})
    data["csrf_token"] = csrf(client, page or path)
    return client.post(path, data=data, **kwargs)


def text(response) -> str:
    """The page with HTML character references resolved (``&#39;`` → ``'``)."""
    return html.unescape(response.get_data(as_text=True))


def audit_rows(appliance, action: str) -> list:
    return appliance.db.conn().execute("SELECT * FROM audit_log WHERE action = ? ORDER BY id",
                                       (action,)).fetchall()
