"""Who may open a panel page: the page guard, the 403 page, the device cookie of a hall TV, a kiosk
or a citizen mirror (``?token=…`` once, then the cookie), and the forced password change."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...store import accounts
from ..auth import _touch as touch
from ..auth import appliance, current_principal, permitted
from ..errors import error_json
from ..i18n import current_language

DEVICE_COOKIE = "motcua_device"
DEVICE_ROLES = ("display", "kiosk", "mirror")
# where a mirror token's cookie counts: the citizen mirror of its own counter and that page's API calls
# the mirror page, its draft and events, and the one thing it writes: the citizen's rating (#18)
MIRROR_ENDPOINTS = frozenset({"dossier_pages.mirror", "dossier_api.counter_draft",
                              "dossier_api.mirror_events", "dossier_api.mirror_rating"})
DEVICE_COOKIE_DAYS = 365


# --- access to pages ----------------------------------------------------------------------
ROLE_NAMES = {
    "admin": _l("Quản trị viên"), "officer": _l("Cán bộ một cửa"), "volunteer": _l("Tình nguyện viên"),
    "kiosk": _l("Máy lấy số"), "display": _l("Màn hình sảnh"), "mirror": _l("Màn hình công dân tại quầy"),
}


def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def header_identity(principal) -> tuple[str, str]:
    """(name, role) for the page header. An account whose full name is just its role ("Quản trị
    viên", as the demo's admin) is shown by its role once, never "Quản trị viên Quản trị viên"."""
    from flask_babel import force_locale
    name = (principal.full_name or principal.name or "").strip()
    label = role_name(principal.role)
    with force_locale("vi"):
        vietnamese = role_name(principal.role)
    if name.casefold() in (label.casefold(), vietnamese.casefold()):
        return label, ""
    return name, label


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
        wrapped.__dict__["motcua_capability"] = capability  # read by the OpenAPI test
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
    touch(appliance().db, principal)  # "last seen" on Quản trị → Màn hình


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
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "token"}
    response = redirect(url_for(request.endpoint or "home.index", **(request.view_args or {}), **args))
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=appliance().settings.web.secure_cookies)
    with appliance().units() as tx:
        tx.audit(principal.name, "device.enroll", request.path, principal.role)
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
        vi, en = PASSWORD_CHANGE_REQUIRED
        return error_json(403, "password_change_required", en if current_language() == "en" else vi)
    return redirect(url_for("login.password"))
