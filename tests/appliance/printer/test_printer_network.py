"""The real python-escpos Network connector against a loopback fake printer."""
from __future__ import annotations

from appliance.printer import PrinterService
from appliance.printer.connection import Connection, PrinterUnavailable
from appliance.printer.decode import rasters
from appliance.printer.status import Reading


def test_status_queries_ok_paper_out_and_silence(fake_printer):
    conn = Connection(fake_printer.url, "TM-T20II", timeout_s=1.0, status_timeout_s=0.2)
    try:
        assert conn.query() == Reading(True, "ok")
        fake_printer.mode = "low"
        assert conn.query() == Reading(True, "low")
        fake_printer.mode = "out"
        assert conn.query() == Reading(False, "out")
        fake_printer.mode = "silent"
        assert conn.query() == Reading(None, "unknown")   # an empty reply is not 'ok'
    finally:
        conn.close()
    assert fake_printer.queries[:2] == [1, 4]


def test_nobody_listening_is_unavailable_in_vietnamese(fake_printer):
    url = fake_printer.url
    fake_printer.unplug()
    conn = Connection(url, "TM-T20II", timeout_s=0.5, status_timeout_s=0.2)
    try:
        conn.query()
    except PrinterUnavailable as exc:
        assert "không tìm thấy máy in" in str(exc)
    else:
        raise AssertionError("máy in không tồn tại mà vẫn trả lời")


def test_service_prints_exact_bytes_and_reports_status(fake_printer, slip, make_settings, waiter, bus_events):
    bus, seen = bus_events
    service = PrinterService(make_settings(fake_printer.url), bus)
    service.start()
    try:
        job_id = service.submit(slip)
        job = waiter(lambda: (j := service.job(job_id)) and j["state"] == "printed" and j)
        waiter(lambda: len(fake_printer.received) >= job["bytes"] - 6)
        assert job["latency_ms"] is not None and job["bytes"] < 12 * 1024
        images = rasters(bytes(fake_printer.received))
        assert len(images) >= 8
        st = waiter(lambda: (s := service.status())["state"] == "ok" and s)
        assert st["online"] is True and st["paper"] == "ok" and st["queue"] == 0
        fake_printer.mode = "out"
        st = waiter(lambda: (s := service.status())["state"] == "error" and s)
        assert st["paper"] == "out" and "hết giấy" in st["message"]
        fake_printer.mode = "silent"
        st = waiter(lambda: (s := service.status())["state"] == "unknown" and s)
        assert st["online"] is None and st["paper"] == "unknown"
    finally:
        service.stop()
    states = [e["state"] for e in seen]
    assert states[:1] in (["ok"], ["unknown"]) and "error" in states and states[-1] == "unknown"
    assert all(e["device"] == "printer" and e["message"] for e in seen)


def test_unplug_and_replug_reconnects_by_itself(fake_printer, slip, make_settings, waiter, bus_events):
    bus, seen = bus_events
    service = PrinterService(make_settings(fake_printer.url, retry_s=0.3), bus)
    service.start()
    try:
        waiter(lambda: service.status()["state"] == "ok")
        fake_printer.unplug()
        waiter(lambda: service.status()["state"] == "error")
        lost = service.submit(slip)
        job = waiter(lambda: (j := service.job(lost))["state"] == "failed" and j)
        assert "Số thứ tự vẫn có hiệu lực" in job["error"]
        fake_printer.plug()
        waiter(lambda: service.status()["state"] == "ok")
        again = service.reprint(lost)
        assert waiter(lambda: service.job(again)["state"] == "printed")
        assert service.job(again)["reprint_of"] == lost
    finally:
        service.stop()
    assert [e["state"] for e in seen].count("error") >= 1
