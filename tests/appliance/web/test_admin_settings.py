"""Office settings and holidays from the admin pages: validated, stored beside the database,
applied at once, audited; a wrong value is shown next to its field with everything else kept."""
from __future__ import annotations

import re
import tomllib
from datetime import date

from page_helpers import audit_rows, post_form, text

from appliance import config
from appliance.catalog.loader import load_holidays

GOOD = {"name": "UBND xã Thụy Khuê", "agency_code": "000.00.06.H56", "model_days": ["tue", "thu"],
        "working_days": ["mon", "tue", "wed", "thu", "fri"], "morning": "07:30-11:30",
        "afternoon": "13:30 - 17:00", "same_day_cutoff": "15:00", "language": "vi", "pager_pool": "12",
        "max_recalls": "2", "priority_ratio": "1:3"}


def field_of(body: str, name: str) -> str:
    return re.search(r'<(div|fieldset) class="field[^"]*"[^>]*>\s*(<label for="' + name + r'"|<legend)?.*?</\1>',
                     body[body.index(f'id="{name}"') - 300:], re.S).group(0)


def test_office_settings_are_saved_applied_at_once_and_audited(admin_client, appliance):
    response = post_form(admin_client, "/admin/settings", GOOD)
    assert response.status_code == 302
    s = appliance.settings
    assert (s.office.name, s.office.agency_code, s.office.model_days) == ("UBND xã Thụy Khuê", "000.00.06.H56",
                                                                         ("tue", "thu"))
    assert (s.office.afternoon, s.queue.pager_pool, s.queue.priority_ratio) == ("13:30-17:00", 12, "1:3")
    assert appliance.engine.rules.max_recalls == 2
    assert appliance.db.conn().execute("SELECT count(*) FROM pagers").fetchone()[0] == 12
    stored = tomllib.loads(config.panel_file(s.storage.path).read_text(encoding="utf-8"))
    assert stored["office"]["name"] == "UBND xã Thụy Khuê" and stored["queue"]["pager_pool"] == 12
    reloaded = config.load(env={}, default_path=config.panel_file(s.storage.path).parent / "none.toml",
                           overrides={"storage": {"path": s.storage.path}})
    assert reloaded.office.agency_code == "000.00.06.H56"
    [entry] = audit_rows(appliance, "settings.update")
    assert "office.name: 'UBND xã Gia Lâm' → 'UBND xã Thụy Khuê'" in entry["detail"]
    page = text(admin_client.get("/admin/settings"))
    assert "Đã lưu và áp dụng ngay" in page and 'value="UBND xã Thụy Khuê"' in page
    assert re.search(r'name="model_days" value="thu" checked', page)


def test_a_wrong_agency_code_is_shown_next_to_it_and_nothing_changes(admin_client, appliance):
    before = appliance.settings
    response = post_form(admin_client, "/admin/settings", dict(GOOD, agency_code="xã 1"))
    assert response.status_code == 400
    body = text(response)
    block = field_of(body, "agency_code")
    assert "Giá trị" in block and "mã cơ quan điện tử, ví dụ" in block and 'value="xã 1"' in block
    assert 'value="UBND xã Thụy Khuê"' in body and 'value="1:3"' in body
    assert re.search(r'name="model_days" value="thu" checked', body)
    assert appliance.settings is before
    assert not config.panel_file(before.storage.path).exists()
    assert audit_rows(appliance, "settings.update") == []


def test_wrong_hours_and_no_working_day_are_refused(admin_client, appliance):
    body = text(post_form(admin_client, "/admin/settings", dict(GOOD, morning="7h30-11h")))
    assert "dạng 'HH:MM-HH:MM'" in field_of(body, "morning")
    body = text(post_form(admin_client, "/admin/settings", dict(GOOD, morning="11:30-07:30")))
    assert "giờ bắt đầu phải trước giờ kết thúc" in field_of(body, "morning")
    data = {k: v for k, v in GOOD.items() if k != "working_days"}
    body = text(post_form(admin_client, "/admin/settings", data))
    assert "Hãy chọn ít nhất một ngày làm việc." in body
    body = text(post_form(admin_client, "/admin/settings", dict(GOOD, pager_pool="nhiều")))
    assert "“nhiều” không phải số nguyên" in field_of(body, "pager_pool")
    assert appliance.settings.office.name == "UBND xã Gia Lâm"


def test_the_built_in_holidays_are_listed(admin_client):
    body = text(admin_client.get("/admin/holidays"))
    assert "Quốc khánh" in body and "Tết Nguyên đán" in body
    assert '<option selected value="builtin">' in body


