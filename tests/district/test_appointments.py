"""The hub's side of appointments, on SQLite and PostgreSQL: slots arrive with their events, the
public page books them (capacity counted, codes in the hub's range, phone limits, bad input 4xx),
online booking closes and the slot is handed back, the device pulls its bookings (ETag), and what
the appliance reports back closes the booking and removes its phone."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from district.store import clock as hub_clock
from tests.district.conftest import VN, batch, count, event, post_batch

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)        # 08:00 in Vietnam
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def fixed_clock(monkeypatch):
    state = {"now": NOW}
    monkeypatch.setattr(hub_clock, "utcnow", lambda: state["now"])
    from district import hub as hub_mod
    monkeypatch.setattr(hub_mod, "utcnow", lambda: state["now"])
    return state


def slot_event(seq, slot_id, start, capacity=2, close_min=120):
    return event(seq, "appointment.slot", {
        "slot_id": slot_id, "service": "HT", "service_name": "Hộ tịch", "counter_id": None,
        "start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat(), "capacity": capacity,
        "owner": "hub", "closes_at": (start - timedelta(minutes=close_min)).isoformat()}, NOW)


@pytest.fixture
def offered(hub_client, enrol, fixed_clock):
    token = enrol("xa-duong-xa", "UBND xã Dương Xá")
    start = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", [
        slot_event(1, 11, start), slot_event(2, 12, start + timedelta(minutes=30), capacity=1)], NOW))
    assert r.status_code == 200, r.json
    return token


def book(client, device, slot, phone):
    page = client.get(f"/dat-lich/{device}")
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    return client.post(f"/dat-lich/{device}/{slot}", data={"csrf_token": token, "phone": phone})


def pull(client, token, etag=None):
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-None-Match"] = etag
    return client.get("/api/v1/devices/xa-duong-xa/appointments", headers=headers)


def test_public_page_books_a_seat_with_a_hub_code(hub_client, offered, engine):
    page = hub_client.get("/dat-lich").get_data(as_text=True)
    assert "UBND xã Dương Xá" in page and 'href="/dat-lich/xa-duong-xa"' in page
    slots = hub_client.get("/dat-lich/xa-duong-xa").get_data(as_text=True)
    assert "01/12/2026" in slots and "09:00–09:30" in slots and "09:30–10:00" in slots
    r = book(hub_client, "xa-duong-xa", 11, "0912 345 678")
    assert r.status_code == 201
    done = r.get_data(as_text=True)
    code = re.search(r"data-code>(\d{6})<", done).group(1)
    assert code[0] in "56789"                                  # the hub's range: never an office code
    assert "091****678" in done and "0912345678" not in done
    with engine.connect() as conn:
        assert conn.execute(text("SELECT phone, state FROM appointment_bookings")).one() == ("0912345678", "booked")


def test_capacity_phone_and_bad_input(hub_client, offered):
    assert book(hub_client, "xa-duong-xa", 12, "0911111111").status_code == 201
    r = book(hub_client, "xa-duong-xa", 12, "0922222222")
    assert r.status_code == 409 and "đã đủ người đặt" in r.get_data(as_text=True)
    r = book(hub_client, "xa-duong-xa", 11, "12345")
    assert r.status_code == 400 and "Cần số điện thoại di động" in r.get_data(as_text=True)
    assert book(hub_client, "xa-duong-xa", 99, "0912345678").status_code == 404
    assert hub_client.get("/dat-lich/khong-co").status_code == 404
    r = hub_client.post("/dat-lich/xa-duong-xa/11", data={"phone": "0912345678"})   # no CSRF token
    assert r.status_code == 400
    # one phone cannot hold every seat of the commune
    start = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
    post_batch(hub_client, "xa-duong-xa", offered, batch("xa-duong-xa", [
        slot_event(3, 13, start + timedelta(hours=1), capacity=5),
        slot_event(4, 20, start + timedelta(hours=3), capacity=5)], NOW))
    assert book(hub_client, "xa-duong-xa", 11, "0933333333").status_code == 201
    assert book(hub_client, "xa-duong-xa", 13, "0933333333").status_code == 201
    assert book(hub_client, "xa-duong-xa", 20, "0933333333").status_code == 201
    r = book(hub_client, "xa-duong-xa", 20, "0933333333")
    assert r.status_code == 409 and "đã có 3 lịch hẹn" in r.get_data(as_text=True)
    # the same phone in other scripts' digits is no new phone (it was, and got round the limit)
    for disguised in ("0933３３３３３３", "0933\u0663\u0663\u0663\u0663\u0663\u0663"):
        r = book(hub_client, "xa-duong-xa", 20, disguised)
        assert r.status_code == 400 and "Cần số điện thoại di động" in r.get_data(as_text=True)


def test_english_booking_pages(hub_client, offered):
    assert "Book an appointment" in hub_client.get("/dat-lich?lang=en").get_data(as_text=True)
    r = book(hub_client, "xa-duong-xa", 11, "0912345678")
    assert "Appointment code" in r.get_data(as_text=True)


def test_the_device_pulls_bookings_and_hand_backs_with_an_etag(hub_client, offered, fixed_clock, engine):
    code = re.search(r"data-code>(\d{6})<", book(hub_client, "xa-duong-xa", 11, "0912345678")
                     .get_data(as_text=True)).group(1)
    r = pull(hub_client, offered)
    assert r.status_code == 200
    [b] = r.json["bookings"]
    assert (b["slot_id"], b["code"], b["phone"], b["state"]) == (11, code, "0912345678", "booked")
    assert r.json["released"] == []
    assert pull(hub_client, offered, r.headers["ETag"]).status_code == 304
    assert pull(hub_client, None).status_code == 401
    # 07:00 on the day: online booking of the 09:00 slot has closed: handed back, and refused here
    fixed_clock["now"] = datetime(2026, 12, 1, 7, 0, tzinfo=VN).astimezone(UTC)
    r = pull(hub_client, offered, r.headers["ETag"])
    assert r.status_code == 200 and r.json["released"] == [11]
    r = book(hub_client, "xa-duong-xa", 11, "0987654321")
    assert r.status_code == 404 or "ngừng nhận đặt" in r.get_data(as_text=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT owner FROM appointment_slots WHERE slot_id = 11")).scalar() == "office"
    # the appliance reports the citizen came: the booking is closed and its phone removed
    post_batch(hub_client, "xa-duong-xa", offered, batch("xa-duong-xa", [event(3, "appointment.checked_in", {
        "code": code, "slot_id": 11, "channel": "hub", "state": "checked_in", "hub_id": b["id"], "ticket_id": 5,
        "late": False, "number": "A005"}, NOW)], NOW))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT phone, state FROM appointment_bookings")).one() == (None, "checked_in")
    assert count(engine, "events") == 3


def test_the_hub_keeps_the_appliances_rules():
    """The hub reads and masks a phone with the appliance's own rules, and its codes are the hub's."""
    import random

    from appliance.domain import appointments as office_rules
    from appliance.domain import messages as office_messages
    from district.domain import appointments as hub_rules
    assert hub_rules.clean_phone is office_messages.clean_phone and hub_rules.mask_phone is office_messages.mask_phone
    for text_ in ("0912 345 678", "+84 912345678", "84912345678", "024 3825 1234", "", None, "09123", "0212345678",
                  "0912３４５６７８"):
        assert hub_rules.clean_phone(text_) == office_messages.clean_phone(text_)
        assert hub_rules.mask_phone(text_) == office_messages.mask_phone(text_)
    rng = random.Random(7)
    for _ in range(200):
        assert office_rules.code_owner(hub_rules.hub_code(rng.randint)) == "hub"


def test_concurrent_bookings_never_take_more_seats_than_the_slot_has(offered, engine, db_url, monkeypatch):
    """Twelve citizens press "Đặt lịch" at once for the 1-seat slot: one gets it (the slot's row is
    locked on PostgreSQL; SQLite writes one at a time), the others are told it is full. The code is
    drawn slowly here, between counting the seats and taking one, so that unlocked bookings would
    overlap there."""
    import threading
    import time as time_mod

    from district.domain.errors import Conflict
    from district.store import appointments
    drawn = appointments.hub_code

    def slow_code(draw):
        time_mod.sleep(0.05)   # widens the window between the count and the insert (not a wait on anything)
        return drawn(draw)
    monkeypatch.setattr(appointments, "hub_code", slow_code)
    results, barrier = [], threading.Barrier(12)

    def attempt(i):
        barrier.wait()
        try:
            with engine.begin() as conn:
                appointments.book(conn, "xa-duong-xa", 12, f"09{i:08d}", NOW)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        except Exception as exc:   # SQLite's "database is locked" under a burst: not a seat given
            results.append(type(exc).__name__)
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM appointment_bookings WHERE slot_id = 12")).scalar() == 1
    if db_url.startswith("postgresql"):
        assert results.count("slot_full") == 11


def test_the_citizen_cancels_with_code_and_phone_and_the_device_hears_it(hub_client, offered):
    done = book(hub_client, "xa-duong-xa", 12, "0912345678")
    code = re.search(r"data-code>(\d{6})<", done.get_data(as_text=True)).group(1)
    assert 'href="/dat-lich/xa-duong-xa/huy"' in done.get_data(as_text=True)

    def cancel(code_, phone):
        page = hub_client.get("/dat-lich/xa-duong-xa/huy").get_data(as_text=True)
        return hub_client.post("/dat-lich/xa-duong-xa/huy", data={
            "csrf_token": CSRF.search(page).group(1), "code": code_, "phone": phone})
    r = cancel(code, "0987654321")                                 # someone else's phone: nothing cancelled
    assert r.status_code == 404 and "Không tìm thấy lịch hẹn" in r.get_data(as_text=True)
    r = cancel(code, "0912 345 678")
    assert r.status_code == 200 and f"Đã hủy lịch hẹn {code} lúc 09:30 01/12/2026" in r.get_data(as_text=True)
    assert cancel(code, "0912345678").status_code == 409           # twice
    [b] = pull(hub_client, offered).json["bookings"]
    assert (b["code"], b["state"]) == (code, "cancelled")
    assert book(hub_client, "xa-duong-xa", 12, "0922222222").status_code == 201   # the seat is free again
