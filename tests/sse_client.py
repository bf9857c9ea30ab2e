"""A Server-Sent Events reader for tests over real HTTP (importable from any test: pytest puts
this folder on sys.path for the top-level conftest)."""
from __future__ import annotations

import json
import queue
import threading
import time

import requests
from waiting import DEADLINE


def sse_reader(url: str, headers: dict, out: queue.Queue, stop: threading.Event,
               raw: list | None = None) -> None:
    """Read ``url`` until ``stop``; put ("status", code) then ("event", {id, event, data}, t)."""
    try:
        with requests.get(url, headers=headers, stream=True, timeout=10) as r:
            out.put(("status", r.status_code))
            event: dict = {}
            for line in r.iter_lines(chunk_size=1, decode_unicode=True):
                if raw is not None:
                    raw.append(line)
                if stop.is_set():
                    return
                if line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("event: "):
                    event["event"] = line[7:]
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
                elif line == "" and event:
                    out.put(("event", event, time.perf_counter()))
                    event = {}
    except requests.RequestException:
        if not stop.is_set():
            out.put(("error",))


def start_reader(url: str, headers: dict, raw: list | None = None) -> tuple[queue.Queue, threading.Event]:
    out, stop = queue.Queue(), threading.Event()
    threading.Thread(target=sse_reader, args=(url, headers, out, stop, raw), daemon=True).start()
    return out, stop


def wait_for(out: queue.Queue, predicate, timeout: float | None = None):
    """The next ("event", event, received_at) whose event matches ``predicate`` (a generous deadline
    by default: see waiting.py)."""
    deadline = time.monotonic() + (DEADLINE if timeout is None else timeout)
    while time.monotonic() < deadline:
        try:
            item = out.get(timeout=0.1)
        except queue.Empty:
            continue
        if item[0] == "event" and predicate(item[1]):
            return item
    raise AssertionError("event not received")
