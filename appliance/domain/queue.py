"""The queue engine: services, counters, tickets, priority, pagers, waiting-time estimates.

No I/O here. The engine talks to a store through the :class:`QueueTx` port (one transaction per
command), publishes bus events after commit, and writes the same facts to the outbox inside the
transaction (the store's ``outbox`` method). The SQL lives in ``appliance.store.queue_store``.

Ticket life::

    waiting ──call──> called ──serve──> serving ──done──> done
       ^                 │ recall (≤ max_recalls)
       │                 └──no_show──> no_show
       └──transfer (keeps its place by arrival time; number unchanged)
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, ContextManager, Iterable, Protocol, Sequence
from zoneinfo import ZoneInfo

from .errors import Conflict, DomainError, NotFound
from .pagers import choose_pager

ACTIVE = ("called", "serving")
RATING_LEVELS = ("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied")
OUTBOX_TYPES = frozenset({
    "ticket.issued", "ticket.called", "ticket.recalled", "ticket.serving", "ticket.done",
    "ticket.no_show", "ticket.transferred", "rating.given",
})


# --- values -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Service:
    id: int
    code: str
    name: str
    prefix: str = ""
    range_start: int = 1
    range_end: int = 999
    active: bool = True
    name_en: str = ""

    def number_for(self, seq: int) -> str:
        """The number as printed: prefix + a number in the service's range, wrapping around."""
        size = self.range_end - self.range_start + 1
        value = self.range_start + (seq - 1) % size
        width = max(3, len(str(self.range_end)))
        return f"{self.prefix}{value:0{width}d}"


@dataclass(frozen=True)
class Counter:
    id: int
    name: str
    service_ids: frozenset[int]
    active: bool = True
    priority_run: int = 0
    normal_run: int = 0


@dataclass(frozen=True)
class Ticket:
    id: int
    service_id: int
    service_code: str
    service_name: str
    day: str
    seq: int
    number: str
    priority: bool
    state: str
    issued_ts: float
    counter_id: int | None = None
    target_counter_id: int | None = None
    pager: int | None = None
    priority_reason: str | None = None
    channel: str = "api"
    called_ts: float | None = None
    serving_ts: float | None = None
    finished_ts: float | None = None
    recalls: int = 0
    officer: str | None = None

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        def iso(ts: float | None) -> str | None:
            return datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds") if ts else None
        return {
            "id": self.id, "number": self.number, "service": self.service_code,
            "service_name": self.service_name, "day": self.day, "seq": self.seq,
            "priority": self.priority, "priority_reason": self.priority_reason,
            "state": self.state, "counter_id": self.counter_id,
            "target_counter_id": self.target_counter_id, "pager": self.pager,
            "channel": self.channel, "issued_at": iso(self.issued_ts), "called_at": iso(self.called_ts),
            "serving_at": iso(self.serving_ts), "finished_at": iso(self.finished_ts),
            "recalls": self.recalls,
        }


@dataclass(frozen=True)
class Ratio:
    """At most ``priority`` priority calls for every ``normal`` normal calls while both wait."""
    priority: int = 1
    normal: int = 2

    @classmethod
    def parse(cls, text: str) -> "Ratio":
        p, n = text.split(":")
        return cls(int(p), int(n))


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    ahead: int
    estimated_wait_min: int


@dataclass(frozen=True)
class Advanced:
    """What one "next" did at a counter: the ticket it finished (if any) and the one it called
    (None when nobody was waiting: the finished ticket is still finished)."""
    finished: Ticket | None
    called: Ticket | None


# --- pure rules ---------------------------------------------------------------------------
def arrival_order(tickets: Iterable[Ticket]) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.issued_ts, t.id))


