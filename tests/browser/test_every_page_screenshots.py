"""Every page the two-language crawl finds, as the admin sees it, at 1366×768 and 1920×1080 in
Vietnamese and English: a screenshot each under tests/artifacts/screenshots/pages/ for a person to
look at, and no horizontal scroll."""
from __future__ import annotations

import re

import pytest

from .conftest import SCREENSHOTS, SIZES, login, set_viewport

pytestmark = pytest.mark.browser

NOT_PAGES = re.compile(r"^/(api|static|audio)/|\.(pdf|png|crt|wav|json|csv|xlsx|<\w+>)$|<")


def test_every_page_at_both_sizes_in_both_languages(browser, panel):
    from appliance.web import create_app
    app = create_app(panel.appliance, {"TESTING": True})
    pages = sorted({r.rule for r in app.url_map.iter_rules()
                    if "GET" in r.methods and not NOT_PAGES.search(r.rule) and not r.rule.startswith("/setup")})
    assert len(pages) >= 20
    driver = browser
    login(driver, panel.url, "admin", panel.logins["admin"])
    out = SCREENSHOTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    wide = []
    for size, (width, height) in SIZES.items():
        set_viewport(driver, width, height)
        for lang in ("vi", "en"):
            for path in pages:
                driver.get(f"{panel.url}{path}?lang={lang}")
                name = (path.strip("/").replace("/", "_") or "home") + f"-{lang}-{size}"
                driver.save_screenshot(str(out / f"{name}.png"))
                scroll = driver.execute_script("return document.documentElement.scrollWidth")
                if scroll > width + 1:
                    wide.append(f"{path} {lang} {size}: {scroll}px")
    driver.get(f"{panel.url}/?lang=vi")
    assert wide == []
