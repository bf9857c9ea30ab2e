"""The citizen mirror's event stream: the draft being typed at ONE counter, as Server-Sent Events.

Only ``draft.changed`` (and ``draft.submitted``) events whose ``counter_id`` is this counter pass;
another counter's draft never reaches this screen. The stream starts with the counter's current
draft so a reloaded screen paints at once.
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any, Iterator

from ..events import Event, EventBus

MIRROR_TYPES = ("draft.changed", "draft.submitted")
HEARTBEAT_S = 15.0


def _frame(event_id: int | None, type_: str, payload: dict[str, Any]) -> str:
    data = json.dumps({"type": type_, "payload": payload}, ensure_ascii=False, separators=(",", ":"))
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {type_}\ndata: {data}\n\n"


def mirror_stream(bus: EventBus, counter_id: int, initial: dict[str, Any] | None = None,
                  stopping: threading.Event | None = None, heartbeat_s: float = HEARTBEAT_S,
                  max_queue: int = 200) -> Iterator[str]:
    inbox: queue.Queue[Event] = queue.Queue(maxsize=max_queue)

    def deliver(event: Event) -> None:
        if event.payload.get("counter_id") != counter_id:
            return
        try:
            inbox.put_nowait(event)
        except queue.Full:  # a stuck screen: drop the oldest, keep the newest (it carries all values)
            try:
                inbox.get_nowait()
                inbox.put_nowait(event)
            except (queue.Empty, queue.Full):
                pass

    unsubscribe = bus.subscribe(deliver, MIRROR_TYPES)
    try:
        yield "retry: 1000\n\n"
        yield f"event: hello\ndata: {json.dumps({'counter_id': counter_id})}\n\n"
        if initial is not None:
            yield _frame(None, "draft.changed", {"counter_id": counter_id, "draft_id": initial["draft_id"],
                                                 "procedure": initial["procedure"], "values": initial["values"],
                                                 "focus": initial["focus"]})
        last_beat = time.monotonic()
        while not (stopping is not None and stopping.is_set()):
            try:
                event = inbox.get(timeout=1.0)
            except queue.Empty:
                if time.monotonic() - last_beat >= heartbeat_s:
                    last_beat = time.monotonic()
                    yield ": ping\n\n"
                continue
            yield _frame(event.id, event.type, event.payload)
    finally:
        unsubscribe()
