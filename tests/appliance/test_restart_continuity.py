"""A real `motcua serve` killed with SIGKILL and started again on the same SQLite file: event ids
keep increasing for a standard SSE client (docs/events.md), and a ready pager's reminders resume
(docs/pager.md)."""
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from sse_client import start_reader, wait_for
from waiting import DEADLINE

MOTCUA = [sys.executable, "-m", "appliance.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env, input_=None):
    return subprocess.run(MOTCUA + args, env=env, input=input_, capture_output=True, text=True, timeout=60)


@pytest.fixture
def office(tmp_path):
    """An initialised office with one service and counter; ``extra`` config appended by the test."""
    port = free_port()
    cfg = tmp_path / "config.toml"
    pages = tmp_path / "pager-sim"

    def write(extra: str = "") -> None:
        cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n'
                       f'[web]\nhost = "127.0.0.1"\nport = {port}\n[gpio]\nfactory = "none"\n'
                       f'[pager]\nurl = "sim://{pages}"\nprotocol = "jtech-j1901"\n{extra}', encoding="utf-8")
    write()
    env = {**os.environ, "MOTCUA_CONFIG": str(cfg)}
    assert run(["init"], env).returncode == 0
    assert run(["service", "add", "HT", "Hộ tịch", "--prefix", "A"], env).returncode == 0
    assert run(["counter", "add", "1", "Quầy 1", "--services", "HT"], env).returncode == 0
    tokens = {role: run(["token", "add", f"t-{role}", "--role", role], env).stdout.strip()
              for role in ("kiosk", "display")}
    return {"port": port, "env": env, "tokens": tokens, "pages": pages / "pages.jsonl", "write": write,
            "base": f"http://127.0.0.1:{port}"}


def start_server(office):
    proc = subprocess.Popen(MOTCUA + ["serve"], env=office["env"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"{office['base']}/api/v1/health", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the server did not start")


def kill(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def stop(proc) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0


def bearer(office, role):
    return {"Authorization": f"Bearer {office['tokens'][role]}"}


def issue(office) -> dict:
    r = requests.post(f"{office['base']}/api/v1/tickets", json={"service": "HT"}, headers=bearer(office, "kiosk"),
                      timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def test_event_ids_keep_increasing_across_a_sigkill(office):
    proc = start_server(office)
    out, halt = start_reader(f"{office['base']}/api/v1/events", bearer(office, "display"))
    wait_for(out, lambda e: e.get("event") == "hello")
    first = issue(office)
    seen = wait_for(out, lambda e: e.get("event") == "ticket.issued")[1]
    assert seen["data"]["payload"]["ticket"]["id"] == first["id"]
    assert seen["data"]["id"] == seen["id"]                      # the envelope {id, type, at, payload}
    assert set(seen["data"]) == {"id", "type", "at", "payload"}
    last_seen = seen["id"]
    kill(proc)
    halt.set()
    proc = start_server(office)
    try:
        # a standard client resumes with Last-Event-ID: it is told to resync (what happened between
        # its last event and the crash is gone), and then hears every new event, ids above its floor
        headers = {**bearer(office, "display"), "Last-Event-ID": str(last_seen)}
        out, halt = start_reader(f"{office['base']}/api/v1/events", headers)
        hello = wait_for(out, lambda e: e.get("event") == "hello")[1]
        assert hello["data"]["last_id"] > last_seen
        wait_for(out, lambda e: e.get("event") == "resync")
        second = issue(office)
        event = wait_for(out, lambda e: e.get("event") == "ticket.issued")[1]
        assert event["data"]["payload"]["ticket"]["id"] == second["id"]
        assert event["id"] > last_seen
        # a client that saw the new event resumes without a resync, and gets what it missed
        headers["Last-Event-ID"] = str(event["id"])
        halt.set()
        third = issue(office)
        out, halt = start_reader(f"{office['base']}/api/v1/events", headers)
        replayed = wait_for(out, lambda e: e.get("event") in ("ticket.issued", "resync"))[1]
        assert replayed["event"] == "ticket.issued" and replayed["data"]["payload"]["ticket"]["id"] == third["id"]
        halt.set()
    finally:
        stop(proc)
