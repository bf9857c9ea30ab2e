"""Queue rules: services, counters, tickets, priority, waiting-time estimates.

Pure: values and rules, no I/O. The commands that apply them (one unit of work each) are
:class:`appliance.services.queue.QueueEngine`; the SQL lives in ``appliance.store.queue_store``.

Ticket life::

    waiting ──call──> called ──serve──> serving ──done──> done
       ^                 │ recall (≤ max_recalls)
       │                 └──no_show──> no_show
       └──transfer (keeps its place by arrival time; number unchanged)
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

ACTIVE = ("called", "serving")
RATING_LEVELS = ("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied")


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
    state: str = "open"        # the officer's: open, paused ("Tạm nghỉ"), closed (domain.counter_desk)
    appointment_run: int = 0
    name_en: str = ""          # shown on English pages (#18); empty: the name


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
    #: the booked time of the appointment this ticket was checked in for (None: a walk-in)
    appointment_ts: float | None = None
    appointment_id: int | None = None

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
            "recalls": self.recalls, "appointment_at": iso(self.appointment_ts),
            "appointment_id": self.appointment_id,
        }


@dataclass(frozen=True)
class Ratio:
    """At most ``priority`` priority calls for every ``normal`` normal calls while both wait."""
    priority: int = 1
    normal: int = 2

    @classmethod
    def parse(cls, text: str) -> Ratio:
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


@dataclass(frozen=True)
class Runs:
    """A counter's memory for the fairness rules: priority and normal calls (the walk-ins' ratio)
    and appointment calls in a row made while a walk-in waited."""
    priority: int = 0
    normal: int = 0
    appointment: int = 0


def choose_with_appointments(waiting: Sequence[Ticket], ratio: Ratio, runs: Runs, now: float,
                             in_a_row: int = 2) -> tuple[Ticket | None, Runs]:
    """The next ticket among walk-ins and checked-in appointments, and the counter's new runs.

    - An appointment ticket (``appointment_ts`` set) is *due* from its booked time. Due appointments
      go in booked order (then check-in order), ahead of walk-ins, but at most ``in_a_row`` of them
      in a row while a walk-in waits; then one walk-in is called. So a walk-in waits at most
      ``in_a_row`` appointment calls between two walk-in calls, and a due appointment at most one
      walk-in call between two appointment calls: neither side starves the other.
    - Walk-ins among themselves follow :func:`choose_next` (the priority ratio).
    - An appointment checked in early is not called before its time while anyone else waits; a
      counter with nobody else to call takes the earliest booked one (an idle counter serves).
    - ``in_a_row`` 0 means appointments never go ahead of a waiting walk-in (only when due and
      nobody walks in), which an office may choose; any value ≥ 1 gives the alternation above.
    """
    appointments = sorted((t for t in waiting if t.appointment_ts is not None),
                          key=lambda t: (t.appointment_ts or 0.0, t.issued_ts, t.id))
    walk_ins = [t for t in waiting if t.appointment_ts is None]
    due = [t for t in appointments if (t.appointment_ts or 0.0) <= now]
    if due and (not walk_ins or runs.appointment < in_a_row):
        return due[0], replace(runs, appointment=runs.appointment + 1 if walk_ins else 0)
    if walk_ins:
        chosen, p_run, n_run = choose_next(walk_ins, ratio, runs.priority, runs.normal)
        return chosen, Runs(p_run, n_run, 0)
    if appointments:  # only early ones wait, and nobody else
        return appointments[0], replace(runs, appointment=0)
    return None, runs


def estimate_wait_minutes(ahead: int, recent_service_s: Sequence[float], counters: int,
                          default_minutes: float) -> int:
    """Tickets ahead × median recent service time ÷ counters open for the service."""
    if ahead <= 0:
        return 0
    per_ticket = statistics.median(recent_service_s) / 60 if recent_service_s else default_minutes
    return max(1, round(ahead * per_ticket / max(1, counters)))


@dataclass
class QueueRules:
    ratio: Ratio = field(default_factory=Ratio)
    max_recalls: int = 3
    pager_pool: int = 30
    wait_sample: int = 20
    default_service_minutes: float = 6.0
    undo_window_s: float = 10.0   # V, and G/X closing the current ticket, can be undone this long
    #: at most this many due appointments called in a row while a walk-in waits
    appointments_in_a_row: int = 2

    @classmethod
    def from_settings(cls, queue_settings: Any) -> QueueRules:
        return cls(ratio=Ratio.parse(queue_settings.priority_ratio),
                   max_recalls=queue_settings.max_recalls, pager_pool=queue_settings.pager_pool,
                   wait_sample=queue_settings.wait_sample,
                   default_service_minutes=queue_settings.default_service_minutes,
                   appointments_in_a_row=getattr(queue_settings, "appointments_in_a_row", 2))
