"""A network printer that answers 'paper out' (the real python-escpos Network connector against a
loopback fake): the fault lamp blinks while it lasts, tickets are still issued, and a new roll
turns the status back to ok and the lamp off."""
from __future__ import annotations

import time

import pytest


@pytest.fixture
def fake(loopback_printer):
    return loopback_printer(mode="out")


@pytest.fixture
def printer_url(fake) -> str:
    return f"tcp://127.0.0.1:{fake.port}"


def test_paper_out_lights_the_lamp_and_a_new_roll_puts_it_out(running, board, press, open_tickets, waiter, statuses,
                                                              fake, client):
    printer = running.devices.get("printer")
    status = waiter(lambda: (s := printer.status())["state"] == "error" and s)
    assert status["paper"] == "out" and status["message"].startswith("Máy in hết giấy")
    assert {"device": "printer", "state": "error", "message": status["message"]} in statuses
    waiter(lambda: True in [p.state for p in board.fault_led.pin.states])
    assert board.status()["faults"] == {"printer": status["message"]}

    press(17)                                        # the queue never waits for paper
    assert [row[1:4] for row in open_tickets()] == [("A004", "waiting", "button")]
    assert client.get("/api/v1/health").get_json()["devices"]["printer"]["paper"] == "out"

    fake.mode = "ok"                                 # a new roll
    waiter(lambda: printer.status()["state"] == "ok")
    waiter(lambda: board.status()["faults"] == {} and board.fault_led.pin.state is False)
    settled = len(board.fault_led.pin.states)
    time.sleep(0.6)
    assert len(board.fault_led.pin.states) == settled and not board.fault_led.is_lit
    assert [s["state"] for s in statuses if s["device"] == "printer"][-1] == "ok"
    waiter(lambda: fake.cuts >= 1)                   # the ticket went to the printer all the same
