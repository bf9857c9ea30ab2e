"""Server-Sent Events from the in-process bus.

:func:`live_stream` is the one loop every stream uses: a bounded per-client queue fed by a bus
subscription, heartbeats, and an end when the appliance stops. :func:`event_stream` is the general
feed (``/api/v1/events``), resumable by ``Last-Event-ID``; a slow client loses its oldest events
rather than slowing the publisher and is told to reload (``event: resync``). Payloads are
redacted by role: staff get them whole; displays, kiosks and any other token get only the keys
allowed for the event's family (:func:`redact`), so free text (a dossier note, a refusal reason, a
priority reason such as "người khuyết tật") and a citizen's personal data never reach a hall screen.
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Callable, Iterable, Iterator

from ...events import Event, EventBus

HEARTBEAT_S = 15.0
PRIVILEGED = ("admin", "officer", "volunteer")
STREAMED_TYPES = ("ticket.", "queue.", "device.", "pager.", "dossier.", "rating.", "announce.")

# What a non-staff client may see, per event family (an allow-list: a key added to an event later
# stays hidden from hall screens until it is added here).
TICKET_KEYS = frozenset({"id", "number", "service", "service_name", "day", "seq", "priority", "state",
                         "counter_id", "target_counter_id", "pager", "recalls",
                         "issued_at", "called_at", "serving_at", "finished_at"})
PUBLIC_KEYS: dict[str, frozenset[str] | None] = {
    "ticket.": frozenset({"ticket", "counter_id", "ahead", "estimated_wait_min", "recalls",
                          "from_service", "to_service", "to_counter"}),
    "dossier.": frozenset({"code", "state", "pager", "counter_id", "at"}),
    "device.": frozenset({"device", "state", "message"}),
    "pager.": frozenset({"pager"}),
    "queue.changed": None,   # None: the payload as it is (no personal data by construction)
    "announce.": None,
}


def redact(type_: str, payload: dict, role: str) -> dict:
    """The payload of a ``type_`` event as ``role`` may see it: whole for staff, else allow-listed;
    an event family not listed gives an empty payload."""
    if role in PRIVILEGED:
        return payload
    for prefix, keys in PUBLIC_KEYS.items():
        if type_ == prefix or (prefix.endswith(".") and type_.startswith(prefix)):
            break
    else:
        return {}
    if keys is None:
        return payload
    out = {k: v for k, v in payload.items() if k in keys}
    if prefix == "ticket." and isinstance(out.get("ticket"), dict):
        out["ticket"] = {k: v for k, v in out["ticket"].items() if k in TICKET_KEYS}
    return out


def frame(event_id: int | None, type_: str, data: dict) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{head}event: {type_}\ndata: {body}\n\n"


def format_event(event: Event, role: str) -> str:
    return frame(event.id, event.type, {"id": event.id, "type": event.type, "at": event.at,
                                        "payload": redact(event.type, event.payload, role)})


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
