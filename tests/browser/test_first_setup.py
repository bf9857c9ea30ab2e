"""Real Chromium on a fresh install (no administrator): the first visit lands on the setup page,
a wrong setup code is refused, the right one creates the administrator, and the wizard goes
office → services and counters → printer and pager → done, every step from the browser."""
from __future__ import annotations

import threading

import pytest
import requests
from selenium.webdriver.common.by import By

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fresh_office(tmp_path_factory):
    from appliance import config
    from appliance.runtime import Appliance
    from appliance.server import make_server, shutdown
    tmp = tmp_path_factory.mktemp("fresh")
    settings = config.load(env={}, default_path=tmp / "none.toml", overrides={
        "storage": {"path": str(tmp / "motcua.db")}, "web": {"host": "127.0.0.1", "port": 8080}})
    appliance = Appliance(settings)
    server = make_server(appliance, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    wait_for(lambda: requests.get(url + "/api/v1/health", timeout=2).ok, message="the panel")
    yield url, appliance
    shutdown(server, appliance)
    thread.join(timeout=5)
    appliance.stop()


def fill(driver, field_id: str, value: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def submit(driver, form_id: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click()


def test_first_visit_creates_the_admin_then_the_wizard(browser, fresh_office):
    from appliance.services import firstboot
    from appliance.store import accounts, office_store
    url, appliance = fresh_office
    driver = browser
    set_viewport(driver, 1366, 768)
    driver.get(url + "/login")
    driver.delete_all_cookies()
    driver.get(url + "/")
    wait_for(lambda: driver.current_url == url + "/setup", message="the setup page")
    code = firstboot.shown_setup_code(appliance.db)

    for field_id, value in (("setup_code", "WRON-GXXX"), ("login", "hoa.nguyen"), ("full_name", "Nguyễn Thị Hoa"),
                            ("password", "mat-khau-rieng"), ("confirm", "mat-khau-rieng")):
        fill(driver, field_id, value)
    submit(driver, "first-admin-form")
    wait_for(lambda: "Mã cài đặt không đúng" in driver.page_source, message="the wrong code to be refused")
    assert accounts.active_admins(appliance.db.conn()) == 0

    fill(driver, "setup_code", code.lower())
    fill(driver, "password", "mat-khau-rieng")
    fill(driver, "confirm", "mat-khau-rieng")
    submit(driver, "first-admin-form")
    wait_for(lambda: driver.current_url == url + "/setup/office", message="the wizard's first step")
    assert accounts.active_admins(appliance.db.conn()) == 1

    fill(driver, "name", "UBND xã An Bình")
    fill(driver, "agency_code", "000.00.06.H56")
    submit(driver, "setup-office")
    wait_for(lambda: driver.current_url == url + "/setup/services", message="the services step")
    assert "Đăng ký khai sinh" in driver.page_source
    fill(driver, "counters", "2")
    submit(driver, "setup-services")
    wait_for(lambda: driver.current_url == url + "/setup/devices", message="the devices step")
    assert driver.find_element(By.CSS_SELECTOR, "input[name=printer][value=usb]").get_attribute("disabled")
    driver.find_element(By.CSS_SELECTOR, "input[name=pager][value=none]").click()
    submit(driver, "setup-devices")
    wait_for(lambda: driver.current_url == url + "/setup/done", message="the last step")
    shot(driver, "setup-done-1366x768")
    assert appliance.settings.office.name == "UBND xã An Bình"
    assert len(office_store.list_counters(appliance.db.conn())) == 2
    assert driver.find_element(By.CSS_SELECTOR, "a[href='/admin/screens']")
