"""The citizen mirror's event stream: the draft being typed at ONE counter, as Server-Sent Events.

Only ``draft.changed`` (and ``draft.submitted``) events whose ``counter_id`` is this counter pass,
and ``rating.requested`` / ``rating.given`` for it (the rating screen at the end of service, #18),
and ``counter.state`` (open, paused as "Tạm nghỉ", closed) reduced to the counter and its state;
another counter's draft never reaches this screen. The stream starts with the counter's state and
current draft so a reloaded screen paints at once.
"""
from __future__ import annotations

import json
from typing import Any

from ...events import Event, EventBus
from ...live.streams import StreamSpec
from ..api.sse import frame

MIRROR_TYPES = ("draft.changed", "draft.submitted", "rating.requested", "rating.given", "counter.state")


def mirror_spec(bus: EventBus, counter_id: int, initial: dict[str, Any] | None = None,
                max_queue: int = 200, state: str | None = None) -> StreamSpec:
    preamble = ["retry: 1000\n\n", f"event: hello\ndata: {json.dumps({'counter_id': counter_id})}\n\n"]
    if state is not None:
        preamble.append(frame(None, "counter.state", {"type": "counter.state",
                                                      "payload": {"counter_id": counter_id, "state": state}}))
    if initial is not None:
        payload = {"counter_id": counter_id, "draft_id": initial["draft_id"], "procedure": initial["procedure"],
                   "values": initial["values"], "focus": initial["focus"]}
        if initial.get("ticket_number"):
            payload["ticket_number"] = initial["ticket_number"]
        preamble.append(frame(None, "draft.changed", {"type": "draft.changed", "payload": payload}))

    def render(event: Event) -> str:
        payload = event.payload
        if event.type == "counter.state":  # who paused it, and the tickets it released, are not the citizen's
            payload = {"counter_id": counter_id, "state": payload.get("state")}
        return frame(event.id, event.type, {"type": event.type, "payload": payload})

    # drop_oldest: a stuck screen keeps the newest draft, which carries every value typed so far
    return StreamSpec(accept=lambda e: e.payload.get("counter_id") == counter_id, render=render,
                      preamble=preamble, replay_after=bus.last_id, types=frozenset(MIRROR_TYPES),
                      max_queue=max_queue, drop_oldest=True)
