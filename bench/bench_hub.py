"""Hub ingest throughput: 20 simulated devices push 500-event gzip batches at once, over real HTTP,
to ``motcua-hub serve`` (waitress, separate process) on PostgreSQL (and, for comparison, SQLite).

    .venv/bin/python -m bench.bench_hub [--devices 20] [--batches 6] [--size 500] [--threads 8] [--sqlite]

Prints figures; never passes or fails on time. Target: ≥ 3,000 events/s on PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg
import requests

from district.db.engine import make_engine
from district.db.migrate import upgrade
from district.simulate import SimulatedCommune, gzip_json
from district.store import devices

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("MOTCUA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _payloads(n_devices: int, n_batches: int, size: int = 500) -> dict[str, list[bytes]]:
    out = {}
    for i in range(n_devices):
        code = f"xa-bench-{i:02d}"
        sim = SimulatedCommune(code, f"000.00.{i:02d}.H56", seed=i)
        events: list[dict] = []
        day = date(2026, 11, 2)
        while len(events) < n_batches * size:
            events += sim.day_events(day, tickets=120)
            day += timedelta(days=1)
        out[code] = [gzip_json(doc) for doc in sim.batches(events[:n_batches * size], size=size)]
    return out


def _serve(url: str, threads: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, MOTCUA_HUB_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "district.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--threads", str(threads)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(base + "/api/v1/health", timeout=1).ok:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("motcua-hub serve did not start")


def run(url: str, label: str, payloads: dict[str, list[bytes]], threads: int, size: int = 500) -> None:
    engine = make_engine(url)
    upgrade(engine)
    tokens = {}
    with engine.begin() as conn:
        for code in payloads:
            tokens[code] = devices.enrol(conn, devices.add_device(conn, code))[1]
    engine.dispose()
    proc, base = _serve(url, threads)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(payloads) + 1)

    def push(code: str) -> None:
        s = requests.Session()
        headers = {"Authorization": f"Bearer {tokens[code]}", "Content-Encoding": "gzip",
                   "Content-Type": "application/json"}
        start_gate.wait()
        for body in payloads[code]:
            t0 = time.perf_counter()
            r = s.post(f"{base}/api/v1/devices/{code}/events:batch", data=body, headers=headers, timeout=120)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if r.status_code != 200:
                    errors.append(f"{code}: {r.status_code} {r.text[:200]}")

    workers = [threading.Thread(target=push, args=(c,)) for c in payloads]
    for w in workers:
        w.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    proc.terminate()
    proc.wait(timeout=10)
    n_events = sum(len(v) for v in payloads.values()) * size
    wire = sum(len(b) for v in payloads.values() for b in v)
    lat = sorted(latencies)
    print(f"[{label}] {len(payloads)} devices × {len(next(iter(payloads.values())))} batches × {size} events "
          f"= {n_events} events, {wire / 1e6:.1f} MB gzip, waitress threads {threads}")
    print(f"[{label}] {elapsed:.2f} s → {n_events / elapsed:,.0f} events/s, {len(lat) / elapsed:.1f} batches/s; "
          f"batch latency p50 {statistics.median(lat) * 1000:.0f} ms, "
          f"p95 {lat[int(len(lat) * 0.95) - 1] * 1000:.0f} ms, "
          f"max {lat[-1] * 1000:.0f} ms; errors {len(errors)}")
    for e in errors[:5]:
        print("   ", e)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--devices", type=int, default=20)
    p.add_argument("--batches", type=int, default=6)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--size", type=int, default=500, help="events per batch (small batches measure requests/s)")
    p.add_argument("--sqlite", action="store_true", help="also measure the embedded SQLite default")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    payloads = _payloads(args.devices, args.batches, args.size)
    print(f"generated payloads in {time.perf_counter() - t0:.1f} s (not measured)")
    name = f"motcua_hub_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(f"{PG}/{name}", "PostgreSQL", payloads, args.threads, args.size)
    finally:
        with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.sqlite:
        with tempfile.TemporaryDirectory() as d:
            run(f"sqlite:///{d}/hub.db", "SQLite", payloads, args.threads, args.size)


if __name__ == "__main__":
    main()
