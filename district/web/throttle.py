"""Throttling of the dashboard login: exponential backoff that slows a guesser without locking the
real person out for a quarter of an hour (the appliance's rules, ``appliance/domain/throttle.py``):

* the name *from this address*: after 5 failures 30 s, then 60 s, 120 s … at most 5 minutes;
* the name *from anywhere*: after 10 failures 15 s, doubling to at most 1 minute;
* the address *for any name*: after 20 failures 30 s, doubling to at most 15 minutes.

While a key waits the login answers 429 with ``Retry-After`` and a Vietnamese (or English) message,
and the attempt is not counted. A success clears the name's keys (not the address's). A key with no
failure for an hour starts from zero. The counts live in the database (``login_failures``), so all
worker processes share them; ``motcua-hub user unlock NAME`` clears a name at once. The public
lookup's misses are counted the same way under their own keys (``lookup:…``, ``SCOPES``).

Behind a reverse proxy the address is the proxy's unless its ``X-Forwarded-For`` is trusted
(werkzeug ``ProxyFix``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from flask import flash, make_response, render_template, request
from flask_babel import get_locale
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from district.db.schema import login_failures
from district.hub import current
from district.store.clock import utcnow
from district.store.upsert import insert

FORGET = timedelta(hours=1)


@dataclass(frozen=True)
class Backoff:
    free: int
    base_s: float
    cap_s: float

    def wait_s(self, failures: int) -> float:
        return 0.0 if failures < self.free else min(self.cap_s, self.base_s * 2 ** (failures - self.free))


RULES = {"pair": Backoff(5, 30, 300), "account": Backoff(10, 15, 60), "address": Backoff(20, 30, 900)}
#: the public lookup's misses (a phone + 4 digits that find nothing), as on the appliance's LAN page
#: (appliance/domain/lookup.py): the phone from this address, the phone, the address
SCOPES = {"login": RULES, "lookup": {"pair": Backoff(3, 30, 600), "account": Backoff(6, 60, 900),
                                     "address": Backoff(10, 30, 900)}}


def keys(name: str, address: str, scope: str = "login") -> dict[str, str]:
    name = name.strip().casefold()[:64]
    prefix = "" if scope == "login" else f"{scope}:"
    return {"pair": f"{prefix}pair|{name}|{address}", "account": f"{prefix}account|{name}",
            "address": f"{prefix}address|{address}"}


def retry_after(conn: Connection, name: str, address: str, scope: str = "login") -> int:
    now, wait = utcnow(), 0.0
    ks = keys(name, address, scope)
    rules = SCOPES[scope]
    rows = conn.execute(select(login_failures).where(login_failures.c.key.in_(ks.values()))).all()
    kinds = {v: k for k, v in ks.items()}
    for row in rows:
        if now - row.last_at > FORGET:
            continue
        left = rules[kinds[row.key]].wait_s(row.failures) - (now - row.last_at).total_seconds()
        wait = max(wait, left)
    return int(wait + 0.999) if wait > 0 else 0


def failed(conn: Connection, name: str, address: str, scope: str = "login") -> None:
    now = utcnow()
    conn.execute(delete(login_failures).where(login_failures.c.last_at < now - FORGET))   # forgotten
    for key in keys(name, address, scope).values():
        stmt = insert(conn, login_failures).values(key=key, failures=1, last_at=now)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={
            "failures": stmt.excluded.failures + login_failures.c.failures, "last_at": now}))


def succeeded(conn: Connection, name: str, address: str) -> None:
    ks = keys(name, address)
    conn.execute(delete(login_failures).where(login_failures.c.key.in_([ks["pair"], ks["account"]])))


def unlock(conn: Connection, name: str) -> int:
    name = name.strip().casefold()
    return conn.execute(delete(login_failures).where(
        (login_failures.c.key == f"account|{name}") | login_failures.c.key.like(f"pair|{name}|%"))).rowcount


def too_many_message(wait: int) -> str:
    when_en = f"{wait} s" if wait < 90 else f"{round(wait / 60)} min"
    when_vi = f"{wait} giây" if wait < 90 else f"{round(wait / 60)} phút"
    if str(get_locale() or "vi").startswith("en"):
        return f"Too many failed logins. Try again in {when_en}, or ask an administrator to unlock the login."
    return f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {when_vi}, hoặc nhờ quản trị viên mở khóa đăng nhập."


def address() -> str:
    return request.remote_addr or "?"


def throttled(view):
    """The login view: a POST waits out its backoff (429) before the password is even checked; a
    401 answer counts as a failure, a redirect (success) clears the name's count."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        name = request.form.get("name", "")
        engine = current().engine
        with engine.connect() as conn:
            wait = retry_after(conn, name, address())
        if wait:
            flash(too_many_message(wait), "error")
            response = make_response(render_template("login.html", next=request.form.get("next", "")), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        response = make_response(view(*args, **kwargs))
        with engine.begin() as conn:
            if response.status_code == 401:
                failed(conn, name, address())
            elif response.status_code < 400:
                succeeded(conn, name, address())
        return response
    return wrapped
