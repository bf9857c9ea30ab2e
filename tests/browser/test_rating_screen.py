"""The citizen rates on the counter's screen (#18), in real Chromium: counter 1's mirror turns into
three big faces with the officer's name when the service ends; one press is one rating, of that
ticket, by that officer, from the screen; a second press adds nothing; a GPIO-style press for
the next service (the engine's button path) thanks the citizen on the screen too."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By

from appliance.services import accounts

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def serve_one(app, counter: int, login: str, service: str = "HT"):
    with app.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    ticket = app.engine.issue(service).ticket
    app.engine.call_next(counter, user_login=login)
    app.engine.serve(counter)
    app.engine.done(counter, user_login=login)
    return ticket


def ratings_of(app, ticket_id: int) -> list[tuple]:
    return [tuple(r) for r in app.db.conn().execute(
        "SELECT level, source, user_login, counter_id FROM ratings WHERE ticket_id = ?", (ticket_id,))]


def shown(driver) -> bool:
    return driver.execute_script("const r = document.getElementById('mirror-rating'); return !!r && !r.hidden;")


def test_one_press_one_rating_for_the_right_officer(browser, panel):
    driver, app = browser, panel.appliance
    with app.units() as tx:
        token = accounts.add_token(tx, f"mirror-1-{uuid.uuid4().hex[:6]}", "mirror", counter_id=1)
    driver.switch_to.new_window("window")
    set_viewport(driver, 1366, 768)
    driver.get(f"{panel.alt_url}/mirror/1?token={token}")
    wait_for(lambda: driver.execute_script("return !!document.getElementById('mirror-form')"), message="the mirror")
    wait_for(lambda: "offline" not in driver.find_element(By.ID, "mirror").get_attribute("class")
             and driver.execute_script("return document.readyState") == "complete", message="the stream")
    # the stream is open once its hello arrived: only then is the end of service sent
    driver.execute_script("""window.__hello = false;
      new EventSource(document.getElementById('mirror').dataset.events)
        .addEventListener('hello', function () { window.__hello = true; });""")
    wait_for(lambda: driver.execute_script("return window.__hello"), message="the event stream")

    ticket = serve_one(app, 1, "canbo1")
    wait_for(lambda: shown(driver), message="the rating screen")
    question = driver.find_element(By.ID, "rating-question").text
    assert "Nguyễn Thị Hoa" in question
    faces = driver.find_elements(By.CSS_SELECTOR, ".rating-face")
    assert [f.get_attribute("data-level") for f in faces] == ["very_satisfied", "satisfied", "unsatisfied"]
    assert [f.text for f in faces] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert all(f.size["height"] >= 150 and f.size["width"] >= 150 for f in faces)      # big enough for a finger
    assert not driver.find_element(By.ID, "mirror-form").is_displayed()
    shot(driver, "rating-screen-1366x768-vi")
    set_viewport(driver, 1920, 1080)
    shot(driver, "rating-screen-1920x1080-vi")

    faces[1].click()
    wait_for(lambda: driver.find_element(By.ID, "rating-thanks").is_displayed(), message="the thanks")
    assert "Cảm ơn" in driver.find_element(By.ID, "rating-thanks").text
    wait_for(lambda: ratings_of(app, ticket.id), message="the rating in the database")
    faces[2].click()                                              # a second press: nothing more
    driver.execute_script("return 1")
    assert ratings_of(app, ticket.id) == [("satisfied", "screen", "canbo1", 1)]

    # the next citizen presses a GPIO button instead (the board calls engine.rate): thanked on screen too
    second = serve_one(app, 1, "canbo1")
    wait_for(lambda: shown(driver) and not driver.find_element(By.ID, "rating-thanks").is_displayed(),
             message="the rating screen for the next service")
    app.engine.rate(1, "very_satisfied", source="button")
    wait_for(lambda: driver.find_element(By.ID, "rating-thanks").is_displayed(), message="the thanks for a button")
    assert driver.find_elements(By.CSS_SELECTOR, ".rating-face.chosen")[0].get_attribute("data-level") == \
        "very_satisfied"
    assert ratings_of(app, second.id) == [("very_satisfied", "button", "canbo1", 1)]
    driver.close()
    driver.switch_to.window(driver.window_handles[0])


def test_the_rating_screen_in_english(browser, panel):
    driver, app = browser, panel.appliance
    with app.units() as tx:
        token = accounts.add_token(tx, f"mirror-3-{uuid.uuid4().hex[:6]}", "mirror", counter_id=3)
    driver.switch_to.new_window("window")
    set_viewport(driver, 1366, 768)
    driver.get(f"{panel.alt_url}/mirror/3?token={token}&lang=en")
    driver.get(f"{panel.alt_url}/mirror/3?lang=en")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Counter 3 – Social protection"
    driver.execute_script("""window.__hello = false;
      new EventSource(document.getElementById('mirror').dataset.events)
        .addEventListener('hello', function () { window.__hello = true; });""")
    wait_for(lambda: driver.execute_script("return window.__hello"), message="the event stream")
    ticket = serve_one(app, 3, "canbo2", "XH")
    wait_for(lambda: shown(driver), message="the rating screen")
    assert driver.find_element(By.ID, "rating-question").text == "Please rate how Trần Văn Minh served you"
    faces = driver.find_elements(By.CSS_SELECTOR, ".rating-face")
    assert [f.text for f in faces] == ["Very satisfied", "Satisfied", "Unsatisfied"]
    shot(driver, "rating-screen-1366x768-en")
    faces[0].click()
    wait_for(lambda: driver.find_element(By.ID, "rating-thanks").text == "Thank you for your rating!",
             message="the thanks")
    wait_for(lambda: ratings_of(app, ticket.id), message="the rating")
    assert ratings_of(app, ticket.id) == [("very_satisfied", "screen", "canbo2", 3)]
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
