"""LAN panel benchmark: prints figures, never passes or fails.

Targets (issue 3):
- call → display update over SSE: p95 ≤ 150 ms with 10 displays connected (API call-next sent →
  ``ticket.called`` received by each SSE client, over real HTTP to waitress);
- counter page first render ≤ 300 ms (HTTP, and in headless Chromium when it is installed);
- 30 concurrent SSE clients do not starve the panel (API latency with 0 and with 30 clients;
  waitress threads from ``settings.web.threads``).

Run: ``.venv/bin/python -m bench.bench_panel``
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

CALLS = 40
RENDERS = 30


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:<58} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  p95={pct(ms, 95):7.1f} ms  "
          f"max={max(ms):7.1f} ms")


class SSEClient(threading.Thread):
    """A display: one raw HTTP/1.0 connection to /api/v1/events, noting when each call arrives."""

    def __init__(self, host: str, port: int, token: str):
        super().__init__(daemon=True)
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(f"GET /api/v1/events HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
                          f"Authorization: Bearer {token}\r\n\r\n".encode())
        self.seen: dict[str, float] = {}
        self.ready = threading.Event()
        self.cond = threading.Condition()

    def run(self) -> None:
        stream = self.sock.makefile("rb")
        try:
            for raw in stream:
                line = raw.decode("utf-8", "replace")
                if line.startswith("event: hello"):
                    self.ready.set()
                if line.startswith("data: ") and '"ticket.called"' in line:
                    now = time.perf_counter()
                    number = json.loads(line[6:])["payload"]["ticket"]["number"]
                    with self.cond:
                        self.seen[number] = now
                        self.cond.notify_all()
        except OSError:
            pass

    def wait_for(self, number: str, timeout: float = 5.0) -> float | None:
        with self.cond:
            self.cond.wait_for(lambda: number in self.seen, timeout)
            return self.seen.get(number)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def start_panel(tmp: Path):
    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.server import make_server
    from appliance.services import accounts
    settings = config.load(env={}, default_path=tmp / "none.toml", overrides={
        "storage": {"path": str(tmp / "motcua.db")}, "web": {"host": "127.0.0.1", "port": 8080}})
    appliance = Appliance(settings)
    logins = demo.seed(appliance)
    with appliance.units() as tx:
        tokens = {role: accounts.add_token(tx, f"bench-{role}", role) for role in ("display", "officer")}
    for _ in range(CALLS + 60):
        appliance.engine.issue("HT", channel="bench")
    server = make_server(appliance, "127.0.0.1", 0)

    def serve() -> None:
        try:
            server.run()
        except (OSError, ValueError):  # the sockets closed under the loop at shutdown
            pass
    threading.Thread(target=serve, daemon=True).start()
    return appliance, server, logins, tokens


def staff_session(url: str, password: str) -> requests.Session:
    s = requests.Session()
    page = s.get(url + "/login").text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    s.post(url + "/login", data={"csrf_token": csrf, "login": "canbo1", "password": password})
    return s


def api_latency(url: str, officer: dict, label: str) -> None:
    s = requests.Session()
    reads, calls = [], []
    for _ in range(40):
        t = time.perf_counter()
        s.get(url + "/api/v1/queue", headers=officer).raise_for_status()
        reads.append(time.perf_counter() - t)
    for _ in range(10):
        t = time.perf_counter()
        s.post(url + "/api/v1/counters/2/call-next", json={"finish_current": True}, headers=officer).raise_for_status()
        calls.append(time.perf_counter() - t)
    summary(f"GET /api/v1/queue, {label}", reads)
    summary(f"POST call-next, {label}", calls)


def chromium_render(url: str, password: str) -> None:
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        print("counter page in Chromium: skipped (no /usr/bin/chromium)")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    profile = tempfile.mkdtemp(prefix="motcua-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1366,768"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url + "/login")
        driver.find_element(By.ID, "login").send_keys("canbo1")
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
        time.sleep(0.3)
        fcp, loaded = [], []
        for _ in range(10):
            driver.get(url + "/counter/1")
            timing = driver.execute_script(
                "var n = performance.getEntriesByType('navigation')[0];"
                "var p = performance.getEntriesByName('first-contentful-paint')[0];"
                "return {fcp: p ? p.startTime : null, dcl: n.domContentLoadedEventEnd};")
            if timing["fcp"] is not None:
                fcp.append(timing["fcp"] / 1000)
            loaded.append(timing["dcl"] / 1000)
        if fcp:
            summary("counter page in Chromium: first contentful paint", fcp)
        summary("counter page in Chromium: DOMContentLoaded", loaded)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    import logging
    logging.disable(logging.INFO)
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-panel-"))
    appliance, server, logins, tokens = start_panel(tmp)
    port = server.effective_port
    url = f"http://127.0.0.1:{port}"
    officer = {"Authorization": f"Bearer {tokens['officer']}"}
    clients: list[SSEClient] = []
    print(f"motcua panel benchmark — waitress threads={appliance.settings.web.threads}, {url}")
    try:
        api_latency(url, officer, "no SSE client")

        for _ in range(10):
            c = SSEClient("127.0.0.1", port, tokens["display"])
            c.start()
            clients.append(c)
        for c in clients:
            c.ready.wait(5)
        api = requests.Session()
        delays, misses = [], 0
        for _ in range(CALLS):
            t0 = time.perf_counter()
            r = api.post(url + "/api/v1/counters/1/call-next", json={"finish_current": True}, headers=officer)
            r.raise_for_status()
            number = r.json()["number"]
            for c in clients:
                got = c.wait_for(number)
                if got is None:
                    misses += 1
                else:
                    delays.append(got - t0)
        summary("call-next sent → ticket.called at each of 10 displays", delays)
        print(f"{'  events not received within 5 s':<58} {misses}")

        session = staff_session(url, logins["canbo1"])
        renders, server_side = [], []
        for _ in range(RENDERS):
            t = time.perf_counter()
            r = session.get(url + "/counter/1")
            r.raise_for_status()
            renders.append(time.perf_counter() - t)
            server_side.append(float(r.headers["Server-Timing"].split("dur=")[1]) / 1000)
        summary("counter page over HTTP (request → full HTML), 10 SSE open", renders)
        summary("counter page server render (Server-Timing)", server_side)
        chromium_render(url, logins["canbo1"])

        for _ in range(20):
            c = SSEClient("127.0.0.1", port, tokens["display"])
            c.start()
            clients.append(c)
        for c in clients:
            c.ready.wait(5)
        print(f"{'SSE clients connected':<58} {sum(c.ready.is_set() for c in clients)}")
        api_latency(url, officer, "30 SSE clients connected")
        t = time.perf_counter()
        session.get(url + "/counter/1").raise_for_status()
        summary("counter page over HTTP, 30 SSE clients connected", [time.perf_counter() - t])
    finally:
        for c in clients:
            c.close()
        from appliance.server import shutdown
        shutdown(server, appliance)
        appliance.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
