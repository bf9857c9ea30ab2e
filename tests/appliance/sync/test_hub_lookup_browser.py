"""Look a dossier up on the hub's public page (#17), end to end: a dossier received on the appliance
is synced to the real hub process (PostgreSQL) with its hashed lookup keys; in real Chromium on a
390 px phone viewport the citizen finds it by phone + the last 4 digits of the personal number, and
by the QR link printed on Mẫu 01; state and due time only, nothing wider than the phone."""
from __future__ import annotations

import random
import shutil
import tempfile
import uuid

import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.sync.client import SyncClient, enroll
from appliance.sync.identity import Identity
from tests.browser.conftest import CHROMEDRIVER, chromium_options, set_viewport, shot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PHONE, ID_NUMBER = "0868777111", "034186017777"


@pytest.fixture
def driver():
    profile = tempfile.mkdtemp(prefix="motcua-chromium-")
    d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=chromium_options(profile))
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_the_hub_finds_a_synced_dossier_on_a_phone(hub, device, appliance, driver):
    ident = enroll(hub.base, device.token, appliance.state_dir)
    draft = str(uuid.uuid4())
    today = appliance.dossiers._now()[1].date()
    values = {**sample_values(load_catalog().get("1.001193"), today),
              "requester_phone": PHONE, "requester_id_number": ID_NUMBER}
    appliance.dossiers.save_draft(draft, procedure="1.001193", values=values, counter_id=1, user="canbo1")
    dossier, _ = appliance.dossiers.submit(draft, {}, user="canbo1")
    code = dossier["code"]
    SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir,
               Identity(hub_url=hub.base, device_id=ident.device_id, device_token=ident.device_token),
               sleep=lambda s: None, rng=random.Random(1)).cycle()
    with psycopg.connect(hub.db_url) as conn:
        kinds = sorted(r[0] for r in conn.execute("SELECT kind FROM lookup_keys WHERE code = %s", (code,)))
    assert kinds == ["link", "phone"]

    set_viewport(driver, 390, 844)
    driver.get(hub.base + "/tra-cuu")
    driver.find_element(By.ID, "lookup-phone").send_keys("0868 777 111")
    driver.find_element(By.ID, "lookup-last4").send_keys("777")                    # one digit short
    driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]").click()
    wait_for(lambda: "4 chữ số cuối" in driver.find_element(By.ID, "lookup-last4-error").text,
             message="the message by the field")
    box = driver.find_element(By.ID, "lookup-last4")
    box.clear()
    box.send_keys("7777")
    driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]").click()
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".lookup-answer"), message="the answer")
    answer = driver.find_element(By.CSS_SELECTOR, ".lookup-answer").text
    assert code in answer and "Đã tiếp nhận" in answer and "Ngày hẹn trả" in answer
    assert ID_NUMBER not in driver.page_source and PHONE not in driver.page_source
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"the hub's page is {width} px wide on a 390 px phone"
    assert driver.find_element(By.CSS_SELECTOR, ".lookup-form button[type=submit]").size["height"] >= 44
    shot(driver, "hub-lookup-phone-390")

    # the QR printed on Mẫu 01, when the office's public address is the hub's
    driver.get(appliance.lookup.dossier_link(hub.base, code))
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".lookup-answer"), message="the QR's answer")
    assert code in driver.find_element(By.CSS_SELECTOR, ".lookup-answer").text
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    shot(driver, "hub-lookup-qr-390")
