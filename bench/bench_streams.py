"""Live updates under load (issue 15): 200 event streams open (displays) plus 250 idle or slow
sockets, while tickets are issued and called over HTTP. Prints ticket issue latency and, for each
issue and call, how long until the LAST of the 200 streams had it.

Target: issue p99 ≤ 50 ms; every stream receives each call within 200 ms. One selector thread
reads all 200 streams (the client shares the server's two cores).
"""
from __future__ import annotations

import re
import selectors
import socket
import tempfile
import threading
import time
from pathlib import Path

import requests

from .bench_api import free_port, start, token
from .stats import percentiles

STREAMS = 200
IDLE = 250
ISSUES = 300
CALLS = 150
EVENT = re.compile(rb'"type":"(ticket\.issued|ticket\.called)".*?"ticket":\{"id":(\d+)')


class Streams(threading.Thread):
    """Every stream on one selector; ``arrived[(type, ticket id)]`` = arrival times, one per stream."""

    def __init__(self, port: int, token: str, n: int):
        super().__init__(daemon=True)
        self.sel = selectors.DefaultSelector()
        self.arrived: dict[tuple[bytes, int], list[float]] = {}
        self.hello = 0
        self.closed = 0
        self.lock = threading.Lock()
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
            s.setblocking(False)
            self.sel.register(s, selectors.EVENT_READ, bytearray())
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for key, _ in self.sel.select(timeout=0.5):
                try:
                    data = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                now = time.perf_counter()
                if not data:
                    self.sel.unregister(key.fileobj)
                    self.closed += 1
                    continue
                buf = key.data
                buf += data
                *lines, rest = bytes(buf).split(b"\n")
                buf[:] = rest
                for line in lines:
                    if line.startswith(b"event: hello"):
                        with self.lock:
                            self.hello += 1
                    elif line.startswith(b"data: "):
                        m = EVENT.search(line)
                        if m:
                            with self.lock:
                                self.arrived.setdefault((m.group(1), int(m.group(2))), []).append(now)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        port = free_port()
        proc, _ = start(var, port)
        proc.terminate()
        proc.wait()
        kiosk, officer, display = token(var, "kiosk"), token(var, "officer"), token(var, "display")
        proc, _ = start(var, port)
        base = f"http://127.0.0.1:{port}/api/v1"
        idle: list[socket.socket] = []
        try:
            s = requests.Session()
            hk = {"Authorization": f"Bearer {kiosk}"}
            alone = []
            for _ in range(100):  # the same issue with nothing else open: what the machine gives now
                t0 = time.perf_counter()
                s.post(f"{base}/tickets", json={"service": "HT"}, headers=hk)
                alone.append(time.perf_counter() - t0)
                time.sleep(0.02)
            print(f"POST /tickets, no stream open (baseline of this run): {percentiles(alone)}")
            streams = Streams(port, display, STREAMS)
            streams.start()
            deadline = time.monotonic() + 60
            while streams.hello < STREAMS and time.monotonic() < deadline:
                time.sleep(0.05)
            print(f"streams open: {streams.hello}/{STREAMS}")
            for i in range(IDLE):  # idle sockets and slow clients (half a request, then nothing)
                s = socket.create_connection(("127.0.0.1", port))
                if i % 2:
                    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
                idle.append(s)
            print(f"idle/slow sockets open: {len(idle)}")
            s = requests.Session()
            hk, ho = {"Authorization": f"Bearer {kiosk}"}, {"Authorization": f"Bearer {officer}"}
            for _ in range(10):
                s.post(f"{base}/tickets", json={"service": "HT"}, headers=hk)
            sent: dict[tuple[bytes, int], float] = {}
            issue, call = [], []
            for i in range(ISSUES):
                t0 = time.perf_counter()
                r = s.post(f"{base}/tickets", json={"service": ("HT", "CT", "XH")[i % 3]}, headers=hk)
                issue.append(time.perf_counter() - t0)
                assert r.status_code == 201, r.text
                sent[(b"ticket.issued", r.json()["id"])] = t0
                time.sleep(0.02)  # an office's pace, not a flood: each event is timed alone
            for i in range(CALLS):
                t0 = time.perf_counter()
                r = s.post(f"{base}/counters/{1 + i % 3}/call-next", json={"finish_current": True}, headers=ho)
                call.append(time.perf_counter() - t0)
                if r.status_code == 200:
                    sent[(b"ticket.called", r.json()["id"])] = t0
                time.sleep(0.02)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with streams.lock:
                    if all(len(streams.arrived.get(k, ())) >= STREAMS for k in sent):
                        break
                time.sleep(0.1)
            streams.stop.set()
            last_stream = []
            missing = 0
            for key, t0 in sent.items():
                times = streams.arrived.get(key, [])
                missing += STREAMS - len(times)
                if times:
                    last_stream.append(max(times) - t0)
            print(f"POST /tickets with {STREAMS} streams + {IDLE} idle sockets: {percentiles(issue)}  "
                  f"(target p99 ≤ 50 ms)")
            print(f"POST /call-next with {STREAMS} streams: {percentiles(call)}")
            print(f"request sent → event at the LAST of {STREAMS} streams ({len(sent)} events): "
                  f"{percentiles(last_stream)}  (target ≤ 200 ms)")
            print(f"events missing at some stream: {missing}; streams closed by the server: {streams.closed}")
            with open(f"/proc/{proc.pid}/status") as fh:
                threads = next(line.split()[1] for line in fh if line.startswith("Threads:"))
            print(f"server threads with {STREAMS} streams open: {threads}")
        finally:
            for sock in idle:
                sock.close()
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
