"""The kiosk in real Chromium: the service first, then a second step that cannot be missed, with the
priority choices as big as the service buttons; each service names its procedures; the priority
chosen is the ticket's. Screenshots at 1366×768 and 1920×1080."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from .conftest import SIZES, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def size_of(el) -> tuple[float, float]:
    r = el.rect
    return r["width"], r["height"]


@pytest.mark.parametrize("size", list(SIZES))
def test_service_first_then_priority_as_big_as_the_services(browser, panel, size):
    driver = browser
    set_viewport(driver, *SIZES[size])
    driver.get(f"{panel.alt_url}/kiosk?token={panel.tokens['kiosk']}")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "a.k-service"), message="the kiosk")
    services = driver.find_elements(By.CSS_SELECTOR, "a.k-service")
    assert [s.get_attribute("data-service") for s in services] == ["HT", "CT", "XH"]
    ht = services[0].text
    assert "Đăng ký khai sinh" in ht and "Đăng ký kết hôn" in ht       # what the service covers
    assert driver.find_elements(By.CSS_SELECTOR, "input[name=priority]") == []
    service_w, service_h = size_of(services[0])
    for s in services:                                                # nothing off screen
        assert s.rect["y"] + s.rect["height"] <= SIZES[size][1]
    shot(driver, f"kiosk-start-{size}")

    services[1].click()                                               # Chứng thực
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".k-priorities"), message="the second step")
    assert "Bạn có thuộc diện ưu tiên không?" in driver.find_element(By.TAG_NAME, "h1").text
    assert "Chứng thực" in driver.find_element(By.CSS_SELECTOR, ".k-chosen").text
    buttons = driver.find_elements(By.CSS_SELECTOR, ".k-priorities button")
    assert len(buttons) == 6
    min_h = float(driver.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('.k-priorities .k-service')).minHeight)"))
    assert min_h >= 0.155 * SIZES[size][1]                            # the services' own minimum: 16vh
    for b in buttons:                                                 # touch targets as big as the services
        w, h = size_of(b)
        assert h >= min_h - 1 and w >= min(service_w, 300) * 0.9, (b.text, w, h, service_w, service_h)
        assert b.rect["y"] + b.rect["height"] <= SIZES[size][1], b.text
    shot(driver, f"kiosk-priority-step-{size}")
    driver.find_element(By.CSS_SELECTOR, "button[data-priority='người khuyết tật']").click()
    number = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "[data-ticket-number]"),
                      message="the number")[0].text
    assert "Ưu tiên" in driver.find_element(By.CSS_SELECTOR, ".k-service-name").text
    row = panel.appliance.db.conn().execute("SELECT priority, priority_reason FROM tickets WHERE number = ? "
                                            "ORDER BY id DESC", (number,)).fetchone()
    assert tuple(row) == (1, "người khuyết tật")
    # "Chọn lại lĩnh vực" goes back without a ticket
    driver.get(f"{panel.alt_url}/kiosk/service/HT")
    driver.find_element(By.CSS_SELECTOR, ".k-back-step").click()
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "a.k-service"), message="back to the services")
