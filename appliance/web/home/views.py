"""The landing page at ``/`` (what this role can do today) and the staff layout's shared parts:
the navigation, the language cookie, and error pages in the reader's language."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ...domain import passwords
from ...domain.forms import unit_name
from ...store import queue_store
from ..auth import CAN, appliance, current_principal
from ..i18n import LANGUAGES, current_language
from ..login.access import page_requires

bp = Blueprint("home", __name__)

# (path, label, capability). A link shows only when the role may use it and the path is served,
# so pages that other blueprints add later (admin, dossiers) appear here as soon as they land.
NAV = [
    ("/", _l("Trang chính"), None),
    ("/kiosk", _l("Lấy số"), "issue"),
    ("/display", _l("Màn hình sảnh"), "view"),
    ("/dossiers", _l("Hồ sơ"), "dossier"),
    ("/chung-thuc", _l("Chứng thực"), "certify"),
    ("/appointments", _l("Lịch hẹn"), "counter"),
    ("/thu-tuc", _l("Thủ tục"), "dossier"),
    ("/reports", _l("Báo cáo"), "reports"),
    ("/admin", _l("Quản trị"), "admin"),
]
LANG_COOKIE_DAYS = 365


def served(path: str) -> bool:
    rules = current_app.extensions.get("motcua.rules")
    if rules is None or len(rules) != len(list(current_app.url_map.iter_rules())):
        rules = {r.rule.rstrip("/") or "/" for r in current_app.url_map.iter_rules()}
        current_app.extensions["motcua.rules"] = rules
    return (path.rstrip("/") or "/") in rules


def nav_items() -> list[dict]:
    principal = current_principal()
    if principal is None or principal.kind != "user":
        return []
    items = []
    for path, label, capability in NAV:
        if capability is not None and principal.role not in CAN[capability]:
            continue
        if served(path):
            items.append({"path": path, "label": str(label),
                          "active": request.path == path or (path != "/" and request.path.startswith(path))})
    return items


def service_label(service: Any) -> str:
    """A catalog or service name in the reader's language (``name_en`` on English pages, when given)."""
    if isinstance(service, dict):
        name, name_en = service.get("name", ""), service.get("name_en", "")
    else:
        name, name_en = getattr(service, "name", ""), getattr(service, "name_en", "")
    if current_language() == "en" and name_en:
        return name_en
    return name


def password_rule() -> str:
    """The rule a new password must follow, shown under the field (not only as a browser tooltip)."""
    return _("Ít nhất %(n)s ký tự. Không dùng mật khẩu phổ biến (12345678, matkhau123), ký tự lặp lại hay dãy "
             "liền nhau (aaaaaaaa, abcdefgh), tên đăng nhập hoặc tên cơ quan.", n=passwords.MIN_LENGTH)


def priority_reason_label(reason: str | None) -> str:
    """A stored priority reason (data, in Vietnamese: ``người cao tuổi``) as the reader says it."""
    from ..kiosk.views import PRIORITY_REASONS
    for value, label in PRIORITY_REASONS:
        if value == reason:
            return str(label)
    return reason or ""


def persist_language(response):
    lang = request.args.get("lang")
    if lang in LANGUAGES and request.cookies.get("lang") != lang:
        response.set_cookie("lang", lang, max_age=LANG_COOKIE_DAYS * 86400, samesite="Lax", httponly=True)
    return response


def switch_language_url(lang: str) -> str:
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in ("lang", "token")}
    return url_for(request.endpoint or "home.index", **(request.view_args or {}), **args, lang=lang)


PAGE_ERRORS = {
    404: (_l("Không tìm thấy trang"), _l("Không có trang ở địa chỉ này. Hãy quay về trang chính.")),
    405: (_l("Không thực hiện được"), _l("Trang này không nhận thao tác đó. Hãy quay về trang chính.")),
    403: (_l("Không có quyền"), _l("Tài khoản không có quyền làm việc này.")),
}


def page_error(exc: HTTPException):
    from ..errors import wants_json
    if wants_json() or exc.code not in PAGE_ERRORS:
        return _default(exc)
    title, message = PAGE_ERRORS[exc.code]
    return render_template("layout/message.html", title=str(title), message=str(message),
                           status=exc.code), exc.code


def _default(exc: HTTPException):
    from ..errors import error_json, wants_json
    if wants_json():
        return error_json(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                          getattr(exc, "motcua_message", None), getattr(exc, "motcua_field", None))
    return exc


def init_app(app: Flask) -> None:
    app.after_request(persist_language)
    for code in PAGE_ERRORS:
        app.register_error_handler(code, page_error)

    @app.context_processor
    def layout_context():
        office = appliance().settings.office
        return {"nav_items": nav_items, "office_name": office.name, "unit_name": unit_name(office),
                "current_principal": current_principal, "current_language": current_language,
                "switch_language_url": switch_language_url, "service_label": service_label,
                "local_name": service_label, "priority_reason_label": priority_reason_label,
                "password_rule": password_rule(), "password_min": passwords.MIN_LENGTH}


# --- the landing page ---------------------------------------------------------------------
def _device_home():
    return redirect(url_for("login.login"))


@bp.get("/")
@page_requires("view", anonymous=_device_home)
def index():
    principal = current_principal()
    if principal.role == "display":
        return redirect(url_for("display.board"))
    if principal.role == "kiosk":
        return redirect(url_for("kiosk.start"))
    app_ = appliance()
    snap = queue_store.snapshot(app_.db, app_.today())
    may_counter = principal.role in CAN["counter"]
    links = [item for item in nav_items() if item["path"] != "/"]
    mine = []
    if may_counter:   # the officer's own counters first ("Quầy của bạn"), then the others
        from ...store import counter_store
        with app_.db.read() as conn:
            mine = counter_store.counters_of(conn, principal.name)
    return render_template("home/index.html", principal=principal, snap=snap, may_counter=may_counter,
                           my_counters=[c for c in snap["counters"] if c["id"] in mine],
                           other_counters=[c for c in snap["counters"] if c["id"] not in mine],
                           links=links, must_change=principal.must_change_password,
                           waiting_total=sum(s["waiting"] for s in snap["services"]),
                           greeting=_("Xin chào, %(name)s", name=principal.full_name or principal.name))