def test_extra_days_off_go_into_an_office_file_the_calendar_uses(admin_client, appliance):
    data = {"mode": "extra", "extra_days": "2026-12-01 Nghỉ bù hội nghị\n\n03/12/2026",
            "extra_working": "2026-12-05 Làm bù ngày 01/12"}
    response = post_form(admin_client, "/admin/holidays", data)
    assert response.status_code == 302
    path = appliance.settings.office.holidays_file
    assert path.endswith("office-holidays.toml")
    days = {h.day: h for h in load_holidays(path)}
    assert days[date(2026, 12, 1)].name == "Nghỉ bù hội nghị"
    assert days[date(2026, 12, 3)].name == "Ngày nghỉ của cơ quan"
    assert days[date(2026, 12, 5)].working
    assert date(2026, 9, 2) in days  # the built-in days are still there
    calendar = appliance.calendar()
    assert not calendar.is_working_day(date(2026, 12, 1))
    assert audit_rows(appliance, "holidays.update")[0]["detail"].startswith("extra: ")
    page = text(admin_client.get("/admin/holidays"))
    assert "2026-12-01 Nghỉ bù hội nghị" in page and '<option selected value="extra">' in page
    assert "2026-12-05 Làm bù ngày 01/12" in page
    # back to the built-in list
    assert post_form(admin_client, "/admin/holidays", {"mode": "builtin"}).status_code == 302
    assert appliance.settings.office.holidays_file == ""


def test_a_bad_line_is_shown_next_to_its_box_with_the_text_kept(admin_client, appliance):
    data = {"mode": "extra", "extra_days": "2026-12-01 Nghỉ\n2026-13-40 Sai ngày", "extra_working": ""}
    response = post_form(admin_client, "/admin/holidays", data)
    assert response.status_code == 400
    body = text(response)
    assert "Dòng 2: “2026-13-40” không phải ngày" in body and "2026-13-40 Sai ngày" in body
    response = post_form(admin_client, "/admin/holidays", {"mode": "extra", "extra_working": "2026-12-02 Thứ Tư"})
    assert "không phải thứ Bảy hoặc Chủ nhật" in text(response)
    response = post_form(admin_client, "/admin/holidays", {"mode": "extra", "extra_days": "2026-09-02 Trùng"})
    assert "đã có trong danh sách có sẵn" in text(response)
    assert appliance.settings.office.holidays_file == ""


def test_an_office_holidays_file_path_is_checked_before_use(admin_client, appliance, tmp_path):
    response = post_form(admin_client, "/admin/holidays", {"mode": "file", "path": str(tmp_path / "khong-co.toml")})
    assert response.status_code == 400 and "không tìm thấy" in text(response).lower()
    broken = tmp_path / "hong.toml"
    broken.write_text('[[days_off]]\ndate = "hôm nay"\nname = "x"\n', encoding="utf-8")
    response = post_form(admin_client, "/admin/holidays", {"mode": "file", "path": str(broken)})
    assert response.status_code == 400 and "Tệp không dùng được" in text(response)
    good = tmp_path / "ngay-nghi.toml"
    good.write_text('[[days_off]]\ndate = 2026-12-24\nname = "Nghỉ riêng"\n', encoding="utf-8")
    assert post_form(admin_client, "/admin/holidays", {"mode": "file", "path": str(good)}).status_code == 302
    assert appliance.settings.office.holidays_file == str(good)
    assert "Nghỉ riêng" in text(admin_client.get("/admin/holidays"))


def test_saturday_reception_and_counting_from_the_next_day_are_settings(admin_client, appliance, clock):
    response = post_form(admin_client, "/admin/settings",
                         dict(GOOD, saturday_reception="08:00 - 12:00", count_days_from_next_day="y"))
    assert response.status_code == 302
    office = appliance.settings.office
    assert office.saturday_reception == "08:00-12:00" and office.count_days_from_next_day is True
    calendar = appliance.calendar()
    assert calendar.saturday_reception is not None and calendar.days_from_next_day
    dossier = appliance.dossiers.calendar.legal_due_for_procedure(
        appliance.dossiers.catalog.get("1.004837"), appliance.dossiers._now()[1])   # Monday 08:00, 3 days
    assert dossier.isoformat() == "2026-12-03T17:00:00+07:00"
    body = text(post_form(admin_client, "/admin/settings", dict(GOOD, saturday_reception="8h-12h")))
    assert "dạng 'HH:MM-HH:MM'" in field_of(body, "saturday_reception")


def test_tentative_holidays_are_shown_as_such(admin_client, clock):
    body = text(admin_client.get("/admin/holidays"))
    row = re.search(r"<tr[^>]*>\s*<td>24/11/2026</td>.*?</tr>", body, re.S).group(0)
    assert "Ngày Văn hóa Việt Nam" in row and "Dự kiến" in row
    assert "ngày còn là dự kiến" in body and "24/11/2026" in body
    confirmed = re.search(r"<tr[^>]*>\s*<td>02/09/2026</td>.*?</tr>", body, re.S).group(0)
    assert "Quốc khánh" in confirmed and "Đã xác nhận" in confirmed


def test_the_placeholder_agency_code_is_flagged_and_refused_for_a_delegated_code_space(admin_client, appliance):
    page = text(admin_client.get("/admin/settings"))
    assert "000.00.00.H00" in page and "là mã mẫu" in page
    body = text(post_form(admin_client, "/admin/settings",
                          dict(GOOD, agency_code="000.00.00.H00", code_space="delegated")))
    assert "là mã mẫu" in field_of(body, "agency_code")
    assert appliance.settings.office.code_space == "local"
    assert post_form(admin_client, "/admin/settings", dict(GOOD, code_space="delegated")).status_code == 302
    assert appliance.settings.office.code_space == "delegated"
    assert "là mã mẫu" not in text(admin_client.get("/admin/settings"))
