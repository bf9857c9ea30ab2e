"""The real python-escpos Serial connector (pyserial) over a pty: print, unplug mid-job, replug."""
from __future__ import annotations

import threading

from appliance.printer import PrinterService, render_ticket
from appliance.printer.connection import Connection, PrinterUnavailable
from appliance.printer.decode import rasters, reconstruct
from appliance.printer.encode import encode
from appliance.printer.layout import ticket_plan
from appliance.printer.options import PrinterOptions
from appliance.printer.status import Reading


def test_job_bytes_arrive_and_decode_to_the_ticket(pty_port, slip, waiter):
    options = PrinterOptions(number_mode="raster")
    data = encode(ticket_plan(slip, 384, options), "POS-5890", options)
    conn = Connection(f"serial://{pty_port.link}?baudrate=115200", "POS-5890", 1.0, 0.2)
    try:
        conn.send(data)
        waiter(lambda: len(pty_port.received) >= len(data))
        assert bytes(pty_port.received) == data
        assert reconstruct(bytes(pty_port.received), 384).tobytes() == render_ticket(slip, 384, options).tobytes()
        assert conn.query() == Reading(True, "ok")
        pty_port.answer = {}
        assert conn.query() == Reading(None, "unknown")
    finally:
        conn.close()


def test_unplug_mid_job_raises_then_reopen_works(pty_port, slip, waiter):
    conn = Connection(f"serial://{pty_port.link}?baudrate=9600", "POS-5890", 0.5, 0.2)
    data = encode(ticket_plan(slip, 384), "POS-5890") * 20   # long enough to be cut off mid-way
    failure: list[Exception] = []
    pty_port.rate = 20000                     # a slow printer: the job takes seconds to go out

    def send():
        try:
            conn.send(data)
        except PrinterUnavailable as exc:
            failure.append(exc)

    try:
        t = threading.Thread(target=send)
        t.start()
        waiter(lambda: len(pty_port.received) > 4096)
        pty_port.unplug()                     # the cable is pulled while the job is going out
        t.join(5)
        assert not t.is_alive()
        assert failure and len(pty_port.received) < len(data)
        assert "rút" in str(failure[0]) or "thời gian chờ" in str(failure[0])
        assert not conn.is_open
        pty_port.received.clear()
        pty_port.rate = 0
        pty_port.plug()                       # plugged back: same stable path, new tty
        small = encode(ticket_plan(slip, 384), "POS-5890")
        conn.send(small)
        waiter(lambda: len(pty_port.received) >= len(small))
        assert rasters(bytes(pty_port.received))
    finally:
        conn.close()


def test_service_over_serial_survives_unplug(pty_port, slip, make_settings, waiter, bus_events):
    bus, seen = bus_events
    url = f"serial://{pty_port.link}?baudrate=115200"
    service = PrinterService(make_settings(url, profile="POS-5890", retry_s=0.3), bus)
    service.start()
    try:
        first = service.submit(slip)
        waiter(lambda: service.job(first)["state"] == "printed")
        pty_port.unplug()
        gone = service.submit(slip)
        job = waiter(lambda: (j := service.job(gone))["state"] == "failed" and j)
        assert "Số thứ tự vẫn có hiệu lực" in job["error"]
        assert waiter(lambda: seen and seen[-1]["state"] == "error")
        pty_port.received.clear()
        pty_port.plug()
        waiter(lambda: service.status()["state"] == "ok")
        again = service.reprint(gone)
        waiter(lambda: service.job(again)["state"] == "printed")
        waiter(lambda: len(pty_port.received) >= service.job(again)["bytes"])
    finally:
        service.stop()
    assert seen[-1]["state"] == "ok"
    assert [r["id"] for r in service.recent()][:3] == [again, gone, first]
