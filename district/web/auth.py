"""Staff login and logout for the dashboard (passwords hashed with scrypt, see district.security)."""
from __future__ import annotations

import functools
from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from district.hub import current
from district.store import staff
from district.web import throttle

bp = Blueprint("auth", __name__)


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("user"):
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("dashboard.overview")
    parts = urlparse(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else url_for("dashboard.overview")


@bp.route("/dang-nhap", methods=["GET", "POST"])
@throttle.throttled
def login():
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        with current().engine.connect() as conn:
            ok = staff.check_login(conn, name, password)
        if ok:
            lang = session.get("lang")
            session.clear()
            with current().engine.begin() as conn:
                session["sid"] = staff.start_session(conn, name)
            session["user"] = name
            if lang:
                session["lang"] = lang
            return redirect(_safe_next(request.form.get("next")))
        flash(_("Sai tên đăng nhập hoặc mật khẩu."), "error")
        return render_template("login.html", next=request.form.get("next", "")), 401
    return render_template("login.html", next=request.args.get("next", ""))


@bp.post("/dang-xuat")
def logout():
    sid = session.pop("sid", None)
    session.pop("user", None)
    if isinstance(sid, str):
        with current().engine.begin() as conn:
            staff.end_session(conn, sid)   # a copy of this cookie opens nothing any more
    return redirect(url_for("auth.login"))


def check_session() -> None:
    """Before each request: a cookie naming a user counts only while its server-side session lives
    (not logged out, no new password since, not idle for ``session_idle_hours``)."""
    name, sid = session.get("user"), session.get("sid")
    if not name:
        return
    hub = current()
    alive, touch = False, False
    if isinstance(sid, str):
        with hub.engine.connect() as conn:
            alive, touch = staff.session_alive(conn, sid, name, hub.settings.session_idle_hours * 3600)
    if not alive:
        session.pop("user", None)
        session.pop("sid", None)
    elif touch and isinstance(sid, str):
        with hub.engine.begin() as conn:
            staff.touch_session(conn, sid)
