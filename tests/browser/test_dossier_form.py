"""Form entry in real Chromium: keyboard moves, autocomplete, dates typed '12/3/1988', the birth
date in words, the personal-number warning, a Vietnamese message next to a wrong field, autosave,
submission with Ctrl+Enter, marking ready, and the printed declaration."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

FILL_JS = """
const values = arguments[0];
Object.keys(values).forEach(function (name) {
  const input = document.getElementById('f-' + name);
  if (!input || input.tagName === 'OUTPUT') return;
  if (input.type === 'checkbox') input.checked = !!values[name]; else input.value = values[name];
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
});
"""


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def message(driver, name: str) -> tuple[str, str]:
    box = driver.find_element(By.ID, f"msg-{name}")
    return box.text, box.get_attribute("class")


def test_officer_fills_a_birth_registration_with_the_keyboard(browser, panel):
    driver = browser
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(panel.url + "/dossiers/new?procedure=1.001193&counter=1")
    wait_for(lambda: active_id(driver) == "f-requester_name", message="the first field focused")

    # Enter moves to the next field; the name is shown as printed (uppercase) once left.
    driver.switch_to.active_element.send_keys("nguyễn thị hồng nhung", Keys.ENTER)
    assert active_id(driver) == "f-requester_id_type"
    wait_for(lambda: driver.find_element(By.ID, "f-requester_name").get_attribute("value") == "NGUYỄN THỊ HỒNG NHUNG",
             message="the name in capitals")

    # A date as people write it, then the birth date in words, generated.
    dob = driver.find_element(By.ID, "f-child_dob")
    dob.send_keys("2/11/2024", Keys.TAB)
    wait_for(lambda: driver.find_element(By.ID, "f-child_dob_words").text.startswith("Ngày mồng hai tháng mười một"),
             message="the date in words")
    wait_for(lambda: dob.get_attribute("value") == "02/11/2024", message="the date rewritten 02/11/2024")

    # Autocomplete: 'mư' + Enter becomes the listed name 'Mường'.
    ethnicity = driver.find_element(By.ID, "f-child_ethnicity")
    ethnicity.clear()
    ethnicity.send_keys("mư", Keys.ENTER)
    assert ethnicity.get_attribute("value") == "Mường"
    assert active_id(driver) == "f-child_nationality"

    # A partial date where the law allows it (a parent's birth: month/year).
    driver.find_element(By.ID, "f-mother_dob").send_keys("3/1990", Keys.TAB)
    wait_for(lambda: message(driver, "mother_dob")[0] == "= 03/1990", message="the partial date accepted")

    # Personal number: digit 4 says male, the child is female → a warning, not a block.
    driver.find_element(By.ID, "f-child_sex").send_keys("Nữ")
    driver.find_element(By.ID, "f-child_id_number").send_keys("001224012345", Keys.TAB)
    wait_for(lambda: "không khớp giới tính" in message(driver, "child_id_number")[0],
             message="the personal-number warning")
    assert "warning" in message(driver, "child_id_number")[1]

    # A wrong phone: its Vietnamese message next to the field.
    driver.find_element(By.ID, "f-requester_phone").send_keys("12345", Keys.TAB)
    wait_for(lambda: "Số di động phải có 10 chữ số" in message(driver, "requester_phone")[0],
             message="the phone message")
    assert "error" in message(driver, "requester_phone")[1]
    shot(driver, "dossier-form-messages")

    # Autosaved as typed: the draft on the server has what is on screen.
    draft_id = parse_qs(urlsplit(driver.current_url).query)["draft"][0]
    draft = wait_for(lambda: (d := panel.appliance.dossiers.get_draft(draft_id))["values"].get("requester_phone")
                     == "12345" and d, 5, message="the autosave")
    assert draft["counter_id"] == 1 and draft["values"]["child_ethnicity"] == "Mường"
    assert draft["values"]["child_dob"] == "02/11/2024"

    # Submitting with the wrong phone: refused, the message stays next to the field.
    driver.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(lambda: driver.find_element(By.ID, "form-error").is_displayed(), message="the form error")
    assert "lỗi" in driver.find_element(By.ID, "form-error").text

    # Fill the rest, fix the phone, Ctrl+Enter: the dossier is received.
    rest = sample_values(load_catalog().get("1.001193"), date.today())
    for keep in ("requester_name", "child_dob", "child_ethnicity", "mother_dob", "child_sex", "child_id_number"):
        rest.pop(keep)
    rest["requester_phone"] = "0912 345 678"
    driver.execute_script(FILL_JS, rest)
    driver.find_element(By.ID, "f-sms_opt_in").click()     # "Nhắn tin khi có kết quả"
    driver.find_element(By.ID, "f-place").send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(lambda: "/dossiers/" in driver.current_url and "received=1" in driver.current_url,
             message="the dossier page")
    code = urlsplit(driver.current_url).path.rsplit("/", 1)[-1]
    assert "Đã tiếp nhận hồ sơ" in driver.find_element(By.TAG_NAME, "main").text
    assert panel.appliance.dossiers.get_draft(draft_id)["dossier_code"] == code
    assert panel.appliance.db.conn().execute("SELECT sms_opt_in FROM dossiers WHERE code = ?",
                                             (code,)).fetchone()[0] == 1

    # The result is ready: the officer presses it; the dossier's pager is paged (dossier.ready).
    heard = []
    unsubscribe = panel.appliance.bus.subscribe(lambda e: heard.append(e), ("dossier.ready",))
    try:
        driver.find_element(By.CSS_SELECTOR, "form.action[data-action=ready] button").click()
        wait_for(lambda: heard, message="dossier.ready")
    finally:
        unsubscribe()
    assert heard[0].payload["code"] == code and heard[0].payload["pager"]
    wait_for(lambda: "Có kết quả" in driver.execute_script(
        "var e = document.querySelector('.code-line'); return e ? e.textContent : ''"), 5,
             message="the new state on the page")

    # The printed declaration carries what was typed, with room to sign on paper.
    driver.get(f"{panel.url}/dossiers/{code}/print/to-khai")
    sheet = driver.find_element(By.CSS_SELECTOR, "article.sheet").text
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in sheet and "NGUYỄN THỊ HỒNG NHUNG" in sheet and "Mường" in sheet
    assert "Ngày mồng hai tháng mười một năm hai nghìn không trăm hai mươi bốn" in sheet
    assert "(Ký, ghi rõ họ, chữ đệm, tên hoặc điểm chỉ)" in sheet
    shot(driver, "dossier-print-to-khai")
