"""The queue engine: every queue command (issue, call, recall, serve, done, no-show, transfer,
pagers, ratings) in one unit of work (``appliance.services.uow``): one transaction, the hub's
outbox rows inside it, bus events after the commit.

The rules it applies are pure (``appliance.domain.queue``); the SQL is
``appliance.store.queue_store`` (tickets, counters, ratings) and, through the pager policy
(``appliance.services.pagers``), ``appliance.store.pager_store``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..domain.counter_desk import UndoRecord, check_may_call
from ..domain.errors import Conflict, DomainError, NotFound
from ..domain.queue import (
    RATING_LEVELS,
    Advanced,
    Counter,
    Issued,
    QueueRules,
    Runs,
    Service,
    Ticket,
    choose_with_appointments,
    estimate_wait_minutes,
)
from . import counter_desk, pagers
from .pagers import Returned
from .uow import UnitOfWork, Units

T = TypeVar("T")


# --- the store port -----------------------------------------------------------------------
class QueueTx(Protocol):
    """What the engine needs from the store inside one unit of work (SQL over its connection)."""

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
    def count_transfer(self, ticket_id: int) -> None: ...
    def set_counter_runs(self, counter_id: int, priority_run: int, normal_run: int,
                         appointment_run: int = 0) -> None: ...
    def add_rating(self, counter_id: int, ticket_id: int | None, level: str, source: str,
                   user_login: str | None, ts: float, dossier_code: str | None = None) -> int: ...
    def officer_name(self, login: str | None) -> str | None: ...
    def rated(self, ticket_id: int | None, dossier_code: str | None) -> bool: ...
    def ticket_dossier(self, ticket_id: int) -> str | None: ...
    def dossier_returner(self, code: str) -> str | None: ...


# --- the engine ---------------------------------------------------------------------------
class QueueEngine:
    """Every queue command: one unit of work (one transaction, outbox rows inside it, bus events
    after the commit, ``queue.changed`` last whenever something changed).

    ``queries`` gives the store's SQL over a unit's connection (``SqliteQueueTx``)."""

    def __init__(self, units: Units, queries: Callable[[UnitOfWork], QueueTx], rules: QueueRules,
                 tz: ZoneInfo, clock: Callable[[], float]) -> None:
        self.units = units
        self.queries = queries
        self.rules = rules
        self.tz = tz
        self.clock = clock

    # helpers
    def today(self, ts: float | None = None) -> str:
        return datetime.fromtimestamp(self.clock() if ts is None else ts, self.tz).date().isoformat()

    def _run(self, work: Callable[[QueueTx, UnitOfWork], T]) -> T:
        with self.units() as unit:
            result = work(self.queries(unit), unit)
            if unit.emitted:
                unit.emit("queue.changed", {})
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

    @staticmethod
    def _reread(tx: QueueTx, ticket_id: int) -> Ticket:
        """The ticket as this transaction has just written it."""
        ticket = tx.ticket(ticket_id)
        if ticket is None:
            raise NotFound("unknown_ticket", "ticket", ticket=ticket_id)
        return ticket

    def _json(self, ticket: Ticket) -> dict[str, Any]:
        return ticket.as_json(self.tz)

    # commands
    def issue(self, service_code: str, priority: bool = False, priority_reason: str | None = None,
              pager: int | str | None = None, channel: str = "api",
              user_login: str | None = None) -> Issued:
        def work(tx: QueueTx, unit: UnitOfWork) -> Issued:
            return self.issue_in(unit, service_code, priority, priority_reason, pager, channel, user_login)
        return self._run(work)

    def issue_in(self, unit: UnitOfWork, service_code: str, priority: bool = False,
                 priority_reason: str | None = None, pager: int | str | None = None, channel: str = "api",
                 user_login: str | None = None, appointment_id: int | None = None,
                 appointment_ts: float | None = None, target_counter_id: int | None = None) -> Issued:
        """Issue a ticket inside the caller's unit of work (a check-in issues its ticket in the
        transaction that marks the appointment; it emits ``queue.changed`` itself).
        ``appointment_ts``: the booked time from which
        the queue calls it (``appliance.domain.queue.choose_with_appointments``); ``target_counter_id``:
        the counter the appointment was booked at."""
        tx = self.queries(unit)
        service = tx.service_by_code(service_code)
        if service is None:
            raise NotFound("unknown_service", "service", service=service_code)
        if not service.active:
            raise Conflict("service_inactive", "service", service=service_code)
        # "auto" with no pager free: the ticket is issued all the same (its number is called on the
        # display and by the announcer); nobody is turned away for want of a pager
        number = pagers.choose_or_none(unit, pager, self.rules.pager_pool)
        now = unit.now
        day = self.today(now)
        seq = tx.next_seq(service.id, day)
        ticket_id = tx.insert_ticket(
            service_id=service.id, day=day, seq=seq, number=service.number_for(seq),
            priority=int(bool(priority)), priority_reason=priority_reason if priority else None,
            state="waiting", pager=number, channel=channel, issued_ts=now, user_login=user_login,
            appointment_id=appointment_id, appointment_ts=appointment_ts, target_counter_id=target_counter_id)
        if number is not None:
            pagers.take(unit, number, ticket_id=ticket_id)
        ticket = self._reread(tx, ticket_id)
        ahead = tx.waiting_ahead(day, service.id, now, ticket_id)
        wait = estimate_wait_minutes(
            ahead, tx.recent_service_seconds(service.id, self.rules.wait_sample),
            tx.counters_serving(service.id), self.rules.default_service_minutes)
        if appointment_ts is not None:   # called at the booked time, not after those ahead
            wait = max(0, round((appointment_ts - now) / 60))
        unit.emit("ticket.issued", {"ticket": self._json(ticket), "ahead": ahead, "estimated_wait_min": wait})
        return Issued(ticket, ahead, wait)

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

        def work(tx: QueueTx, unit: UnitOfWork) -> Advanced:
            counter = self._counter(tx, counter_id)
            check_may_call(counter_id, counter.state)   # a paused or closed counter is given nobody
            current = tx.active_ticket(counter_id)
            waiting = tx.waiting_for(self.today(), counter.service_ids, counter_id)
            chosen, runs = choose_with_appointments(
                waiting, self.rules.ratio, Runs(counter.priority_run, counter.normal_run, counter.appointment_run),
                unit.now, self.rules.appointments_in_a_row)
            before = counter_desk.snapshot(unit, (current.id if current else None, chosen.id if chosen else None))
            counter_desk.forget_step(unit, counter_id)
            finished = None
            if current is not None:
                if finish_current is False or (finish_current == "serving" and current.state != "serving"):
                    raise Conflict("counter_busy", "counter", counter=counter_id, number=current.number)
                finished = self._finish(tx, unit, current, counter_id, user_login)
            if chosen is None:
                if finished is not None:
                    counter_desk.record_step(unit, counter_id, "done", before, {"finished": finished.number},
                                             user_login)
                    return Advanced(finished, None)
                raise NotFound("nobody_waiting", "counter", counter=counter_id)
            now = unit.now
            tx.update_ticket(chosen.id, state="called", counter_id=counter_id, called_ts=now,
                             recalls=0, user_login=user_login)
            tx.set_counter_runs(counter_id, runs.priority, runs.normal, runs.appointment)
            ticket = self._reread(tx, chosen.id)
            unit.emit("ticket.called", {"ticket": self._json(ticket), "counter_id": counter_id})
            if finished is not None:   # "G" closed the current ticket: undoable for a few seconds
                counter_desk.record_step(unit, counter_id, "call", before,
                                         {"finished": finished.number, "called": ticket.number}, user_login,
                                         runs_before=(counter.priority_run, counter.normal_run))
            return Advanced(finished, ticket)
        return self._run(work)

    def recall(self, counter_id: int, ticket_id: int | None = None) -> Ticket:
        def work(tx: QueueTx, unit: UnitOfWork) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("gọi lại", "recall it"))
            if ticket.recalls >= self.rules.max_recalls:
                raise Conflict("too_many_recalls", "ticket", number=ticket.number, recalls=ticket.recalls)
            counter_desk.forget_step(unit, counter_id)
            tx.update_ticket(ticket.id, recalls=ticket.recalls + 1)
            ticket = self._reread(tx, ticket.id)
            unit.emit("ticket.recalled", {"ticket": self._json(ticket), "counter_id": counter_id,
                                               "recalls": ticket.recalls})
            return ticket
        return self._run(work)

    def serve(self, counter_id: int, ticket_id: int | None = None) -> Ticket:
        def work(tx: QueueTx, unit: UnitOfWork) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("bắt đầu phục vụ", "start serving it"))
            counter_desk.forget_step(unit, counter_id)
            tx.update_ticket(ticket.id, state="serving", serving_ts=unit.now)
            ticket = self._reread(tx, ticket.id)
            unit.emit("ticket.serving", {"ticket": self._json(ticket), "counter_id": counter_id})
            return ticket
        return self._run(work)

    def _finish(self, tx: QueueTx, unit: UnitOfWork, ticket: Ticket, counter_id: int,
                user_login: str | None) -> Ticket:
        now = unit.now
        started = ticket.serving_ts or ticket.called_ts or now
        tx.update_ticket(ticket.id, state="done", finished_ts=now,
                         serving_ts=ticket.serving_ts or ticket.called_ts)
        done = self._reread(tx, ticket.id)
        unit.emit("ticket.done", {
            "ticket": self._json(done), "counter_id": counter_id,
            "wait_s": round((ticket.called_ts or now) - ticket.issued_ts, 1),
            "service_s": round(now - started, 1), "officer": user_login,
            "officer_name": tx.officer_name(user_login)})
        # the end of service: the counter's citizen screen asks for a rating (not a hub fact)
        officer = done.officer or user_login
        unit.emit("rating.requested", {
            "counter_id": counter_id, "ticket_id": done.id, "number": done.number,
            "dossier_code": tx.ticket_dossier(done.id), "officer": officer,
            "officer_name": tx.officer_name(officer)})
        return done

    def done(self, counter_id: int, ticket_id: int | None = None, user_login: str | None = None) -> Ticket:
        def work(tx: QueueTx, unit: UnitOfWork) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            before = counter_desk.snapshot(unit, (ticket.id,))
            done = self._finish(tx, unit, ticket, counter_id, user_login)
            counter_desk.record_step(unit, counter_id, "done", before, {"finished": done.number}, user_login)
            return done
        return self._run(work)

    def no_show(self, counter_id: int, ticket_id: int | None = None, user_login: str | None = None) -> Ticket:
        def work(tx: QueueTx, unit: UnitOfWork) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            if ticket.state != "called":
                raise Conflict("bad_state", "ticket", number=ticket.number, state=ticket.state,
                               action=("đánh dấu vắng mặt", "mark it absent"))
            before = counter_desk.snapshot(unit, (ticket.id,))
            tx.update_ticket(ticket.id, state="no_show", finished_ts=unit.now)
            ticket = self._reread(tx, ticket.id)
            unit.emit("ticket.no_show", {"ticket": self._json(ticket), "counter_id": counter_id})
            counter_desk.record_step(unit, counter_id, "no_show", before, {"absent": ticket.number}, user_login)
            return ticket
        return self._run(work)

    def transfer(self, counter_id: int, to_service: str | None = None, to_counter: int | None = None,
                 ticket_id: int | None = None) -> Ticket:
        """Back to waiting for another service and/or counter, keeping its arrival time and its
        number (the citizen's paper, the hall display and the pager know it by that number; it stays
        the issuing service's, ``issued_service_id``, so the new service's own numbers are neither
        taken nor skipped). Only the counter's current ticket moves (``ticket_id`` guards against a
        stale console: a finished, already transferred or another counter's ticket is refused), and
        only to a service taking tickets and, if named, a counter that is not closed."""
        def work(tx: QueueTx, unit: UnitOfWork) -> Ticket:
            self._counter(tx, counter_id)
            ticket = self._current(tx, counter_id, ticket_id)
            service = tx.service(ticket.service_id)
            if to_service not in (None, ""):
                chosen_service = tx.service_by_code(to_service)
                if chosen_service is None:
                    raise NotFound("unknown_service", "to_service", service=to_service)
                if not chosen_service.active and chosen_service.id != ticket.service_id:
                    raise Conflict("service_inactive", "to_service", service=chosen_service.code)
                service = chosen_service
            if to_counter is not None:
                target = self._counter(tx, to_counter)
                if service.id not in target.service_ids:
                    raise DomainError("counter_not_serving", "to_counter", counter=to_counter,
                                      service=service.code)
                if target.state == "closed" and to_counter != counter_id:
                    raise Conflict("transfer_counter_closed", "to_counter", counter=to_counter,
                                   number=ticket.number)
            if service.id == ticket.service_id and to_counter in (None, counter_id):
                raise DomainError("transfer_to_itself", "to_service", number=ticket.number)
            counter_desk.forget_step(unit, counter_id)
            tx.update_ticket(ticket.id, state="waiting", service_id=service.id, counter_id=None,
                             target_counter_id=to_counter, called_ts=None, serving_ts=None, recalls=0)
            tx.count_transfer(ticket.id)   # the reports' "transferred"
            moved = self._reread(tx, ticket.id)
            unit.emit("ticket.transferred", {
                "ticket": self._json(moved), "from_service": ticket.service_code,
                "to_service": service.code, "to_counter": to_counter, "counter_id": counter_id})
            return moved
        return self._run(work)

    # the officer's own counter (appliance.services.counter_desk)
    def set_counter_state(self, counter_id: int, action: str, user_login: str | None = None,
                          role: str | None = None) -> dict[str, Any]:
        """Open, pause ("Tạm nghỉ") or close the counter; the ``counter.state`` payload."""
        def work(tx: QueueTx, unit: UnitOfWork) -> dict[str, Any]:
            return counter_desk.change_state(unit, counter_id, action, user_login, role, self.tz)
        return self._run(work)

    def undo(self, counter_id: int, token: str | None = None,
             user_login: str | None = None) -> tuple[UndoRecord, list[Ticket]]:
        """Take back the counter's last V, or G/X that closed its ticket, within the undo window."""
        def work(tx: QueueTx, unit: UnitOfWork) -> tuple[UndoRecord, list[Ticket]]:
            return counter_desk.undo(unit, counter_id, token, user_login, self.tz, self.rules.undo_window_s)
        return self._run(work)

    # pagers (the policy is appliance.services.pagers)
    def return_pager(self, number: int, detach: bool = False, user_login: str | None = None) -> Returned:
        """The pager is handed back; one an open dossier holds needs ``detach`` (see
        :func:`appliance.services.pagers.hand_back`)."""
        def work(tx: QueueTx, unit: UnitOfWork) -> Returned:
            return pagers.hand_back(unit, number, self.rules.pager_pool, detach=detach, user_login=user_login)
        return self._run(work)

    def mark_pager_lost(self, number: int, user_login: str | None = None) -> None:
        def work(tx: QueueTx, unit: UnitOfWork) -> None:
            pagers.mark_lost(unit, number, self.rules.pager_pool, user_login)
        self._run(work)

    def assign_pager(self, number: int | str, ticket_id: int | None = None,
                     dossier_code: str | None = None) -> int:
        def work(tx: QueueTx, unit: UnitOfWork) -> int:
            chosen = pagers.assign(unit, number, self.rules.pager_pool, ticket_id=ticket_id,
                                   dossier_code=dossier_code)
            if ticket_id is not None:
                tx.update_ticket(ticket_id, pager=chosen)
            return chosen
        return self._run(work)

    # ratings
    def rate(self, counter_id: int, level: str, source: str = "button",
             user_login: str | None = None) -> int:
        """A satisfaction vote (a GPIO button, the API), attributed to the counter's current or last
        served ticket, once: a ticket already rated (by a button or on the citizen screen) is
        refused (``already_rated``), so a citizen pressing again, or a child pressing for fun,
        does not count twice in the office's satisfaction figures."""
        if level not in RATING_LEVELS:
            raise DomainError("bad_rating", "level", level=level)

        def work(tx: QueueTx, unit: UnitOfWork) -> int:
            self._counter(tx, counter_id)
            ticket = tx.active_ticket(counter_id) or tx.last_finished(counter_id)
            if ticket is None:
                raise Conflict("nothing_to_rate", "counter", counter=counter_id)
            if tx.rated(ticket.id, None):
                raise Conflict("already_rated", "rating")
            officer = ticket.officer or user_login
            rating_id = tx.add_rating(counter_id, ticket.id, level, source, officer, unit.now)
            unit.emit("rating.given", {
                "counter_id": counter_id, "ticket_id": ticket.id, "level": level,
                "officer": officer, "officer_name": tx.officer_name(officer),
                "at": datetime.fromtimestamp(unit.now, self.tz).isoformat(timespec="seconds")})
            return rating_id
        return self._run(work)

    def rate_service(self, counter_id: int, level: str, ticket_id: int | None = None,
                     dossier_code: str | None = None, source: str = "screen") -> int:
        """A rating pressed on the counter's citizen screen for the service it asked about: that
        ticket (served at this counter) or that dossier (its result handed over), attributed to its
        officer, once: a second press for the same ticket or dossier is refused (``already_rated``),
        whether the first came from the screen or a GPIO button."""
        if level not in RATING_LEVELS:
            raise DomainError("bad_rating", "level", level=level)
        if ticket_id is None and not dossier_code:
            raise DomainError("required", "ticket_id", name="ticket_id")

        def work(tx: QueueTx, unit: UnitOfWork) -> int:
            self._counter(tx, counter_id)
            dossier = dossier_code or None
            if ticket_id is not None:
                ticket = tx.ticket(ticket_id)
                if ticket is None or ticket.counter_id != counter_id or ticket.state not in (
                        "called", "serving", "done"):
                    raise Conflict("rating_not_here", "ticket_id", counter=counter_id)
                officer = ticket.officer
                dossier = dossier or tx.ticket_dossier(ticket.id)
            else:
                officer = tx.dossier_returner(dossier or "")
                if officer is None:
                    raise Conflict("nothing_to_rate", "dossier_code", counter=counter_id)
            if tx.rated(ticket_id, None if ticket_id is not None else dossier):
                raise Conflict("already_rated", "rating")
            rating_id = tx.add_rating(counter_id, ticket_id, level, source, officer, unit.now, dossier_code=dossier)
            unit.emit("rating.given", {
                "counter_id": counter_id, "ticket_id": ticket_id, "dossier_code": dossier, "level": level,
                "source": source, "officer": officer, "officer_name": tx.officer_name(officer),
                "at": datetime.fromtimestamp(unit.now, self.tz).isoformat(timespec="seconds")})
            return rating_id
        return self._run(work)
