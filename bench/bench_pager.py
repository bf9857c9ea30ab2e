"""Pager benchmarks (print figures; never pass/fail).

1. Latency, bus event ``ticket.called`` published → the pager's bytes read on the far end of a pty
   (a fake serial transmitter), through the real PagerService, SerialTransport and pyserial.
   Target: p99 ≤ 50 ms for the whole "API call-next → bytes written" path; the HTTP leg is added
   by reusing :func:`measure_latency` with a trigger that calls the API.
2. Pulse-train timing: intended (exact) durations vs what the lgpio wave model produces at 1 µs
   resolution, for every pulse protocol. Target: error ≤ 5 % of the shortest pulse.

Run: ``.venv/bin/python -m bench.bench_pager``
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

from appliance.config import Pager
from appliance.events import EventBus
from appliance.pager import PagerService, make_encoder
from appliance.pager.fake_transmitter import FakeTransmitter, bridge_responder, waveware_responder
from appliance.pager.pulses import build_wave, timing_error, wave_durations

LATENCY_SAMPLES = 300


def measure_latency(trigger: Callable[[int], None], fake: FakeTransmitter, frame_len: Callable[[int], int],
                    n: int = LATENCY_SAMPLES, timeout_s: float = 2.0) -> list[float]:
    """Call ``trigger(pager)`` n times (pagers 1, 2, …) and return, for each, the seconds from the
    call to the moment the last byte of that page was read on the transmitter's side."""
    samples = []
    for i in range(n):
        pager = i % 999 + 1
        before = len(fake.received)
        want = before + frame_len(pager)
        start = time.perf_counter()
        trigger(pager)
        if len(fake.wait_for(want, timeout_s)) < want:
            raise RuntimeError(f"page {pager} did not reach the transmitter within {timeout_s} s")
        samples.append(fake.time_of_byte(want - 1) - start)
    return samples


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def latency_report(label: str, samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return (f"{label}: n={len(ms)} p50={statistics.median(ms):.2f} ms p95={percentile(ms, 95):.2f} ms "
            f"p99={percentile(ms, 99):.2f} ms max={max(ms):.2f} ms (target p99 ≤ 50 ms)")


def bench_event_to_bytes(protocol: str, responder=None, **options) -> str:
    options = {"dedup_s": 0, **options}
    with FakeTransmitter(responder) as fake:
        settings = Pager(url=fake.url, protocol=protocol, system_id=10, repeat_max=0, options=options)
        bus = EventBus()
        service = PagerService(settings, bus)
        encoder = make_encoder(settings)
        service.start()
        try:
            def publish(pager: int) -> None:
                bus.publish("ticket.called", {"ticket": {"id": pager, "number": f"A{pager:03d}", "pager": pager},
                                              "counter_id": 1})
            samples = measure_latency(publish, fake, lambda p: len(encoder.encode(p).data))
            service.flush()
        finally:
            service.stop()
    return latency_report(f"ticket.called → bytes on pty [{protocol}]", samples)


def bench_pulse_timing() -> list[str]:
    lines = []
    for protocol, system_id in (("retekess-td157", 274), ("retekess-td158", 345), ("retekess-t119", 1234)):
        encoder = make_encoder(Pager(protocol=protocol, system_id=system_id))
        worst = None
        for pager in range(1, min(encoder.pager_max, 999) + 1):
            ideal = encoder.ideal_frame(pager)
            produced = wave_durations(build_wave(encoder.encode(pager).frame))
            err = timing_error(ideal, produced)
            if worst is None or err["error_pct_of_shortest"] > worst["error_pct_of_shortest"]:
                worst = err
        tx = encoder.encode(1)
        lines.append(
            f"{protocol}: shortest pulse {worst['shortest_us']:.2f} µs, worst pulse error "
            f"{worst['max_pulse_error_us']:.2f} µs, worst edge error in a frame {worst['max_edge_error_us']:.2f} µs "
            f"→ {worst['error_pct_of_shortest']:.2f} % of the shortest pulse (target ≤ 5 %); "
            f"train {len(tx.frame)} pulses × {tx.repeats} = {tx.duration_us / 1000:.1f} ms")
    return lines


def main() -> None:
    print("# Pager benchmarks")
    print(bench_event_to_bytes("jtech-j1901"))
    print(bench_event_to_bytes("waveware", waveware_responder(), capcode_base=1000))
    print(bench_event_to_bytes("bridge", bridge_responder(), radio="retekess-td157"))
    print("# Pulse timing, lgpio wave model at 1 µs resolution")
    for line in bench_pulse_timing():
        print(line)


if __name__ == "__main__":
    main()
