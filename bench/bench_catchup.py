"""A province-wide catch-up (issue 15): 300 communes reconnect at once, each with a backlog, and
push it to the hub the way the appliance's sync client does (15 s read timeout, Retry-After with
jitter, adaptive batch size: ``SyncClient.wait_after_error`` and ``SyncClient._adapt``).

    .venv/bin/python -m bench.bench_catchup [--devices 300] [--events 1000] [--old]

``--old`` also runs the hub as it was (one process, 8 threads, no shedding) for comparison.
Target: every device drains with no client timeout; p99 batch latency ≤ 15 s. Client processes
(3 × 100 threads), two hub workers and PostgreSQL share the machine's cores.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import threading
import time
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import psycopg
import requests

from .bench_hub import PG, _free_port
from .stats import percentiles

CLIENT_PROCS = 3


def device_events(i: int, n: int) -> tuple[object, list[dict]]:
    from district.simulate import SimulatedCommune
    sim = SimulatedCommune(f"xa-catchup-{i:03d}", f"000.{i // 100:02d}.{i % 100:02d}.H56", seed=i)  # unique agency
    events: list[dict] = []
    day = date(2026, 11, 2)
    while len(events) < n:
        events += sim.day_events(day, tickets=120)
        day += timedelta(days=1)
    return sim, events[:n]


def client_proc(base: str, devices: list[tuple[int, str]], n_events: int, start_at: float, out) -> None:
    from appliance.sync.client import SyncClient, SyncError
    from district.simulate import gzip_json
    settings = SimpleNamespace(batch_max=500, timeout_s=15.0, ca_file="")
    prepared = [(i, tok, *device_events(i, n_events)) for i, tok in devices]
    results = {"ok": [], "shed": [], "timeouts": 0, "errors": [], "drain_s": [], "sent": 0}
    lock = threading.Lock()

    def device(i: int, tok: str, sim, events: list[dict]) -> None:
        client = SyncClient.__new__(SyncClient)  # only its waiting and batch-size rules
        client.settings, client.rng, client.attempt = settings, random.Random(i), 0
        client.batch_size = settings.batch_max
        code = f"xa-catchup-{i:03d}"
        session = requests.Session()
        headers = {"Authorization": f"Bearer {tok}", "Content-Encoding": "gzip", "Content-Type": "application/json"}
        acked = 0
        time.sleep(max(0.0, start_at - time.time()))
        began = time.perf_counter()
        while acked < len(events):
            doc = sim.batches(events[acked:acked + client.batch_size], size=client.batch_size)[0]
            body = gzip_json(doc)
            t0 = time.perf_counter()
            try:
                r = session.post(f"{base}/api/v1/devices/{code}/events:batch", data=body, headers=headers,
                                 timeout=(5, settings.timeout_s))
            except requests.Timeout:
                with lock:
                    results["timeouts"] += 1
                client.batch_size = max(25, client.batch_size // 2)
                time.sleep(client.wait_after_error(SyncError("timeout", overloaded=True)))
                continue
            except requests.RequestException as exc:
                with lock:
                    results["errors"].append(type(exc).__name__)
                time.sleep(client.wait_after_error(SyncError("error")))
                continue
            took = time.perf_counter() - t0
            if r.status_code == 200:
                acked = int(r.json()["acked_through"])
                client.attempt = 0
                client._adapt(took)
                with lock:
                    results["ok"].append(took)
                    results["sent"] += len(doc["events"])
            elif r.status_code in (429, 503):
                with lock:
                    results["shed"].append(took)
                time.sleep(client.wait_after_error(SyncError("busy", retry_after=float(r.headers["Retry-After"]))))
            else:
                with lock:
                    results["errors"].append(f"{r.status_code} {r.text[:100]}")
                time.sleep(client.wait_after_error(SyncError("error")))
        with lock:
            results["drain_s"].append(time.perf_counter() - began)

    threads = [threading.Thread(target=device, args=p) for p in prepared]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):  # progress, so a stalled run shows why
        time.sleep(10)
        with lock:
            print(f"  [{os.getpid()}] {time.time() - start_at:5.0f} s: stored {len(results['ok'])} batches, "
                  f"503 {len(results['shed'])}, timeouts {results['timeouts']}, errors {len(results['errors'])} "
                  f"{results['errors'][-1:]}, drained {len(results['drain_s'])}/{len(threads)}", flush=True)
    out.put(results)


def serve(url: str, old: bool):
    import subprocess
    import sys
    port = _free_port()
    env = dict(os.environ, MOTCUA_HUB_DATABASE_URL=url)
    args = ["--workers", "1", "--threads", "8"] if old else ["--workers", "2", "--threads", "32"]
    if old:
        env["MOTCUA_HUB_INGEST_MAX_WAIT_S"] = "100000"  # no shedding
        env["MOTCUA_HUB_INGEST_CONCURRENCY"] = "8"
    proc = subprocess.Popen([sys.executable, "-m", "district.cli", "serve", "--host", "127.0.0.1", "--port",
                             str(port), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/api/v1/health", timeout=1).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("motcua-hub serve did not start")


def run(url: str, label: str, n_devices: int, n_events: int, old: bool) -> None:
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    from district.store import devices as store_devices
    engine = make_engine(url)
    upgrade(engine)
    tokens = []
    with engine.begin() as conn:
        for i in range(n_devices):
            code = f"xa-catchup-{i:03d}"
            tokens.append((i, store_devices.enrol(conn, store_devices.add_device(conn, code))[1]))
    proc, base = serve(url, old)
    out: mp.Queue = mp.Queue()
    start_at = time.time() + 20 + n_devices * n_events / 20000  # after every client has built its events
    procs = [mp.Process(target=client_proc, args=(base, tokens[k::CLIENT_PROCS], n_events, start_at, out))
             for k in range(CLIENT_PROCS)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.time() - start_at
    proc.terminate()
    proc.wait(timeout=30)
    with engine.connect() as conn:
        from sqlalchemy import text
        stored = conn.execute(text("SELECT count(*) FROM events")).scalar()
    engine.dispose()
    ok = [x for r in results for x in r["ok"]]
    shed = [x for r in results for x in r["shed"]]
    drains = sorted(x for r in results for x in r["drain_s"])
    timeouts = sum(r["timeouts"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    print(f"[{label}] {n_devices} devices × {n_events} events at once: all drained in {elapsed:.1f} s "
          f"({stored:,} events stored of {n_devices * n_events:,})")
    print(f"[{label}] stored batches: {percentiles(ok)}  (target p99 ≤ 15 s)")
    print(f"[{label}] 503 answers: {len(shed)}" + (f", {percentiles(shed)}" if shed else ""))
    print(f"[{label}] client timeouts (15 s): {timeouts}; other errors: {len(errors)} {errors[:3]}")
    print(f"[{label}] per-device drain time: median {statistics.median(drains):.1f} s, max {drains[-1]:.1f} s")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--devices", type=int, default=300)
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--old", action="store_true")
    args = p.parse_args(argv or [])
    for old in ([True, False] if args.old else [False]):
        name = f"motcua_hub_catchup_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run(f"{PG}/{name}", "as before (1 process, 8 threads, no shedding)" if old else
                "shedding, 2 workers", args.devices, args.events, old)
        finally:
            with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
