"""``/setup``: the first administrator, then the wizard (office → services and counters →
printer and pager → done). Each step saves on its own; the wizard can be left and taken up again
(the last finished step is kept), and everything it sets can be changed later in Quản trị."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ... import config as config_mod
from ...config import ConfigError
from ...domain import firstboot as rules
from ...domain.errors import DomainError
from ...domain.province_code import agency_problem
from ...services import firstboot, office_setup
from ...store import accounts, office_store
from ..admin.fields import CheckboxListField, WholeNumber, whole
from ..admin.helpers import add_error, audit
from ..admin.settings import config_error_field, friendly_config_message
from ..auth import appliance, current_principal, log_in_session
from ..errors import http_status
from ..i18n import current_language
from ..login.access import page_requires

bp = Blueprint("setup", __name__, url_prefix="/setup")
THROTTLE_KEY = "motcua.setup_throttle"
PLACEHOLDER_AGENCY_CODE = config_mod.Office().agency_code   # not shown as a value to keep

STEPS = [("setup.office", _l("Cơ quan")), ("setup.services", _l("Lĩnh vực và quầy")),
         ("setup.devices", _l("Máy in và thẻ rung")), ("setup.done", _l("Hoàn tất"))]


def _step_page(template: str, status: int = 200, **context):
    return render_template(template, steps=[(e, str(label)) for e, label in STEPS], **context), status


# --- the first administrator ------------------------------------------------------------------
class FirstAdminForm(FlaskForm):
    setup_code = StringField(_l("Mã cài đặt (in trên phiếu khởi động, hiện trên tivi sảnh)"), validators=[
        DataRequired(_l("Hãy nhập mã cài đặt gồm 8 ký tự."))], filters=[lambda v: (v or "").strip()])
    login = StringField(_l("Tên đăng nhập của quản trị viên"), validators=[
        DataRequired(_l("Hãy nhập tên đăng nhập, ví dụ hoa.nguyen.")), Length(max=40),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, "
                                                "gạch ngang hoặc gạch dưới, ví dụ hoa.nguyen."))],
        filters=[lambda v: (v or "").strip().lower()])
    full_name = StringField(_l("Họ và tên"), validators=[Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Hãy nhập mật khẩu.")),
        Length(min=accounts.MIN_PASSWORD, message=_l("Mật khẩu cần ít nhất %(n)s ký tự.", n=accounts.MIN_PASSWORD))])
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        DataRequired(_l("Hãy nhập lại mật khẩu.")), EqualTo("password", _l("Hai lần nhập mật khẩu không khớp."))])


@bp.route("", methods=["GET", "POST"])
def first_admin():
    db = appliance().db
    if not firstboot.needs_admin(db.conn()):
        principal = current_principal()
        if principal is not None and principal.role == "admin":
            return redirect(url_for("setup.office"))
        return redirect(url_for("login.login"))
    address = request.remote_addr
    if not rules.is_office_address(address):
        text = _("Chỉ máy trong mạng nội bộ của cơ quan mới được cài đặt lần đầu. Hãy mở trang này từ "
                 "một máy tính nối cùng mạng với thiết bị.")
        return render_template("layout/message.html", title=_("Không cài đặt được từ đây"), message=text,
                               status=403), 403
    form = FirstAdminForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("setup/first_admin.html", form=form), (400 if request.method == "POST" else 200)
    try:
        user_id = firstboot.create_first_admin(db, address, form.setup_code.data, form.login.data,
                                               form.password.data, (form.full_name.data or "").strip(),
                                               throttle=current_app.extensions[THROTTLE_KEY],
                                               clock=appliance().clock)
    except DomainError as exc:
        message = exc.message(current_language())
        if not add_error(form, exc.field, message):
            return render_template("setup/first_admin.html", form=form, error=message), http_status(exc)
        return render_template("setup/first_admin.html", form=form), http_status(exc)
    log_in_session(user_id, address or "")
    return redirect(url_for("setup.office"))


# --- step 1: the office ---------------------------------------------------------------------
class OfficeStepForm(FlaskForm):
    name = StringField(_l("Tên cơ quan"), validators=[
        DataRequired(_l("Hãy nhập tên cơ quan, ví dụ UBND xã Gia Lâm.")), Length(max=120)])
    agency_code = StringField(_l("Mã cơ quan điện tử (mã định danh do tỉnh cấp)"),
                              filters=[lambda v: (v or "").strip().upper()])
    morning = StringField(_l("Buổi sáng"), filters=[lambda v: (v or "").strip().replace(" ", "")])
    afternoon = StringField(_l("Buổi chiều"), filters=[lambda v: (v or "").strip().replace(" ", "")])


@bp.route("/office", methods=["GET", "POST"])
@page_requires("admin")
def office():
    app_ = appliance()
    form = OfficeStepForm()
    if request.method == "GET":
        for key in ("name", "agency_code", "morning", "afternoon"):
            form[key].data = getattr(app_.settings.office, key)
        if form.agency_code.data == PLACEHOLDER_AGENCY_CODE:
            form.agency_code.data = ""
        return _step_page("setup/office.html", form=form)
    if form.validate_on_submit():
        problem = agency_problem(form.agency_code.data)  # the QCVN 102:2016 structure, not the placeholder
        if not form.agency_code.data:
            add_error(form, "agency_code", _("Hãy nhập mã cơ quan điện tử của xã do tỉnh cấp, ví dụ "
                                             "000.00.06.H56 (mã này đứng đầu mỗi mã hồ sơ)."))
        elif problem is not None:
            add_error(form, "agency_code", problem.text(current_language()))
        else:
            values = {"name": form.name.data.strip(), "agency_code": form.agency_code.data,
                      "morning": form.morning.data, "afternoon": form.afternoon.data}
            try:
                new = config_mod.save_panel_settings(app_.settings, {"office": values})
            except ConfigError as exc:
                if not add_error(form, config_error_field(exc), friendly_config_message(exc)):
                    add_error(form, "name", str(exc))
            else:
                app_.apply_settings(new)
                audit("setup.office", "settings", f"{values['name']}; {values['agency_code']}")
                firstboot.set_wizard_step(app_.db, "office")
                return redirect(url_for("setup.services"))
    return _step_page("setup/office.html", 400, form=form)


# --- step 2: services and counters ---------------------------------------------------------
class ServicesStepForm(FlaskForm):
    services = CheckboxListField(_l("Lĩnh vực nhận hồ sơ"), validate_choice=False)
    counters = StringField(_l("Số quầy"), validators=[WholeNumber(1, office_setup.MAX_COUNTERS)])


@bp.route("/services", methods=["GET", "POST"])
@page_requires("admin")
def services():
    app_ = appliance()
    offers = office_setup.service_offers(app_.catalog())
    form = ServicesStepForm()
    form.services.choices = [SelectChoice(o.code, o.name) for o in offers]
    if request.method == "GET":
        form.services.data = [o.code for o in offers]
        form.counters.data = "3"
        return _step_page("setup/services.html", form=form, offers=offers)
    if form.validate_on_submit():
        try:
            office_setup.set_up_services(app_.db, offers, form.services.data or [], whole(form.counters),
                                         current_principal().name, clock=app_.clock)
        except DomainError as exc:
            add_error(form, exc.field, exc.message(current_language()))
        else:
            firstboot.set_wizard_step(app_.db, "services")
            return redirect(url_for("setup.devices"))
    return _step_page("setup/services.html", 400, form=form, offers=offers)


# --- step 3: printer and pager -------------------------------------------------------------
class DevicesStepForm(FlaskForm):
    printer = RadioField(_l("Máy in phiếu"), choices=[SelectChoice(k, k) for k in ("usb", "sim", "none")])
    pager = RadioField(_l("Bộ phát thẻ rung"), choices=[SelectChoice(k, k) for k in ("usb", "sim", "none")])


@bp.route("/devices", methods=["GET", "POST"])
@page_requires("admin")
def devices():
    app_ = appliance()
    choices = {s: office_setup.device_choices(s, app_.state_dir) for s in ("printer", "pager")}
    form = DevicesStepForm()
    if request.method == "GET":
        form.printer.data = office_setup.default_choice(choices["printer"])
        form.pager.data = office_setup.default_choice(choices["pager"])
        return _step_page("setup/devices.html", form=form, choices=choices)
    if form.validate_on_submit():
        picked = {s: next(c for c in choices[s] if c.key == form[s].data) for s in choices}
        try:
            office_setup.save_devices(app_.settings, picked["printer"], picked["pager"])
        except ConfigError as exc:
            add_error(form, "printer", str(exc))
        else:
            audit("setup.devices", "settings", f"máy in: {picked['printer'].key}; thẻ rung: {picked['pager'].key}")
            firstboot.set_wizard_step(app_.db, "devices")
            return redirect(url_for("setup.done"))
    return _step_page("setup/devices.html", 400, form=form, choices=choices)


@bp.get("/done")
@page_requires("admin")
def done():
    app_ = appliance()
    firstboot.set_wizard_step(app_.db, "done")
    return _step_page("setup/done.html", counters=[c["id"] for c in office_store.list_counters(app_.db.conn())])
