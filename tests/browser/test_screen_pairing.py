"""Real Chromium: a hall TV with no token shows a pairing code and a QR code; an administrator
approves it in another window (Quản trị → Màn hình); the TV goes live by itself (nobody touches
it); revoking it takes it back to a new pairing code, by itself too."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def code_on(driver) -> str | None:
    elements = driver.find_elements(By.ID, "pairing-code")
    return elements[0].get_attribute("data-code") if elements else None


def board_live(driver) -> bool:
    return driver.execute_script("return !!(window.MotcuaDisplay && window.MotcuaDisplay.online)")


def approve_in_new_window(driver, panel, code: str, role: str, name: str) -> str:
    """Log in as the administrator in another window (127.0.0.1: the staff's cookie jar), open the
    approval page as the screen's QR code does, approve; returns that window."""
    driver.switch_to.new_window("window")
    login(driver, panel.url, "admin", panel.logins["admin"])
    driver.get(panel.url + "/admin/screens?code=" + code)
    assert driver.find_element(By.ID, "code").get_attribute("value") == code
    assert code[:3] in driver.find_element(By.CSS_SELECTOR, ".screens-pending").text
    Select(driver.find_element(By.ID, "role")).select_by_value(role)
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "#approve-screen button[type=submit]").click()
    wait_for(lambda: "Đã duyệt màn hình" in driver.find_element(By.CSS_SELECTOR, ".flashes").text,
             message="the approval")
    return driver.current_window_handle


def test_pair_a_tv_then_revoke_it(browser, panel):
    driver = browser
    set_viewport(driver, 1366, 768)
    tv_url = panel.alt_url + "/display"  # localhost: the TV's own cookie jar
    driver.get(panel.alt_url + "/login")
    driver.delete_all_cookies()
    driver.get(tv_url)
    tv = driver.current_window_handle
    code = wait_for(lambda: code_on(driver), message="the pairing code")
    assert driver.find_element(By.CSS_SELECTOR, "svg.qr").size["width"] > 150
    assert ".local:" in driver.find_element(By.CSS_SELECTOR, ".p-where").text  # a phone's address, not localhost
    shot(driver, "pairing-1366x768")

    # the administrator, in another window (127.0.0.1: the staff's cookie jar)
    admin = approve_in_new_window(driver, panel, code, "display", "TV sảnh thử")

    # the TV, untouched since: it goes live by itself
    driver.switch_to.window(tv)
    wait_for(lambda: driver.find_elements(By.ID, "display") and board_live(driver), message="the TV to go live")
    assert driver.current_url == tv_url
    assert not driver.find_elements(By.ID, "pairing-code")
    shot(driver, "paired-display-1366x768")

    # revoke in the admin window; the TV goes back to a new pairing code by itself
    driver.switch_to.window(admin)
    driver.get(panel.url + "/admin/screens")
    row = driver.find_element(By.CSS_SELECTOR, 'tr[data-screen="TV sảnh thử"]')
    row.find_element(By.CSS_SELECTOR, "form[data-confirm] button").click()
    driver.switch_to.alert.accept()
    wait_for(lambda: "Đã thu hồi quyền" in driver.find_element(By.CSS_SELECTOR, ".flashes").text,
             message="the revocation")
    driver.close()
    driver.switch_to.window(tv)
    again = wait_for(lambda: code_on(driver), message="the TV to show a pairing code again")
    assert again != code


def test_a_kiosk_pairs_and_goes_back_to_its_code_when_revoked(browser, panel):
    driver = browser
    driver.get(panel.alt_url + "/login")
    driver.delete_all_cookies()
    driver.get(panel.alt_url + "/kiosk")
    kiosk = driver.current_window_handle
    code = wait_for(lambda: code_on(driver), message="the kiosk's pairing code")
    admin = approve_in_new_window(driver, panel, code, "kiosk", "Máy lấy số thử")
    driver.switch_to.window(kiosk)
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "a.k-service[data-service]"),
             message="the kiosk to show its service buttons")
    assert driver.current_url == panel.alt_url + "/kiosk"
    driver.switch_to.window(admin)
    driver.get(panel.url + "/admin/screens")
    driver.find_element(By.CSS_SELECTOR, 'tr[data-screen="Máy lấy số thử"] form[data-confirm] button').click()
    driver.switch_to.alert.accept()
    wait_for(lambda: "Đã thu hồi quyền" in driver.find_element(By.CSS_SELECTOR, ".flashes").text,
             message="the revocation")
    driver.close()
    driver.switch_to.window(kiosk)
    wait_for(lambda: code_on(driver), message="the kiosk to show a pairing code again by itself")
