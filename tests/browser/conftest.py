"""Real headless Chromium (Selenium) against the real panel on waitress.

- ``browser``: one Chromium for the whole session, /usr/bin/chromium driven by
  /usr/bin/chromedriver (given explicitly: Selenium Manager never downloads anything), a fresh
  profile, the performance log on (every URL the pages request is checked to be local).
- ``panel``: one appliance (demo office, real clock) served by waitress on a free port.
- ``shot(driver, name)``: saves a screenshot under tests/artifacts/screenshots/.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from waiting import DEADLINE, wait_until

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
LOCAL_HOST = re.compile(r"^(127(\.\d{1,3}){3}|localhost|\[::1\])$")


def chromium_options(profile: str) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=1366,768",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return options


@pytest.fixture(scope="session")
def browser():
    profile = tempfile.mkdtemp(prefix="motcua-chromium-")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=chromium_options(profile))
    driver.set_page_load_timeout(DEADLINE)
    driver.set_script_timeout(DEADLINE)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def requested_urls(driver) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's performance log, CDP events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message.get("method") == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def non_local(urls: list[str]) -> list[str]:
    bad = []
    for url in urls:
        parts = urlsplit(url)
        # chrome-extension: Chromium's own PDF viewer showing a paper the panel printed
        if parts.scheme in ("data", "blob", "about", "chrome", "chrome-untrusted", "chrome-search", "devtools",
                            "chrome-extension"):
            continue
        if not LOCAL_HOST.match(parts.hostname or ""):
            bad.append(url)
    return bad


@pytest.fixture(autouse=True)
def only_loopback(request):
    """After each browser test: no page asked for anything outside loopback."""
    yield
    if "browser" in request.fixturenames:
        driver = request.getfixturevalue("browser")
        urls = requested_urls(driver)
        assert urls, "the performance log recorded no request at all"
        assert non_local(urls) == [], "pages requested non-local URLs"


def shot(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def set_viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def wait_for(predicate, timeout: float | None = None, interval: float = 0.05, message: str = "condition"):
    """Poll ``predicate`` until it is truthy (a generous deadline: see tests/waiting.py). While a page
    is navigating, the element it looks at may be missing or stale: that counts as "not yet", not
    as a failure."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    return wait_until(predicate, timeout, interval, message,
                      ignore=(NoSuchElementException, StaleElementReferenceException))


@dataclass
class Panel:
    url: str            # http://127.0.0.1:PORT (staff)
    alt_url: str        # http://localhost:PORT (a second cookie jar: the hall TV)
    appliance: object
    logins: dict
    tokens: dict


def serve_panel(tmp, host: str = "127.0.0.1", alt_host: str = "localhost", overrides: dict | None = None):
    """A demo appliance over SQLite in ``tmp``, served by waitress on a free port of ``host`` (a
    generator: yields the Panel, then shuts it down); ``overrides``: more settings (``training``)."""
    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.server import make_server, shutdown
    from appliance.services import accounts
    settings = config.load(env={}, default_path=tmp / "none.toml", overrides={
        "storage": {"path": str(tmp / "motcua.db")}, "web": {"host": "127.0.0.1", "port": 8080},
        **(overrides or {})})
    appliance = Appliance(settings)
    logins = demo.seed(appliance)
    tokens = {}
    with appliance.units() as tx:
        for role in ("display", "kiosk"):
            tokens[role] = accounts.add_token(tx, f"browser-{role}", role)
    server = make_server(appliance, host, 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    port = server.effective_port
    url = f"http://{host}:{port}"
    wait_for(lambda: requests.get(url + "/api/v1/health", timeout=2).ok, message="the panel")
    yield Panel(url, f"http://{alt_host}:{port}", appliance, logins, tokens)
    shutdown(server, appliance)
    thread.join(timeout=5)
    appliance.stop()


@pytest.fixture(scope="session")
def panel(tmp_path_factory):
    yield from serve_panel(tmp_path_factory.mktemp("panel"))


@pytest.fixture(scope="module")
def own_panel(tmp_path_factory):
    """A panel of the module's own, for tests that change the office's state (counters paused,
    numbers called) which the shared ``panel``'s other tests must not see; on 127.0.0.3, so its
    cookies (logins, the TV's device token) are a jar apart from the shared panel's."""
    yield from serve_panel(tmp_path_factory.mktemp("own-panel"), "127.0.0.3", "127.0.0.3")


def login(driver, base: str, name: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    driver.get(base + "/login")
    driver.delete_all_cookies()  # whoever was logged in on this host before
    driver.get(base + "/login")
    driver.find_element(By.ID, "login").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_for(lambda: "/login" not in driver.current_url, message="the login to finish")
