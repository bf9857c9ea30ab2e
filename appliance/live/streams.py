"""What an event stream sends, independent of who serves it.

A :class:`StreamSpec` is built by the stream's view (after the view has authenticated the client
and read its ``Last-Event-ID``): the frames it starts with, which bus events it accepts, how one is
written, and its overflow rule. The asyncio event server serves it without a thread;
:func:`iterate` serves it from a thread (the Flask test client, or a WSGI server without the
event server).

Events published between the view and the first live event are not lost: ``replay_after`` is the
bus id the view saw, and the server replays every accepted event after it (from the bus's memory)
before the live ones, each event once.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..events import Event, EventBus

HEARTBEAT_S = 15.0
PING = ": ping\n\n"
RESYNC = "event: resync\ndata: {}\n\n"


@dataclass
class StreamSpec:
    """One client's stream: ``preamble`` frames, then ``render(event)`` for each accepted event.

    ``types``: the event types it may accept (``None``: any; ``accept`` decides). On overflow of
    ``max_queue`` unsent events a stuck client either loses its oldest event (``drop_oldest``: the
    newest carries the whole state, as a mirror's draft does) or is sent ``event: resync``.
    """
    accept: Callable[[Event], bool]
    render: Callable[[Event], str]
    preamble: list[str] = field(default_factory=list)
    replay_after: int | None = None
    types: frozenset[str] | None = None
    max_queue: int = 1000
    drop_oldest: bool = False
    heartbeat_s: float = HEARTBEAT_S
    render_key: str | None = None  # streams with the same key render an event alike (cached once)

    def wants(self, event: Event) -> bool:
        return (self.types is None or event.type in self.types) and self.accept(event)

    def replay(self, bus: EventBus) -> list[Event]:
        """Accepted events the bus still keeps with an id above ``replay_after``."""
        if self.replay_after is None:
            return []
        return [e for e in bus.since(self.replay_after) if self.wants(e)]


class Inbox:
    """A client's unsent events, bounded, with the spec's overflow rule. Not thread-safe by itself:
    the event server uses it from its loop only; :func:`iterate` guards it with a condition."""

    def __init__(self, spec: StreamSpec):
        self.spec = spec
        self.items: list[Event] = []
        self.overflowed = False
        self.seen: set[int] = set()  # ids sent by replay: a live copy of them is skipped

    def put(self, event: Event) -> None:
        if event.id in self.seen:
            self.seen.discard(event.id)
            return
        if len(self.items) >= self.spec.max_queue:
            if not self.spec.drop_oldest:
                self.overflowed = True
                return
            self.items.pop(0)
        self.items.append(event)

    def take(self, cache: RenderCache | None = None) -> list[str]:
        """The frames to write now (a resync first if events were dropped), emptying the inbox."""
        frames = [RESYNC] if self.overflowed else []
        self.overflowed = False
        if cache is None or self.spec.render_key is None:
            frames.extend(self.spec.render(e) for e in self.items)
        else:
            frames.extend(cache.render(self.spec, e) for e in self.items)
        self.items.clear()
        return frames


class RenderCache:
    """An event rendered once per ``render_key`` (200 hall displays share one text), the last few
    hundred kept. Used from one thread (the event server's loop)."""

    def __init__(self, keep: int = 512):
        self.keep = keep
        self._texts: dict[tuple[str, int], str] = {}

    def render(self, spec: StreamSpec, event: Event) -> str:
        key = (spec.render_key or "", event.id)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = spec.render(event)
            if len(self._texts) > self.keep:
                for old in list(self._texts)[: self.keep // 2]:
                    del self._texts[old]
        return text


def start_frames(spec: StreamSpec, bus: EventBus, inbox: Inbox) -> list[str]:
    """The preamble and the replayed events; call it *after* subscribing ``inbox`` to the bus."""
    replayed = spec.replay(bus)
    inbox.seen.update(e.id for e in replayed)
    return [*spec.preamble, *(spec.render(e) for e in replayed)]


def iterate(spec: StreamSpec, bus: EventBus, stopping: threading.Event | None = None) -> Iterator[str]:
    """Serve ``spec`` from the calling thread until ``stopping`` (or the client goes away, which a
    WSGI server notices when a write fails)."""
    inbox = Inbox(spec)
    ready = threading.Condition()

    def deliver(event: Event) -> None:
        if spec.accept(event):
            with ready:
                inbox.put(event)
                ready.notify()

    unsubscribe = bus.subscribe(deliver, spec.types)
    try:
        with ready:
            first = start_frames(spec, bus, inbox)
        yield from first
        last_beat = time.monotonic()
        while not (stopping is not None and stopping.is_set()):
            with ready:
                if not inbox.items and not inbox.overflowed:
                    ready.wait(timeout=1.0)
                frames = inbox.take()
            if frames:
                yield from frames
            elif time.monotonic() - last_beat >= spec.heartbeat_s:
                last_beat = time.monotonic()
                yield PING
    finally:
        unsubscribe()
