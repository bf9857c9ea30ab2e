"""The CCCD read by a keyboard-wedge scanner in real Chromium: the scanner's keystrokes (fast, ending
with Enter) typed into whatever field has the focus never land in it; the card's fields are shown
to confirm; "Điền vào tờ khai" fills the chosen person; an unknown layout is "không nhận dạng được";
the raw scan is in no draft, no table and no log line; ordinary typing (digits too) is unchanged."""
from __future__ import annotations

import logging

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

OLD_NUMBER = "987651234"         # the old CMND number: on the card, never wanted in any form
SCAN = (f"001099012345|{OLD_NUMBER}|Nguyễn Văn An|01011999|Nam|"
        "Số 12 ngõ 5 phố Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|15082021")


def value(driver, name: str) -> str:
    return driver.find_element(By.ID, f"f-{name}").get_attribute("value")


def panel_open(driver) -> bool:
    return driver.execute_script("return !document.getElementById('card-panel').hidden")


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage() + " " + str(record.args or ""))


def test_a_card_scanned_into_a_field_fills_the_chosen_person(browser, panel):
    logs = Lines()
    logging.getLogger().addHandler(logs)
    try:
        run_scan(browser, panel)
    finally:
        logging.getLogger().removeHandler(logs)
    assert not any(OLD_NUMBER in line or "|" + OLD_NUMBER in line for line in logs.lines)
    files = [str(panel.appliance.db.path), str(panel.appliance.db.path) + "-wal"]
    for path in files:
        try:
            data = open(path, "rb").read()
        except FileNotFoundError:
            continue
        assert OLD_NUMBER.encode() not in data, path
        assert "|Nguyễn Văn An|".encode() not in data, path


def run_scan(driver, panel):
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(panel.url + "/dossiers/new?procedure=1.001193&counter=1")
    wait_for(lambda: driver.switch_to.active_element.get_attribute("id") == "f-requester_name",
             message="the first field focused")
    name = driver.find_element(By.ID, "f-requester_name")
    # the scanner: fast keys, then Enter, right after a letter the officer typed (which stays)
    name.send_keys("x", SCAN, Keys.ENTER)
    wait_for(lambda: panel_open(driver), message="the card panel")
    panel_el = driver.find_element(By.ID, "card-panel")
    wait_for(lambda: "NGUYỄN VĂN AN" in panel_el.text, message="the name read from the card")
    text = panel_el.text
    for shown in ("001099012345", "01/01/1999", "Nam", "Hàng Bạc", "15/08/2021"):
        assert shown in text
    assert value(driver, "requester_name").upper() == "X"           # nothing of the scan in the field
    shot(driver, "cccd-scan-confirm-1366")
    # whose card: the requester (the focused field's person) is chosen; pick the mother (3rd) instead
    radios = driver.find_elements(By.CSS_SELECTOR, "#card-panel input[type=radio]")
    titles = [r.find_element(By.XPATH, "..").text for r in radios]
    assert titles[0].endswith("Người yêu cầu") and radios[0].is_selected()
    assert any(t.endswith("Mẹ") for t in titles)
    driver.switch_to.active_element.send_keys("3")
    assert radios[2].is_selected()
    driver.find_element(By.CSS_SELECTOR, "[data-card-fill]").click()
    wait_for(lambda: value(driver, "mother_name") == "NGUYỄN VĂN AN", message="the mother's name filled")
    assert value(driver, "mother_id_number") == "001099012345"
    assert value(driver, "mother_dob") in ("01/01/1999",)
    assert "Hàng Bạc" in value(driver, "mother_residence")
    assert value(driver, "requester_name").upper() == "X" and not panel_open(driver)

    # the draft saved the filled fields, and never the scan
    app = panel.appliance

    def draft_values():
        row = app.db.conn().execute("SELECT values_json FROM dossier_drafts WHERE counter_id = 1 AND dossier_id "
                                    "IS NULL ORDER BY updated_ts DESC LIMIT 1").fetchone()
        return row[0] if row else ""
    wait_for(lambda: "001099012345" in draft_values(), message="the draft saved")
    assert "|" not in draft_values() and OLD_NUMBER not in draft_values()

    # scanned again into the requester's field: the requester this time (Enter confirms)
    name = driver.find_element(By.ID, "f-requester_name")
    name.clear()
    name.send_keys(SCAN, Keys.ENTER)
    wait_for(lambda: panel_open(driver) and "NGUYỄN VĂN AN" in driver.find_element(By.ID, "card-panel").text,
             message="the panel again")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: value(driver, "requester_name") == "NGUYỄN VĂN AN", message="the requester filled")
    assert value(driver, "requester_id_number") == "001099012345"
    assert value(driver, "requester_id_issued_on") == "15/08/2021"

    # an unknown layout: said so, nothing filled, nothing guessed
    box = driver.find_element(By.ID, "f-child_name")
    box.click()
    box.send_keys("036301001234|ABC|Lê Thị Hoa|x|y", Keys.ENTER)
    wait_for(lambda: panel_open(driver), message="the panel for an unknown layout")
    wait_for(lambda: "Không nhận dạng được" in driver.find_element(By.ID, "card-panel").text, message="not recognised")
    assert not driver.find_element(By.CSS_SELECTOR, "[data-card-fill]").is_displayed()
    shot(driver, "cccd-scan-unrecognised-1366")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: not panel_open(driver), message="the panel closed")
    assert value(driver, "child_name") == ""

    # people typing digits and dates are not disturbed
    number = driver.find_element(By.ID, "f-child_id_number")
    number.send_keys("036301001234", Keys.TAB)
    wait_for(lambda: value(driver, "child_id_number") == "036301001234", message="digits typed fast stay typed")
    dob = driver.find_element(By.ID, "f-child_dob")
    dob.send_keys("2/11/2024", Keys.TAB)
    wait_for(lambda: value(driver, "child_dob") == "02/11/2024", message="a date typed")
    assert not panel_open(driver)
