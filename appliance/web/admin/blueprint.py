"""The ``admin`` blueprint: only administrators pass, the sub-navigation and the admin template filters.

The views live next to it, by topic (``appliance.web.admin`` imports them all):

- ``overview``       the first page: what needs attention, recent changes
- ``office``         services and counters
- ``accounts``       users (generated passwords, roles, deactivation) and API tokens
- ``screens``        pairing screens (hall TVs, kiosks, citizen screens): approve, rename, revoke
- ``settings``       office settings and the holidays list
- ``catalog``        the catalog in force: field codes, items still to confirm, form versions
- ``devices``        printer, pager and GPIO status with a test button each, the ticket preview
- ``data``           database backup download and the audit log

Every view is for administrators only (other roles get the Vietnamese 403 page), every form
carries the CSRF token (``appliance.web.csrf``), every change is written to the audit log, and a
form with a mistake is shown again with what was typed and the message next to the field.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..auth import appliance, current_principal
from ..i18n import current_language
from ..login.access import forbidden_page
from .helpers import state_label
from .holiday_names import english_name

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The admin sub-navigation: (endpoint, label).
SECTIONS = [
    ("admin.index", _l("Tổng quan")),
    ("admin.services", _l("Lĩnh vực")),
    ("admin.counters", _l("Quầy")),
    ("admin.users", _l("Người dùng")),
    ("admin.screens", _l("Màn hình")),
    ("admin.tokens", _l("Mã truy cập")),
    ("admin.settings", _l("Cơ quan")),
    ("admin.holidays", _l("Ngày nghỉ")),
    ("appointments.slots", _l("Khung giờ hẹn")),
    ("admin.catalog_page", _l("Danh mục")),
    ("admin.devices", _l("Thiết bị")),
    ("admin.voice", _l("Giọng đọc")),
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


@bp.app_template_filter("holiday_name")
def holiday_name(name: str) -> Markup:
    """A holiday's name in the reader's language; one the phrase list cannot read is shown as
    written, marked Vietnamese."""
    if current_language() != "en":
        return Markup.escape(name)
    english = english_name(name)
    return Markup.escape(english) if english else Markup('<span lang="vi">%s</span>') % name


@bp.app_template_filter("admin_iso")
def admin_iso(text: str | None) -> str:
    """An ISO date-time from a device's status (``2026-11-30T08:01:02``) as ``30/11/2026 08:01:02``."""
    if not text:
        return "—"
    try:
        return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return text


@bp.app_template_global("admin_state_label")
def _state_label_global(state: str | None) -> str:
    return state_label(state)
