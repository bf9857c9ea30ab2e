"""The whole device loop, through the real wiring (``Appliance.attach_devices()``): prints figures only.

1. Ticket button (MockFactory falling edge) → ticket issued in SQLite → ``ticket.issued`` → printer
   worker renders and encodes → python-escpos Network connector → the job's cut read by the loopback
   :class:`~appliance.printer.fake_printer.FakeNetworkPrinter` on tcp://127.0.0.1:PORT. Target (issue 4): p95 ≤ 150 ms.
2. Counter call button (MockFactory edge), and ``POST /api/v1/counters/1/call-next`` through waitress
   → ``ticket.called`` → pager worker → pyserial → the page's last byte read on the far side of a pty
   (:class:`FakeTransmitter`, JTECH J1901). Target (issue 5): p99 ≤ 50 ms.

Each leg runs on its own appliance (a temporary SQLite file, real clock, audio off) so the other
device's worker does not share the CPU: the printer is off in leg 2, the pager in leg 1.

Run: ``.venv/bin/python -m bench.bench_loop [N]`` (N samples per leg; default 100 and 300).
"""
from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from appliance import config, demo
from appliance.pager import make_encoder
from appliance.pager.fake_transmitter import FakeTransmitter
from appliance.printer.fake_printer import FakeNetworkPrinter
from appliance.runtime import Appliance
from appliance.server import make_server, shutdown
from appliance.services import accounts

from .bench_pager import measure_latency
from .stats import percentiles

PRINTER_SAMPLES = 100
PAGER_SAMPLES = 300
TICKET_PIN, CALL_PIN = 17, 5


@contextlib.contextmanager
def office(var: Path, **sections):
    """A seeded demo office in ``var`` with the devices named in ``sections``, started; nobody waiting."""
    settings = config.load(env={}, default_path=var / "none.toml", overrides={
        "storage": {"path": str(var / "motcua.db")}, "audio": {"enabled": False}, **sections})
    appliance = Appliance(settings)
    demo.seed(appliance)
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    appliance.attach_devices()
    appliance.start()
    try:
        yield appliance
    finally:
        appliance.stop()


def press(pin) -> None:
    pin.drive_low()
    pin.drive_high()


def bench_button_to_printer(var: Path, n: int) -> list[str]:
    issued_at: list[float] = []
    with FakeNetworkPrinter() as fake:
        with office(var, printer={"url": fake.url, "timeout_s": 2.0},
                    gpio={"factory": "mock", "ticket_buttons": {"HT": TICKET_PIN}, "ticket_lockout_s": 0}) as app:
            app.bus.subscribe(lambda e: issued_at.append(time.perf_counter()), ["ticket.issued"])
            board, printer = app.devices.get("gpio"), app.devices.get("printer")
            pin = board.factory.pin(TICKET_PIN)
            deadline = time.monotonic() + 10
            while printer.status()["state"] != "ok" and time.monotonic() < deadline:
                time.sleep(0.01)
            total, to_issue, job_s, sizes = [], [], [], []
            for i in range(1, n + 1):
                start = time.perf_counter()
                press(pin)
                done = fake.wait_cuts(i)
                total.append(done - start)
                to_issue.append(issued_at[i - 1] - start)
                while (job := printer.recent()[0])["state"] != "printed":   # the worker notes it just after
                    time.sleep(0.001)
                job_s.append(job["latency_ms"] / 1000)
                sizes.append(job["bytes"])
                time.sleep(0.02)                 # presses come seconds apart: let the status poll end
        received = len(fake.received) + 3 * len(fake.queries)       # each DLE EOT n is 3 bytes
    return [
        f"button press (mock GPIO edge) → last byte of the ticket on tcp:// printer: {percentiles(total)} "
        f"(target p95 ≤ 150 ms)",
        f"  of which press → ticket.issued (SQLite commit): {percentiles(to_issue)}",
        f"  printer worker, submit → last byte handed to the socket: {percentiles(job_s)}",
        f"  job size {min(sizes)}–{max(sizes)} bytes; {sum(sizes)} job bytes sent, {received} bytes received "
        f"(with the status queries)",
    ]


def prepare_calls(app: Appliance, n: int) -> None:
    """n waiting tickets for counter 1 (service HT) holding pagers 1..n in calling order."""
    for pager in range(1, n + 1):
        app.engine.issue("HT", pager=pager, channel="kiosk")


def bench_call_to_pager(var: Path, n: int) -> list[str]:
    lines = []
    with FakeTransmitter() as fake, office(
            var, queue={"pager_pool": n + 1},
            pager={"url": fake.url, "protocol": "jtech-j1901", "system_id": 10, "repeat_max": 0,
                   "options": {"dedup_s": 0}},
            gpio={"factory": "mock", "call_buttons": {"1": CALL_PIN}, "call_lockout_s": 0}) as app:
        encoder = make_encoder(app.settings.pager)
        frame_len = lambda p: len(encoder.encode(p).data)  # noqa: E731
        expected = b"".join(encoder.encode(p).data for p in range(1, n + 1))
        pager = app.devices.get("pager")
        pin = app.devices.get("gpio").factory.pin(CALL_PIN)
        deadline = time.monotonic() + 5
        while pager.status()["state"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.01)

        prepare_calls(app, n)
        samples = measure_latency(lambda _pager: press(pin), fake, frame_len, n)
        same = bytes(fake.received) == expected
        lines.append(f"counter call button (mock GPIO edge) → J1901 page read on the pty: {percentiles(samples)} "
                     f"(target p99 ≤ 50 ms); bytes = J1901 frames for pagers 1..{n}: {'yes' if same else 'NO'}")

        app.engine.done(1)
        for number in range(1, n + 1):
            app.engine.return_pager(number)
        prepare_calls(app, n + 1)                    # pager 1 warms the HTTP path, 2..n+1 are measured
        pager.flush()
        fake.clear()
        with app.units() as tx:
            token = accounts.add_token(tx, "bench-loop", "officer")
        server = make_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.effective_port}/api/v1/counters/1/call-next"
        http = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}

        def call(_pager: int) -> None:
            answer = http.post(url, json={"finish_current": True}, headers=headers, timeout=5)
            answer.raise_for_status()
        try:
            call(1)                                  # keep-alive connection and app warm (not counted)
            fake.wait_for(frame_len(1))
            fake.clear()
            samples = measure_latency(call, fake, lambda p: frame_len(p + 1), n)
            same = bytes(fake.received) == b"".join(encoder.encode(p).data for p in range(2, n + 2))
        finally:
            http.close()
            shutdown(server, app)
            thread.join(5)
        lines.append(f"POST /api/v1/counters/1/call-next (waitress, keep-alive) → J1901 page read on the pty: "
                     f"{percentiles(samples)} (target p99 ≤ 50 ms); bytes = J1901 frames for pagers "
                     f"2..{n + 1}: {'yes' if same else 'NO'}")
    return lines


def main(samples: int | None = None) -> None:
    """``samples``: per leg (default 100 printer presses, 300 pages per pager leg)."""
    n_print = samples or PRINTER_SAMPLES
    n_page = samples or PAGER_SAMPLES
    logging.basicConfig(level=logging.ERROR)
    print("# Device loop (real wiring, mock GPIO, loopback printer, pty pager)")
    with tempfile.TemporaryDirectory(prefix="motcua-bench-loop-") as tmp:
        for line in bench_button_to_printer(Path(tmp) / "printer", n_print):
            print(line, flush=True)
        for line in bench_call_to_pager(Path(tmp) / "pager", n_page):
            print(line, flush=True)

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
