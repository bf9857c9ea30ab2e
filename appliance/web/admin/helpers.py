"""Helpers shared by the admin views: the audit line, form errors next to their field, statuses."""
from __future__ import annotations

import re

from flask import render_template
from flask_babel import gettext as _
from wtforms import Form

from ...domain.errors import DomainError
from ..auth import appliance, current_principal
from ..i18n import current_language


def actor() -> str:
    principal = current_principal()
    return principal.name if principal else "?"


def audit(action: str, obj: str = "", detail: str = "") -> None:
    """Write one line to the audit log in its own unit of work."""
    with appliance().units() as tx:
        tx.audit(actor(), action, obj, detail)


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


def counter_choice(counter) -> str:
    """A counter in a choice list: its name when the name already says which counter it is
    ("Quầy 1 – Hộ tịch"), else "Quầy 1 – <name>" (never "Quầy 1 – Quầy 1 – Hộ tịch")."""
    from ..i18n import counter_name
    name = counter_name(counter).strip()
    if re.match(rf"^(quầy|counter)\s*0*{counter['id']}\b", name, re.IGNORECASE):
        return name
    return _("Quầy %(n)s – %(name)s", n=counter["id"], name=name) if name else _("Quầy %(n)s", n=counter["id"])
