"""A whole appliance with its devices wired by ``attach_devices()``: simulated printer and pager by
default, gpiozero's MockFactory for the buttons and the fault lamp, audio off.

A test module changes a device by overriding the ``printer_url`` or ``pager_url`` fixture; the
top-level ``appliance``, ``client`` and ``live_server`` fixtures then use these settings.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from waiting import wait_until

from appliance.printer.fake_printer import FakeNetworkPrinter

GPIO = {
    "factory": "mock", "ticket_buttons": {"HT": 17, "CT": 27}, "call_buttons": {"1": 5, "2": 6},
    "fault_led": 18, "hold_recall_s": 0.3, "ticket_lockout_s": 0.5, "call_lockout_s": 0.5,
}
PRINTER_OPTIONS = {"poll_s": 0.1, "status_timeout_s": 0.2, "retry_s": 0.3}


def jtech_j1901_frame(system_id: int, pager: int) -> bytes:
    """The J1901 page written out by hand from docs (base 010, pager 0001 → FF FF FF 01 '0100001' 03 0D)."""
    return b"\xff\xff\xff\x01" + f"{system_id:03d}{pager:04d}".encode() + b"\x03\r"


def wait_for(predicate, timeout: float | None = None, step: float = 0.01):
    """The condition's first truthy value (a generous deadline: see tests/waiting.py)."""
    return wait_until(predicate, timeout, step)


@pytest.fixture
def printer_url(tmp_path: Path) -> str:
    return f"sim://{tmp_path / 'devices' / 'printer'}"


@pytest.fixture
def pager_url(tmp_path: Path) -> str:
    return f"sim://{tmp_path / 'devices' / 'pager'}"


@pytest.fixture
def settings(tmp_path: Path, printer_url: str, pager_url: str):
    from appliance import config
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")},
        "web": {"host": "127.0.0.1", "port": 8080},
        "queue": {"pager_pool": 10},
        "audio": {"enabled": False},
        "printer": {"url": printer_url, "timeout_s": 1.0, "options": PRINTER_OPTIONS},
        "pager": {"url": pager_url, "protocol": "jtech-j1901", "system_id": 10, "repeat_max": 0,
                  "options": {"dedup_s": 0}},
        "gpio": GPIO,
    })


@pytest.fixture
def statuses(appliance) -> list[dict]:
    """Every ``device.status`` payload published, from before the devices start."""
    seen: list[dict] = []
    appliance.bus.subscribe(lambda e: seen.append(e.payload), ["device.status"])
    return seen


@pytest.fixture
def running(appliance, statuses):
    """The seeded demo office with no one waiting, its devices attached and started."""
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    appliance.attach_devices()
    appliance.start()
    yield appliance          # the ``appliance`` fixture stops the devices and closes the database


@pytest.fixture
def board(running):
    return running.devices.get("gpio")


@pytest.fixture
def press(board):
    def finger(pin: int) -> None:
        """A finger on the button: falling edge, rising edge, then wait for the command to finish."""
        board.factory.pin(pin).drive_low()
        board.factory.pin(pin).drive_high()
        board.wait_idle()
    return finger


@pytest.fixture
def open_tickets(appliance):
    def rows() -> list[tuple]:
        sql = ("SELECT id, number, state, channel, pager, counter_id FROM tickets WHERE state != 'done' "
               "ORDER BY id")
        return [tuple(r) for r in appliance.db.conn().execute(sql)]
    return rows


@pytest.fixture
def loopback_printer():
    made: list[FakeNetworkPrinter] = []

    def make(port: int = 0, mode: str = "ok") -> FakeNetworkPrinter:
        made.append(FakeNetworkPrinter(port, mode=mode))
        return made[-1]
    yield make
    for printer in made:
        printer.close()


@pytest.fixture
def waiter():
    return wait_for


@pytest.fixture
def j1901():
    return jtech_j1901_frame
