"""Server-Sent Events from the in-process bus.

:func:`event_spec` describes the general feed (``/api/v1/events``), resumable by
``Last-Event-ID``; a slow client loses its oldest events rather than slowing the publisher and is
told to reload (``event: resync``). The event server (:mod:`appliance.live`) serves it without a
request thread; see :mod:`appliance.web.streaming`. Payloads are
redacted by role: staff get them whole; displays, kiosks and any other token get only the keys
allowed for the event's family (:func:`redact`), so free text (a dossier note, a refusal reason, a
priority reason such as "người khuyết tật") and a citizen's personal data never reach a hall screen.
"""
from __future__ import annotations

import json
from typing import Any

from ...events import Event, EventBus
from ...live.streams import HEARTBEAT_S, RESYNC, StreamSpec

__all__ = ["HEARTBEAT_S", "event_spec", "format_event", "frame", "redact"]
PRIVILEGED = ("admin", "officer", "volunteer")
STREAMED_TYPES = ("ticket.", "queue.", "device.", "pager.", "dossier.", "rating.", "announce.", "counter.")

# What a non-staff client may see, per event family (an allow-list: a key added to an event later
# stays hidden from hall screens until it is added here).
TICKET_KEYS = frozenset({"id", "number", "service", "service_name", "day", "seq", "priority", "state",
                         "counter_id", "target_counter_id", "pager", "recalls",
                         "issued_at", "called_at", "serving_at", "finished_at", "appointment_at"})
PUBLIC_KEYS: dict[str, frozenset[str] | None] = {
    "ticket.": frozenset({"ticket", "counter_id", "ahead", "estimated_wait_min", "recalls",
                          "from_service", "to_service", "to_counter", "undone"}),
    "counter.": frozenset({"counter_id", "state", "previous", "at"}),   # never who opened it
    # dossier.call (a ready result called on the hall display): its number of the day, the ticket
    # the citizen holds, the repeat; never a name
    "dossier.": frozenset({"code", "state", "pager", "counter_id", "at", "number", "day", "ticket_number",
                           "repeat", "fallback"}),
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
    match = next(((prefix, keys) for prefix, keys in PUBLIC_KEYS.items()
                  if type_ == prefix or (prefix.endswith(".") and type_.startswith(prefix))), None)
    if match is None:
        return {}
    prefix, keys = match
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


def event_spec(bus: EventBus, last_id: int | None, role: str, max_queue: int = 1000) -> StreamSpec:
    """The general feed: hello (with the bus instance), what they missed since ``last_id`` if
    still kept, then live events. A ``last_id`` whose followers are gone (an earlier run, or
    pushed out of memory) gets ``event: resync`` right after hello, then live events: the client
    reloads its snapshot. A stuck client is told to resync too."""
    hello: dict[str, Any] = {"last_id": bus.last_id, "instance": bus.instance}
    preamble = ["retry: 2000\n\n", f"event: hello\ndata: {json.dumps(hello)}\n\n"]
    replay_after = hello["last_id"] if last_id is None else last_id
    if last_id is not None and bus.missed(last_id):
        preamble.append(RESYNC)
        replay_after = hello["last_id"]
    return StreamSpec(accept=lambda e: e.type.startswith(STREAMED_TYPES),
                      render=lambda e: format_event(e, role), preamble=preamble,
                      replay_after=replay_after,
                      max_queue=max_queue, render_key=f"events:{role}")
