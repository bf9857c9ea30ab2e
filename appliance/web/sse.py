"""Server-Sent Events from the in-process bus.

:func:`live_stream` is the one loop every stream uses: a bounded per-client queue fed by a bus
subscription, heartbeats, and an end when the appliance stops. :func:`event_stream` is the general
feed (``/api/v1/events``), resumable by ``Last-Event-ID``; a slow client loses its oldest events
rather than slowing the publisher and is told to reload (``event: resync``). Payloads are
redacted by role: displays and kiosks never receive a citizen's personal data.
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Callable, Iterable, Iterator

from ..events import Event, EventBus

HEARTBEAT_S = 15.0
PERSONAL_KEYS = frozenset({"applicant", "dossier", "values", "form"})
PRIVILEGED = ("admin", "officer", "volunteer")
STREAMED_TYPES = ("ticket.", "queue.", "device.", "pager.", "dossier.", "rating.", "announce.")


def redact(payload: dict, role: str) -> dict:
    if role in PRIVILEGED:
        return payload
    return {k: v for k, v in payload.items() if k not in PERSONAL_KEYS}


def frame(event_id: int | None, type_: str, data: dict) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{head}event: {type_}\ndata: {body}\n\n"


def format_event(event: Event, role: str) -> str:
    return frame(event.id, event.type, {"id": event.id, "type": event.type, "at": event.at,
                                        "payload": redact(event.payload, role)})


def live_stream(bus: EventBus, accept: Callable[[Event], bool], render: Callable[[Event], str],
                preamble: Iterable[str] = (), stopping: threading.Event | None = None,
                heartbeat_s: float = HEARTBEAT_S, max_queue: int = 1000,
                drop_oldest: bool = False, types: Iterable[str] | None = None) -> Iterator[str]:
    """Yield ``preamble`` then ``render(event)`` for each accepted bus event until ``stopping``.

    On overflow a stuck client either loses its oldest event (``drop_oldest``: the newest carries
    the whole state, as a mirror's draft does) or is sent ``event: resync`` to reload.
    """
    inbox: queue.Queue[Event] = queue.Queue(maxsize=max_queue)
    overflow = threading.Event()

    def deliver(event: Event) -> None:
        if not accept(event):
            return
        try:
            inbox.put_nowait(event)
        except queue.Full:
            if not drop_oldest:
                overflow.set()
                return
            try:
                inbox.get_nowait()
                inbox.put_nowait(event)
            except (queue.Empty, queue.Full):
                pass

    unsubscribe = bus.subscribe(deliver, types)
    try:
        yield from preamble
        last_beat = time.monotonic()
        while not (stopping is not None and stopping.is_set()):
            try:
                event = inbox.get(timeout=1.0)
            except queue.Empty:
                if time.monotonic() - last_beat >= heartbeat_s:
                    last_beat = time.monotonic()
                    yield ": ping\n\n"
                continue
            if overflow.is_set():
                overflow.clear()
                yield "event: resync\ndata: {}\n\n"
            yield render(event)
    finally:
        unsubscribe()


def event_stream(bus: EventBus, last_id: int | None, role: str, stopping: threading.Event | None = None,
                 heartbeat_s: float = HEARTBEAT_S, max_queue: int = 1000) -> Iterator[str]:
    """The general feed: hello (with the bus instance, so clients notice a restart), what they
    missed since ``last_id`` if still kept, then live events."""
    replayed = []
    if last_id is not None:
        for event in bus.since(last_id):
            last_id = event.id
            if event.type.startswith(STREAMED_TYPES):
                replayed.append(format_event(event, role))
    hello = {"last_id": bus.last_id, "instance": bus.instance}
    preamble = ["retry: 2000\n\n", f"event: hello\ndata: {json.dumps(hello)}\n\n", *replayed]
    floor = last_id

    def accept(event: Event) -> bool:
        return event.type.startswith(STREAMED_TYPES) and (floor is None or event.id > floor)

    return live_stream(bus, accept, lambda e: format_event(e, role), preamble, stopping, heartbeat_s,
                       max_queue)