def choose_next(waiting: Sequence[Ticket], ratio: Ratio, priority_run: int,
                normal_run: int) -> tuple[Ticket | None, int, int]:
    """Pick the next ticket and return it with the counter's new (priority_run, normal_run).

    Within each class the earliest arrival goes first. While both classes wait, a priority
    ticket goes ahead only until ``ratio.priority`` of them have been called since the last
    ``ratio.normal`` normal calls; then normal tickets get their turn. When one class is empty
    the other is called, so neither side ever waits for nobody.
    """
    ordered = arrival_order(waiting)
    first_priority = next((t for t in ordered if t.priority), None)
    first_normal = next((t for t in ordered if not t.priority), None)
    if first_priority and first_normal:
        take_priority = ratio.normal == 0 or priority_run < ratio.priority
    else:
        take_priority = first_priority is not None
    if take_priority and first_priority:
        return first_priority, priority_run + 1, 0
    if first_normal:
        normal_run += 1
        if normal_run >= ratio.normal:
            return first_normal, 0, normal_run
        return first_normal, priority_run, normal_run
    return None, priority_run, normal_run


def estimate_wait_minutes(ahead: int, recent_service_s: Sequence[float], counters: int,
                          default_minutes: float) -> int:
    """Tickets ahead × median recent service time ÷ counters open for the service."""
    if ahead <= 0:
        return 0
    per_ticket = statistics.median(recent_service_s) / 60 if recent_service_s else default_minutes
    return max(1, round(ahead * per_ticket / max(1, counters)))


# --- the store port -----------------------------------------------------------------------
class QueueTx(Protocol):
    """What the engine needs from one transaction of the store."""

    def service_by_code(self, code: str) -> Service | None: ...
    def service(self, service_id: int) -> Service: ...
    def counter(self, counter_id: int) -> Counter | None: ...
    def counters_serving(self, service_id: int) -> int: ...
    def next_seq(self, service_id: int, day: str) -> int: ...
    def insert_ticket(self, **values: Any) -> int: ...
    def ticket(self, ticket_id: int) -> Ticket | None: ...
    def active_ticket(self, counter_id: int) -> Ticket | None: ...
    def last_finished(self, counter_id: int) -> Ticket | None: ...
    def waiting_for(self, day: str, service_ids: Iterable[int], counter_id: int) -> list[Ticket]: ...
    def waiting_ahead(self, day: str, service_id: int, issued_ts: float, ticket_id: int) -> int: ...
    def recent_service_seconds(self, service_id: int, limit: int) -> list[float]: ...
    def update_ticket(self, ticket_id: int, **values: Any) -> None: ...
    def set_counter_runs(self, counter_id: int, priority_run: int, normal_run: int) -> None: ...
    def pager_state(self, number: int) -> str | None: ...
    def first_free_pager(self) -> int | None: ...
    def set_pager(self, number: int, state: str, ticket_id: int | None = None,
                  dossier_code: str | None = None) -> None: ...
    def add_rating(self, counter_id: int, ticket_id: int | None, level: str, source: str,
                   user_login: str | None) -> int: ...
    def outbox(self, type: str, payload: dict[str, Any]) -> None: ...
    def audit(self, user_login: str | None, action: str, object: str, detail: str = "") -> None: ...


class QueueStore(Protocol):
    def transaction(self) -> ContextManager[QueueTx]: ...


class Publisher(Protocol):
    def publish(self, type: str, payload: dict[str, Any] | None = None) -> Any: ...


@dataclass
class QueueRules:
    ratio: Ratio = field(default_factory=Ratio)
    max_recalls: int = 3
    pager_pool: int = 30
    wait_sample: int = 20
    default_service_minutes: float = 6.0

    @classmethod
    def from_settings(cls, queue_settings) -> "QueueRules":
        return cls(ratio=Ratio.parse(queue_settings.priority_ratio),
                   max_recalls=queue_settings.max_recalls, pager_pool=queue_settings.pager_pool,
                   wait_sample=queue_settings.wait_sample,
                   default_service_minutes=queue_settings.default_service_minutes)


