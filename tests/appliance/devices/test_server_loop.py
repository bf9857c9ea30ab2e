"""The whole appliance behind waitress with ``attach_devices()``: an HTTP call-next pages the ticket's
pager through the real serial transport onto a pty (JTECH J1901), and /api/v1/health reports the
printer, the pager, the GPIO board, the disk, the SMS modem (disabled here) and the
ready-result reminders."""
from __future__ import annotations

import pytest
import requests

from appliance.pager.fake_transmitter import FakeTransmitter


@pytest.fixture
def transmitter(tmp_path):
    with FakeTransmitter(link=tmp_path / "serial" / "by-id" / "usb-JTECH_J1901-if00") as fake:
        yield fake


@pytest.fixture
def pager_url(transmitter) -> str:
    return transmitter.url


def test_http_call_next_pages_the_pager_on_the_serial_port(running, live_server, auth, transmitter, j1901,
                                                           open_tickets):
    http = requests.Session()
    issued = http.post(f"{live_server}/api/v1/tickets", json={"service": "HT", "pager": "auto"},
                       headers=auth("kiosk"), timeout=5)
    assert issued.status_code == 201 and (issued.json()["number"], issued.json()["pager"]) == ("A004", 1)
    second = http.post(f"{live_server}/api/v1/tickets", json={"service": "HT", "pager": 7},
                       headers=auth("kiosk"), timeout=5).json()
    assert transmitter.received == b""               # issuing pages no one

    called = http.post(f"{live_server}/api/v1/counters/1/call-next", json={}, headers=auth("officer"), timeout=5)
    assert called.status_code == 200 and called.json()["number"] == "A004" and called.json()["state"] == "called"
    frame = j1901(10, 1)
    assert transmitter.wait_for(len(frame)) == frame == bytes.fromhex("ffffff0130313030303031030d")

    called = http.post(f"{live_server}/api/v1/counters/1/call-next", json={"finish_current": True},
                       headers=auth("officer"), timeout=5)
    assert called.json()["number"] == second["number"] == "A005"
    assert transmitter.wait_for(2 * len(frame)) == frame + j1901(10, 7)
    assert [row[1:5] for row in open_tickets()] == [("A005", "called", "kiosk", 7)]
    pager = running.devices.get("pager")
    assert pager.flush() and [e["pager"] for e in pager.recent() if e["result"] == "sent"] == [7, 1]
    assert pager.status()["state"] == "ok" and "jtech-j1901" in pager.status()["message"]


def test_health_lists_printer_pager_and_gpio(running, live_server, waiter):
    printer = running.devices.get("printer")
    waiter(lambda: printer.status()["state"] == "ok")
    answer = requests.get(f"{live_server}/api/v1/health", timeout=5)
    assert answer.status_code == 200
    report = answer.json()
    assert report["status"] == "ok" and report["database"]["state"] == "ok"
    devices = report["devices"]
    assert set(devices) == {"printer", "pager", "gpio", "disk", "sms", "reminders"}
    assert devices["disk"]["state"] == "ok"
    assert devices["reminders"]["state"] == "ok" and devices["reminders"]["message"].startswith("0 hồ sơ")
    assert devices["sms"]["state"] == "disabled"          # no modem configured: not an alarm
    assert devices["printer"]["state"] == "ok" and devices["printer"]["message"] == "Máy in sẵn sàng"
    assert devices["printer"]["device"].startswith("máy in mô phỏng")
    assert devices["pager"]["state"] == "ok" and devices["pager"]["protocol"] == "jtech-j1901"
    assert devices["pager"]["url"].startswith("serial://")
    gpio = devices["gpio"]
    assert gpio["state"] == "ok" and gpio["factory"] == "MockFactory" and gpio["fault_lamp"] is False
    assert {b["name"]: b["pin"] for b in gpio["buttons"]} == {"ticket:HT": 17, "ticket:CT": 27, "call:1": 5,
                                                             "call:2": 6}
    assert all(b["label"] and b["presses"] == 0 for b in gpio["buttons"])
