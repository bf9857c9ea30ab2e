"""Words an officer would say (issue 18): one test per item of the list, on the real pages."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from page_helpers import text

from appliance.domain.dossiers import parse_when
from appliance.web.admin.helpers import counter_choice
from appliance.web.admin.holiday_names import english_name

sys.path.append(str(Path(__file__).resolve().parents[2]))
from language_check import wrong_language  # noqa: E402

VN = timezone(timedelta(hours=7))


def test_the_crawl_check_catches_the_issues_examples():
    assert wrong_language("<p>Priority (người cao tuổi)</p>", "en") == ["Priority (người cao tuổi)"]
    assert wrong_language("<p>Fee: <b>Miễn phí</b></p>", "en") == ["Miễn phí"]
    assert wrong_language("<label>Login</label><h2>Services</h2>", "vi") == ["Login", "Services"]
    assert wrong_language("<pre>usage: motcua-hub</pre><p>usage: motcua-hub</p>", "vi") == ["usage: motcua-hub"]
    # quoted and code are not UI: the language switcher, a name marked lang, a path, a kind:id
    clean = ('<a lang="vi">Tiếng Việt</a><span lang="vi">Nguyễn Văn An</span><code>appliance/x.toml</code>'
             '<p>Open /admin/screens or dossier:000.00.00.H00-1</p>')
    assert wrong_language(clean, "en") == [] and wrong_language("<p>mở trang /admin/screens</p>", "vi") == []


def test_a_new_due_date_is_written_as_offices_write_it():
    now = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
    assert parse_when("02/12/2026 10:00", VN, now) == datetime(2026, 12, 2, 10, 0, tzinfo=VN)
    assert parse_when("2/12/2026", VN, now) == datetime(2026, 12, 2, 17, 0, tzinfo=VN)
    assert parse_when("2026-12-02T10:00", VN, now) == datetime(2026, 12, 2, 10, 0, tzinfo=VN)



def test_a_counter_is_not_named_twice_in_the_token_form(admin_client):
    assert counter_choice({"id": 1, "name": "Quầy 1 – Hộ tịch"}) == "Quầy 1 – Hộ tịch"
    assert counter_choice({"id": 2, "name": "Hộ tịch"}) == "Quầy 2 – Hộ tịch"
    assert counter_choice({"id": 10, "name": "Quầy 1 – Hộ tịch"}) == "Quầy 10 – Quầy 1 – Hộ tịch"
    for page in ("/admin/tokens", "/admin/screens"):
        body = text(admin_client.get(page))
        assert "Quầy 1 – Hộ tịch" in body and "Quầy 1 – Quầy 1" not in body, page


def test_the_counter_names_a_priority_reason_in_english(client, auth, role_client):
    officer = auth("officer")
    client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": "người cao tuổi"},
                headers=officer)
    client.post("/api/v1/counters/1/call-next", json={"finish_current": True}, headers=officer)
    page = role_client("officer")
    english = text(page.get("/counter/1?lang=en"))
    assert "người cao tuổi" not in english and "Priority: Elderly" in english
    assert "Ưu tiên: Người cao tuổi" in text(page.get("/counter/1?lang=vi"))


def test_holidays_have_english_names(admin_client):
    assert english_name("Tết Nguyên đán Bính Ngọ (mùng 1)") == "Lunar New Year (Tết) (day 1)"
    assert english_name("Quốc khánh") == "National Day"
    assert english_name("Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/1/2026)") == (
        "Swapped day off for New Year's Day (worked on Saturday 10/1/2026)")
    assert english_name("Ngày hội làng Đông Xá") is None            # typed by an admin: shown as written
    english = text(admin_client.get("/admin/holidays?lang=en"))
    assert "Quốc khánh" not in english and "National Day" in english


def test_the_dossier_fee_and_the_procedure_are_english(client, auth, role_client, appliance):
    from test_language_crawl import file_a_dossier
    code = file_a_dossier(client, auth("officer"), appliance)
    english = text(role_client("officer").get(f"/dossiers/{code}?lang=en"))
    assert "Miễn phí" not in english and "Đăng ký khai sinh" not in english
    assert "Birth registration" in english and "Form 06 – Dossier handling control sheet" in english


def test_a_call_is_said_by_the_clock_not_zero_minutes_ago(client, auth, role_client, clock):
    officer = auth("officer")
    client.post("/api/v1/tickets", json={"service": "HT"}, headers=officer)
    client.post("/api/v1/counters/1/call-next", json={"finish_current": True}, headers=officer)
    page = role_client("officer")
    body = text(page.get("/counter/1?lang=vi"))
    assert "0 phút trước" not in body and "Vừa gọi, lúc 08:00" in body
    clock.advance(5 * 60)
    assert "Gọi lúc 08:00 (5 phút trước)" in text(page.get("/counter/1?lang=vi"))


def test_the_header_names_an_account_once(client, appliance):
    from page_helpers import log_in
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'admin'").fetchone()
    log_in(client, row[0])
    body = text(client.get("/?lang=vi"))
    assert "Quản trị viên <small>Quản trị viên</small>" not in body and "Quản trị viên Quản trị viên" not in body
    assert '<span class="user">Administrator</span>' in text(client.get("/?lang=en"))


def test_the_login_says_user_name_and_the_password_rule_is_on_the_page(client, role_client):
    assert "User name" in text(client.get("/login?lang=en"))
    body = text(role_client("officer").get("/account/password?lang=vi"))
    assert "Ít nhất 8 ký tự" in body and 'aria-describedby="new-hint"' in body


def test_the_test_slip_is_in_office_time_and_its_qr_opens_a_page(client, appliance):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from appliance.printer import sample_slip
    slip = sample_slip("UBND xã Gia Lâm", tz=ZoneInfo("Asia/Ho_Chi_Minh"), base_url="http://localhost/")
    assert slip.issued_at.utcoffset().total_seconds() == 7 * 3600
    assert abs((slip.issued_at - datetime.now(ZoneInfo("UTC"))).total_seconds()) < 60
    assert slip.qr == "http://localhost/thu-tuc" and client.get("/thu-tuc").status_code == 200


def test_a_failed_boot_slip_is_not_called_a_ticket():
    from appliance.printer.service import Job, unprinted_message
    boot = Job("j1", "boot")
    assert "không phải phiếu số thứ tự" in unprinted_message(boot, OSError("hết giấy"))
    assert "Số thứ tự vẫn có hiệu lực" not in unprinted_message(boot, OSError("hết giấy"))


def test_gpio_buttons_without_gpio_are_reported_as_not_working(appliance):
    import dataclasses

    from appliance.gpio.board import ButtonBoard
    settings = dataclasses.replace(appliance.settings.gpio, factory="auto", call_buttons={1: 17})
    status = ButtonBoard(settings, appliance.engine, appliance.bus, pin_factory=None).status()
    assert status["state"] == "error" and "không có GPIO" in status["message"] and "1 nút" in status["message"]
    off = ButtonBoard(dataclasses.replace(settings, factory="none"), appliance.engine, appliance.bus).status()
    assert off["state"] == "disabled" and "không hoạt động" in off["message"]
    quiet = ButtonBoard(appliance.settings.gpio, appliance.engine, appliance.bus).status()
    assert quiet["message"] == "Không dùng nút bấm GPIO"


def test_the_procedures_page_says_if_any_once(client):
    import re
    for lang, words in (("vi", "nếu có"), ("en", "if any")):
        body = text(client.get(f"/thu-tuc?lang={lang}"))
        items = re.findall(r"<li>(.*?)</li>", body, re.S)
        assert items and not [i for i in items if i.casefold().count(words) > 1], lang
    assert 'class="tag optional"' in text(client.get("/thu-tuc?lang=vi"))


def test_services_is_plural_in_english(admin_client):
    body = text(admin_client.get("/admin/services?lang=en"))
    assert "<h1>Services</h1>" in body and ">Service<" not in body
