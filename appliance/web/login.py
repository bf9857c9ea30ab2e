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

import collections
import functools
import threading
import time
from typing import Callable
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..domain.errors import DomainError
from ..store import accounts
from .auth import appliance, current_principal, permitted

bp = Blueprint("login", __name__)

DEVICE_COOKIE = "motcua_device"
DEVICE_ROLES = ("display", "kiosk", "mirror")
# where a mirror token's cookie counts: the citizen mirror of its own counter and that page's API calls
MIRROR_ENDPOINTS = frozenset({"dossier_pages.mirror", "dossier_api.counter_draft",
                              "dossier_api.mirror_events"})
DEVICE_COOKIE_DAYS = 365
THROTTLE_KEY = "motcua.login_throttle"


# --- throttling ---------------------------------------------------------------------------
class LoginThrottle:
    """Failed logins in a sliding window, per login name and per client address (in memory).

    After ``per_login`` failures for one name, or ``per_address`` from one address, within
    ``window_s`` seconds, further attempts are refused until the oldest failure leaves the window.
    A success clears the name's count (not the address's, so one good account cannot be used to
    keep guessing others).
    """

    def __init__(self, per_login: int = 5, per_address: int = 20, window_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10000):
        self.per_login = per_login
        self.per_address = per_address
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> collections.deque[float]:
        times = self._failures.get(key)
        if times is None:
            return collections.deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, login: str, address: str) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = self.clock()
        with self._lock:
            waits = []
            for key, limit in (("login:" + login.lower(), self.per_login), ("addr:" + address, self.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window_s - now)
            return max(1, int(max(waits) + 0.999)) if waits else 0

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= self.max_keys:  # forget the oldest names first
                for key in list(self._failures)[: self.max_keys // 10]:
                    del self._failures[key]
            for key in ("login:" + login.lower(), "addr:" + address):
                self._failures.setdefault(key, collections.deque()).append(now)

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop("login:" + login.lower(), None)


def throttle() -> LoginThrottle:
    return current_app.extensions[THROTTLE_KEY]


# --- forms --------------------------------------------------------------------------------
class LoginForm(FlaskForm):
    login = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Hãy nhập tên đăng nhập."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Hãy nhập mật khẩu."))])
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Hãy nhập mật khẩu hiện tại."))])
    new = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(_l("Hãy nhập mật khẩu mới.")),
        Length(min=accounts.MIN_PASSWORD, message=_l("Mật khẩu mới cần ít nhất %(n)s ký tự.", n=accounts.MIN_PASSWORD))])
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Hãy nhập lại mật khẩu mới.")),
        EqualTo("new", _l("Hai lần nhập mật khẩu mới không khớp."))])


# --- access to pages ----------------------------------------------------------------------
ROLE_NAMES = {
    "admin": _l("Quản trị viên"), "officer": _l("Cán bộ một cửa"), "volunteer": _l("Tình nguyện viên"),
    "kiosk": _l("Máy lấy số"), "display": _l("Màn hình sảnh"), "mirror": _l("Màn hình công dân tại quầy"),
}


def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never ``//host`` or ``http://…``) may follow a login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


def forbidden_page(principal):
    message = _("Tài khoản %(name)s (%(role)s) không được mở trang này.", name=principal.name,
                role=role_name(principal.role))
    return render_template("layout/message.html", title=_("Không có quyền"), message=message,
                           status=403), 403


def page_requires(capability: str, anonymous: Callable | None = None) -> Callable:
    """A panel page: log in first (or ``anonymous()`` answers), then the role must be allowed."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal, allowed = permitted(capability)
            if principal is None:
                if anonymous is not None:
                    return anonymous()
                return redirect(url_for("login.login", next=request.full_path.rstrip("?")))
            if not allowed:
                return forbidden_page(principal)
            return view(*args, **kwargs)
        wrapped.motcua_capability = capability
        return wrapped
    return decorator


# --- device cookie ------------------------------------------------------------------------
def device_principal_from_cookie() -> None:
    """Before each request: a device cookie identifies a TV or kiosk that has no login."""
    if request.endpoint == "static" or "Authorization" in request.headers or session.get("user_id"):
        return
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return
    principal = accounts.token_principal(appliance().db.conn(), token)
    if principal is None or principal.role not in DEVICE_ROLES:
        return
    if principal.role == "mirror" and not _own_mirror(principal):
        return
    g.principal = principal


def _own_mirror(principal) -> bool:
    """Is this request the mirror page (or its API calls) of the mirror token's own counter?"""
    return (request.endpoint in MIRROR_ENDPOINTS and principal.counter_id is not None
            and (request.view_args or {}).get("counter_id") == principal.counter_id)


