"""Who is asking (a bearer token or a logged-in session) and what their role may do."""
from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable

from flask import abort, current_app, g, request, session

from ..domain.accounts import CAN, Principal, may_mirror  # noqa: F401 (the views import them from here)
from ..services import accounts as account_service
from ..store import accounts
from .errors import Forbidden


def appliance():
    return current_app.extensions["motcua"]


def current_principal() -> Principal | None:
    if "principal" in g:
        return g.principal
    principal = None
    header = request.headers.get("Authorization", "")
    db = appliance().db
    if header.startswith("Bearer "):
        principal = accounts.token_principal(db.conn(), header[7:].strip())
        if principal is None:
            abort(401)
        _touch(db, principal)
    elif session.get("user_id"):
        principal = _session_user(db)
        if principal is None:
            session.clear()
    g.principal = principal
    return principal


def _session_user(db) -> Principal | None:
    """The person of a logged-in cookie, if its server-side session is still alive: logging out, a
    new password and a disabled account end it everywhere (a copied cookie too), and so does
    ``[web] session_idle_hours`` without use."""
    sid = session.get("sid")
    if not isinstance(sid, str):
        return None
    idle_s = appliance().settings.web.session_idle_hours * 3600
    principal, touch = accounts.session_principal(db.conn(), sid, session["user_id"], idle_s,
                                                  appliance().clock())
    if principal is not None and touch:
        try:
            with db.write() as conn:
                accounts.touch_session(conn, sid, appliance().clock())
        except sqlite3.OperationalError:
            # a full card or a busy writer: the session stays valid, last_seen is written next time
            pass
    return principal


def log_in_session(user_id: int, address: str) -> None:
    """Start a server-side session for ``user_id`` and put it in the (cleared) cookie."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    with appliance().db.write() as conn:
        sid = accounts.start_session(conn, user_id, address, appliance().clock())
    session["user_id"] = user_id
    session["sid"] = sid
    session.permanent = True


def log_out_session() -> None:
    sid = session.get("sid")
    session.clear()
    if isinstance(sid, str):
        with appliance().db.write() as conn:
            accounts.end_session(conn, sid)


def signed_in() -> Principal:
    """The principal of a view its decorator has already let in (401 if there is none)."""
    principal = current_principal()
    if principal is None:
        abort(401)
    return principal


_TOUCHED: dict[int, float] = {}


def _touch(db, principal: Principal) -> None:
    """Record a token's last use for the admin page, at most once a minute per token."""
    now = time.monotonic()
    if now - _TOUCHED.get(principal.id, -120.0) >= 60:
        _TOUCHED[principal.id] = now
        with appliance().units() as tx:
            account_service.touch_token(tx, principal.id)


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def check_cookie_csrf() -> None:
    """A write authorised by a cookie (a logged-in browser) must carry the page's CSRF token in
    ``X-CSRFToken``: another site cannot read it, so it cannot make the browser write for it.
    Bearer tokens are not sent by browsers on their own and need no such check."""
    if request.method not in UNSAFE_METHODS or request.headers.get("Authorization", "").startswith("Bearer "):
        return
    from flask_wtf.csrf import CSRFError, validate_csrf
    from wtforms.validators import ValidationError
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except (ValidationError, CSRFError):
        raise Forbidden("csrf", "X-CSRFToken") from None


def permitted(capability: str) -> tuple[Principal | None, bool]:
    """(who is asking, whether their role may use ``capability``): the one role check that the
    API's :func:`require` and the pages' ``login.page_requires`` both answer from."""
    principal = current_principal()
    return principal, principal is not None and principal.role in CAN[capability]


def require(capability: str) -> Callable:
    """An API route: 401 without a principal, 403 for a role that may not, CSRF for cookies."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal, allowed = permitted(capability)
            if principal is None:
                abort(401)
            if not allowed:
                abort(403)
            check_cookie_csrf()
            return view(*args, **kwargs)
        wrapped.__dict__["motcua_capability"] = capability  # read by the OpenAPI test
        return wrapped
    return decorator


def login_name() -> str | None:
    principal = current_principal()
    return principal.name if principal else None
