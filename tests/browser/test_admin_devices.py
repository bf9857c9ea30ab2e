"""Real Chromium: an administrator logs in, opens the devices page at 1366×768, presses a simulated
GPIO button and sees its last press; the public procedure list reads well on a phone."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
import requests
from selenium.webdriver.common.by import By

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

FITS_JS = "return [document.documentElement.scrollWidth, window.innerWidth];"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A demo office with its simulated printer, pager and mock GPIO buttons, on waitress."""
    from appliance import demo
    from appliance.devices import wiring
    from appliance.runtime import Appliance
    from appliance.server import make_server, shutdown
    var = tmp_path_factory.mktemp("admin-office")
    appliance = Appliance(demo.demo_settings(var))
    logins = demo.seed(appliance)
    wiring.attach_printer(appliance)
    wiring.attach_pager(appliance)
    wiring.attach_gpio(appliance)
    appliance.start()
    server = make_server(appliance, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    wait_for(lambda: requests.get(url + "/api/v1/health", timeout=2).ok, message="the panel")
    yield url, appliance, logins
    shutdown(server, appliance)
    thread.join(timeout=5)
    appliance.stop()


def test_admin_presses_a_simulated_button_and_sees_its_last_press(browser, office):
    url, appliance, logins = office
    driver = browser
    set_viewport(driver, 1366, 768)
    login(driver, url, "admin", logins["admin"])
    driver.get(url + "/admin/devices")
    row = driver.find_element(By.CSS_SELECTOR, 'tr[data-button="ticket:HT"]')
    assert row.find_element(By.CSS_SELECTOR, ".last-press").text == "Chưa bấm"
    width, inner = driver.execute_script(FITS_JS)
    assert width <= inner, "the devices page scrolls sideways at 1366×768"
    row.find_element(By.CSS_SELECTOR, "button[data-press]").click()
    wait_for(lambda: "Đã bấm thử nút" in driver.find_element(By.CSS_SELECTOR, ".flashes").text,
             message="the press to be reported")
    row = driver.find_element(By.CSS_SELECTOR, 'tr[data-button="ticket:HT"]')
    last = row.find_element(By.CSS_SELECTOR, ".last-press").text
    pressed = next(b for b in appliance.devices.get("gpio").status()["buttons"] if b["name"] == "ticket:HT")
    assert last == datetime.fromisoformat(pressed["last_press"]).astimezone(appliance.tz).strftime("%d/%m/%Y %H:%M:%S")
    assert row.find_element(By.CSS_SELECTOR, ".last-result").text.startswith("Đã cấp số A")
    driver.execute_script("document.getElementById('gpio').scrollIntoView()")
    shot(driver, "admin-devices-1366x768")


def test_the_public_procedure_list_reads_on_a_phone(browser, office):
    url, _appliance, _logins = office
    driver = browser
    driver.delete_all_cookies()
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        driver.get(url + "/thu-tuc?q=khai+sinh")
        articles = driver.find_elements(By.CSS_SELECTOR, "article.proc")
        # the domestic procedure and, since NĐ 120/2025, the one with a foreign element
        assert [a.find_element(By.TAG_NAME, "h3").text for a in articles] == [
            "Đăng ký khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài"]
        width, inner = driver.execute_script(FITS_JS)
        assert width <= inner, "the procedure list scrolls sideways on a phone"
        size = driver.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('article.proc dd')).fontSize)")
        assert size >= 14
        shot(driver, "public-procedures-phone")
    finally:
        set_viewport(driver, 1366, 768)
