"""The worker: queue, sim output, a printer that is gone (job kept, alert raised), reprint, boot slip."""
from __future__ import annotations

import os
import socket
import time

import pytest
from PIL import Image

from appliance import config
from appliance.config import ConfigError
from appliance.netinfo import mdns_name, panel_urls
from appliance.printer import JobNotFound, PrinterService, print_test, render_ticket
from appliance.printer.boot import announce_panel, boot_slip_due
from appliance.printer.connection import Connection, PrinterUnavailable
from appliance.printer.decode import reconstruct


def test_sim_stores_exact_bytes_and_picture(tmp_path, slip, make_settings, waiter, monkeypatch):
    monkeypatch.chdir(tmp_path)
    service = PrinterService(make_settings("sim://var/devices/printer", number_mode="raster"))
    service.start()
    try:
        job_id = service.submit(slip)
        job = waiter(lambda: (j := service.job(job_id))["state"] == "printed" and j)
        assert waiter(lambda: service.status()["state"] == "ok")
    finally:
        service.stop()
    out = tmp_path / "var/devices/printer"
    bins, pngs = sorted(out.glob("*.bin")), sorted(out.glob("*.png"))
    assert len(bins) == len(pngs) == 1 and job_id in bins[0].name
    data = bins[0].read_bytes()
    assert len(data) == job["bytes"]
    picture = Image.open(pngs[0]).convert("1")
    expected = render_ticket(slip, 576, service.options)
    assert picture.tobytes() == expected.tobytes() == reconstruct(data, 576).tobytes()


def test_sim_status_file_drills_paper_out(tmp_path, make_settings, waiter, bus_events):
    bus, seen = bus_events
    service = PrinterService(make_settings(f"sim://{tmp_path}"), bus)
    service.start()
    try:
        waiter(lambda: service.status()["state"] == "ok")
        (tmp_path / "status").write_text("out")
        waiter(lambda: service.status()["state"] == "error")
        (tmp_path / "status").write_text("low")
        waiter(lambda: service.status()["state"] == "warning")
    finally:
        service.stop()
    assert [e["state"] for e in seen][-3:] == ["ok", "error", "warning"]


def test_device_gone_keeps_the_job_and_raises_the_alert(tmp_path, slip, make_settings, waiter, bus_events):
    bus, seen = bus_events
    device = tmp_path / "lp0"          # file:///…/lp0 that does not exist: the printer is unplugged
    service = PrinterService(make_settings(f"file://{device}", retry_s=0.5), bus)
    service.start()
    try:
        started = time.monotonic()
        job_id = service.submit(slip)
        assert time.monotonic() - started < 0.05           # submit never blocks
        job = waiter(lambda: (j := service.job(job_id))["state"] == "failed" and j)
        assert job["attempts"] >= 2                        # retried within retry_s, then kept
        assert "A015" in job["error"] and "Số thứ tự vẫn có hiệu lực" in job["error"]
        st = service.status()
        assert st["state"] == "error" and st["last_job"]["id"] == job_id and st["last_error"]
        assert seen and seen[-1] == {"device": "printer", "state": "error", "message": st["message"]}
        assert "không tìm thấy máy in" in seen[-1]["message"]
        device.write_bytes(b"")                            # plugged back in
        waiter(lambda: service.status()["state"] != "error")
        again = service.reprint(job_id)
        waiter(lambda: service.job(again)["state"] == "printed")
        assert device.stat().st_size == service.job(again)["bytes"]
        assert service.job(job_id)["state"] == "failed"    # the old job stays listed as it was
    finally:
        service.stop()


def test_file_write_times_out_instead_of_hanging(tmp_path, slip):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)   # a printer that never takes the data
    try:
        conn = Connection(f"file://{fifo}", "TM-T20II", timeout_s=0.3, status_timeout_s=0.1)
        started = time.monotonic()
        with pytest.raises(PrinterUnavailable, match="thời gian chờ"):
            conn.send(b"\x00" * 300_000)
        assert time.monotonic() - started < 2
    finally:
        os.close(reader)


