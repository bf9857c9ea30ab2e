"""Appointments on a real appliance (SQLite on disk, the queue engine, the SMS queue): slots from the
calendar, booking by phone and at the kiosk, SMS in Vietnamese, check-in → a ticket called at the
booked time, late arrivals as walk-ins, no-shows, the hub's bookings and hand-backs, the purge."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from appliance.domain.errors import DomainError
from appliance.services.purge import purge_personal_data
from appliance.store import sms_store

MON = date(2026, 11, 30)       # the test clock starts Monday 08:00
TUE = date(2026, 12, 1)


def code_of(call):
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


@pytest.fixture
def sms_on(appliance, tmp_path):
    appliance.settings = appliance.settings.replace(sms={"url": f"sim://{tmp_path}/sms"})
    return appliance


def slot_at(appliance, day, hhmm, service="HT"):
    for s in appliance.appointments.day(day)["slots"]:
        if s["time"] == hhmm and s["service"] == service:
            return s
    raise AssertionError(f"no slot {day} {hhmm}")


def messages(appliance):
    with appliance.db.read() as conn:
        return [dict(r) for r in sms_store.recent(conn, 100)][::-1]


def test_slots_follow_the_calendar_and_skip_the_past(appliance):
    made = appliance.appointments.create_slots("HT", None, MON, TUE, time(7, 30), time(17, 0), 60, 2, user="admin")
    mon = appliance.appointments.day(MON)["slots"]
    assert [s["time"] for s in mon] == ["08:30", "09:30", "10:30", "13:30", "14:30", "15:30"]  # 07:30 had begun
    assert made == 6 + 7
    assert all(s["owner"] == "office" and s["capacity"] == 2 for s in mon)
    # again: nothing doubled
    assert appliance.appointments.create_slots("HT", None, MON, TUE, time(7, 30), time(17, 0), 60, 2) == 0
    assert code_of(lambda: appliance.appointments.create_slots("XX", None, MON, MON, time(8), time(9), 30, 1)) \
        == "unknown_service"
    assert code_of(lambda: appliance.appointments.create_slots("XH", 1, MON, MON, time(8), time(9), 30, 1)) \
        == "counter_not_serving"


def test_book_by_phone_sms_booked_and_reminders(sms_on):
    app_ = sms_on
    app_.appointments.create_slots("HT", None, TUE, TUE, time(9), time(10), 30, 1)
    slot = slot_at(app_, TUE, "09:00")
    booked = app_.appointments.book(slot["id"], "0912 345 678", "phone", user="canbo1")
    assert booked["code"][0] in "1234" and len(booked["code"]) == 6
    assert booked["phone"] == "091****678" and booked["state"] == "booked"
    kinds = {m["kind"]: m for m in messages(app_)}
    assert set(kinds) == {"appointment_booked", "appointment_reminder_day", "appointment_reminder_hour"}
    office = app_.settings.office.name
    assert kinds["appointment_booked"]["text"] == (
        f"{office}: Đã đặt lịch Hộ tịch lúc 09:00 ngày 01/12/2026, "
        f"mã {booked['code']}. Khi đến, nhập mã tại máy lấy số hoặc báo quầy.")
    assert kinds["appointment_booked"]["phone"] == "0912345678"
    day_before = datetime.fromtimestamp(kinds["appointment_reminder_day"]["next_try_ts"], app_.tz)
    assert f"{day_before:%d/%m %H:%M}" == "30/11 17:00"
    assert "ngày mai" in kinds["appointment_reminder_day"]["text"]
    hour_before = datetime.fromtimestamp(kinds["appointment_reminder_hour"]["next_try_ts"], app_.tz)
    assert f"{hour_before:%d/%m %H:%M}" == "01/12 08:00"
    assert "hôm nay" in kinds["appointment_reminder_hour"]["text"]
    # the slot is full now
    assert code_of(lambda: app_.appointments.book(slot["id"], "0987654321")) == "slot_full"
    assert code_of(lambda: app_.appointments.book(slot["id"], "024 3825 1234")) == "phone_required"   # a landline


def test_change_and_cancel_send_their_messages_and_drop_the_old_reminders(sms_on):
    app_ = sms_on
    app_.appointments.create_slots("HT", None, TUE, TUE, time(9), time(10), 30, 2)
    booked = app_.appointments.book(slot_at(app_, TUE, "09:00")["id"], "0912345678")
    moved = app_.appointments.change(booked["code"], slot_at(app_, TUE, "09:30")["id"], user="canbo1")
    assert moved["time"] == "09:30"
    by_kind = {}
    for m in messages(app_):
        by_kind.setdefault(m["kind"], []).append(m)
    assert [m["state"] for m in by_kind["appointment_reminder_hour"]] == ["cancelled", "queued"]
    [changed] = by_kind["appointment_changed"]
    assert "đã đổi sang 09:30 ngày 01/12/2026" in changed["text"]
    app_.appointments.cancel(booked["code"], user="canbo1")
    assert [m["state"] for m in messages(app_) if m["kind"].startswith("appointment_reminder")] == ["cancelled"] * 4
    assert any(m["kind"] == "appointment_cancelled" for m in messages(app_))
    assert code_of(lambda: app_.appointments.cancel(booked["code"])) == "appointment_closed"


def test_check_in_early_is_called_at_the_booked_time_ahead_of_walk_ins(appliance, clock):
    app_ = appliance
    app_.appointments.create_slots("HT", None, MON, MON, time(9), time(9, 30), 30, 2)
    booked = app_.appointments.book(slot_at(app_, MON, "09:00")["id"], "0912345678")
    for _ in range(4):
        app_.engine.issue("HT")                        # walk-ins who came before (plus the demo's)
    clock.advance(40 * 60)                             # 08:40: the citizen comes early
    checked = app_.appointments.check_in(code=booked["code"])
    assert not checked.late and checked.appointment["state"] == "checked_in"
    assert checked.issued.estimated_wait_min == 20      # called at 09:00
    ticket_id = checked.issued.ticket.id
    called_before_nine = []
    while True:                                         # 08:40–08:59: counter 1 calls walk-ins only
        step = app_.engine.advance(1, True)
        if step.called is None:
            break
        called_before_nine.append(step.called.id)
        if len(called_before_nine) == 3:
            break
        clock.advance(60)
    assert ticket_id not in called_before_nine
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=app_.tz).timestamp()
    assert app_.engine.advance(1, True).called.id == ticket_id      # 09:00: the appointment, walk-ins still wait
    with app_.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM tickets WHERE state = 'waiting' AND service_id = "
                            "(SELECT id FROM services WHERE code = 'HT')").fetchone()[0] > 0


def test_check_in_by_phone_late_becomes_a_walk_in_and_no_shows_are_counted(appliance, clock):
    app_ = appliance
    app_.appointments.create_slots("HT", None, MON, MON, time(8, 30), time(9, 30), 30, 3)
    late = app_.appointments.book(slot_at(app_, MON, "08:30")["id"], "0912345678")
    absent = app_.appointments.book(slot_at(app_, MON, "08:30")["id"], "0987654321")
    later = app_.appointments.book(slot_at(app_, MON, "09:00")["id"], "0987654321")
    clock.now = datetime(2026, 11, 30, 8, 50, tzinfo=app_.tz).timestamp()
    checked = app_.appointments.check_in(phone="+84 912 345 678", channel="counter", user="canbo1")
    assert checked.late and checked.appointment["code"] == late["code"] and checked.appointment["state"] == "late"
    assert checked.issued.ticket.appointment_ts is None                 # a walk-in ticket
    assert code_of(lambda: app_.appointments.check_in(phone="0987654321")) == "several_appointments"
    assert code_of(lambda: app_.appointments.check_in(code="999999")) == "unknown_appointment"
    assert code_of(lambda: app_.appointments.check_in(code=late["code"])) == "appointment_closed"
    assert app_.appointments.mark_no_shows() == 1                        # 08:30 + 15 min passed; 09:00 not yet
    states = {a["code"]: a["state"] for a in app_.appointments.day(MON)["appointments"]}
    assert states == {late["code"]: "late", absent["code"]: "no_show", later["code"]: "booked"}
    assert app_.appointments.day(MON)["counts"]["no_show"] == 1
    with app_.db.read() as conn:
        kinds = [r["type"] for r in conn.execute("SELECT type FROM outbox ORDER BY seq")]
        payloads = [r[0] for r in conn.execute("SELECT payload FROM outbox WHERE type LIKE 'appointment.%'")]
    assert {"appointment.booked", "appointment.checked_in", "appointment.no_show"} <= set(kinds)
    assert not any("0912345678" in p or "0987654321" in p for p in payloads)    # the hub never gets a phone


def test_the_kiosk_books_only_later_today(appliance):
    app_ = appliance
    app_.appointments.create_slots("HT", None, MON, TUE, time(9), time(9, 30), 30, 1)
    assert code_of(lambda: app_.appointments.book(slot_at(app_, TUE, "09:00")["id"], "0912345678", "kiosk")) \
        == "slot_not_today"
    assert app_.appointments.book(slot_at(app_, MON, "09:00")["id"], "0912345678", "kiosk")["channel"] == "kiosk"


def test_hub_slots_are_booked_only_by_the_hub_until_it_hands_them_back(appliance):
    app_ = appliance
    app_.settings = app_.settings.replace(sync={"url": "https://hub.example.vn"})
    app_.appointments.create_slots("HT", None, TUE, TUE, time(9), time(9, 30), 30, 2, online=True)
    slot = slot_at(app_, TUE, "09:00")
    assert slot["owner"] == "hub"
    assert code_of(lambda: app_.appointments.book(slot["id"], "0912345678")) == "slot_not_owned"
    assert code_of(lambda: app_.appointments.delete_slot(slot["id"])) == "slot_not_owned"
    with app_.db.read() as conn:
        [fact] = [r[0] for r in conn.execute("SELECT payload FROM outbox WHERE type = 'appointment.slot'")]
    assert '"owner":"hub"' in fact.replace(" ", "") and '"capacity":2' in fact.replace(" ", "")
    got = app_.appointments.apply_hub({"bookings": [{"id": 7, "code": "512345", "slot_id": slot["id"],
                                                      "phone": "0912345678", "state": "booked"}]})
    assert got == {"added": 1, "cancelled": 0, "released": 0}
    assert app_.appointments.apply_hub({"bookings": [{"id": 7, "code": "512345", "slot_id": slot["id"],
                                                      "phone": "0912345678", "state": "booked"}]})["added"] == 0
    [appt] = app_.appointments.day(TUE)["appointments"]
    assert appt["code"] == "512345" and appt["channel"] == "hub" and appt["phone"] == "091****678"
    assert app_.appointments.apply_hub({"released": [slot["id"]]})["released"] == 1
    assert slot_at(app_, TUE, "09:00")["owner"] == "office"
    assert app_.appointments.book(slot["id"], "0987654321")["code"][0] in "1234"   # the last seat, now the office's
    assert code_of(lambda: app_.appointments.book(slot["id"], "0911111111")) == "slot_full"


def test_the_purge_removes_the_phones_of_past_appointments(appliance, clock):
    app_ = appliance
    app_.appointments.create_slots("HT", None, MON, MON, time(9), time(9, 30), 30, 1)
    app_.appointments.book(slot_at(app_, MON, "09:00")["id"], "0912345678")
    clock.advance(2 * 3600)
    app_.appointments.mark_no_shows()
    purge_personal_data(app_, now=clock.now + (app_.settings.privacy.purge_after_days + 1) * 86400)
    with app_.db.read() as conn:
        assert conn.execute("SELECT phone, purged_ts IS NOT NULL FROM appointments").fetchone()[:] == (None, 1)


def test_the_demo_office_has_slots_once(appliance):
    from appliance import demo
    made = demo.seed_appointments(appliance)
    assert made > 0 and demo.seed_appointments(appliance) == 0
    slots = appliance.appointments.day(TUE)["slots"]
    assert [s["time"] for s in slots] == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30",
                                          "14:00", "14:30", "15:00", "15:30"]
    assert appliance.appointments.day(date(2026, 12, 5))["slots"] == []          # a Saturday


def test_the_printed_ticket_of_a_check_in_carries_the_booked_time(appliance, clock):
    from appliance.devices.wiring import slip_for
    heard = []
    appliance.bus.subscribe(heard.append, ["ticket.issued"])
    appliance.appointments.create_slots("HT", None, MON, MON, time(9), time(9, 30), 30, 1)
    booked = appliance.appointments.book(slot_at(appliance, MON, "09:00")["id"], "0912345678")
    appliance.appointments.check_in(code=booked["code"])
    [event] = heard
    slip = slip_for(appliance, event)
    assert slip.appointment_at == datetime(2026, 11, 30, 9, 0, tzinfo=appliance.tz)


def test_a_cancellation_on_the_hub_reaches_the_appliance_and_texts_the_citizen(sms_on):
    app_ = sms_on
    app_.settings = app_.settings.replace(sync={"url": "https://hub.example.vn"})
    app_.appointments.create_slots("HT", None, TUE, TUE, time(9), time(9, 30), 30, 2, online=True)
    slot = slot_at(app_, TUE, "09:00")
    booking = {"id": 3, "code": "612345", "slot_id": slot["id"], "phone": "0912345678", "state": "booked"}
    app_.appointments.apply_hub({"bookings": [booking]})
    assert app_.appointments.apply_hub({"bookings": [{**booking, "state": "cancelled"}]})["cancelled"] == 1
    [appt] = app_.appointments.day(TUE)["appointments"]
    assert appt["state"] == "cancelled"
    states = {m["kind"]: m["state"] for m in messages(app_)}
    assert states["appointment_cancelled"] == "queued" and states["appointment_reminder_hour"] == "cancelled"
    with app_.db.read() as conn:   # told back up: the hub frees nothing twice, the fact names its booking
        payload = conn.execute("SELECT payload FROM outbox WHERE type = 'appointment.cancelled'").fetchone()[0]
    assert '"hub_id":3' in payload.replace(" ", "")
