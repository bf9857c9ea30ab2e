"""The appointment pages over the real app: the administrator's slots, the officer's day (book on
the phone, check in, change, cancel) and the kiosk (check in by code or phone, book later today);
bad input answered with a Vietnamese message and a 4xx, never a 500."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from page_helpers import post_form, text

MON = "2026-11-30"   # the test clock: Monday 08:00


@pytest.fixture
def slots(admin_client):
    r = post_form(admin_client, "/appointments/slots", {
        "service": "HT", "counter": "", "first": MON, "last": "2026-12-01", "weekdays": ["mon", "tue"],
        "start": "09:00", "end": "10:00", "minutes": "30", "capacity": "2"})
    assert r.status_code == 302, text(r)
    return admin_client


def kiosk_client(staff, tokens):
    """A tablet paired as the kiosk (its token once in the URL, then a cookie)."""
    client = staff.application.test_client()
    assert client.get(f"/kiosk?token={tokens['kiosk']}").status_code == 302
    return client


def day_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-code="(\d{6})" data-state="(\w+)"', page))


def slot_ids(page: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"', page.split('id="book-form"', 1)[1].split("</select>", 1)[0])


def test_admin_cuts_slots_from_the_calendar(slots):
    page = text(slots.get("/appointments/slots"))
    assert "Đã tạo 4 khung giờ hẹn" in page
    assert page.count('data-slot="') == 4 and "09:00–09:30" in page and "09:30–10:00" in page
    # a slot on the weekend or at lunch is never made
    r = post_form(slots, "/appointments/slots", {"service": "HT", "first": "2026-12-05", "last": "2026-12-06",
                                                 "weekdays": ["sat", "sun"], "start": "11:30", "end": "13:30",
                                                 "minutes": "30", "capacity": "1"}, page="/appointments/slots")
    assert "Không có khung giờ mới" in text(slots.get(r.headers["Location"]))


@pytest.mark.parametrize("field,value,needle", [
    ("minutes", "abc", "cần một số từ 5 đến 240"), ("start", "25:99", "giờ phải có dạng HH:MM"),
    ("first", "30/11/2026", "ngày phải có dạng YYYY-MM-DD"), ("service", "XX", "Không có lĩnh vực 'XX'"),
    ("capacity", "0", "cần một số từ 1 đến 50")])
def test_bad_slot_forms_are_refused_in_vietnamese(admin_client, field, value, needle):
    form = {"service": "HT", "first": MON, "last": MON, "weekdays": ["mon"], "start": "09:00", "end": "10:00",
            "minutes": "30", "capacity": "2", field: value}
    r = post_form(admin_client, "/appointments/slots", form)
    assert 400 <= r.status_code < 500 and needle in text(r)


def test_english_slot_page(slots):
    page = text(slots.get("/appointments/slots?lang=en"))
    assert "Appointment slots" in page and "Create slots" in page


def test_only_staff_and_only_the_admin_for_slots(app, appliance, role_client):
    assert role_client("volunteer").get("/appointments").status_code == 403
    assert role_client("officer").get("/appointments/slots").status_code == 403
    assert app.test_client().get("/appointments").status_code == 302      # to the login page


def test_officer_books_on_the_phone_checks_in_changes_and_cancels(slots, role_client, appliance):
    officer = role_client("officer")
    page = text(officer.get("/appointments"))
    ids = slot_ids(page)
    assert len(ids) == 4
    r = post_form(officer, "/appointments/book", {"slot": ids[0], "phone": "0912 345 678", "note": "gọi lúc 7h"},
                  page="/appointments", follow_redirects=True)
    page = text(r)
    code = re.search(r"mã (\d{6})\. Hãy đọc mã", page).group(1)
    assert "091****678" in page and "0912345678" not in page                      # masked
    assert day_rows(page) == {code: "booked"}
    second = text(post_form(officer, "/appointments/book", {"slot": ids[1], "phone": "0987654321"},
                            page="/appointments", follow_redirects=True))
    other = re.search(r"mã (\d{6})\. Hãy đọc mã", second).group(1)
    # change the second to 09:30 of Tuesday, then cancel it
    r = post_form(officer, f"/appointments/{other}/change", {"slot": ids[3]}, page="/appointments",
                  follow_redirects=True)
    assert "sang 09:30 ngày 2026-12-01" in text(r)
    r = post_form(officer, f"/appointments/{other}/cancel", {}, page="/appointments?day=2026-12-01",
                  follow_redirects=True)
    assert day_rows(text(r)) == {other: "cancelled"}
    # the citizen comes to the counter: the code gives a ticket called at 09:00
    r = post_form(officer, "/appointments/check-in", {"code": code}, page="/appointments", follow_redirects=True)
    page = text(r)
    assert re.search(r"đã cấp số A\d{3}, được gọi lúc 09:00", page) and day_rows(page) == {code: "checked_in"}
    # twice: refused with the state, never a second ticket
    r = post_form(officer, "/appointments/check-in", {"code": code}, page="/appointments")
    assert r.status_code == 409 and f"Lịch hẹn {code} đã được nhận số" in text(r)


def test_refusals_are_4xx_with_their_message(slots, role_client):
    officer = role_client("officer")
    ids = slot_ids(text(officer.get("/appointments")))
    cases = [("/appointments/book", {"slot": ids[0], "phone": "12345"}, 400, "Cần số điện thoại di động"),
             ("/appointments/book", {"slot": "x", "phone": "0912345678"}, 400, "Giá trị không hợp lệ"),
             ("/appointments/book", {"slot": "999999", "phone": "0912345678"}, 404, "Không có khung giờ hẹn số"),
             ("/appointments/check-in", {"code": "123"}, 404, "Không tìm thấy lịch hẹn"),
             ("/appointments/000000/cancel", {}, 404, "Không tìm thấy lịch hẹn")]
    for path, data, status, needle in cases:
        r = post_form(officer, path, data, page="/appointments")
        assert r.status_code == status and needle in text(r), (path, data, r.status_code)
    assert officer.get("/appointments?day=hôm-nay").status_code == 400


def test_kiosk_check_in_by_code_and_by_phone(slots, appliance, clock, tokens):
    booked = appliance.appointments.book(int(slot_ids(text(slots.get("/appointments")))[0]), "0912345678")
    other = appliance.appointments.book(int(slot_ids(text(slots.get("/appointments")))[1]), "0987654321")
    kiosk = kiosk_client(slots, tokens)
    start = text(kiosk.get("/kiosk"))
    assert "Tôi có lịch hẹn" in start and "Hẹn giờ khác trong hôm nay" in start
    r = post_form(kiosk, "/kiosk/appointment", {"code": f"{booked['code'][:3]} {booked['code'][3:]}"})
    assert r.status_code == 201
    page = text(r)
    assert f"Lịch hẹn {booked['code']}: số của bạn được gọi lúc 09:00." in page
    assert re.search(r'data-ticket-number>A\d{3}<', page)
    r = post_form(kiosk, "/kiosk/appointment", {"code": "", "phone": "0987 654 321"}, page="/kiosk/appointment")
    assert r.status_code == 201 and f"Lịch hẹn {other['code']}" in text(r)
    r = post_form(kiosk, "/kiosk/appointment", {"code": "654321"}, page="/kiosk/appointment")
    assert r.status_code == 404 and "Không tìm thấy lịch hẹn '654321'" in text(r)


def test_kiosk_books_later_today(slots, appliance, tokens):
    kiosk = kiosk_client(slots, tokens)
    page = text(kiosk.get("/kiosk/appointment/book"))
    today_slots = re.findall(r'data-slot="(\d+)"', page)
    assert len(today_slots) == 2                              # Monday's two; Tuesday's are not offered here
    r = post_form(kiosk, f"/kiosk/appointment/book/{today_slots[0]}", {"phone": "0912345678"})
    assert r.status_code == 201
    code = re.search(r"data-appointment-code>(\d{6})<", text(r)).group(1)
    assert "091****678" in text(r)
    [row] = [a for a in appliance.appointments.day(appliance.appointments.at(appliance.clock()).date())["appointments"]]
    assert row["code"] == code and row["channel"] == "kiosk"
    r = post_form(kiosk, f"/kiosk/appointment/book/{today_slots[1]}", {"phone": "abc"},
                  page=f"/kiosk/appointment/book/{today_slots[1]}")
    assert r.status_code == 400 and "Cần số điện thoại di động" in text(r)


def test_the_reports_count_appointments_and_no_shows(slots, role_client, appliance, clock):
    ids = [int(i) for i in slot_ids(text(role_client("officer").get("/appointments")))]
    came = appliance.appointments.book(ids[0], "0912345678")
    appliance.appointments.book(ids[0], "0987654321")                     # never comes
    appliance.appointments.book(ids[2], "0911111111")                     # Tuesday: not due yet
    clock.advance(3600)                                                    # 09:00
    appliance.appointments.check_in(code=came["code"])
    clock.advance(3600)                                                    # 10:00: 09:00 + 15 min passed
    appliance.appointments.mark_no_shows()
    page = text(role_client("officer").get("/reports?ky=week"))
    table = page.split('id="appointments-report"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td>", table.split("<tr", 2)[2])
    assert cells[:7] == ["Hộ tịch", "1", "0", "1", "50,0 %", "0", "1"]
    assert "No-show rate" in text(role_client("officer").get("/reports?ky=week&lang=en"))


def test_the_console_marks_appointment_tickets_with_their_time(slots, role_client, appliance, clock):
    ids = [int(i) for i in slot_ids(text(role_client("officer").get("/appointments")))]
    booked = appliance.appointments.book(ids[0], "0912345678")
    ticket = appliance.appointments.check_in(code=booked["code"]).issued.ticket
    officer = role_client("officer")
    page = text(officer.get("/counter/1"))
    item = page.split(f">{ticket.number}<", 1)[1].split("</li>", 1)[0]
    assert "Lịch hẹn 09:00" in item
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=appliance.tz).timestamp()
    # at 09:00 it heads the list the console shows, and is the one called
    page = text(officer.get("/counter/1"))
    first = page.split("data-waiting", 1)[1].split("</li>", 1)[0]
    assert ticket.number in first
    assert appliance.engine.advance(1, True).called.id == ticket.id
    assert "Lịch hẹn 09:00" in text(officer.get("/counter/1?lang=vi")).split("data-current-number", 1)[1][:2000]
