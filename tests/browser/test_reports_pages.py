"""/reports in real Chromium at 1366×768, on screen and as printed: a reporting year of a busy office
(tickets, ratings, dossiers), every table with its download links, the server-drawn SVG charts
inside the page (no horizontal scroll, every chart fully visible, its bars and labels drawn), Biểu
II.06a on one landscape sheet. Screenshots in tests/artifacts/screenshots/reports-*.png."""
from __future__ import annotations

import random

import pytest
from selenium.webdriver.common.by import By

from appliance.domain import report_periods

from .conftest import login, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

CHARTS_JS = """
return Array.from(document.querySelectorAll('svg.chart')).map(function (svg) {
  const r = svg.getBoundingClientRect();
  return {w: r.width, h: r.height, left: r.left, right: r.right,
          shapes: svg.querySelectorAll('rect, path, polyline, line, circle').length,
          texts: Array.from(svg.querySelectorAll('text')).map(t => t.textContent).filter(t => t.trim()).length,
          title: (svg.querySelector('title') || {}).textContent || ''};
});
"""


@pytest.fixture(scope="module")
def year_office(own_panel):
    from bench.bench_reports import fill
    appliance = own_panel.appliance
    today = appliance.reports.today()
    period = report_periods.current("report_year", today)
    fill(appliance, period, 6_000, 2_400, random.Random(14))
    return own_panel, period


def page_checks(driver) -> list[dict]:
    width = driver.execute_script("return document.documentElement.clientWidth")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width + 1, "horizontal scroll"
    charts = driver.execute_script(CHARTS_JS)
    for c in charts:
        assert c["w"] > 200 and c["h"] > 30, c
        assert c["left"] >= 0 and c["right"] <= width + 1, c
        assert c["shapes"] >= 3 and c["texts"] >= 2, c
    return charts


def test_reports_page_and_charts_at_1366(browser, year_office):
    panel, period = year_office
    login(browser, panel.url, "canbo1", panel.logins["canbo1"])
    set_viewport(browser, 1366, 768)
    browser.get(f"{panel.url}/reports?ky=report_year&ma={period.key}")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "svg.chart"), message="the charts")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Kỳ báo cáo năm" in body and "Biểu II.06a" in body
    charts = page_checks(browser)
    assert len(charts) >= 5
    links = [a.get_attribute("href")
             for a in browser.find_elements(By.CSS_SELECTOR, "a[href*='.xlsx'], a[href*='.csv']")]
    assert any("tat-ca.xlsx" in h for h in links) and sum(".csv" in h for h in links) >= 8
    shot(browser, "reports-year-1366x768")
    browser.execute_script("window.scrollTo(0, document.querySelector('svg.chart').getBoundingClientRect().top"
                           " + window.scrollY - 20)")
    shot(browser, "reports-year-charts-1366x768")
    # printed: black on white, the charts still there and inside the page
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        page_checks(browser)
        shot(browser, "reports-year-print-1366x768")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.get(f"{panel.url}/reports?ky=today&lang=en")
    wait_for(lambda: "Reports" in browser.find_element(By.TAG_NAME, "body").text or
             "report" in browser.find_element(By.TAG_NAME, "body").text.lower(), message="the English page")
    page_checks(browser)
    shot(browser, "reports-today-en-1366x768")


def test_ii06a_sheet_at_1366(browser, year_office):
    panel, period = year_office
    login(browser, panel.url, "canbo1", panel.logins["canbo1"])
    set_viewport(browser, 1366, 768)
    browser.get(f"{panel.url}/reports/ii06a?ky=report_year&ma={period.key}&nhan=UBND huyện Gia Lâm")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "table.ii06a"), message="the form")
    numbers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.ii06a tr.numbers th")]
    assert numbers == [f"({n})" for n in range(1, 14)]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.ii06a tbody tr")
    assert len(rows) >= 2
    first = [td.text for td in rows[0].find_elements(By.TAG_NAME, "td")]
    assert first[0] == "1" and int(first[2].replace(".", "")) > 0
    table = browser.find_element(By.CSS_SELECTOR, "table.ii06a").rect
    assert table["x"] >= 0 and table["x"] + table["width"] <= 1366
    assert "UBND huyện Gia Lâm" in browser.find_element(By.TAG_NAME, "body").text
    shot(browser, "reports-ii06a-1366x768")