def accept_device_token(roles: tuple[str, ...], counter_id: int | None = None):
    """``?token=…`` on a device page: keep it in the cookie and reload without it in the URL.

    On a counter's page (``counter_id``, the citizen mirror) a counter-bound token must be bound to
    that counter. Returns a response (a redirect, or a page explaining a wrong token), or None when
    the URL carries no token.
    """
    token = request.args.get("token", "").strip()
    if not token:
        return None
    principal = accounts.token_principal(appliance().db.conn(), token)
    if principal is not None and principal.role in roles and principal.counter_id is not None \
            and principal.counter_id != counter_id:
        message = _("Mã truy cập này dành cho màn hình công dân của quầy %(own)s, không phải quầy %(n)s. "
                    "Hãy mở /mirror/%(own)s, hoặc nhờ quản trị viên tạo mã cho quầy %(n)s.",
                    own=principal.counter_id, n=counter_id)
        return render_template("layout/message.html", title=_("Mã truy cập không hợp lệ"),
                               message=message, status=403), 403
    if principal is None or principal.role not in roles:
        wanted = ", ".join(roles)
        message = _("Mã truy cập trong địa chỉ không đúng, đã bị thu hồi hoặc không dành cho trang này "
                    "(cần mã vai trò %(roles)s). Hãy nhờ quản trị viên tạo mã mới.", roles=wanted)
        return render_template("layout/message.html", title=_("Mã truy cập không hợp lệ"),
                               message=message, status=403), 403
    args = {k: v for k, v in request.args.items() if k != "token"}
    response = redirect(url_for(request.endpoint, **(request.view_args or {}), **args))
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=appliance().settings.web.secure_cookies)
    with appliance().db.write() as conn:
        accounts.audit(conn, principal.name, "device.enroll", request.path, principal.role)
    return response


# --- forced password change ---------------------------------------------------------------
OPEN_WHILE_MUST_CHANGE = frozenset({"login.password", "login.logout", "login.login", "static"})


PASSWORD_CHANGE_REQUIRED = ("Hãy đổi mật khẩu trước khi tiếp tục (trang Đổi mật khẩu).",
                            "Change your password before continuing (the Change password page).")


def require_own_password():
    """A logged-in person with a generated password: pages go to the password page, the JSON API
    answers 403 ``password_change_required``. Bearer tokens have no password and are not concerned."""
    if not session.get("user_id") or "Authorization" in request.headers:
        return None
    if request.endpoint in OPEN_WHILE_MUST_CHANGE:
        return None
    principal = current_principal()
    if principal is None or not principal.must_change_password:
        return None
    if request.path.startswith("/api/"):
        from .errors import error_json
        from .i18n import current_language
        vi, en = PASSWORD_CHANGE_REQUIRED
        return error_json(403, "password_change_required", en if current_language() == "en" else vi)
    return redirect(url_for("login.password"))


def init_app(app: Flask) -> None:
    app.extensions[THROTTLE_KEY] = LoginThrottle()
    app.before_request(device_principal_from_cookie)
    app.before_request(require_own_password)
    app.jinja_env.globals["role_name"] = role_name


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
        minutes = max(1, round(wait / 60))
        error = _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %(m)s phút, hoặc nhờ quản trị viên "
                  "đặt lại mật khẩu.", m=minutes)
        response = current_app.make_response((render_template("login/login.html", form=form, error=error), 429))
        response.headers["Retry-After"] = str(wait)
        return response
    db = appliance().db
    principal = accounts.authenticate(db.conn(), name, form.password.data)
    if principal is None:
        throttle().failed(name, client_address())
        with db.write() as conn:
            accounts.audit(conn, name, "session.login_failed", "", client_address())
        error = _("Sai tên đăng nhập hoặc mật khẩu. Lưu ý chữ hoa, chữ thường và bộ gõ tiếng Việt.")
        return render_template("login/login.html", form=form, error=error), 401
    throttle().succeeded(name)
    session.clear()
    session["user_id"] = principal.id
    session.permanent = True
    with db.write() as conn:
        accounts.audit(conn, principal.name, "session.login", "", client_address())
    if principal.must_change_password:
        flash(_("Mật khẩu này do hệ thống tạo. Hãy đặt mật khẩu riêng của bạn trước khi làm việc."), "info")
        return redirect(url_for("login.password"))
    return redirect(safe_next(form.next.data) or url_for("home.index"))


@bp.post("/logout")
def logout():
    principal = current_principal()
    session.clear()
    if principal is not None and principal.kind == "user":
        with appliance().db.write() as conn:
            accounts.audit(conn, principal.name, "session.logout", "", client_address())
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
    if accounts.authenticate(db.conn(), principal.name, form.current.data) is None:
        error = _("Mật khẩu hiện tại không đúng.")
    elif form.new.data == form.current.data:
        error = _("Mật khẩu mới phải khác mật khẩu hiện tại.")
    elif form.new.data.strip().lower() == principal.name:
        error = _("Mật khẩu không được trùng tên đăng nhập.")
    if error is None:
        try:
            with db.write() as conn:
                accounts.set_password(conn, principal.id, form.new.data)
                accounts.audit(conn, principal.name, "user.password", "", client_address())
        except DomainError as exc:
            from .i18n import current_language
            error = exc.message(current_language())
    if error:
        return render_template("login/password.html", form=form, principal=principal, error=error), 400
    g.pop("principal", None)
    flash(_("Đã đổi mật khẩu."), "info")
    return redirect(url_for("home.index"))
