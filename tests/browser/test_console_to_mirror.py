"""Console → dossier → mirror in real Chromium: the officer calls a number, presses H, chooses the
procedure and Enter; counter 1's mirror shows the form titled with the citizen's number before
anything is typed; the first keystroke is on the mirror; the draft is bound to the ticket (the
submission and the links are in tests/appliance/web/test_ticket_dossier.py)."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from appliance.services import accounts

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def test_one_move_from_the_console_to_the_citizens_screen(browser, panel):
    driver = browser
    app = panel.appliance
    with app.units() as tx:
        token = accounts.add_token(tx, f"mirror-c2m-{uuid.uuid4().hex[:6]}", "mirror", counter_id=1)
    current = app.db.conn().execute("SELECT id FROM tickets WHERE counter_id = 1 AND state IN ('called', "
                                    "'serving')").fetchone()
    if current:
        app.engine.done(1, current[0], "canbo1")
    app.engine.issue("HT", channel="kiosk")
    ticket = app.engine.advance(1, finish_current=False, user_login="canbo1").called

    driver.switch_to.new_window("window")
    set_viewport(driver, 1366, 768)
    driver.get(f"{panel.alt_url}/mirror/1?token={token}")
    wait_for(lambda: driver.execute_script("return !!document.getElementById('mirror-form')"), message="the mirror")
    mirror = driver.current_window_handle

    driver.switch_to.new_window("window")
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(panel.url + "/counter/1")
    officer = driver.current_window_handle
    assert f"Nhập hồ sơ cho số {ticket.number}" in driver.find_element(By.ID, "ticket-dossier").text
    shot(driver, "console-ticket-dossier-1366x768")
    driver.find_element(By.TAG_NAME, "body").send_keys("h")          # H: the procedure list
    wait_for(lambda: driver.switch_to.active_element.get_attribute("id") == "dossier-procedure",
             message="the procedure list focused")
    select = driver.find_element(By.ID, "dossier-procedure")
    driver.execute_script("arguments[0].value = '1.001193';", select)
    select.send_keys(Keys.ENTER)                                      # Enter opens the form
    wait_for(lambda: "/dossiers/new" in driver.current_url, message="the form")
    assert f"ticket={ticket.id}" in driver.current_url and "draft=" in driver.current_url
    assert driver.find_element(By.CSS_SELECTOR, "#counter option:checked").get_attribute("value") == "1"
    assert ticket.number in driver.find_element(By.CSS_SELECTOR, ".ticket-bound").text

    driver.switch_to.window(mirror)                                    # the form, before any keystroke
    wait_for(lambda: driver.find_element(By.ID, "mirror-title").text == f"Đăng ký khai sinh · số {ticket.number}",
             message="the mirror titled with the number")
    assert driver.find_elements(By.CSS_SELECTOR, '.mirror-field[data-field="requester_name"]')
    shot(driver, "mirror-from-console-1366x768")

    driver.switch_to.window(officer)                                   # the first keystroke
    driver.find_element(By.ID, "f-requester_name").send_keys("t")
    driver.switch_to.window(mirror)
    wait_for(lambda: driver.find_element(
        By.CSS_SELECTOR, '.mirror-field[data-field="requester_name"] .mirror-value').text.lower() == "t",
        message="the first keystroke on the mirror")

    draft = app.dossiers.counter_draft(1)
    assert draft["ticket_id"] == ticket.id
    driver.close()
    driver.switch_to.window(officer)
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
