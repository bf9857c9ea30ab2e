"""The administration pages under ``/admin``: one blueprint, its views split by topic.

- ``admin_overview`` the first page: what needs attention, recent changes
- ``admin_office``   services and counters
- ``admin_accounts`` users (generated passwords, roles, deactivation) and API tokens
- ``admin_settings`` office settings and the holidays list
- ``admin_devices``  printer, pager and GPIO status with a test button each, the ticket preview
- ``admin_data``     database backup download and the audit log

Every view is for administrators only (other roles get the Vietnamese 403 page), every form
carries the CSRF token (``appliance.web.csrf``), every change is written to the audit log, and a
form with a mistake is shown again with what was typed and the message next to the field.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form

from ..domain.errors import DomainError
from ..store import accounts
from .auth import appliance, current_principal
from .i18n import current_language
from .login import forbidden_page

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The admin sub-navigation: (endpoint, label).
SECTIONS = [
    ("admin.index", _l("Tổng quan")),
    ("admin.services", _l("Lĩnh vực")),
    ("admin.counters", _l("Quầy")),
    ("admin.users", _l("Người dùng")),
    ("admin.tokens", _l("Mã truy cập")),
    ("admin.settings", _l("Cơ quan")),
    ("admin.holidays", _l("Ngày nghỉ")),
    ("admin.devices", _l("Thiết bị")),
    ("admin.backup", _l("Sao lưu")),
    ("admin.audit_log", _l("Nhật ký")),
]


@bp.before_request
def only_administrators():
    """The whole blueprint: log in first, then only the admin role (a page, not JSON)."""
    principal = current_principal()
    if principal is None:
        return redirect(url_for("login.login", next=request.full_path.rstrip("?")))
    if principal.role != "admin":
        return forbidden_page(principal)
    return None


@bp.context_processor
def admin_context() -> dict[str, Any]:
    return {"admin_sections": [(endpoint, str(label)) for endpoint, label in SECTIONS]}


@bp.app_template_filter("admin_time")
def admin_time(ts: float | None, seconds: bool = False) -> str:
    """A timestamp in the office's time zone, as Vietnamese offices write it."""
    if not ts:
        return "—"
    dt = datetime.fromtimestamp(ts, appliance().tz)
    return dt.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


@bp.app_template_filter("admin_iso")
def admin_iso(text: str | None) -> str:
    """An ISO date-time from a device's status (``2026-11-30T08:01:02``) as ``30/11/2026 08:01:02``."""
    if not text:
        return "—"
    try:
        return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return text


# --- helpers shared by the admin views ------------------------------------------------------
def actor() -> str:
    principal = current_principal()
    return principal.name if principal else "?"


def audit(action: str, obj: str = "", detail: str = "") -> None:
    """Write one line to the audit log in its own transaction."""
    with appliance().db.write() as conn:
        accounts.audit(conn, actor(), action, obj, detail)


def add_error(form: Form, field: str | None, message: str) -> bool:
    """Put ``message`` next to ``field`` when the form has it; False when it does not."""
    if field and field in form:
        target = form[field]
        target.errors = list(target.errors or ()) + [message]
        return True
    return False


def domain_error(form: Form, exc: DomainError, aliases: dict[str, str] | None = None) -> str | None:
    """Show a :class:`DomainError` next to its field; returns it as a page-level message otherwise."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    message = exc.message(current_language())
    return None if add_error(form, field, message) else message


def render_admin(template: str, status: int = 200, **context):
    return render_template(template, **context), status


def form_status(form: Form, general_error: str | None = None) -> int:
    """400 when the form (or the page) carries an error, else 200."""
    return 400 if general_error or any(f.errors for f in form) else 200


def state_label(state: str | None) -> str:
    labels = {"ok": _("Hoạt động"), "warning": _("Cảnh báo"), "error": _("Lỗi"),
              "unknown": _("Chưa rõ"), "disabled": _("Không dùng"), None: _("Không cấu hình")}
    return labels.get(state, state or "")


@bp.app_template_global("admin_state_label")
def _state_label_global(state: str | None) -> str:
    return state_label(state)


# The views register themselves on ``bp`` when their modules are imported.
from . import (admin_accounts, admin_data, admin_devices, admin_office, admin_overview,  # noqa: E402,F401
               admin_settings)