def test_disabled_printer(slip, bus_events):
    bus, seen = bus_events
    service = PrinterService(config.Printer(url=""), bus)
    service.start()
    job_id = service.submit(slip)
    service.stop()
    assert service.status()["state"] == "disabled" and "[printer].url" in service.status()["message"]
    assert service.job(job_id)["state"] == "skipped"
    assert seen == [{"device": "printer", "state": "disabled", "message": service.status()["message"]}]


def test_keeps_only_the_last_n_and_reprint_unknown(tmp_path, slip, make_settings):
    service = PrinterService(make_settings(f"sim://{tmp_path}"), keep_last=3)
    ids = [service.submit(slip) for _ in range(5)]   # not started: jobs wait in the queue
    assert [r["id"] for r in service.recent()] == ids[:1:-1]
    with pytest.raises(JobNotFound, match="Không còn phiếu in"):
        service.reprint(ids[0])
    service.start()
    service.stop()


def test_bad_settings_fail_at_construction():
    with pytest.raises(ConfigError, match=r"\[printer\]\.options\.cut"):
        PrinterService(config.Printer(url="sim://x", options={"cut": "half"}))
    with pytest.raises(ConfigError, match=r"\[printer\]\.url"):
        PrinterService(config.Printer(url="loop://"))


def test_boot_slip_once_per_boot(tmp_path, make_settings, waiter):
    boot_id = tmp_path / "boot_id"
    boot_id.write_text("aaaa\n")
    assert boot_slip_due(tmp_path / "state", boot_id) is True
    assert boot_slip_due(tmp_path / "state", boot_id) is False
    boot_id.write_text("bbbb\n")
    assert boot_slip_due(tmp_path / "state", boot_id) is True
    urls = panel_urls("0.0.0.0", 8080, ["192.168.1.20"], mdns="motcua-b9c1.local")
    assert urls == ["http://motcua-b9c1.local:8080", "http://192.168.1.20:8080"]
    assert panel_urls("0.0.0.0", 80, [], mdns="motcua-b9c1.local")[0] == "http://motcua-b9c1.local"
    # the machine's own name (set at first boot by `motcua hostname --apply`)
    assert panel_urls("0.0.0.0", 80, [])[0] == f"http://{socket.gethostname().split('.')[0].lower()}.local"
    assert mdns_name("motcua-b9c1") == "motcua-b9c1.local" and mdns_name("localhost") == "motcua.local"
    assert panel_urls("127.0.0.1", 9000) == ["http://127.0.0.1:9000"]  # no LAN address when not listening there
    service = PrinterService(make_settings(f"sim://{tmp_path / 'sim'}"))
    service.start()
    try:
        job_id = announce_panel(service, tmp_path / "state2", urls)
        assert job_id and waiter(lambda: service.job(job_id)["state"] == "printed")
        assert service.job(job_id)["kind"] == "boot"
    finally:
        service.stop()
    assert len(list((tmp_path / "sim").glob("*.png"))) == 1


def test_print_test_reports_in_vietnamese(tmp_path, fake_printer):
    settings = config.Settings().replace(printer={"url": fake_printer.url, "timeout_s": 1.0,
                                                  "options": {"status_timeout_s": 0.2, "retry_s": 0.5}})
    ok, report = print_test(settings)
    assert ok, report
    assert "Đã gửi phiếu in thử A015" in report and "9600 baud" in report and "sẵn sàng" in report
    fake_printer.mode = "out"
    ok, report = print_test(settings)
    assert not ok and "hết giấy" in report
    fake_printer.unplug()
    ok, report = print_test(settings)
    assert not ok and "Chưa in được phiếu" in report
    ok, report = print_test(config.Settings())
    assert not ok and "[printer].url" in report
