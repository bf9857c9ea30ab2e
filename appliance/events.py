"""In-process publish/subscribe: what happened, never what to do.

Events are published *after* the transaction that made them true has committed. Handlers run on
the publisher's thread and must be quick: a device adapter enqueues work for its own worker
thread. A failing handler is logged and never stops the others (nor the request that published).

Each event gets an increasing ``id``; the last events are kept so an SSE client that reconnects
with ``Last-Event-ID`` receives what it missed. Ids keep increasing across restarts when the bus is
given a ``reserve`` (the runtime passes one that persists a high-water mark in the ``kv`` table): the
bus takes ids in blocks of :data:`ID_BLOCK` reserved *before* they are used, so a run started after
a crash begins above every id the crashed run could have sent (docs/events.md, "Event ids").
"""
from __future__ import annotations

import collections
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
#: ids reserved at a time; the next block is reserved when three quarters of this one are used
ID_BLOCK = 1_000_000


class EventBus:
    def __init__(self, keep: int = 500, reserve: Callable[[int, int], int] | None = None,
                 clock: Callable[[], float] = time.time):
        self._lock = threading.Lock()
        #: each event's ``at``: the appliance's clock (the rehearsal clock in training, docs/training.md)
        self.clock = clock
        self._handlers: list[tuple[frozenset[str] | None, Handler]] = []
        self._next = 1
        self._reserved_end: int | None = None    # None: no persistence, ids simply count
        self._reserve: Callable[[int, int], int] | None = None
        self._recent: collections.deque[Event] = collections.deque(maxlen=keep)
        #: the first id of this run: a client's Last-Event-ID below it belongs to an earlier run
        self.first_id = 1
        # A new value each run: the panel reloads its state when it changes (the ids still grow).
        self.instance = uuid.uuid4().hex[:12]
        if reserve is not None:
            self.resume_ids(reserve)

    def resume_ids(self, reserve: Callable[[int, int], int]) -> None:
        """Continue numbering above every id an earlier run reserved.

        ``reserve(at_least, n)`` persists a high-water mark ``max(stored, at_least - 1) + n`` and
        returns the first id of the new block (the stored mark + 1, or ``at_least``). Raises what
        ``reserve`` raises: a bus whose ids could go backwards is not started."""
        with self._lock:
            first = reserve(self._next, ID_BLOCK)
            self._reserve = reserve
            self._next = max(self._next, first)
            self._reserved_end = self._next + ID_BLOCK - 1
            if not self._recent:
                self.first_id = self._next

    def _take_id(self) -> int:
        """The next id (under the lock); reserves the next block once this one is 3/4 used."""
        number = self._next
        self._next += 1
        end = self._reserved_end
        if end is not None and self._reserve is not None and end - number < ID_BLOCK // 4:
            try:
                first = self._reserve(self._next, ID_BLOCK)
                self._reserved_end = max(first, self._next) + ID_BLOCK - 1
            except Exception:  # retried at the next event; the ids still grow within this run
                log.exception("could not reserve the next block of event ids")
        return number

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
            event = Event(type=type, payload=dict(payload or {}), id=self._take_id(), at=self.clock())
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
        """The id of the latest event, or ``first_id - 1`` before the first one of this run."""
        with self._lock:
            return self._recent[-1].id if self._recent else self._next - 1

    def missed(self, last_id: int) -> bool:
        """Would a client that last saw ``last_id`` miss events it cannot be replayed? True when
        events after it are no longer kept (an earlier run, or pushed out of memory) or when the
        id is one this bus never gave (a restored database, a client of another appliance)."""
        with self._lock:
            oldest = self._recent[0].id if self._recent else self._next
            return last_id + 1 < oldest or last_id >= self._next
