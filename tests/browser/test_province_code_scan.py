"""The province's dossier code scanned in real Chromium (#13): a keyboard-wedge barcode scanner
types the code into the box on the dossier page and presses Enter; a wrong scan gets its
Vietnamese message next to the box, a good one is saved and the "số nội bộ" tag goes away."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

from .conftest import login, set_viewport, wait_for

pytestmark = pytest.mark.browser


def test_a_scanner_fills_the_provinces_code(browser, panel):
    app = panel.appliance
    draft = str(uuid.uuid4())
    today = app.dossiers._now()[1].date()
    app.dossiers.save_draft(draft, procedure="1.004837",
                            values=sample_values(load_catalog().get("1.004837"), today), counter_id=1, user="canbo1")
    dossier, _created = app.dossiers.submit(draft, {}, user="canbo1")
    code = dossier["code"]
    driver = browser
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(f"{panel.url}/dossiers/{code}")
    assert "số nội bộ" in driver.find_element(By.CSS_SELECTOR, ".code-line").text
    box = driver.find_element(By.ID, "province_code")
    box.send_keys("000.00.06.H56-261301-0001", Keys.ENTER)            # a month 13: a misread scan
    wait_for(lambda: "không có thật" in driver.find_element(By.CSS_SELECTOR, '[data-msg="province_code"]').text,
             message="the Vietnamese message next to the box")
    box = driver.find_element(By.ID, "province_code")
    box.clear()
    box.send_keys("https://dichvucong.hanoi.gov.vn/tra-cuu?ma=000.00.06.h56-261130-0042", Keys.ENTER)
    wait_for(lambda: "000.00.06.H56-261130-0042" in driver.find_element(By.CSS_SELECTOR, ".province-code").text,
             message="the page reloaded with the code")
    assert "số nội bộ" not in driver.find_element(By.CSS_SELECTOR, ".code-line").text
    assert app.dossiers.get(code)["province_code"] == "000.00.06.H56-261130-0042"
