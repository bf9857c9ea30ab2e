"""The kiosk's appointments in real Chromium: 'Tôi có lịch hẹn', the code typed on the on-screen keypad,
the ticket that says when it is called; then 'Hẹn giờ khác trong hôm nay': a free slot, the phone on
the keypad, the code shown. Screenshots at 1366×768 and 1920×1080."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from selenium.webdriver.common.by import By

from appliance.store import appointment_store

from .conftest import SIZES, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def later_today(appliance, minutes: int) -> float:
    """A start ``minutes`` from now, kept on today's date (the kiosk only deals with today)."""
    now = datetime.fromtimestamp(time.time(), appliance.tz)
    start = now + timedelta(minutes=minutes)
    if start.date() != now.date():
        start = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return start.timestamp()


@pytest.fixture
def today_slots(panel):
    """Two office slots later today (made directly: the test must not depend on the hour it runs at),
    one booked by phone; the tickets they give are taken out of the queue afterwards."""
    app_ = panel.appliance
    made = []
    with app_.units() as tx:
        service_id = tx.conn.execute("SELECT id FROM services WHERE code = 'HT'").fetchone()[0]
        for minutes in (20, 25):
            start = later_today(app_, minutes) + len(made)
            made.append(appointment_store.add_slot(tx.conn, service_id, None, start, start + 600, 2, "office", tx.now))
    booked = app_.appointments.book(made[0], "0912345678", "phone", user="browser-test")
    yield booked, made
    with app_.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done', finished_ts = ? WHERE appointment_id IN "
                     "(SELECT id FROM appointments WHERE slot_id IN (?, ?)) AND state = 'waiting'",
                     (time.time(), *made))


def press(driver, digits: str) -> None:
    for d in digits:
        driver.find_element(By.CSS_SELECTOR, f".k-keypad [data-key='{d}']").click()


@pytest.mark.parametrize("size", list(SIZES))
def test_check_in_on_the_keypad_then_book_later_today(browser, panel, today_slots, size):
    booked, slots = today_slots
    driver = browser
    set_viewport(driver, *SIZES[size])
    driver.get(f"{panel.alt_url}/kiosk?token={panel.tokens['kiosk']}")
    link = wait_for(lambda: driver.find_element(By.ID, "kiosk-appointment"), message="the kiosk")
    assert link.rect["y"] + link.rect["height"] <= SIZES[size][1]       # on screen, no scrolling
    link.click()
    wait_for(lambda: driver.find_element(By.ID, "appointment-code"), message="the code screen")
    keys = driver.find_elements(By.CSS_SELECTOR, ".k-keypad .k-key")
    assert len(keys) == 12 and all(k.rect["height"] >= 0.075 * SIZES[size][1] for k in keys)   # touch targets
    press(driver, booked["code"][:5] + "9")                             # a wrong last digit …
    driver.find_element(By.CSS_SELECTOR, ".k-keypad [data-key='back']").click()   # … taken back
    press(driver, booked["code"][5])
    assert driver.find_element(By.ID, "appointment-code").get_attribute("value") == booked["code"]
    shot(driver, f"kiosk-appointment-code-{size}")
    driver.find_element(By.CSS_SELECTOR, ".k-key-ok").click()
    number = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "[data-ticket-number]"),
                      message="the ticket")[0].text
    said = driver.find_element(By.CSS_SELECTOR, "[data-appointment]").text
    assert f"Lịch hẹn {booked['code']}: số của bạn được gọi lúc {booked['time']}." == said
    row = panel.appliance.db.conn().execute(
        "SELECT t.number, t.appointment_ts, a.state FROM appointments a JOIN tickets t ON t.id = a.ticket_id "
        "WHERE a.code = ?", (booked["code"],)).fetchone()
    assert (row[0], row[2]) == (number, "checked_in") and row[1] is not None
    shot(driver, f"kiosk-appointment-ticket-{size}")
    # the same code again: refused on the screen, no second ticket
    driver.get(f"{panel.alt_url}/kiosk/appointment")
    press(driver, booked["code"])
    driver.find_element(By.CSS_SELECTOR, ".k-key-ok").click()
    notice = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".notice"), message="the refusal")
    assert "đã được nhận số" in notice.text
    # book later today: the free slot, the phone on the keypad, the code
    driver.get(f"{panel.alt_url}/kiosk")
    wait_for(lambda: driver.find_element(By.ID, "kiosk-book"), message="the kiosk").click()
    slot = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, f".k-slot[data-slot='{slots[1]}']"),
                    message="the free slots")
    slot.click()
    wait_for(lambda: driver.find_element(By.ID, "appointment-phone"), message="the phone screen")
    press(driver, "0987654321")
    driver.find_element(By.CSS_SELECTOR, ".k-key-ok").click()
    code = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "[data-appointment-code]"),
                    message="the code")[0].text
    assert len(code) == 6 and code[0] in "1234"
    assert "098****321" in driver.find_element(By.CSS_SELECTOR, ".k-print").text
    shot(driver, f"kiosk-appointment-booked-{size}")
    row = panel.appliance.db.conn().execute("SELECT slot_id, channel, phone FROM appointments WHERE code = ?",
                                            (code,)).fetchone()
    assert tuple(row) == (slots[1], "kiosk", "0987654321")
