"""The hub's province reports in real Chromium at 1366×768: the QĐ 766 page (the province's four
trend lines, a line per commune with its four small trends) and Biểu II.06a, served by waitress
over a SQLite hub loaded with the hand-computed fixture of tests/district/report_fixture.py plus
two communes more. Screenshots in tests/artifacts/screenshots/hub-*.png."""
from __future__ import annotations

import json
import threading

import pytest
from selenium.webdriver.common.by import By

from tests.district import report_fixture as fx
from tests.district.conftest import batch, post_batch

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory):
    from waitress.server import create_server

    from district.app import create_app
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    from district.store import devices, staff
    url = f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app({"database_url": url, "name": "Tỉnh Bắc Ninh", "level": "province", "TESTING": True})
    client = app.test_client()
    hub_engine = app.extensions["motcua_hub"].engine
    for code, name in (("xa-duong-xa", "Xã Dương Xá"), ("xa-kim-son", "Xã Kim Sơn"), ("xa-phu-dong", "Xã Phù Đổng")):
        with hub_engine.begin() as conn:
            one_time = devices.add_device(conn, code, name)
        token = client.post("/api/v1/enroll", json={"token": one_time}).json["device_token"]
        if code != "xa-kim-son":
            # the same dossiers under this commune's own codes (a code belongs to one device)
            events = json.loads(json.dumps(fx.as_events()).replace("000.00.06.H56", f"000.00.06.{code[-4:]}"))
            r = post_batch(client, code, token, batch(code, events, fx.at(12, 5)))
            assert r.status_code == 200 and r.json["quarantined"] == 0
    with hub_engine.begin() as conn:
        staff.add_user(conn, "thongke", "mat-khau-du-dai")
    server = create_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    hub_engine.dispose()


def login(driver, base: str) -> None:
    driver.get(base + "/dang-nhap")
    driver.delete_all_cookies()
    driver.get(base + "/dang-nhap")
    driver.find_element(By.NAME, "name").send_keys("thongke")
    driver.find_element(By.NAME, "password").send_keys("mat-khau-du-dai")
    driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait_for(lambda: "/dang-nhap" not in driver.current_url, message="the login")


def test_qd766_trends_and_ii06a_at_1366(browser, hub_site):
    login(browser, hub_site)
    set_viewport(browser, 1366, 768)
    browser.get(hub_site + "/bao-cao/qd766?den=2025-12&so=6")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "svg.trend"), message="the trend chart")
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width + 1
    trend = browser.find_element(By.CSS_SELECTOR, "svg.trend").rect
    assert trend["width"] > 500 and trend["x"] + trend["width"] <= width
    lines = browser.execute_script("return document.querySelectorAll('svg.trend polyline').length")
    assert lines >= 3            # timeliness, online, digitisation over several months (satisfaction: one month)
    sparks = browser.find_elements(By.CSS_SELECTOR, "svg.spark")
    assert len(sparks) == 4 * 4  # the province and three communes, four components each
    rows = [tr.text for tr in browser.find_elements(By.CSS_SELECTOR, "table.qd766 tbody tr")]
    assert rows[0].startswith("Toàn tỉnh") and any(r.startswith("Xã Kim Sơn") for r in rows)
    # 12/2025: timeliness 0 of 4 resolved, 80 points down from 11/2025 (both loaded communes alike)
    assert rows[0].startswith("Toàn tỉnh 0,00 %\n0/4 · -80,00"), rows[0]
    shot(browser, "hub-qd766-1366x768")
    browser.execute_script("document.querySelector('table.qd766').scrollIntoView()")
    shot(browser, "hub-qd766-communes-1366x768")
    browser.get(hub_site + "/bao-cao/ii06a?tu=2025-11-01&den=2025-11-30")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "table.ii06a"), message="the form")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.ii06a tr.total td")]
    assert cells[1] == "Tổng cộng" and cells[2:] == ["16", "4", "8", "4", "10", "4", "2", "4", "6", "2", "4"]
    table = browser.find_element(By.CSS_SELECTOR, "table.ii06a").rect
    assert table["x"] + table["width"] <= 1366
    shot(browser, "hub-ii06a-1366x768")
