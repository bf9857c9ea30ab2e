"""In-process publish/subscribe: what happened, never what to do.

Events are published *after* the transaction that made them true has committed. Handlers run on
the publisher's thread and must be quick: a device adapter enqueues work for its own worker
thread. A failing handler is logged and never stops the others (nor the request that published).

Each event gets a process-wide increasing ``id``; the last events are kept so an SSE client that
reconnects with ``Last-Event-ID`` receives what it missed.
"""
from __future__ import annotations

import collections
import itertools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    type: str
    payload: dict[str, Any]
    id: int = 0
    at: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "at": self.at, **{"payload": self.payload}}


Handler = Callable[[Event], None]


class EventBus:
    def __init__(self, keep: int = 500):
        self._lock = threading.Lock()
        self._handlers: list[tuple[frozenset[str] | None, Handler]] = []
        self._ids = itertools.count(1)
        self._recent: collections.deque[Event] = collections.deque(maxlen=keep)
        # Ids start again at 1 in a new process: clients compare this to know a resumed stream
        # (Last-Event-ID) belongs to an earlier run and must start afresh.
        self.instance = uuid.uuid4().hex[:12]

    def subscribe(self, handler: Handler, types: Iterable[str] | None = None) -> Callable[[], None]:
        """Call ``handler(event)`` for each event (of ``types`` if given). Returns an unsubscribe."""
        entry = (frozenset(types) if types is not None else None, handler)
        with self._lock:
            self._handlers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._handlers:
                    self._handlers.remove(entry)
        return unsubscribe

    def publish(self, type: str, payload: dict[str, Any] | None = None) -> Event:
        with self._lock:
            event = Event(type=type, payload=dict(payload or {}), id=next(self._ids))
            self._recent.append(event)
            handlers = list(self._handlers)
        for types, handler in handlers:
            if types is None or type in types:
                try:
                    handler(event)
                except Exception:  # a broken listener never breaks the publisher
                    log.exception("event handler %r failed on %s", handler, type)
        return event

    def publish_all(self, events: Iterable[tuple[str, dict[str, Any]]]) -> list[Event]:
        return [self.publish(t, p) for t, p in events]

    def since(self, last_id: int) -> list[Event]:
        """Events kept in memory with an id greater than ``last_id`` (for SSE resumption)."""
        with self._lock:
            return [e for e in self._recent if e.id > last_id]

    @property
    def last_id(self) -> int:
        with self._lock:
            return self._recent[-1].id if self._recent else 0
