"""Citizen mirror benchmark: prints figures, never passes or fails.

Target (issue 6): mirror update p95 ≤ 300 ms end to end in Chromium — a keystroke in the
officer's form (keydown) → the typed text visible on the counter's mirror page (the mirror's DOM
holds it), both pages in one headless Chromium against the real panel on waitress.

Both pages stamp times with ``Date.now()`` (the same system clock): the officer page on each
keydown, the mirror page (a MutationObserver) whenever the value cell changes.

Run: ``.venv/bin/python -m bench.bench_mirror``
"""
from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from bench.stats import percentiles

WORDS = ("nguyễn thị hồng nhung", "trần văn đức", "lê thị ánh", "phạm quốc hưng")
KEY_DELAY_S = 0.12                     # a fast officer: about 8 characters a second

KEY_RECORDER_JS = """
window.__keys = [];
document.addEventListener('keydown', function (ev) { window.__keys.push(Date.now()); }, true);
"""

# Records every text the mirror ever shows (also proves that nothing from another counter appears).
MIRROR_RECORDER_JS = """
window.__seen = [];
const target = document.getElementById('mirror-form');
new MutationObserver(function () {
  const now = Date.now();
  document.querySelectorAll('#mirror-form .mirror-field').forEach(function (row) {
    const text = row.querySelector('.mirror-value').textContent;
    if (text) window.__seen.push({field: row.dataset.field, text: text, t: now,
                                  editing: row.classList.contains('editing')});
  });
}).observe(target, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def latencies(key_times: list[int], seen: list[dict], field: str, word: str) -> list[float]:
    """Seconds from each keydown to the first mirror text of ``field`` showing that prefix
    (or a longer one, when a faster typist's keystrokes were sent together)."""
    out = []
    shown = [(r["t"], r["text"]) for r in seen if r["field"] == field]
    for i, pressed in enumerate(key_times[-len(word):]):
        prefix = word[:i + 1]
        times = [t for t, text in shown if t >= pressed and text.startswith(prefix.rstrip() or prefix)
                 and len(text) >= len(prefix.rstrip())]
        if times:
            out.append((min(times) - pressed) / 1000)
    return out


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.server import make_server, shutdown
    from appliance.services import accounts

    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-mirror-"))
    settings = config.load(env={}, default_path=tmp / "none.toml", overrides={
        "storage": {"path": str(tmp / "motcua.db")}, "web": {"host": "127.0.0.1", "port": 8080}})
    appliance = Appliance(settings)
    logins = demo.seed(appliance)
    with appliance.units() as tx:
        display = accounts.add_token(tx, "bench-mirror", "mirror", counter_id=1)  # counter 1's citizen screen
    server = make_server(appliance, "127.0.0.1", 0)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    alt = f"http://localhost:{server.effective_port}"

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                 "--window-size=1366,768", f"--user-data-dir={tmp / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{alt}/mirror/1?token={display}")
        driver.execute_script(MIRROR_RECORDER_JS)
        mirror = driver.current_window_handle
        driver.switch_to.new_window("window")
        driver.get(base + "/login")
        driver.find_element(By.ID, "login").send_keys("canbo1")
        driver.find_element(By.ID, "password").send_keys(logins["canbo1"])
        driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
        time.sleep(0.5)
        driver.get(base + "/dossiers/new?procedure=1.001193&counter=1")
        driver.execute_script(KEY_RECORDER_JS)
        name = driver.find_element(By.ID, "f-requester_name")
        samples: list[float] = []
        for word in WORDS:
            name.clear()
            time.sleep(0.3)
            for ch in word:
                name.send_keys(ch)
                time.sleep(KEY_DELAY_S)
            time.sleep(0.5)
            keys = driver.execute_script("return window.__keys.slice();")
            driver.switch_to.window(mirror)
            seen = driver.execute_script("return window.__seen.slice();")
            samples += latencies(keys, seen, "requester_name", word)
            driver.switch_to.window(driver.window_handles[-1])
        typed = sum(len(w) for w in WORDS)
        print(f"mirror keystroke → visible (Chromium, waitress, SQLite autosave): {percentiles(samples)}")
        print(f"keystrokes typed {typed}, measured {len(samples)}; target p95 ≤ 300 ms")
    finally:
        driver.quit()
        shutdown(server, appliance)
        appliance.stop()


if __name__ == "__main__":
    main()
