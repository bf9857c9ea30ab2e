"""The PDF links show progress while the paper prints (#18), in real Chromium: the print
preview's "Tải PDF" (same tab: the box stays until the PDF replaces the page) and the dossier
page's "PDF" (a new tab, never blank: the progress is written there before the PDF is asked for).
For the new tab the warm PDF browser is held busy by taking its lock in the test, so the progress
is seen for certain; once released, the PDF arrives from its real URL."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from appliance.web.dossiers import pdf

from .conftest import login, shot, wait_for
from .test_dossier_page_actions import new_dossier

pytestmark = pytest.mark.browser

PROGRESS = "return (document.getElementById('pdf-progress') || {}).textContent || ''"
# the test keeps a handle on the tab the page opens (window.open wrapped), to read it from the opener
KEEP_TAB = """const open = window.open;
window.open = function () { const tab = open.apply(window, arguments); window.keptTab = tab; return tab; };"""
TAB_PROGRESS = """const t = window.keptTab; if (!t || t.closed) return '';
try { const box = t.document.getElementById('pdf-progress'); return box ? box.textContent : ''; }
catch (e) { return 'gone'; }"""


def test_print_preview_pdf_link_shows_progress_until_the_pdf(browser, panel):
    driver = browser
    dossier = new_dossier(panel.appliance, "1.001193")
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(f"{panel.url}/dossiers/{dossier['code']}/print/to-khai")
    link = driver.find_element(By.CSS_SELECTOR, ".toolbar a[data-pdf]")
    assert link.text == "Tải PDF"
    # first click held on the page (a listener after the page's own cancels the navigation): the box
    driver.execute_script("window.holdClick = e => e.preventDefault(); window.addEventListener('click', holdClick);")
    link.click()
    text = wait_for(lambda: driver.execute_script(PROGRESS), message="the progress line")
    assert text.startswith("Đang tạo PDF…") and text.endswith(" s")
    wait_for(lambda: driver.execute_script(PROGRESS) != text, message="the seconds to move")
    shot(driver, "pdf-progress-1366x768-vi")
    # then for real: the PDF replaces the page
    driver.execute_script("window.removeEventListener('click', holdClick);")
    link.click()
    wait_for(lambda: driver.current_url.endswith("/print/to-khai.pdf"), message="the PDF to open")


def test_dossier_page_pdf_opens_a_tab_with_progress(browser, panel):
    driver = browser
    dossier = new_dossier(panel.appliance, "1.001193")
    login(driver, panel.url, "canbo1", panel.logins["canbo1"])
    driver.get(f"{panel.url}/dossiers/{dossier['code']}")
    first = driver.current_window_handle
    driver.execute_script(KEEP_TAB)
    link = driver.find_element(By.CSS_SELECTOR, "a[data-pdf][href$='/print/to-khai.pdf']")
    with pdf._LOCK:                                   # the PDF browser is busy with another paper
        link.click()
        text = wait_for(lambda: driver.execute_script(TAB_PROGRESS), message="the progress line in the tab")
        assert text.startswith("Đang tạo PDF…")
        wait_for(lambda: driver.execute_script(TAB_PROGRESS) not in ("", text), message="the seconds to move")
    tab = wait_for(lambda: [h for h in driver.window_handles if h != first], message="the new tab")[0]
    driver.switch_to.window(tab)
    wait_for(lambda: driver.current_url.endswith("/print/to-khai.pdf"), message="the PDF in the tab")
    driver.close()
    driver.switch_to.window(first)
