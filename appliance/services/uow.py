"""One unit of work: every command of the appliance runs in one.

::

    with units() as tx:            # one durable write transaction (BEGIN IMMEDIATE)
        ...                        # the fact itself, through the store modules on tx.conn
        tx.emit("ticket.called", payload)    # a hub fact: its outbox row is written here, now
        tx.audit(user, "dossier.view", "dossier:…")
    # committed: the events are published on the bus, in the order they were emitted

If the block raises, the transaction rolls back: no fact, no outbox row, no audit row, and
nothing is published. Listeners (devices, SSE, the sync wake-up) therefore only ever hear of
what is committed, and the hub only ever receives facts that are (the outbox row commits with
them, ``docs/events.md``).

Which event types are facts for the hub is said once, here (:data:`HUB_FACTS`); every other
event is for this appliance's listeners only.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..store import audit_store, outbox

#: Event types that are also facts for the hub: each gets an outbox row in its transaction.
HUB_FACTS: frozenset[str] = frozenset({
    "ticket.issued", "ticket.called", "ticket.recalled", "ticket.serving", "ticket.done",
    "ticket.no_show", "ticket.transferred", "ticket.undone", "rating.given",
    "counter.state",                  # the officer opened, paused or closed a counter (domain.counter_desk)
    "dossier.received", "dossier.state", "dossier.ready", "dossier.returned",
    "dossier.province_code",          # the code the province's system issued (appliance.domain.province_code)
    "dossier.deadlines",              # written by appliance.services.deadline_upgrade at start
    "dossier.lookup",                 # the hub's lookup keys of a dossier received before they were sent
    "dossier.purged",                 # its personal data purged (services.purge): the hub drops its lookup keys
    # appointments (docs/appointments.md): the slots offered on the hub's public page, and what
    # happened to each booking (never its phone)
    "appointment.slot", "appointment.booked", "appointment.changed", "appointment.cancelled",
    "appointment.checked_in", "appointment.no_show",
})


class Publisher(Protocol):
    """Where events go after the commit (``appliance.events.EventBus``)."""

    def publish(self, type: str, payload: dict[str, Any] | None = None) -> Any: ...


class NoListeners:
    """A publisher for units whose events nobody in this process hears (command-line tools)."""

    def publish(self, type: str, payload: dict[str, Any] | None = None) -> None:
        return None


class WriteDatabase(Protocol):
    """What a unit needs from the database (``appliance.store.db.Database``)."""

    def write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...


class UnitOfWork:
    """One open transaction: its connection, the time of the command, the pending events."""

    def __init__(self, conn: sqlite3.Connection, now: float, clock_synced: bool) -> None:
        self.conn = conn
        #: the command's time, read once from the appliance's clock: every row it writes uses it
        self.now = now
        #: whether NTP had synchronised the clock when the unit began (stored on outbox rows)
        self.clock_synced = clock_synced
        self._events: list[tuple[str, dict[str, Any]]] = []

    def emit(self, type: str, payload: Mapping[str, Any], *,
             local: Mapping[str, Any] | None = None) -> int | None:
        """Announce ``type``: published after the commit; a hub fact also gets its outbox row now.

        ``local`` adds keys for this appliance's listeners only (e.g. the pager to buzz), never
        sent to the hub. Returns the outbox ``seq`` of a hub fact, ``None`` otherwise."""
        seq = None
        if type in HUB_FACTS:
            seq = outbox.append_outbox(self.conn, type, dict(payload), self.clock_synced)
        self._events.append((type, {**payload, **local} if local else dict(payload)))
        return seq

    def record(self, type: str, payload: Mapping[str, Any]) -> int:
        """A hub fact that no listener in the appliance hears (e.g. ``dossier.deadlines``): its
        outbox row only. Returns its ``seq``."""
        if type not in HUB_FACTS:
            raise ValueError(f"{type} is not a hub fact (HUB_FACTS)")
        return outbox.append_outbox(self.conn, type, dict(payload), self.clock_synced)

    def audit(self, user_login: str | None, action: str, object: str = "", detail: str = "") -> None:
        """An audit row in this transaction, at the command's time."""
        audit_store.write_audit(self.conn, self.now, user_login, action, object, detail)

    @property
    def emitted(self) -> tuple[str, ...]:
        """The types emitted so far, in order."""
        return tuple(type_ for type_, _ in self._events)

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self._events)


class Units:
    """Opens units of work over one database, publishing to one bus, timed by one clock."""

    def __init__(self, db: WriteDatabase, bus: Publisher, clock: Callable[[], float],
                 clock_synced: Callable[[], bool]) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.clock_synced = clock_synced

    @contextlib.contextmanager
    def __call__(self, now: float | None = None) -> Iterator[UnitOfWork]:
        """A unit at ``now`` (default: the clock, read once); see the module's docstring."""
        synced = bool(self.clock_synced())
        with self.db.write() as conn:
            unit = UnitOfWork(conn, self.clock() if now is None else now, synced)
            yield unit
        for type_, payload in unit.events():
            self.bus.publish(type_, payload)
