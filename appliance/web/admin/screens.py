"""Admin: Quản trị → Màn hình. Approve a screen's pairing code (what it is: a hall display of which
counters, the ticket kiosk, counter N's citizen screen; and its name), see the paired screens
(where from, last seen), rename and revoke them. A revoked screen shows a new pairing code.
Every approval, refusal, rename and revocation is written to the audit log (by the service).
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from ...domain import screens as rules
from ...domain.errors import DomainError
from ...services.screens import Screens
from ...store import office_store
from ..auth import appliance
from ..i18n import counter_name, current_language
from .blueprint import bp
from .helpers import actor, counter_choice, domain_error, form_status, render_admin

KINDS = [("display", _l("Màn hình sảnh (tivi gọi số)")), ("kiosk", _l("Máy lấy số")),
         ("mirror", _l("Màn hình công dân tại một quầy"))]


class ApproveForm(FlaskForm):
    code = StringField(_l("Mã ghép nối trên màn hình"), validators=[
        DataRequired(_l("Hãy nhập mã đang hiện trên màn hình, ví dụ ACD-479.")), Length(max=20)])
    role = SelectField(_l("Đây là"), default="display", choices=[SelectChoice(v, str(label)) for v, label in KINDS])
    name = StringField(_l("Tên màn hình"), validators=[
        DataRequired(_l("Hãy đặt tên để nhận ra màn hình, ví dụ TV sảnh tầng 1.")), Length(max=rules.MAX_NAME)])
    counters = SelectMultipleField(_l("Quầy hiện trên màn hình sảnh (để trống: mọi quầy)"), coerce=str)
    counter = SelectField(_l("Quầy của màn hình công dân"), default="")


def screens_service() -> Screens:
    app_ = appliance()
    return Screens(app_.db, app_.clock, app_.bus)


def _form(fresh: bool = False) -> ApproveForm:
    form = ApproveForm(formdata=None) if fresh else ApproveForm()
    form.role.choices = [SelectChoice(v, str(label)) for v, label in KINDS]  # in the reader's language
    counters = office_store.list_counters(appliance().db.conn())
    form.counters.choices = [SelectChoice(str(c["id"]), counter_choice(c))
                             for c in counters]
    form.counter.choices = [SelectChoice("", _("— chọn quầy —"))] + list(form.counters.choices)
    return form


def _page(form: ApproveForm, status: int = 200, error: str | None = None):
    service = screens_service()
    return render_admin("admin/screens.html", status, form=form, error=error, pending=service.pending_rows(),
                        paired=service.paired(), format_code=rules.format_code,
                        counters={c["id"]: counter_name(c) for c in office_store.list_counters(appliance().db.conn())})


@bp.route("/screens", methods=["GET", "POST"])
def screens():
    form = _form()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, form_status(form))
    role = form.role.data
    counter_id = int(form.counter.data) if role == "mirror" and form.counter.data else None
    counters = [int(c) for c in form.counters.data or []] if role == "display" else None
    try:
        pairing = screens_service().approve(form.code.data, role, form.name.data, actor(), counter_id=counter_id,
                                            counters=counters)
    except DomainError as exc:
        return _page(form, 400 if exc.code != "not_found" else 404,
                     domain_error(form, exc, {"counter_id": "counter"}))
    flash(_("Đã duyệt màn hình “%(name)s” (mã %(code)s): màn hình sẽ tự hoạt động trong vài giây.",
            name=pairing.name, code=pairing.shown_code), "ok")
    return redirect(url_for("admin.screens"))


@bp.post("/screens/refuse")
def refuse_screen():
    try:
        screens_service().cancel(request.form.get("code", ""), actor())
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
    else:
        flash(_("Đã từ chối mã; màn hình đó sẽ hiện mã mới."), "ok")
    return redirect(url_for("admin.screens"))


@bp.post("/screens/<int:token_id>/rename")
def rename_screen(token_id: int):
    try:
        screens_service().rename(token_id, request.form.get("name", ""), actor())
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
    else:
        flash(_("Đã đổi tên màn hình."), "ok")
    return redirect(url_for("admin.screens"))


@bp.post("/screens/<int:token_id>/revoke")
def revoke_screen(token_id: int):
    try:
        screens_service().revoke(token_id, actor())
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
    else:
        flash(_("Đã thu hồi quyền; màn hình đó quay về trang ghép nối."), "ok")
    return redirect(url_for("admin.screens"))
