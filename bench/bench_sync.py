"""Sync figures: draining 10,000 outbox events to a local hub on PostgreSQL, and the peak RSS
of the `motcua sync --once` process that does it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import requests

PG = os.environ.get("MOTCUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
EVENTS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    name = f"motcua_bench_sync_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    hub_env = {**os.environ, "MOTCUA_HUB_DATABASE_URL": f"{PG}/{name}"}
    hub = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "config.toml"
            cfg.write_text(f'[storage]\npath = "{tmp}/state/motcua.db"\n[sync]\ninterval_s = 30\n')
            env = {**os.environ, "MOTCUA_CONFIG": str(cfg)}
            hub_cli = [sys.executable, "-m", "district.cli"]
            subprocess.run(hub_cli + ["init"], env=hub_env, check=True, capture_output=True)
            token = subprocess.run(hub_cli + ["device", "add", "xa-bench"], env=hub_env, check=True,
                                   capture_output=True, text=True).stdout.splitlines()[0].strip()
            port = free_port()
            hub = subprocess.Popen(hub_cli + ["serve", "--host", "127.0.0.1", "--port", str(port)], env=hub_env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(200):
                try:
                    requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=0.5)
                    break
                except requests.RequestException:
                    time.sleep(0.05)
            motcua = [sys.executable, "-m", "appliance.cli"]
            subprocess.run(motcua + ["init"], env=env, check=True, capture_output=True)
            subprocess.run(motcua + ["enroll", f"http://127.0.0.1:{port}", token], env=env, check=True,
                           capture_output=True)
            fill = ("import sys; from appliance import config; from appliance.store.db import Database; "
                    "from appliance.store.outbox import append_outbox; s = config.load(); "
                    "db = Database(s.storage.path).open_checked()\n"
                    "with db.write() as c:\n"
                    f"    [append_outbox(c, 'ticket.issued', {{'ticket': {{'id': i, 'number': 'A%03d' % (i % 999 + 1), "
                    "'service': 'HT', 'service_name': 'Hộ tịch', 'day': '2026-11-20', 'priority': False, "
                    f"'state': 'waiting'}}, 'ahead': 3, 'estimated_wait_min': 12}}, True) for i in range({EVENTS})]")
            subprocess.run([sys.executable, "-c", fill], env=env, check=True)
            # `motcua sync --once`, reporting its own peak RSS as it exits
            # VmHWM, not ru_maxrss: after fork+exec ru_maxrss starts from the parent's size.
            probe = ("import sys; from appliance.cli import main; rc = main(['sync', '--once']); "
                     "print('PEAK_KB', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]); "
                     "sys.exit(rc)")
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            lines = out.stdout.strip().splitlines()
            peak = int(lines[-1].split()[1]) / 1024 if lines and lines[-1].startswith("PEAK_KB") else float("nan")
            print("\n".join(lines[:-1]) or out.stderr.strip())
            print(f"drained {EVENTS:,} events to the hub on PostgreSQL in {elapsed:.2f} s "
                  f"({EVENTS / elapsed:,.0f} events/s incl. process start) (target ≤ 10 s)")
            print(f"peak RSS of the sync process: {peak:.1f} MB (target ≤ 40 MB)")
    finally:
        if hub:
            hub.terminate()
            hub.wait()
        with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
