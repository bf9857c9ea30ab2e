"""Login, logout, the forced password change, and the device cookie of a hall TV or a kiosk.

People log in with their personal account (``session["user_id"]``, a permanent session of
``PERMANENT_SESSION_LIFETIME``). Failed logins are throttled per login name and per address.
A user whose password was generated (``must_change_password``) can open nothing but the
password page until they have chosen their own.

A hall TV or a kiosk tablet has nobody to log in: an administrator creates a token
(``motcua token add "TV sảnh" --role display`` or ``--role kiosk``) and opens
``/display?token=…`` (or ``/kiosk?token=…``) once. The token is checked, kept in the
``motcua_device`` cookie (HttpOnly, SameSite=Lax, one year) and the address bar is cleaned;
from then on the cookie identifies the device, for the page and its API calls, until the token is
revoked. Only ``display``, ``kiosk`` and ``mirror`` tokens are accepted this way. A ``mirror``
token (``motcua token add "Quầy 1 – màn hình công dân" --role mirror --counter 1``) is bound to one
counter: its cookie counts only on ``/mirror/<that counter>`` and the two API calls that page
makes; anywhere else the device is treated as anonymous.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ...domain.errors import DomainError
from ...services import accounts as account_service
from ...store import accounts
from ..auth import appliance, current_principal, log_in_session, log_out_session
from ..i18n import current_language
from .throttle import throttle

bp = Blueprint("login", __name__)


# --- forms --------------------------------------------------------------------------------
class LoginForm(FlaskForm):
    login = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Hãy nhập tên đăng nhập."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Hãy nhập mật khẩu."))])
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Hãy nhập mật khẩu hiện tại."))])
    new = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(_l("Hãy nhập mật khẩu mới.")),
        Length(min=accounts.MIN_PASSWORD,
               message=_l("Mật khẩu mới cần ít nhất %(n)s ký tự.", n=accounts.MIN_PASSWORD))])
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Hãy nhập lại mật khẩu mới.")),
        EqualTo("new", _l("Hai lần nhập mật khẩu mới không khớp."))])


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never ``//host`` or ``http://…``) may follow a login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


# --- views --------------------------------------------------------------------------------
def client_address() -> str:
    return request.remote_addr or "?"


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        principal = current_principal()
        if principal is not None and principal.kind == "user":
            return redirect(form.next.data or url_for("home.index"))
        return render_template("login/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("login/login.html", form=form), 400
    name = form.login.data.strip().lower()
    wait = throttle().retry_after(name, client_address())
    if wait:
        if wait < 90:
            error = _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %(s)s giây, hoặc nhờ quản trị viên "
                      "mở khóa (Quản trị › Tài khoản).", s=wait)
        else:
            error = _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %(m)s phút, hoặc nhờ quản trị viên "
                      "mở khóa (Quản trị › Tài khoản).", m=round(wait / 60))
        response = current_app.make_response((render_template("login/login.html", form=form, error=error), 429))
        response.headers["Retry-After"] = str(wait)
        return response
    db = appliance().db
    principal = account_service.authenticate(db.conn(), name, form.password.data)
    if principal is None:
        throttle().failed(name, client_address())
        with appliance().units() as tx:
            tx.audit(name, "session.login_failed", "", client_address())
        error = _("Sai tên đăng nhập hoặc mật khẩu. Lưu ý chữ hoa, chữ thường và bộ gõ tiếng Việt.")
        return render_template("login/login.html", form=form, error=error), 401
    throttle().succeeded(name, client_address())
    log_in_session(principal.id, client_address())
    with appliance().units() as tx:
        tx.audit(principal.name, "session.login", "", client_address())
    if principal.must_change_password:
        flash(_("Mật khẩu này do hệ thống tạo. Hãy đặt mật khẩu riêng của bạn trước khi làm việc."), "info")
        return redirect(url_for("login.password"))
    return redirect(safe_next(form.next.data) or url_for("home.index"))


@bp.post("/logout")
def logout():
    principal = current_principal()
    log_out_session()   # the server-side session ends: a copy of this cookie opens nothing any more
    if principal is not None and principal.kind == "user":
        with appliance().units() as tx:
            tx.audit(principal.name, "session.logout", "", client_address())
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("login.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    principal = current_principal()
    if principal is None or principal.kind != "user":
        return redirect(url_for("login.login", next=url_for("login.password")))
    form = PasswordForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("login/password.html", form=form, principal=principal), status
    db = appliance().db
    error = None
    if account_service.authenticate(db.conn(), principal.name, form.current.data) is None:
        error = _("Mật khẩu hiện tại không đúng.")
    elif form.new.data == form.current.data:
        error = _("Mật khẩu mới phải khác mật khẩu hiện tại.")
    elif form.new.data.strip().lower() == principal.name:
        error = _("Mật khẩu không được trùng tên đăng nhập.")
    if error is None:
        try:
            with appliance().units() as tx:
                # every other session of this person ends; this one goes on
                account_service.set_password(tx, principal.id, form.new.data,
                                             office_name=appliance().settings.office.name,
                                             keep_session=session.get("sid"))
                tx.audit(principal.name, "user.password", "", client_address())
        except DomainError as exc:
            error = exc.message(current_language())
    if error:
        return render_template("login/password.html", form=form, principal=principal, error=error), 400
    g.pop("principal", None)
    flash(_("Đã đổi mật khẩu."), "info")
    return redirect(url_for("home.index"))
