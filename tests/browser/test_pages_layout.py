"""Every page at 1366×768 and 1920×1080: nothing cut off, screenshots saved for a person to look at,
and (checked after each browser test) no request leaves loopback."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from .conftest import SIZES, login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

OVERFLOW_JS = """
var d = document.documentElement;
var out = {scrollWidth: d.scrollWidth, width: window.innerWidth, scrollHeight: d.scrollHeight,
           height: window.innerHeight, outside: []};
document.querySelectorAll(arguments[0]).forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) { return; }
  if (r.left < -1 || r.top < -1 || r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1) {
    out.outside.push((el.id || el.className || el.tagName) + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom]));
  }
});
document.querySelectorAll('.d-tile-number, .k-number, .big-number').forEach(function (el) {
  if (el.scrollWidth > el.clientWidth + 1) { out.outside.push('text wider than its box: ' + el.textContent); }
});
return out;
"""

# page name -> (path, elements that must be fully on screen, whole page must fit the screen)
STAFF_PAGES = {
    "login": ("/login", "#login-form", False),
    "home": ("/", "main h1", False),
    "counter": ("/counter/2", "#current .actions, [data-current-number]", False),
    "password": ("/account/password", "#password-form", False),
    "kiosk": ("/kiosk", ".k-service, .k-hint", True),
}


def check_fits(driver, must_show: str, full_screen: bool) -> None:
    result = driver.execute_script(OVERFLOW_JS, must_show)
    assert result["scrollWidth"] <= result["width"], f"horizontal scroll: {result}"
    if full_screen:
        assert result["scrollHeight"] <= result["height"], f"vertical scroll: {result}"
    assert result["outside"] == [], result["outside"]


def test_staff_pages_fit_both_screen_sizes(browser, panel):
    driver = browser
    driver.delete_all_cookies()
    for size, (width, height) in SIZES.items():
        set_viewport(driver, width, height)
        driver.delete_all_cookies()
        driver.get(panel.url + "/login")
        check_fits(driver, "#login-form", False)
        shot(driver, f"login-{size}")
        login(driver, panel.url, "admin", panel.logins["admin"])
        for name, (path, must_show, full) in STAFF_PAGES.items():
            if name == "login":
                continue
            driver.get(panel.url + path)
            check_fits(driver, must_show, full)
            shot(driver, f"{name}-{size}")
        # The kiosk's number screen, then English pages.
        driver.get(panel.url + "/kiosk")
        driver.find_element(By.CSS_SELECTOR, "a[data-service=HT]").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".k-priorities"), message="the priority step")
        check_fits(driver, ".k-service, .k-back-step", True)
        shot(driver, f"kiosk-priority-{size}")
        driver.find_element(By.CSS_SELECTOR, "button[data-priority='']").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "[data-ticket-number]"), message="the number")
        check_fits(driver, ".k-number, .k-back, .k-facts", True)
        shot(driver, f"kiosk-number-{size}")
        driver.get(panel.url + "/counter/1?lang=en")
        assert "Call next" in driver.find_element(By.ID, "current").text
        check_fits(driver, "#current .actions", False)
        shot(driver, f"counter-en-{size}")
        driver.get(panel.url + "/?lang=vi")


def test_hall_display_fits_both_tv_sizes(browser, panel):
    driver = browser
    driver.get(f"{panel.alt_url}/display?token={panel.tokens['display']}")
    wait_for(lambda: driver.execute_script("return window.MotcuaDisplay && window.MotcuaDisplay.online"),
             message="the display")
    for size, (width, height) in SIZES.items():
        set_viewport(driver, width, height)
        check_fits(driver, ".d-head, .d-tile, .d-side, .d-ticker, #clock-time", True)
        text = driver.find_element(By.ID, "display").text
        assert "QUẦY 1" in text and "Đang chờ" in text and "Vừa gọi" in text
        ticker = driver.execute_script("return document.querySelector('.d-ticker-text').textContent")
        assert "Đăng ký khai sinh" in ticker  # the catalog's posted procedures
        shot(driver, f"display-{size}")
