"""The citizen mirror of a long form (#18) shows the citizen what is filled and the field being
typed, not every empty one: in real Chromium, a draft with three values and the focus on an empty
field shows exactly those four rows; sections with nothing in them are hidden; moving the focus to
another empty field shows that one instead."""
from __future__ import annotations

import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from appliance.services import accounts

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

SHOWN = """return Array.from(document.querySelectorAll('.mirror-field'))
  .filter(r => r.offsetParent !== null).map(r => r.dataset.field);"""
SECTIONS = """return Array.from(document.querySelectorAll('.mirror-section'))
  .filter(s => s.offsetParent !== null).length;"""


def test_mirror_shows_the_filled_fields_and_the_one_being_typed(browser, panel):
    driver = browser
    with panel.appliance.units() as tx:
        mirror_token = accounts.add_token(tx, f"mirror-2-{uuid.uuid4().hex[:6]}", "mirror", counter_id=2)
        officer = accounts.add_token(tx, f"officer-{uuid.uuid4().hex[:6]}", "officer")
    driver.switch_to.new_window("window")
    set_viewport(driver, 1366, 768)
    driver.get(f"{panel.alt_url}/mirror/2?token={mirror_token}")
    wait_for(lambda: driver.execute_script("return !!document.getElementById('mirror-form')"), message="the mirror")
    draft = str(uuid.uuid4())

    def send(values: dict, focus: str) -> None:
        response = requests.put(f"{panel.url}/api/v1/drafts/{draft}", timeout=30,
                                headers={"Authorization": f"Bearer {officer}"},
                                json={"counter_id": 2, "procedure": "1.001193", "values": values, "focus": focus})
        assert response.status_code == 200, response.text

    values = {"requester_name": "Trần Văn Đức", "child_name": "Trần Minh Khôi", "child_sex": "Nam"}
    send(values, "child_dob")
    wait_for(lambda: set(driver.execute_script(SHOWN)) == {*values, "child_dob"},
             message="the three filled fields and the one being typed")
    total = len(driver.find_elements(By.CSS_SELECTOR, ".mirror-field"))
    assert total > 20                                   # the whole form is there, only four rows show
    assert driver.execute_script(SECTIONS) < len(driver.find_elements(By.CSS_SELECTOR, ".mirror-section"))
    editing = driver.find_element(By.CSS_SELECTOR, ".mirror-field.editing")
    assert editing.get_attribute("data-field") == "child_dob" and editing.is_displayed()
    shot(driver, "mirror-filled-fields-1366x768-vi")

    send(values, "child_ethnicity")                     # the officer moves on to another empty field
    wait_for(lambda: set(driver.execute_script(SHOWN)) == {*values, "child_ethnicity"},
             message="the next field being typed, the previous empty one gone")
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
