"""A ready result whose citizen holds no pager, on the hall TV in Chromium (issue 12): its number
appears in the display's own "Hồ sơ có kết quả" place, flashes, the header invites the citizen to
the counter, the announcer says "Mời công dân có hồ sơ số … nhận kết quả tại quầy số …", numbers
only; handing the result over takes it off. The console shows the pager pool before work starts."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"


def receive_without_pager(appliance) -> dict:
    from appliance.domain.dossier_samples import sample_values
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure=PROCEDURE, values=sample_values(
        appliance.dossiers.catalog.get(PROCEDURE), today), counter_id=2, user="canbo1")
    dossier, created = appliance.dossiers.submit(draft, {"pager": None}, user="canbo1")
    assert created and dossier["pager"] is None
    return dossier


def ready_lines(driver) -> list[dict]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-ready-number]')).map(function (li) {"
        "  return {number: li.dataset.readyNumber, text: li.innerText, cls: li.className}; });")


def box(driver, selector: str) -> dict:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); if (!e) return null; var r = e.getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, scroll: e.scrollHeight,"
        "        client: e.clientHeight, font: parseFloat(getComputedStyle(e.querySelector('li') || e).fontSize)};",
        selector)


def test_a_ready_result_without_a_pager_is_shown_and_announced_on_the_hall_tv(browser, panel):
    driver = browser
    appliance = panel.appliance
    set_viewport(driver, 1920, 1080)
    driver.get(f"{panel.alt_url}/display?token={panel.tokens['display']}")
    wait_for(lambda: driver.execute_script("return window.MotcuaDisplay && window.MotcuaDisplay.online"),
             message="the display to go online")
    assert "Hồ sơ có kết quả" in driver.find_element("css selector", ".d-ready h2").text

    dossier = receive_without_pager(appliance)
    number = str(int(dossier["code"].rsplit("-", 1)[1]))
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")

    entry = wait_for(lambda: [e for e in driver.execute_script("return window.MotcuaDisplay.log")
                              if e["type"] == "dossier.call" and str(e["number"]) == number],
                     message="the dossier.call on the display")[0]
    assert entry["counter"] == 2 and entry["repeat"] == 0 and entry["replayed"] is False
    line = wait_for(lambda: [li for li in ready_lines(driver) if li["number"] == number],
                    message="the dossier's line under 'Hồ sơ có kết quả'")[0]
    assert f"Hồ sơ {number}" in line["text"] and "Quầy 2" in line["text"]
    wait_for(lambda: "flash" in next(li["cls"] for li in ready_lines(driver) if li["number"] == number),
             message="the line to flash")
    callout = driver.find_element("css selector", "#callout").text
    assert f"Mời công dân có hồ sơ số {number} nhận kết quả tại quầy số 2" in callout
    shot(driver, "display-ready-call-1920x1080")
    # numbers only: neither the citizen's name nor the dossier code reaches the TV
    page = driver.find_element("tag name", "body").text
    assert dossier["applicant"]["name"] not in page and dossier["code"] not in page

    # announced with the result's own words, after the chime
    driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                "window.Announcer.idle().then(function () { done(true); });")
    played = [u.rsplit("/", 1)[1].split(".")[0] for u in driver.execute_script("return window.Announcer.played")]
    assert "moi_ho_so" in played and "nhan_tai_quay" in played
    assert played.index("moi_ho_so") < played.index("nhan_tai_quay")

    # readable and in its own place: inside the side column, nothing cut off, big enough for the hall
    ready, side = box(driver, ".d-ready"), box(driver, ".d-side")
    assert side["top"] - 1 <= ready["top"] < ready["bottom"] <= side["bottom"] + 1
    assert ready["font"] >= 30            # 3.2vh on 1080 px ≈ 34 px
    shot(driver, "display-ready-result-1920x1080")
    set_viewport(driver, 1366, 768)
    wait_for(lambda: box(driver, ".d-ready")["bottom"] <= box(driver, ".d-side")["bottom"] + 1,
             message="the place to fit at 1366x768")
    shot(driver, "display-ready-result-1366x768")

    # handed over: off the TV
    appliance.dossiers.act(dossier["code"], "return", user="canbo1")
    wait_for(lambda: not [li for li in ready_lines(driver) if li["number"] == number],
             message="the line to go once the result is handed over")


def test_the_console_shows_the_pager_pool_before_the_officer_starts(browser, panel):
    driver = browser
    set_viewport(driver, 1366, 768)
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(panel.url + "/counter/1")
    pool = wait_for(lambda: driver.find_element("css selector", "[data-pager-pool]"), message="the pool line")
    free, total = int(pool.get_attribute("data-free")), int(pool.get_attribute("data-total"))
    assert total == panel.appliance.settings.queue.pager_pool and 0 <= free <= total
    assert f"còn {free}/{total} thẻ trống" in pool.text
    # a pager handed out elsewhere: the console's count follows live (pager.* events)
    with panel.appliance.db.read() as conn:
        free_number = conn.execute("SELECT min(number) FROM pagers WHERE state = 'free'").fetchone()[0]
    panel.appliance.engine.assign_pager(free_number)
    wait_for(lambda: driver.find_element("css selector", "[data-pager-pool]").get_attribute("data-free")
             == str(free - 1), message="the pool count to follow")
    panel.appliance.engine.return_pager(free_number)
    shot(driver, "counter-pager-pool-1366x768")
    # the dossier entry page says it too, at the top, before the first field
    driver.get(panel.url + f"/dossiers/new?procedure={PROCEDURE}&counter=1")
    line = wait_for(lambda: driver.find_element("css selector", ".entry-head [data-pager-pool]"),
                    message="the pool on the entry page")
    first_field = driver.find_element("css selector", "#dossier-form fieldset")
    assert line.is_displayed() and line.location["y"] < first_field.location["y"]
    assert "thẻ trống" in line.text
    shot(driver, "dossier-entry-pager-pool-1366x768")
