"""Server-Sent Events from the in-process bus, with resumption by ``Last-Event-ID``.

Each client gets its own bounded queue; a slow client loses its oldest events rather than
slowing the publisher, and is told to reload (``event: resync``). Payloads are redacted by role:
displays and kiosks never receive a citizen's personal data.
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Iterator

from ..events import Event, EventBus

HEARTBEAT_S = 15.0
PERSONAL_KEYS = frozenset({"applicant", "dossier", "values", "form"})
PRIVILEGED = ("admin", "officer", "volunteer")
STREAMED_TYPES = ("ticket.", "queue.", "device.", "pager.", "dossier.", "rating.", "announce.")


def redact(payload: dict, role: str) -> dict:
    if role in PRIVILEGED:
        return payload
    return {k: v for k, v in payload.items() if k not in PERSONAL_KEYS}


def format_event(event: Event, role: str) -> str:
    data = json.dumps({"id": event.id, "type": event.type, "at": event.at,
                       "payload": redact(event.payload, role)}, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def event_stream(bus: EventBus, last_id: int | None, role: str, stopping: threading.Event | None = None,
                 heartbeat_s: float = HEARTBEAT_S, max_queue: int = 1000) -> Iterator[str]:
    inbox: queue.Queue[Event] = queue.Queue(maxsize=max_queue)
    overflow = False

    def deliver(event: Event) -> None:
        nonlocal overflow
        if not event.type.startswith(STREAMED_TYPES):
            return
        try:
            inbox.put_nowait(event)
        except queue.Full:
            overflow = True

    unsubscribe = bus.subscribe(deliver)
    try:
        yield "retry: 2000\n\n"
        hello = {"last_id": bus.last_id, "instance": bus.instance}
        yield f"event: hello\ndata: {json.dumps(hello)}\n\n"
        if last_id is not None:
            for event in bus.since(last_id):
                last_id = event.id
                if event.type.startswith(STREAMED_TYPES):
                    yield format_event(event, role)
        last_beat = time.monotonic()
        while not (stopping and stopping.is_set()):
            try:
                event = inbox.get(timeout=1.0)
            except queue.Empty:
                if time.monotonic() - last_beat >= heartbeat_s:
                    last_beat = time.monotonic()
                    yield ": ping\n\n"
                continue
            if overflow:
                overflow = False
                yield "event: resync\ndata: {}\n\n"
            if last_id is None or event.id > last_id:
                yield format_event(event, role)
    finally:
        unsubscribe()
