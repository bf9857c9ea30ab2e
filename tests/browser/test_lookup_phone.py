"""Looking a dossier up without its code, in real Chromium on a 390 px phone viewport: phone +
the last 4 digits of the personal number → the state and due time; a wrong entry gets its
Vietnamese message by the field; nothing overflows the phone's width."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def test_lookup_by_phone_and_digits_on_a_phone(browser, panel):
    app = panel.appliance
    draft = str(uuid.uuid4())
    today = app.dossiers._now()[1].date()
    values = {**sample_values(load_catalog().get("1.001193"), today),
              "requester_phone": "0868777111", "requester_id_number": "034186017777"}
    app.dossiers.save_draft(draft, procedure="1.001193", values=values, counter_id=1, user="canbo1")
    dossier, _ = app.dossiers.submit(draft, {}, user="canbo1")
    driver = browser
    driver.delete_all_cookies()
    set_viewport(driver, 390, 844)
    try:
        driver.get(panel.url + "/thu-tuc/tra-cuu")
        driver.find_element(By.ID, "lookup-phone").send_keys("0868 777 111")
        driver.find_element(By.ID, "lookup-last4").send_keys("123")            # one digit short
        driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]").click()
        wait_for(lambda: "4 chữ số cuối" in driver.find_element(By.ID, "lookup-last4-error").text,
                 message="the message by the field")
        box = driver.find_element(By.ID, "lookup-last4")
        box.clear()
        box.send_keys("7777")
        driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".lookup-answer"), message="the answer")
        answer = driver.find_element(By.CSS_SELECTOR, ".lookup-answer")
        assert dossier["code"] in answer.text and "Đã tiếp nhận" in answer.text
        assert "Hạn trả kết quả" in answer.text
        assert "034186017777" not in driver.page_source
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"
        button = driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]")
        assert button.size["height"] >= 44                                   # a thumb's target
        shot(driver, "lookup-phone-390")
    finally:
        set_viewport(driver, 1366, 768)
