"""The dossier page in real Chromium at 1366×768 and 1920×1080: one clear next action for the state,
the others folded in a menu; nothing drawn over anything (every menu opened, every form, the papers,
the declaration and the Mẫu 06 timeline checked box against box); after "Báo có kết quả" the page
says which pager was set buzzing. Screenshots in tests/artifacts/screenshots/."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

from .conftest import SIZES, login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

BOXES_JS = """
const out = [];
document.querySelectorAll('.dossier-actions form.action, section.prints, section.values, section.timeline, '
                          + 'section.province-code-entry, .detail-head').forEach(function (el) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0 && el.offsetParent !== null)
    out.push({name: (el.dataset.action || el.className), x: r.left, y: r.top + window.scrollY,
              w: r.width, h: r.height});
});
return out;
"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1
                    and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1):
                bad.append((a["name"], b["name"]))
    return bad


def new_dossier(app, procedure: str, pager="auto") -> dict:
    draft = str(uuid.uuid4())
    today = app.dossiers._now()[1].date()
    app.dossiers.save_draft(draft, procedure=procedure, values=sample_values(load_catalog().get(procedure), today),
                            counter_id=1, user="canbo1")
    return app.dossiers.submit(draft, {"pager": pager} if pager else {}, user="canbo1")[0]


def primary(driver) -> str:
    forms = driver.find_elements(By.CSS_SELECTOR, ".dossier-actions form.action-primary")
    assert len(forms) == 1
    return forms[0].get_attribute("data-action")


def open_menu(driver) -> None:
    driver.execute_script("document.querySelectorAll('.dossier-actions details').forEach(d => d.open = true);")


@pytest.mark.parametrize("size", list(SIZES))
def test_one_next_action_and_nothing_drawn_over_anything(browser, panel, size):
    driver = browser
    width, height = SIZES[size]
    set_viewport(driver, width, height)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    dossier = new_dossier(panel.appliance, "1.001193")          # khai sinh: the 2-hour model
    code = dossier["code"]
    driver.get(f"{panel.url}/dossiers/{code}")
    assert primary(driver) == "ready"
    visible = [f for f in driver.find_elements(By.CSS_SELECTOR, ".dossier-actions form.action") if f.is_displayed()]
    assert len(visible) == 1                                    # the others wait in the menu
    menu = driver.find_element(By.CSS_SELECTOR, ".more-actions summary")
    assert menu.text.startswith("Thao tác khác")
    open_menu(driver)
    assert overlaps(driver.execute_script(BOXES_JS)) == []
    assert len([f for f in driver.find_elements(By.CSS_SELECTOR, ".dossier-actions form.action")
                if f.is_displayed()]) >= 6
    shot(driver, f"dossier-page-received-menu-open-{size}")

    # "Báo có kết quả": the page says which pager buzzed
    driver.get(f"{panel.url}/dossiers/{code}")
    driver.find_element(By.CSS_SELECTOR, "form.action-primary[data-action=ready] button").click()
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".called-how"), message="the notice after ready")
    notice = driver.find_element(By.CSS_SELECTOR, ".called-how").text
    assert f"thẻ rung số {dossier['pager']}" in notice, notice
    assert primary(driver) == "return"                          # then the next step is to return it
    shot(driver, f"dossier-page-ready-{size}")
    open_menu(driver)
    boxes = driver.execute_script(BOXES_JS)
    assert overlaps(boxes) == []
    ret = next(b for b in boxes if b["name"] == "return")
    timeline = next(b for b in boxes if "timeline" in b["name"])
    assert ret["y"] + ret["h"] <= timeline["y"]                 # "Trả kết quả" is above Mẫu 06, not on it

    # a dossier with no pager: the page says how the citizen is called instead
    other = new_dossier(panel.appliance, "1.004873", pager=None)   # xác nhận tình trạng hôn nhân
    driver.get(f"{panel.url}/dossiers/{other['code']}")
    assert primary(driver) in ("processing", "ready")
    if primary(driver) == "processing":
        driver.find_element(By.CSS_SELECTOR, "form.action-primary button").click()
        wait_for(lambda: primary(driver) == "ready", message="processing")
    driver.find_element(By.CSS_SELECTOR, "form.action-primary[data-action=ready] button").click()
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".called-how"), message="the notice without a pager")
    assert "không có thẻ rung" in driver.find_element(By.CSS_SELECTOR, ".called-how").text
    shot(driver, f"dossier-page-ready-no-pager-{size}")
