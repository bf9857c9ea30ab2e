"""The officer's own counter in Chromium, by the keys an officer uses: N pauses ("Tạm nghỉ"), G is
then refused, M opens again, V marks absent and Z undoes it (the ticket is back at the desk), G
after serving closes the ticket and the undo bar counts down and goes by itself; "Đóng quầy" asks
first. A panel of this module's own: the shared one's tests must not see a paused counter."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def desk_state(driver) -> str:
    return js(driver, "var e = document.querySelector('[data-desk-state]'); return e ? e.dataset.deskState : '';")


def current(driver) -> str:
    return js(driver, "return document.querySelector('[data-current-number]').textContent.trim();")


def notice(driver) -> str:
    return js(driver, "return document.getElementById('notice').innerText;")


def undo_bar(driver) -> str | None:
    return js(driver, "var b = document.querySelector('[data-undo]'); return b ? b.innerText : null;")


def test_pause_open_undo_and_close_from_the_keyboard(browser, own_panel):
    driver, panel = browser, own_panel
    engine = panel.appliance.engine
    with panel.appliance.db.write() as w:   # an empty queue, then two citizens for counter 1
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    first = engine.issue("HT").ticket.number
    second = engine.issue("HT").ticket.number
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(panel.url + "/counter/")          # canbo1's only counter in the demo
    wait_for(lambda: driver.current_url.endswith("/counter/1"), message="the officer's own counter")
    wait_for(lambda: desk_state(driver) == "open", message="the console")
    assert "Nguyễn Thị Hoa" in js(driver, "return document.getElementById('desk').innerText;")

    press(driver, "n")
    wait_for(lambda: desk_state(driver) == "paused", message="N: Tạm nghỉ")
    assert "Tạm nghỉ" in js(driver, "return document.getElementById('desk').innerText;")
    shot(driver, "counter-paused-1366x768")
    press(driver, "g")
    wait_for(lambda: "tạm nghỉ" in notice(driver).lower(), message="G refused on a paused counter")
    assert current(driver) == "—"

    press(driver, "m")
    wait_for(lambda: desk_state(driver) == "open", message="M: open again")
    press(driver, "g")
    wait_for(lambda: current(driver) == first, message=f"G calls {first}")

    press(driver, "v")
    wait_for(lambda: undo_bar(driver) and first in undo_bar(driver), message="the undo bar after V")
    assert current(driver) == "—"
    shot(driver, "counter-undo-bar-1366x768")
    press(driver, "z")
    wait_for(lambda: current(driver) == first, message=f"Z: {first} back at the desk")
    assert undo_bar(driver) is None and "hoàn tác" in notice(driver).lower()

    press(driver, "p")
    wait_for(lambda: "Đang phục vụ" in js(driver, "return document.getElementById('current').innerText;"),
             message="P: serving")
    press(driver, "g")   # finishes the one served and calls the next: undoable for a few seconds
    wait_for(lambda: current(driver) == second, message=f"G calls {second}")
    bar = wait_for(lambda: undo_bar(driver), message="the undo bar after G")
    assert first in bar and second in bar
    wait_for(lambda: undo_bar(driver) is None, message="the undo bar to go when its time is over")
    press(driver, "z")   # nothing left to undo: the key does nothing
    assert current(driver) == second

    press(driver, "x")
    wait_for(lambda: current(driver) == "—", message="X: done")
    driver.find_element(By.CSS_SELECTOR, "button[data-action=close]").click()
    alert = wait_for(lambda: driver.switch_to.alert, message="'Đóng quầy' asks first")
    assert "Đóng quầy số 1" in alert.text
    alert.accept()
    wait_for(lambda: desk_state(driver) == "closed", message="the counter closed")
    with panel.appliance.db.read() as conn:
        row = conn.execute("SELECT state, state_by FROM counters WHERE id = 1").fetchone()
    assert tuple(row) == ("closed", "canbo1")
    shot(driver, "counter-closed-1366x768")
