"""The rehearsal clock's bar in Chromium (docs/training.md): on the hall display, the kiosk, the
counter console and a panel page, at 1366x768 and 1920x1080, 'CHẾ ĐỘ TẬP HUẤN' is shown above the
page in the flow, it covers no element of the page, the full-screen display keeps all of its
screen in view below it (nothing pushed out, no scroll), and its clock moves at the rehearsal's
speed. Screenshots in tests/artifacts/screenshots/training-*.png."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from .conftest import SIZES, login, serve_panel, set_viewport, shot, wait_for

RECTS = """
const bar = document.querySelector('[data-training]').getBoundingClientRect();
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('[data-training]') || el.tagName === 'SCRIPT') continue;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none' || style.position === 'fixed') continue;
  if (r.top < bar.bottom - 0.5 && r.bottom > bar.top + 0.5 && r.left < bar.right && r.right > bar.left)
    out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.top) + '-' + Math.round(r.bottom));
}
return {bar: [bar.top, bar.bottom], covered: out, innerHeight: window.innerHeight,
        scrollH: document.documentElement.scrollHeight, scrollW: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth};
"""


@pytest.fixture(scope="module")
def training_panel(tmp_path_factory):
    yield from serve_panel(tmp_path_factory.mktemp("training-panel"), "127.0.0.4", "127.0.0.4",
                           overrides={"training": {"clock": "2026-12-08 07:30", "speed": 60}})


def check_bar(driver, name: str, full_screen: bool = False) -> None:
    bar = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "[data-training]"), message="the training bar")
    assert "CHẾ ĐỘ TẬP HUẤN" in bar.text and "nhanh gấp 60 lần" in bar.text
    geometry = driver.execute_script(RECTS)
    assert geometry["bar"][0] == 0 and geometry["covered"] == [], geometry
    assert geometry["scrollW"] <= geometry["innerWidth"], geometry
    if full_screen:
        assert geometry["scrollH"] <= geometry["innerHeight"], geometry
        root = driver.execute_script("return document.querySelector('.d-root').getBoundingClientRect().bottom")
        assert root <= geometry["innerHeight"] + 0.5
    shot(driver, name)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_training_bar_covers_nothing_and_keeps_the_display_in_view(browser, training_panel, size):
    panel = training_panel
    driver = browser
    set_viewport(driver, *SIZES[size])
    try:
        driver.get(f"{panel.alt_url}/display?token={panel.tokens['display']}")
        check_bar(driver, f"training-display-{size}", full_screen=True)
        clock = driver.find_element(By.CSS_SELECTOR, "[data-training-clock]")
        first = clock.text
        assert first.endswith("08/12/2026")
        wait_for(lambda: clock.text != first, message="the rehearsal clock to move on")   # a minute in 1 s
        # the display's own clock is the rehearsal's too: the day, and a minute a second
        day = driver.find_element(By.ID, "clock-date")
        assert day.text == "Thứ Ba, 08/12/2026", day.text
        hour = driver.find_element(By.ID, "clock-time")
        shown = hour.text
        wait_for(lambda: hour.text != shown, message="the display's clock to move at the rehearsal's speed")

        driver.get(f"{panel.alt_url}/kiosk?token={panel.tokens['kiosk']}")
        check_bar(driver, f"training-kiosk-{size}")

        login(driver, panel.url, "canbo1", panel.logins["canbo1"])
        driver.get(f"{panel.url}/counter/1")
        check_bar(driver, f"training-counter-{size}")
        driver.get(f"{panel.url}/dossiers?lang=en")
        bar = driver.find_element(By.CSS_SELECTOR, "[data-training]")
        assert "TRAINING MODE" in bar.text and "60× faster" in bar.text
        driver.get(f"{panel.url}/dossiers?lang=vi")
        check_bar(driver, f"training-dossiers-{size}")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
