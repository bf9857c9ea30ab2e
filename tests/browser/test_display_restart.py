"""The hall display survives the appliance being killed and started again (a real `motcua demo`
process): it says it is offline, comes back by itself, and shows and announces new calls."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .conftest import ROOT, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser
HOST = "127.0.0.2"  # loopback too, but a cookie jar apart from the other tests' 127.0.0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_demo(var: Path, port: int) -> subprocess.Popen:
    motcua = Path(sys.executable).with_name("motcua")
    log = open(var.parent / f"demo-{port}.log", "ab")
    proc = subprocess.Popen([str(motcua), "demo", "--dir", str(var), "--host", HOST, "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://{HOST}:{port}"

    def ready() -> bool:
        assert proc.poll() is None, f"motcua demo exited with {proc.returncode}"
        try:
            return requests.get(url + "/api/v1/health", timeout=5).ok
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            return False
    wait_for(ready, interval=0.2, message="motcua demo to answer")
    return proc


def staff_session(url: str, var: Path) -> requests.Session:
    logins = dict(line.split(": ", 1) for line in (var / "demo-logins.txt").read_text().splitlines())
    s = requests.Session()
    page = s.get(url + "/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = s.post(url + "/login", data={"csrf_token": csrf, "login": "canbo1", "password": logins["canbo1"]},
               timeout=30)
    assert r.ok and r.url.rstrip("/") == url
    # API writes from a logged-in browser carry the page's CSRF token
    s.headers["X-CSRFToken"] = re.search(r'<meta name="csrf-token" content="([^"]+)"', r.text).group(1)
    return s


def display_token(var: Path) -> str:
    import time

    from appliance.services import accounts
    from appliance.services.uow import NoListeners, Units
    from appliance.store.db import Database
    db = Database(str(var / "motcua.db"), 5000).open_checked()
    try:
        with Units(db, NoListeners(), time.time, lambda: False)() as tx:
            return accounts.add_token(tx, "TV sảnh", "display")
    finally:
        db.close()


def online(driver) -> bool:
    return driver.execute_script("return !!(window.MotcuaDisplay && window.MotcuaDisplay.online)")


def shown(driver, number: str) -> list:
    return driver.execute_script("return (window.MotcuaDisplay.log || []).filter(function (e) {"
                                 "return e.number === arguments[0]; });".replace("arguments[0]", repr(number)))


def test_display_reconnects_after_the_appliance_restarts(browser, tmp_path):
    driver = browser
    var = tmp_path / "var"
    port = free_port()
    url = f"http://{HOST}:{port}"
    proc = start_demo(var, port)
    try:
        token = display_token(var)
        driver.switch_to.new_window("tab")
        set_viewport(driver, 1920, 1080)
        driver.get(f"{url}/display?token={token}")
        wait_for(lambda: online(driver), message="the display online")
        staff = staff_session(url, var)
        first = staff.post(url + "/api/v1/counters/1/call-next", timeout=30).json()["number"]
        wait_for(lambda: shown(driver, first), message=f"{first} on the display")

        proc.kill()  # a crash, not a clean stop
        proc.wait(30)
        wait_for(lambda: not online(driver), message="the display to notice it is offline")
        assert driver.execute_script("return !document.getElementById('offline').hidden")
        shot(driver, "display-offline-1920x1080")

        proc = start_demo(var, port)
        wait_for(lambda: online(driver), interval=0.1, message="the display back online by itself")
        assert driver.execute_script("return document.getElementById('offline').hidden")
        staff = staff_session(url, var)
        staff.post(url + "/api/v1/counters/1/done", timeout=30)
        before = time.time()
        second = staff.post(url + "/api/v1/counters/1/call-next", timeout=30).json()["number"]
        entry = wait_for(lambda: shown(driver, second), message=f"{second} on the display after the restart")[0]
        assert entry["at"] / 1000 >= before and entry["replayed"] is False  # live, from the new stream
        expected = requests.get(f"{url}/audio/announce", params={"number": second, "counter": 1}, timeout=30).json()
        driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                    "window.Announcer.idle().then(function () { done(true); });")
        played = driver.execute_script("return window.Announcer.played.slice();")
        assert played[-len(expected):] == expected
        shot(driver, "display-after-restart-1920x1080")
    finally:
        proc.terminate()
        proc.wait(30)
        if len(driver.window_handles) > 1:
            driver.close()
            driver.switch_to.window(driver.window_handles[0])
