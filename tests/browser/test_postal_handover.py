"""Postal return in real Chromium (#17): the officer opens "Trả kết quả qua bưu chính" from the
dossier list, types the labels' tracking numbers (one mistyped: the line says why and nothing is
handed over), hands the results to the postal worker and gets the list to sign; the dossiers are
returned by post. At 1366×768, nothing wider than the window. Screenshots kept."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser
ADDRESS = "Số 12 ngõ 3, thôn Đông, xã Dương Xá"


def ready_by_post(app) -> str:
    draft = str(uuid.uuid4())
    today = app.dossiers._now()[1].date()
    app.dossiers.save_draft(draft, procedure="1.001193", values=sample_values(load_catalog().get("1.001193"), today),
                            counter_id=1, user="canbo1")
    dossier = app.dossiers.submit(draft, {"return_by_post": True, "post_address": ADDRESS}, user="canbo1")[0]
    app.dossiers.act(dossier["code"], "ready", user="canbo1")
    return dossier["code"]


def test_the_officer_hands_results_to_the_postal_worker(browser, own_panel):
    app = own_panel.appliance
    first, second = ready_by_post(app), ready_by_post(app)
    driver = browser
    set_viewport(driver, 1366, 768)
    login(driver, own_panel.url, "canbo1", own_panel.logins["canbo1"])
    driver.get(own_panel.url + "/dossiers")
    driver.find_element(By.ID, "postal-link").click()
    wait_for(lambda: driver.find_elements(By.ID, "postal-pending"), message="the postal page")
    rows = driver.find_elements(By.CSS_SELECTOR, "#postal-pending tbody tr[data-code]")
    assert [r.get_attribute("data-code") for r in rows] == [first, second]
    driver.find_element(By.NAME, f"tracking-{first}").send_keys("eb123456785vn")
    driver.find_element(By.NAME, f"fee-{first}").send_keys("25000")
    driver.find_element(By.NAME, f"tracking-{second}").send_keys("EB123456809VN")     # one digit wrong
    driver.find_element(By.ID, "postal_worker").send_keys("Trần Văn Bưu")
    driver.find_element(By.ID, "postal_unit").clear()
    driver.find_element(By.ID, "postal_unit").send_keys("Bưu điện văn hóa xã Dương Xá")
    driver.find_element(By.ID, "postal-submit").click()
    wait_for(lambda: driver.find_elements(By.ID, "postal-error"), message="the refusal")
    assert "sai chữ số kiểm tra" in driver.find_element(By.CSS_SELECTOR, f"tr[data-code='{first}'] ~ tr").text
    assert app.dossiers.get(first)["state"] == "ready"
    assert driver.find_element(By.ID, "postal_worker").get_attribute("value") == "Trần Văn Bưu"   # kept
    shot(driver, "postal-handover-refused")
    box = driver.find_element(By.NAME, f"tracking-{second}")
    box.clear()
    box.send_keys("EB123456808VN")
    driver.find_element(By.ID, "postal-submit").click()
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "article.sheet"), message="the list to sign")
    sheet = driver.find_element(By.CSS_SELECTOR, "article.sheet").text
    for words in ("DANH SÁCH BÀN GIAO KẾT QUẢ", "EB123456785VN", "EB123456808VN", "Trần Văn Bưu", ADDRESS,
                  "BÊN GIAO", "BÊN NHẬN"):
        assert words in sheet, words
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366
    shot(driver, "postal-handover-list")
    assert [app.dossiers.get(c)["state"] for c in (first, second)] == ["returned", "returned"]
    assert app.dossiers.get(first)["tracking_number"] == "EB123456785VN"
