"""Ticket printing figures: bytes per ticket, render time, time on paper, submit-to-device latency.

Run: ``.venv/bin/python -m bench.bench_printer``. Prints figures; never passes or fails on time.
Targets (issue 4): ≤ 12 KB at 80 mm, ≤ 9 KB at 58 mm; render p95 ≤ 40 ms; end-to-end p95 ≤ 150 ms.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import datetime

from escpos.printer import Dummy

from appliance.config import Printer
from appliance.printer import PrinterService, TicketSlip, render_ticket
from appliance.printer.encode import encode
from appliance.printer.fake_printer import FakeNetworkPrinter
from appliance.printer.layout import ticket_plan
from appliance.printer.options import PrinterOptions
from appliance.printer.print_test import seconds_on_wire

SLIP = TicketSlip(office_name="UBND xã Dương Xá", service_name="Hộ tịch – Chứng thực", number="A015", ahead=4,
                  issued_at=datetime(2026, 11, 23, 8, 1), pager=7, estimated_wait_min=18,
                  qr="http://motcua.local/t/A015", footer_lines=("Xin cảm ơn!",))
WORST = replace(SLIP, office_name="Ủy ban nhân dân xã Nghĩa Hưng Đông huyện Ỷ Lan, tỉnh Nghệ An",
                service_name="Đăng ký khai sinh, kết hôn, khai tử và chứng thực bản sao", priority=True)
PAPERS = (("80 mm", "TM-T20II", 576, 12), ("58 mm", "POS-5890", 384, 9))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def full_page_bytes(width: int, profile: str) -> int:
    p = Dummy(profile=profile)
    p.image(render_ticket(SLIP, width), impl="bitImageRaster")
    return len(p.output)


def bytes_table() -> None:
    print("== Bytes per ticket (and time on the wire, 8N1) ==")
    print(f"{'paper':6} {'ticket':9} {'mode':7} {'bytes':>7} {'target':>7} {'9600 baud':>10} {'115200':>8}")
    for paper, profile, width, target_kb in PAPERS:
        for label, slip in (("typical", SLIP), ("worst", WORST)):
            for mode in ("text", "raster"):
                n = len(encode(ticket_plan(slip, width, PrinterOptions(number_mode=mode)), profile,
                               PrinterOptions(number_mode=mode)))
                print(f"{paper:6} {label:9} {mode:7} {n:7d} {target_kb * 1024:7d} "
                      f"{seconds_on_wire(n, 9600):9.1f}s {seconds_on_wire(n, 115200):7.2f}s")
        n = full_page_bytes(width, profile)
        print(f"{paper:6} {'typical':9} {'page':7} {n:7d} {'':7} {seconds_on_wire(n, 9600):9.1f}s "
              f"{seconds_on_wire(n, 115200):7.2f}s   (one full-width Pillow raster, for comparison)")


def render_times(n: int = 200) -> None:
    print(f"== Render time, {n} tickets each (ms) ==")
    for paper, profile, width, _ in PAPERS:
        render, total = [], []
        for i in range(n):
            slip = replace(SLIP, number=f"A{i:03d}", ahead=i % 30)
            t0 = time.perf_counter()
            plan = ticket_plan(slip, width)
            t1 = time.perf_counter()
            encode(plan, profile)
            t2 = time.perf_counter()
            render.append((t1 - t0) * 1000)
            total.append((t2 - t0) * 1000)
        print(f"{paper}: render p50 {statistics.median(render):.1f} p95 {pct(render, 95):.1f} | "
              f"render+encode p50 {statistics.median(total):.1f} p95 {pct(total, 95):.1f} (target p95 ≤ 40)")


def latency(n: int = 60) -> None:
    print(f"== Job submitted -> last byte handed to the device, {n} jobs over tcp:// loopback (ms) ==")
    for paper, profile, _, _ in PAPERS:
        fake = FakeNetworkPrinter()
        service = PrinterService(Printer(url=fake.url, profile=profile, timeout_s=2.0,
                                         options={"poll_s": 60.0}))
        service.start()
        samples = []
        try:
            for i in range(n):
                job_id = service.submit(replace(SLIP, number=f"A{i:03d}"))
                while (job := service.job(job_id))["state"] in ("queued", "printing"):
                    time.sleep(0.001)
                samples.append(job["latency_ms"])
        finally:
            service.stop()
            fake.close()
        print(f"{paper}: p50 {statistics.median(samples):.1f} p95 {pct(samples, 95):.1f} max {max(samples):.1f} "
              "(button press to last byte: see bench_loop)")


def main() -> None:
    bytes_table()
    render_times()
    latency()


if __name__ == "__main__":
    main()
