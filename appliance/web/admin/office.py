"""Admin: services (lĩnh vực, each with its ticket prefix and number range) and counters (quầy)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ...domain.errors import DomainError
from ...store import counter_store, office_store
from ..auth import appliance
from ..i18n import current_language
from .blueprint import bp
from .fields import CheckboxListField, WholeNumber, whole
from .helpers import actor, domain_error, form_status, render_admin


# --- services -------------------------------------------------------------------------------
class ServiceForm(FlaskForm):
    code = StringField(_l("Mã lĩnh vực"), validators=[
        DataRequired(_l("Hãy nhập mã lĩnh vực, ví dụ HT.")),
        Regexp(r"^[A-Za-z0-9]{1,8}$", message=_l("Mã gồm 1–8 chữ cái không dấu hoặc số, ví dụ HT."))],
        filters=[lambda v: (v or "").strip().upper()])
    name = StringField(_l("Tên lĩnh vực"), validators=[
        DataRequired(_l("Hãy nhập tên lĩnh vực, ví dụ Hộ tịch.")), Length(max=80)])
    name_en = StringField(_l("Tên tiếng Anh"), validators=[Optional(), Length(max=80)])
    prefix = StringField(_l("Chữ đầu số"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{0,2}$", message=_l("Chữ đầu số gồm 0–2 chữ cái không dấu, ví dụ A."))],
        filters=[lambda v: (v or "").strip().upper()])
    range_start = StringField(_l("Số đầu"), default="1", validators=[WholeNumber(0, 9998)])
    range_end = StringField(_l("Số cuối"), default="999", validators=[WholeNumber(1, 9999)])
    sort = StringField(_l("Thứ tự hiển thị"), default="0", validators=[WholeNumber(0, 999, required=False)])
    active = BooleanField(_l("Đang nhận số"), default=True)

    def validate_range_end(self, field) -> None:
        if not self.range_start.errors and not field.errors and (self.range_start.data or "").strip() \
                and whole(field) <= whole(self.range_start):
            from wtforms.validators import ValidationError
            raise ValidationError(_("Số cuối phải lớn hơn số đầu."))


def _service_form_for(code: str | None) -> ServiceForm:
    form = ServiceForm()
    if code and request.method == "GET":
        row = next((r for r in office_store.list_services(appliance().db.conn()) if r["code"] == code), None)
        if row is not None:
            form.code.data, form.name.data, form.name_en.data = row["code"], row["name"], row["name_en"]
            form.prefix.data = row["prefix"]
            form.range_start.data, form.range_end.data = str(row["range_start"]), str(row["range_end"])
            form.sort.data, form.active.data = str(row["sort"]), bool(row["active"])
    return form


@bp.route("/services", methods=["GET", "POST"])
def services():
    editing = request.args.get("edit") or (request.form.get("code", "").strip().upper() or None)
    form = _service_form_for(request.args.get("edit"))
    error = None
    if form.validate_on_submit():
        values = dict(code=form.code.data, name=form.name.data.strip(), prefix=form.prefix.data,
                      range_start=whole(form.range_start), range_end=whole(form.range_end),
                      name_en=(form.name_en.data or "").strip(), sort=whole(form.sort), active=form.active.data)
        try:
            with appliance().units() as tx:  # the change and its audit row commit together
                existed = tx.conn.execute("SELECT 1 FROM services WHERE code = ?", (values["code"],)).fetchone()
                office_store.upsert_service(tx.conn, **values)
                tx.audit(actor(), "service.update" if existed else "service.create", f"service:{values['code']}",
                         "{name}; {prefix}{range_start}–{prefix}{range_end}; {state}".format(
                             **values, state="đang nhận số" if values["active"] else "tạm ngừng"))
        except DomainError as exc:
            error = domain_error(form, exc)
        else:
            flash(_("Đã lưu lĩnh vực %(code)s – %(name)s.", code=values["code"], name=values["name"]), "ok")
            return redirect(url_for("admin.services"))
    rows = office_store.list_services(appliance().db.conn())
    known = {r["code"] for r in rows}
    return render_admin("admin/services.html", form_status(form, error), form=form, rows=rows,
                        editing=editing if editing in known else None, error=error)


# --- counters -------------------------------------------------------------------------------
class CounterForm(FlaskForm):
    number = StringField(_l("Số quầy"), validators=[WholeNumber(1, 99)])
    name = StringField(_l("Tên quầy"), validators=[
        DataRequired(_l("Hãy nhập tên quầy, ví dụ Quầy 1 – Hộ tịch.")), Length(max=80)])
    name_en = StringField(_l("Tên tiếng Anh"), validators=[Length(max=80)])
    services = CheckboxListField(_l("Lĩnh vực quầy phục vụ"), validate_choice=False)
    officers = CheckboxListField(_l("Cán bộ được phân công (mở quầy trên máy tính của quầy)"), validate_choice=False)
    active = BooleanField(_l("Đang mở"), default=True)

    def validate_services(self, field) -> None:
        if not field.data:
            from wtforms.validators import ValidationError
            raise ValidationError(_("Hãy chọn ít nhất một lĩnh vực cho quầy."))


def _counter_choices() -> list[SelectChoice]:
    en = current_language() == "en"
    return [SelectChoice(r["code"], f"{r['code']} – {r['name_en'] if en and r['name_en'] else r['name']}")
            for r in office_store.list_services(appliance().db.conn())]


def _officer_choices() -> list[SelectChoice]:
    """The officers (and administrators) who may be assigned to a counter."""
    return [SelectChoice(r["login"], f"{r['full_name']} ({r['login']})" if r["full_name"] else r["login"])
            for r in counter_store.officer_choices(appliance().db.conn())]


@bp.route("/counters", methods=["GET", "POST"])
def counters():
    conn = appliance().db.conn()
    form = CounterForm()
    form.services.choices = _counter_choices()
    form.officers.choices = _officer_choices()
    rows = office_store.list_counters(conn)
    assigned = counter_store.assignments(conn)
    names = {c.value: c.label for c in form.officers.choices}
    for r in rows:
        r["officers"] = [names.get(login, login) for login in assigned.get(r["id"], [])]
    edit = request.args.get("edit", type=int)
    if request.method == "GET" and edit is not None:
        row = next((r for r in rows if r["id"] == edit), None)
        if row is not None:
            form.number.data, form.name.data = str(row["id"]), row["name"]
            form.name_en.data = row.get("name_en") or ""
            form.services.data, form.active.data = row["services"], row["active"]
            form.officers.data = assigned.get(edit, [])
    error = None
    if form.validate_on_submit():
        number = whole(form.number)
        try:
            with appliance().units() as tx:  # the change and its audit row commit together
                existed = any(r["id"] == number for r in rows)
                office_store.upsert_counter(tx.conn, number, form.name.data.strip(), form.services.data,
                                            form.active.data, name_en=(form.name_en.data or "").strip())
                officers = counter_store.set_officers(tx.conn, number, form.officers.data or [])
                tx.audit(actor(), "counter.update" if existed else "counter.create", f"counter:{number}",
                         f"{form.name.data.strip()}; {', '.join(form.services.data)}; "
                         + ("đang mở" if form.active.data else "đóng")
                         + f"; cán bộ: {', '.join(officers) or 'chưa phân công'}")
        except DomainError as exc:
            error = domain_error(form, exc, {"id": "number"})
        else:
            flash(_("Đã lưu quầy số %(n)s.", n=number), "ok")
            return redirect(url_for("admin.counters"))
    editing = int(form.number.data) if (form.number.data or "").strip().isdigit() else None
    return render_admin("admin/counters.html", form_status(form, error), form=form, rows=rows,
                        editing=editing if any(r["id"] == editing for r in rows) else None, error=error)


@bp.post("/counters/<int:counter_id>/delete")
def delete_counter(counter_id: int):
    try:
        with appliance().units() as tx:  # the deletion and its audit row commit together
            if not tx.conn.execute("SELECT 1 FROM counters WHERE id = ?", (counter_id,)).fetchone():
                flash(_("Không có quầy số %(n)s.", n=counter_id), "error")
                return redirect(url_for("admin.counters"))
            office_store.delete_counter(tx.conn, counter_id)
            tx.audit(actor(), "counter.delete", f"counter:{counter_id}")
    except DomainError as exc:
        flash(_("Không xóa được quầy số %(n)s: %(why)s", n=counter_id, why=exc.message(current_language())), "error")
        return redirect(url_for("admin.counters"))
    flash(_("Đã xóa quầy số %(n)s.", n=counter_id), "ok")
    return redirect(url_for("admin.counters"))