# --- the engine ---------------------------------------------------------------------------
class QueueEngine:
    """Every queue command: one transaction, outbox rows inside it, bus events after commit."""

    def __init__(self, store: QueueStore, bus: Publisher, rules: QueueRules, tz: ZoneInfo,
                 clock: Callable[[], float]):
        self.store = store
        self.bus = bus
        self.rules = rules
        self.tz = tz
        self.clock = clock

    # helpers
    def today(self, ts: float | None = None) -> str:
        return datetime.fromtimestamp(self.clock() if ts is None else ts, self.tz).date().isoformat()

    def _run(self, work: Callable[[QueueTx, list], Any]) -> Any:
        events: list[tuple[str, dict[str, Any]]] = []
        with self.store.transaction() as tx:
            result = work(tx, events)
            for type_, payload in events:
                if type_ in OUTBOX_TYPES:
                    tx.outbox(type_, payload)
        for type_, payload in events:
            self.bus.publish(type_, payload)
        if events:
            self.bus.publish("queue.changed", {})
        return result

    def _counter(self, tx: QueueTx, counter_id: int) -> Counter:
        counter = tx.counter(counter_id)
        if counter is None:
            raise NotFound("unknown_counter", "counter", counter=counter_id)
        if not counter.active:
            raise Conflict("counter_inactive", "counter", counter=counter_id)
        return counter

    def _current(self, tx: QueueTx, counter_id: int, expected: int | None) -> Ticket:
        ticket = tx.active_ticket(counter_id)
        if ticket is None:
            raise Conflict("counter_idle", "counter", counter=counter_id)
        if expected is not None and ticket.id != expected:
            raise Conflict("stale_ticket", "ticket", number=ticket.number, counter=counter_id)
        return ticket

    def _json(self, ticket: Ticket) -> dict[str, Any]:
        return ticket.as_json(self.tz)

    # commands
    def issue(self, service_code: str, priority: bool = False, priority_reason: str | None = None,
              pager: int | str | None = None, channel: str = "api",
              user_login: str | None = None) -> Issued:
        def work(tx: QueueTx, events: list) -> Issued:
            service = tx.service_by_code(service_code)
            if service is None:
                raise NotFound("unknown_service", "service", service=service_code)
            if not service.active:
                raise Conflict("service_inactive", "service", service=service_code)
            number = self._claim_pager(tx, pager)
            now = self.clock()
            day = self.today(now)
            seq = tx.next_seq(service.id, day)
            ticket_id = tx.insert_ticket(
                service_id=service.id, day=day, seq=seq, number=service.number_for(seq),
                priority=int(bool(priority)), priority_reason=priority_reason if priority else None,
                state="waiting", pager=number, channel=channel, issued_ts=now, user_login=user_login)
            if number is not None:
                tx.set_pager(number, "assigned", ticket_id=ticket_id)
            ticket = tx.ticket(ticket_id)
            ahead = tx.waiting_ahead(day, service.id, now, ticket_id)
            wait = estimate_wait_minutes(
                ahead, tx.recent_service_seconds(service.id, self.rules.wait_sample),
                tx.counters_serving(service.id), self.rules.default_service_minutes)
            events.append(("ticket.issued", {"ticket": self._json(ticket), "ahead": ahead,
                                             "estimated_wait_min": wait}))
            return Issued(ticket, ahead, wait)
        return self._run(work)

    def _claim_pager(self, tx: QueueTx, pager: int | str | None) -> int | None:
        return choose_pager(pager, self.rules.pager_pool, tx.first_free_pager, tx.pager_state)

    def call_next(self, counter_id: int, finish_current: bool | str = False,
                  user_login: str | None = None) -> Ticket:
        """Call the next ticket; see :meth:`advance` for ``finish_current``. With nobody waiting
        it raises ``nobody_waiting`` (after finishing the current ticket, if it was asked to)."""
        step = self.advance(counter_id, finish_current, user_login)
        if step.called is None:
            raise NotFound("nobody_waiting", "counter", counter=counter_id)
        return step.called

    def advance(self, counter_id: int, finish_current: bool | str = "serving",
                user_login: str | None = None) -> Advanced:
        """Finish the counter's current ticket if allowed, then call the next one, in one transaction.

        ``finish_current``: ``False``: a current ticket refuses the call (``counter_busy``);
        ``True``: any current ticket is finished; ``"serving"``: only a ticket being served is
        finished (one still being called must be served, marked absent or transferred first).
        With nobody waiting, a finished ticket stays finished ("done, next please" at the end of
        the queue closes the last citizen's ticket) and ``called`` is None; with nothing finished
        either, ``nobody_waiting`` is raised and nothing changes."""
        if finish_current not in (True, False, "serving"):
            raise ValueError(f"finish_current: {finish_current!r}")

        def work(tx: QueueTx, events: list) -> Advanced:
            counter = self._counter(tx, counter_id)
            current = tx.active_ticket(counter_id)
            finished = None
            if current is not None:
                if finish_current is False or (finish_current == "serving" and current.state != "serving"):
                    raise Conflict("counter_busy", "counter", counter=counter_id, number=current.number)
                finished = self._finish(tx, events, current, counter_id, user_login)
            waiting = tx.waiting_for(self.today(), counter.service_ids, counter_id)
            chosen, p_run, n_run = choose_next(waiting, self.rules.ratio,
                                               counter.priority_run, counter.normal_run)
            if chosen is None:
                if finished is not None:
                    return Advanced(finished, None)
                raise NotFound("nobody_waiting", "counter", counter=counter_id)
            now = self.clock()
            tx.update_ticket(chosen.id, state="called", counter_id=counter_id, called_ts=now,
                             recalls=0, user_login=user_login)
            tx.set_counter_runs(counter_id, p_run, n_run)
            ticket = tx.ticket(chosen.id)
            events.append(("ticket.called", {"ticket": self._json(ticket), "counter_id": counter_id}))
            return Advanced(finished, ticket)
        return self._run(work)

    def recall(self, counter_id: int, ticket_id: int | None = None) -> Ticket:
        def work(tx: QueueTx, events: list) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("gọi lại", "recall it"))
            if ticket.recalls >= self.rules.max_recalls:
                raise Conflict("too_many_recalls", "ticket", number=ticket.number, recalls=ticket.recalls)
            tx.update_ticket(ticket.id, recalls=ticket.recalls + 1)
            ticket = tx.ticket(ticket.id)
            events.append(("ticket.recalled", {"ticket": self._json(ticket), "counter_id": counter_id,
                                               "recalls": ticket.recalls}))
            return ticket
        return self._run(work)

    def serve(self, counter_id: int, ticket_id: int | None = None) -> Ticket:
        def work(tx: QueueTx, events: list) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("bắt đầu phục vụ", "start serving it"))
            tx.update_ticket(ticket.id, state="serving", serving_ts=self.clock())
            ticket = tx.ticket(ticket.id)
            events.append(("ticket.serving", {"ticket": self._json(ticket), "counter_id": counter_id}))
            return ticket
        return self._run(work)

    def _finish(self, tx: QueueTx, events: list, ticket: Ticket, counter_id: int,
                user_login: str | None) -> Ticket:
        now = self.clock()
        started = ticket.serving_ts or ticket.called_ts or now
        tx.update_ticket(ticket.id, state="done", finished_ts=now,
                         serving_ts=ticket.serving_ts or ticket.called_ts)
        done = tx.ticket(ticket.id)
        events.append(("ticket.done", {
            "ticket": self._json(done), "counter_id": counter_id,
            "wait_s": round((ticket.called_ts or now) - ticket.issued_ts, 1),
            "service_s": round(now - started, 1), "officer": user_login}))
        return done

    def done(self, counter_id: int, ticket_id: int | None = None, user_login: str | None = None) -> Ticket:
        def work(tx: QueueTx, events: list) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            return self._finish(tx, events, ticket, counter_id, user_login)
        return self._run(work)

    def no_show(self, counter_id: int, ticket_id: int | None = None) -> Ticket:
        def work(tx: QueueTx, events: list) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("đánh dấu vắng mặt", "mark it absent"))
            tx.update_ticket(ticket.id, state="no_show", finished_ts=self.clock())
            ticket = tx.ticket(ticket.id)
            events.append(("ticket.no_show", {"ticket": self._json(ticket), "counter_id": counter_id}))
            return ticket
        return self._run(work)

    def transfer(self, counter_id: int, to_service: str | None = None, to_counter: int | None = None,
                 ticket_id: int | None = None) -> Ticket:
        """Back to waiting for another service and/or counter, keeping its arrival time."""
        def work(tx: QueueTx, events: list) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            service = tx.service(ticket.service_id)
            if to_service not in (None, ""):
                service = tx.service_by_code(to_service)
                if service is None:
                    raise NotFound("unknown_service", "to_service", service=to_service)
            if to_counter is not None:
                target = self._counter(tx, to_counter)
                if service.id not in target.service_ids:
                    raise DomainError("counter_not_serving", "to_counter", counter=to_counter,
                                      service=service.code)
            if service.id == ticket.service_id and to_counter in (None, counter_id):
                raise DomainError("transfer_to_itself", "to_service", number=ticket.number)
            tx.update_ticket(ticket.id, state="waiting", service_id=service.id, counter_id=None,
                             target_counter_id=to_counter, called_ts=None, serving_ts=None, recalls=0)
            moved = tx.ticket(ticket.id)
            events.append(("ticket.transferred", {
                "ticket": self._json(moved), "from_service": ticket.service_code,
                "to_service": service.code, "to_counter": to_counter, "counter_id": counter_id}))
            return moved
        return self._run(work)

    # pagers
    def return_pager(self, number: int) -> None:
        def work(tx: QueueTx, events: list) -> None:
            if tx.pager_state(number) is None:
                raise NotFound("pager_out_of_pool", "pager", pager=number, pool=self.rules.pager_pool)
            tx.set_pager(number, "free")
            events.append(("pager.returned", {"pager": number}))
        self._run(work)

    def mark_pager_lost(self, number: int) -> None:
        def work(tx: QueueTx, events: list) -> None:
            if tx.pager_state(number) is None:
                raise NotFound("pager_out_of_pool", "pager", pager=number, pool=self.rules.pager_pool)
            tx.set_pager(number, "lost")
            events.append(("pager.lost", {"pager": number}))
        self._run(work)

    def assign_pager(self, number: int | str, ticket_id: int | None = None,
                     dossier_code: str | None = None) -> int:
        def work(tx: QueueTx, events: list) -> int:
            chosen = self._claim_pager(tx, number)
            if chosen is None:
                raise DomainError("required", "pager", name="pager")
            tx.set_pager(chosen, "assigned", ticket_id=ticket_id, dossier_code=dossier_code)
            if ticket_id is not None:
                tx.update_ticket(ticket_id, pager=chosen)
            events.append(("pager.assigned", {"pager": chosen, "ticket_id": ticket_id,
                                              "dossier_code": dossier_code}))
            return chosen
        return self._run(work)

    # ratings
    def rate(self, counter_id: int, level: str, source: str = "button",
             user_login: str | None = None) -> int:
        """A satisfaction vote, attributed to the counter's current or last served ticket."""
        if level not in RATING_LEVELS:
            raise DomainError("bad_rating", "level", level=level)

        def work(tx: QueueTx, events: list) -> int:
            self._counter(tx, counter_id)
            ticket = tx.active_ticket(counter_id) or tx.last_finished(counter_id)
            if ticket is None:
                raise Conflict("nothing_to_rate", "counter", counter=counter_id)
            officer = ticket.officer or user_login
            rating_id = tx.add_rating(counter_id, ticket.id, level, source, officer)
            events.append(("rating.given", {
                "counter_id": counter_id, "ticket_id": ticket.id, "level": level,
                "officer": officer, "at": datetime.fromtimestamp(self.clock(), self.tz).isoformat(
                    timespec="seconds")}))
            return rating_id
        return self._run(work)
