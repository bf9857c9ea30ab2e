"""A full SD card under load (issue 15), on a real 64 MB tmpfs (needs root to mount): the demo
panel runs on it while 4 clients issue tickets; ballast fills the card to the last byte, then is
deleted. Prints what the clients got (201 / 507 / anything else), when the alarm showed in
``/api/v1/health``, how long after the space was freed the next ticket was issued (same
process: no restart), and whether every acknowledged ticket is in the database.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests

from .bench_api import free_port, start, token


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        card = Path(tmp) / "card"
        card.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(card)], check=True)
        os.environ["MOTCUA_STORAGE_LOW_SPACE_MB"] = "16"
        os.environ["MOTCUA_STORAGE_FULL_SPACE_MB"] = "1"
        try:
            run(card)
        finally:
            subprocess.run(["umount", "-l", str(card)], check=False)


def run(card: Path) -> None:
    var = card / "var"
    port = free_port()
    proc, _ = start(var, port)
    proc.terminate()
    proc.wait()
    kiosk, admin = token(var, "kiosk"), token(var, "admin")
    proc, _ = start(var, port)
    base = f"http://127.0.0.1:{port}/api/v1"
    acked: list[int] = []
    answers: dict[int, int] = {}
    firsts: dict[str, float] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client() -> None:
        s = requests.Session()
        while not stop.is_set():
            r = s.post(f"{base}/tickets", json={"service": "HT"}, headers={"Authorization": f"Bearer {kiosk}"},
                       timeout=30)
            now = time.perf_counter()
            with lock:
                answers[r.status_code] = answers.get(r.status_code, 0) + 1
                if r.status_code == 201:
                    acked.append(r.json()["id"])
                    if "freed" in firsts:
                        firsts.setdefault("201 after free", now)
                elif r.status_code == 507:
                    firsts.setdefault("507", now)

    def disk_state() -> str:
        return requests.get(f"{base}/health", headers={"Authorization": f"Bearer {admin}"},
                            timeout=30).json()["devices"]["disk"]["state"]

    clients = [threading.Thread(target=client) for _ in range(4)]
    try:
        for c in clients:
            c.start()
        time.sleep(2)
        ballast = card / "ballast"
        filled_at = time.perf_counter()
        with open(ballast, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)

            except OSError:
                pass
        full_at = time.perf_counter()
        while "507" not in firsts and time.perf_counter() - full_at < 60:
            time.sleep(0.01)
        state_full = disk_state()
        time.sleep(2)
        with lock:
            during = dict(answers)
        ballast.unlink()
        with lock:
            firsts["freed"] = time.perf_counter()
        while "201 after free" not in firsts and time.perf_counter() - firsts["freed"] < 60:
            time.sleep(0.005)
        time.sleep(1)
        state_after = disk_state()
    finally:
        stop.set()
        for c in clients:
            c.join()
        pid_same = proc.poll() is None
        proc.terminate()
        proc.wait()
    conn = sqlite3.connect(var / "motcua.db")
    kept = {r[0] for r in conn.execute("SELECT id FROM tickets")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    lost = len(set(acked) - kept)
    first_507_ms = 1000 * (firsts.get("507", float("nan")) - full_at)
    print(f"card filled in {full_at - filled_at:.1f} s; first 507 {first_507_ms:.0f} ms "
          f"after the last byte; health disk state then: {state_full}")
    print(f"answers up to the freeing: {during}; all answers: {answers} (anything but 201/507 is a failure)")
    print(f"space freed → next ticket issued: "
          f"{1000 * (firsts.get('201 after free', float('nan')) - firsts['freed']):.0f} ms, same process: {pid_same}; "
          f"health disk state after: {state_after}")
    print(f"acknowledged tickets: {len(acked)}, lost: {lost} (target 0); integrity_check: {integrity}")


if __name__ == "__main__":
    main()
