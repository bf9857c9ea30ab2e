"""Admin: office settings (name, agency code, model days, working hours, queue) and holidays.

Edits go through :func:`appliance.config.save_panel_settings` (validated, written atomically beside
the database) and apply at once with ``Appliance.apply_settings``. A :class:`ConfigError` names the
key (``Cấu hình sai [office].agency_code = …``): its message is shown next to that field.
"""
from __future__ import annotations

import re
from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ... import config as config_mod
from ...catalog.loader import load_holidays
from ...config import ConfigError
from ...domain.catalog import CatalogError
from ...domain.province_code import agency_problem
from ..auth import appliance
from ..i18n import current_language
from .blueprint import bp
from .fields import CheckboxListField, WholeNumber, whole
from .helpers import add_error, audit, form_status, render_admin
from .holidays import HolidayInputError, builtin_holidays, office_extras, office_file, parse_lines, write_office_file

WEEKDAY_NAMES = {"mon": _l("Thứ Hai"), "tue": _l("Thứ Ba"), "wed": _l("Thứ Tư"), "thu": _l("Thứ Năm"),
                 "fri": _l("Thứ Sáu"), "sat": _l("Thứ Bảy"), "sun": _l("Chủ nhật")}


def _weekday_choices() -> list[SelectChoice]:
    return [SelectChoice(d, str(WEEKDAY_NAMES[d])) for d in config_mod.WEEKDAYS]


