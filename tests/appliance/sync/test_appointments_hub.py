"""A citizen books on the hub's public page while the appliance is offline; the booking reaches the
appliance at its next sync (the real hub process on PostgreSQL, the real sync client), the citizen
checks in at the kiosk and is called at the booked time, ahead of the walk-ins who wait; the check-in
goes back up and the hub closes the booking and forgets the phone."""
from __future__ import annotations

import random
import re
from datetime import date, datetime, time, timedelta

import psycopg
import pytest
import requests

from appliance.store import sms_store
from appliance.sync.client import SyncClient, SyncError, enroll
from appliance.sync.identity import Identity

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def appointment_day(appliance) -> date:
    """A working day at least two days after today (the hub books with its real clock)."""
    cal = appliance.calendar()
    day = datetime.now(appliance.tz).date() + timedelta(days=2)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def office(appliance, clock, hub, device, proxy, tmp_path):
    """The appliance enrolled with the hub, its clock at 07:00 on the appointment day's morning,
    SMS to the simulated modem, syncing through the fault proxy."""
    ident = enroll(hub.base, device.token, appliance.state_dir)
    appliance.settings = appliance.settings.replace(sync={"url": proxy.base}, sms={"url": f"sim://{tmp_path}/sms"})
    day = appointment_day(appliance)
    clock.now = datetime.combine(day - timedelta(days=2), time(7), appliance.tz).timestamp()
    client = SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir,
                        Identity(hub_url=proxy.base, device_id=ident.device_id, device_token=ident.device_token),
                        sleep=lambda s: None, rng=random.Random(1), appointments=appliance.appointments.apply_hub,
                        before_push=appliance.appointments.mark_no_shows)
    return appliance, client, day, ident.device_id


def book_on_the_hub(hub, device_id: str, phone: str) -> str:
    """What the citizen does on their phone: the commune, a slot, the number; the code shown."""
    web = requests.Session()
    communes = web.get(f"{hub.base}/dat-lich", timeout=30)
    assert f'href="/dat-lich/{device_id}"' in communes.text
    page = web.get(f"{hub.base}/dat-lich/{device_id}", timeout=30)
    slot = re.search(r'data-slot="(\d+)"', page.text).group(1)
    token = CSRF.search(page.text).group(1)
    r = web.post(f"{hub.base}/dat-lich/{device_id}/{slot}", data={"csrf_token": token, "phone": phone}, timeout=30)
    assert r.status_code == 201, r.text
    return re.search(r"data-code>(\d{6})<", r.text).group(1)


def test_hub_booking_while_offline_reaches_the_kiosk_and_is_called_on_time(office, hub, proxy, clock, tokens):
    appliance, client, day, device_id = office
    # the administrator offers 10:00 on the hub's page; the slot goes up with the next sync
    made = appliance.appointments.create_slots("HT", None, day, day, time(10), time(10, 30), 30, 1, online=True,
                                               user="quantri")
    assert made == 1
    client.cycle()
    with psycopg.connect(hub.db_url) as conn:
        assert conn.execute("SELECT owner, capacity FROM appointment_slots WHERE device_id = %s",
                            (device_id,)).fetchone() == ("hub", 1)
    # the office's internet is down: its sync fails …
    proxy.plan = ["500"] * 10
    with pytest.raises(SyncError):
        client.cycle()
    # … while a citizen books the slot on the hub's public page
    code = book_on_the_hub(hub, device_id, "0912345678")
    assert code[0] in "56789"
    [slot] = appliance.appointments.day(day)["slots"]
    assert slot["booked"] == 0                                 # the appliance knows nothing yet
    # back online: the next sync brings the booking down, with its SMS confirmation and reminders
    proxy.plan = []
    client.cycle()
    [appt] = appliance.appointments.day(day)["appointments"]
    assert (appt["code"], appt["channel"], appt["state"], appt["phone"]) == (code, "hub", "booked", "091****678")
    with appliance.db.read() as conn:
        kinds = sorted(r["kind"] for r in sms_store.recent(conn, 10))
    assert kinds == ["appointment_booked", "appointment_reminder_day", "appointment_reminder_hour"]
    client.cycle()                                             # again: nothing doubled (the hub answers 304)
    assert len(appliance.appointments.day(day)["appointments"]) == 1
    # the day: walk-ins from 07:30, the citizen arrives at 09:50 and checks in at the kiosk
    clock.now = datetime.combine(day, time(7, 30), appliance.tz).timestamp()
    for _ in range(3):
        appliance.engine.issue("HT")
    clock.now = datetime.combine(day, time(9, 50), appliance.tz).timestamp()
    from appliance.web import create_app
    kiosk = create_app(appliance, {"TESTING": True}).test_client()
    assert kiosk.get(f"/kiosk?token={tokens['kiosk']}").status_code == 302
    form = kiosk.get("/kiosk/appointment").get_data(as_text=True)
    r = kiosk.post("/kiosk/appointment", data={"csrf_token": CSRF.search(form).group(1), "code": code})
    assert r.status_code == 201
    page = r.get_data(as_text=True)
    assert f"Lịch hẹn {code}: số của bạn được gọi lúc 10:00." in page
    number = re.search(r"data-ticket-number>([A-Z]?\d+)<", page).group(1)
    # 09:55: not yet its time, a walk-in is called; 10:00: the appointment, though walk-ins still wait
    clock.now = datetime.combine(day, time(9, 55), appliance.tz).timestamp()
    assert appliance.engine.advance(1, True).called.number != number
    clock.now = datetime.combine(day, time(10, 0), appliance.tz).timestamp()
    called = appliance.engine.advance(1, True).called
    assert called.number == number and called.appointment_ts == clock.now
    with appliance.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM tickets WHERE state = 'waiting' AND day = ?",
                            (day.isoformat(),)).fetchone()[0] >= 1
    # the check-in goes up: the hub closes the booking and removes the phone
    client.cycle()
    with psycopg.connect(hub.db_url) as conn:
        assert conn.execute("SELECT state, phone FROM appointment_bookings WHERE device_id = %s",
                            (device_id,)).fetchone() == ("checked_in", None)
