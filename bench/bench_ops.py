"""Figures for the operations tools: how long `motcua doctor` and a support bundle take, and the
cost of one watchdog round. Prints figures; never passes or fails on time.

    .venv/bin/python -m bench.bench_ops
"""
from __future__ import annotations

import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from appliance.config import load
from appliance.ops import run_doctor, write_support_bundle
from appliance.ops.watchdog import SystemdNotifier
from appliance.store.db import Database


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "motcua.db"
        settings = load(None, env={"MOTCUA_STORAGE_PATH": str(db_path)})
        db = Database(db_path)
        db.open_checked()
        with db.write() as conn:
            for i in range(20000):
                conn.execute("INSERT INTO kv (key, value) VALUES (?, ?)", (f"bench.{i}", "x" * 40))
        db.close()
        doctor = timed(lambda: run_doctor(settings, clock_synced=lambda: True), 10)
        print(f"motcua doctor (DB {db_path.stat().st_size / 2**20:.1f} MB): "
              f"median {statistics.median(doctor):.1f} ms, max {max(doctor):.1f} ms")
        sizes = []

        def bundle():
            out = write_support_bundle(settings, Path(tmp) / "b.tar.gz",
                                       journal=lambda: "motcua[1]: dòng nhật ký 0912345678\n" * 2000)
            sizes.append(out.stat().st_size)
        b = timed(bundle, 5)
        print(f"support bundle (2000 log lines): median {statistics.median(b):.1f} ms, "
              f"{sizes[-1] / 1024:.1f} KB")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        server.bind(os.path.join(tmp, "notify"))
        n = SystemdNotifier({f"w{i}": (lambda: True) for i in range(8)},
                            env={"NOTIFY_SOCKET": os.path.join(tmp, "notify")})
        n.tick()
        ticks = timed(lambda: (n.tick(), server.recv(512)), 2000)
        print(f"watchdog round (8 health checks + datagram): median "
              f"{statistics.median(ticks) * 1000:.1f} µs, p99 {sorted(ticks)[1979] * 1000:.1f} µs")
        server.close()


if __name__ == "__main__":
    main()