class OfficeForm(FlaskForm):
    name = StringField(_l("Tên cơ quan"), validators=[
        DataRequired(_l("Hãy nhập tên cơ quan, ví dụ UBND xã Gia Lâm.")), Length(max=120)])
    agency_code = StringField(_l("Mã cơ quan điện tử"), filters=[lambda v: (v or "").strip()])
    code_space = SelectField(_l("Mã hồ sơ"), default="local", choices=[
        SelectChoice("local", _l("Do hệ thống một cửa của tỉnh cấp; số của thiết bị là số nội bộ")),
        SelectChoice("delegated", _l("Tỉnh giao dải mã: số của thiết bị là mã hồ sơ"))])
    unit_name = StringField(_l("Tên bộ phận một cửa in trên các mẫu"), validators=[Length(max=160)],
                            filters=[lambda v: (v or "").strip()])
    place_name = StringField(_l("Địa danh ở dòng ngày tháng"), validators=[Length(max=60)],
                             filters=[lambda v: (v or "").strip()])
    model_days = CheckboxListField(_l("Ngày “không viết, không giấy hẹn”"), validate_choice=False)
    working_days = CheckboxListField(_l("Ngày làm việc trong tuần"), validate_choice=False)
    morning = StringField(_l("Buổi sáng"), filters=[lambda v: (v or "").strip().replace(" ", "")])
    afternoon = StringField(_l("Buổi chiều"), filters=[lambda v: (v or "").strip().replace(" ", "")])
    same_day_cutoff = StringField(_l("Giờ nhận hồ sơ trả trong ngày (trước)"), filters=[lambda v: (v or "").strip()])
    saturday_reception = StringField(_l("Tiếp nhận sáng thứ Bảy"),
                                     filters=[lambda v: (v or "").strip().replace(" ", "")])
    count_days_from_next_day = BooleanField(_l("Tính thời hạn N ngày làm việc từ ngày làm việc tiếp theo"))
    language = SelectField(_l("Ngôn ngữ mặc định"),
                           choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")])
    pager_pool = StringField(_l("Số thẻ rung (1..N)"), validators=[WholeNumber(0, 999)])
    max_recalls = StringField(_l("Số lần gọi lại tối đa"), validators=[WholeNumber(0, 20)])
    priority_ratio = StringField(_l("Tỉ lệ ưu tiên (ưu tiên:thường)"), filters=[lambda v: (v or "").strip()])


OFFICE_KEYS = ("name", "agency_code", "code_space", "unit_name", "place_name", "model_days", "working_days",
               "morning", "afternoon", "same_day_cutoff", "saturday_reception", "count_days_from_next_day", "language")
QUEUE_KEYS = ("pager_pool", "max_recalls", "priority_ratio")
_CONFIG_KEY = re.compile(r"\[(\w+)\]\.(\w+)")


def _fill(form: OfficeForm, settings) -> None:
    for key in OFFICE_KEYS:
        value = getattr(settings.office, key)
        form[key].data = list(value) if isinstance(value, tuple) else value
    for key in QUEUE_KEYS:
        form[key].data = str(getattr(settings.queue, key))


def config_error_field(exc: ConfigError) -> str | None:
    match = _CONFIG_KEY.search(str(exc))
    return match.group(2) if match else None


def friendly_config_message(exc: ConfigError) -> str:
    """``Cấu hình sai [office].morning = '7h': phải là dạng …`` → ``Giá trị '7h' không hợp lệ: phải là dạng …``."""
    text = str(exc)
    match = re.match(r"Cấu hình sai \[\w+\]\.\w+ = (.*?): (phải .*)$", text)
    if match:
        return _("Giá trị %(value)s không hợp lệ: %(rule)s.", value=match.group(1), rule=match.group(2))
    return text


def _changes(old, office: dict, queue: dict) -> list[str]:
    out = []
    for section, values in (("office", office), ("queue", queue)):
        for key, value in values.items():
            before = getattr(getattr(old, section), key)
            if (list(before) if isinstance(before, tuple) else before) != value:
                out.append(f"{section}.{key}: {before!r} → {value!r}")
    return out


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    app_ = appliance()
    form = OfficeForm()
    form.model_days.choices = form.working_days.choices = _weekday_choices()
    if request.method == "GET":
        _fill(form, app_.settings)
    error = None
    if form.validate_on_submit():
        office = {k: form[k].data for k in OFFICE_KEYS}
        office["name"] = office["name"].strip()
        queue = {"pager_pool": whole(form.pager_pool), "max_recalls": whole(form.max_recalls),
                 "priority_ratio": form.priority_ratio.data}
        problem = agency_problem(office["agency_code"])
        if not form.working_days.data:
            add_error(form, "working_days", _("Hãy chọn ít nhất một ngày làm việc."))
        elif problem is not None and office["code_space"] == "delegated":
            add_error(form, "agency_code", problem.text(current_language()))
        else:
            try:
                new = config_mod.save_panel_settings(app_.settings, {"office": office, "queue": queue})
            except ConfigError as exc:
                if not add_error(form, config_error_field(exc), friendly_config_message(exc)):
                    error = str(exc)
            else:
                changed = _changes(app_.settings, office, queue)
                app_.apply_settings(new)
                audit("settings.update", "settings", "; ".join(changed) or "không đổi")
                flash(_("Đã lưu và áp dụng ngay cài đặt của cơ quan."), "ok")
                return redirect(url_for("admin.settings"))
    placeholder = agency_problem(app_.settings.office.agency_code)
    return render_admin("admin/settings.html", form_status(form, error), form=form, error=error,
                        source=source_text(app_.settings.source),
                        agency_warning=placeholder.text(current_language()) if placeholder else None)


def source_text(source: str) -> str:
    """Where the settings come from (``appliance.config`` writes it in Vietnamese: file paths,
    ``biến môi trường MOTCUA_*``, ``mặc định``) with its words in the reader's language."""
    words = {"mặc định": _("mặc định"), "biến môi trường MOTCUA_*": _("biến môi trường MOTCUA_*")}
    return " + ".join(str(words.get(part, part)) for part in source.split(" + "))


# --- holidays -------------------------------------------------------------------------------
class HolidaysForm(FlaskForm):
    mode = SelectField(_l("Danh sách ngày nghỉ dùng"), choices=[
        SelectChoice("builtin", _l("Danh sách có sẵn (theo luật và thông báo hằng năm)")),
        SelectChoice("extra", _l("Danh sách có sẵn cộng thêm ngày nghỉ riêng của cơ quan")),
        SelectChoice("file", _l("Tệp ngày nghỉ riêng (TOML) trên máy"))])
    extra_days = TextAreaField(_l("Ngày nghỉ thêm"))
    extra_working = TextAreaField(_l("Ngày làm bù (thứ Bảy, Chủ nhật đi làm)"))
    path = StringField(_l("Đường dẫn tệp"), filters=[lambda v: (v or "").strip()])


def _mode_of(settings) -> str:
    current = settings.office.holidays_file
    if not current:
        return "builtin"
    return "extra" if current == str(office_file(appliance().state_dir)) else "file"


def _holidays_in_force(settings):
    """The office's file when it has one, else the holidays of the catalog in force (the hub's, which
    publishes "tentative" and "confirmed" days, or the built-in list)."""
    try:
        if settings.office.holidays_file:
            return load_holidays(settings.office.holidays_file), None
        return appliance().catalog().holidays, None
    except (CatalogError, OSError) as exc:
        return (), str(exc)


@bp.route("/holidays", methods=["GET", "POST"])
def holidays():
    app_ = appliance()
    form = HolidaysForm()
    if request.method == "GET":
        form.mode.data = _mode_of(app_.settings)
        if form.mode.data == "file":
            form.path.data = app_.settings.office.holidays_file
        days_off, working = office_extras(app_.settings.office.holidays_file) \
            if form.mode.data == "extra" else ([], [])
        form.extra_days.data = "\n".join(f"{h.day.isoformat()} {h.name}" for h in days_off)
        form.extra_working.data = "\n".join(f"{h.day.isoformat()} {h.name}" for h in working)
    error = None
    if form.validate_on_submit():
        target = _target_file(form)
        if target is not None:
            try:
                new = config_mod.save_panel_settings(app_.settings, {"office": {"holidays_file": target}})
            except ConfigError as exc:
                error = str(exc)
            else:
                app_.apply_settings(new)
                audit("holidays.update", "holidays", f"{form.mode.data}: {target or 'danh sách có sẵn'}")
                flash(_("Đã lưu danh sách ngày nghỉ; lịch làm việc dùng danh sách mới ngay."), "ok")
                return redirect(url_for("admin.holidays"))
    in_force, problem = _holidays_in_force(app_.settings)
    this_year = date.fromisoformat(app_.today()).year
    in_force = [h for h in in_force if h.day.year >= this_year]
    return render_admin("admin/holidays.html", form_status(form, error), form=form, error=error,
                        in_force=in_force, problem=problem, builtin=builtin_holidays(),
                        tentative=[h.day.strftime('%d/%m/%Y') for h in in_force if h.tentative],
                        current_file=app_.settings.office.holidays_file)


def _target_file(form: HolidaysForm) -> str | None:
    """The file the office should use ('' for the built-in list); None after an error on the form."""
    mode = form.mode.data
    if mode == "builtin":
        return ""
    if mode == "file":
        if not form.path.data:
            add_error(form, "path", _("Hãy nhập đường dẫn đầy đủ của tệp, ví dụ /etc/motcua/ngay-nghi.toml."))
            return None
        try:
            load_holidays(form.path.data)
        except CatalogError as exc:
            add_error(form, "path", _("Tệp không dùng được: %(why)s", why=str(exc)))
            return None
        except OSError as exc:
            add_error(form, "path", _("Không đọc được tệp: %(why)s", why=exc.strerror or str(exc)))
            return None
        return form.path.data
    try:
        days_off = parse_lines(form.extra_days.data or "", working=False)
    except HolidayInputError as exc:
        add_error(form, "extra_days", str(exc))
        days_off = None
    try:
        working = parse_lines(form.extra_working.data or "", working=True)
    except HolidayInputError as exc:
        add_error(form, "extra_working", str(exc))
        working = None
    if days_off is None or working is None:
        return None
    try:
        return str(write_office_file(appliance().state_dir, days_off, working))
    except HolidayInputError as exc:
        add_error(form, exc.field or "extra_days", str(exc))
        return None
