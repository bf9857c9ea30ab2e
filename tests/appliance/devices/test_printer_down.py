"""The printer is unreachable (tcp:// port with nothing listening): the button still issues and counts
the ticket, ``device.status`` carries the error, the GPIO fault lamp lights; when the printer comes
back on that port the status returns to ok and the lamp goes out."""
from __future__ import annotations

import socket
import time

import pytest


@pytest.fixture
def dead_port():
    """A port bound but not listening, so a connect is refused (and nobody else takes it)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


@pytest.fixture
def printer_url(dead_port) -> str:
    return f"tcp://127.0.0.1:{dead_port.getsockname()[1]}"


def lamp_states(board) -> list[bool]:
    return [state.state for state in board.fault_led.pin.states]


def test_printer_down_ticket_still_counts_and_the_fault_lamp_follows(running, board, press, open_tickets, waiter,
                                                                     statuses, dead_port, loopback_printer, client,
                                                                     auth):
    printer = running.devices.get("printer")
    waiter(lambda: printer.status()["state"] == "error")
    errors = [s for s in statuses if s["device"] == "printer" and s["state"] == "error"]
    assert errors and "Mất kết nối máy in mạng 127.0.0.1" in errors[-1]["message"]
    assert "không tìm thấy máy in" in errors[-1]["message"]
    waiter(lambda: True in lamp_states(board))                  # the lamp blinks
    assert "printer" in board.status()["faults"]

    press(17)
    assert [row[1:4] for row in open_tickets()] == [("A004", "waiting", "button")]
    job = waiter(lambda: (jobs := printer.recent()) and jobs[0]["state"] == "failed" and jobs[0])
    assert job["number"] == "A004" and "Số thứ tự vẫn có hiệu lực" in job["error"]
    queue = client.get("/api/v1/queue", headers=auth("display")).get_json()
    assert {s["code"]: s["waiting"] for s in queue["services"]}["HT"] == 1      # counted as waiting
    health = client.get("/api/v1/health").get_json()
    assert health["status"] == "error" and health["devices"]["printer"]["state"] == "error"
    assert "printer" in health["devices"]["gpio"]["faults"]

    port = dead_port.getsockname()[1]
    dead_port.close()
    fake = loopback_printer(port)                               # plugged back in
    waiter(lambda: printer.status()["state"] == "ok")
    assert statuses[-1]["device"] == "printer" and statuses[-1]["state"] == "ok"
    waiter(lambda: board.status()["faults"] == {} and not board.fault_led.is_lit)
    settled = len(board.fault_led.pin.states)
    time.sleep(0.6)                                             # longer than one blink: it stays dark
    assert len(board.fault_led.pin.states) == settled and board.fault_led.pin.state is False

    again = printer.reprint(job["id"])                          # staff reprint the lost ticket
    waiter(lambda: printer.job(again)["state"] == "printed")
    waiter(lambda: fake.cuts == 1)

