"""The per-day queue summary (``ticket_days``): recomputed from ``tickets`` for the days a batch
touched, in the batch's transaction, so that it always equals a count over the tickets.

A day of one busy commune is a few hundred tickets, so recomputing it whole is cheaper and simpler
than applying deltas to counters (a ticket's state moves forward and back: transferred, recalled).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from district.db.schema import ticket_days, tickets

WAIT_GOAL_S = 15 * 60      # "served within 15 minutes": the share the reports show


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def refresh(conn: Connection, device_id: str, days: Iterable[date]) -> None:
    wanted = sorted(set(days))
    if not wanted:
        return
    conn.execute(delete(ticket_days).where(ticket_days.c.device_id == device_id, ticket_days.c.day.in_(wanted)))
    t = tickets.c
    done = t.state == "done"
    timed = and_(done, t.wait_s.is_not(None))
    service = func.coalesce(t.service, literal(""))
    summary = (select(
        t.device_id, t.day, service, func.count(), _count(t.priority.is_(True)), _count(done),
        _count(t.state == "no_show"), _count(t.state.in_(("waiting", "called", "serving"))), _count(timed),
        func.coalesce(func.sum(case((timed, t.wait_s), else_=0.0)), 0.0),
        _count(and_(timed, t.wait_s <= WAIT_GOAL_S)),
        _count(and_(done, t.service_s.is_not(None))),
        func.coalesce(func.sum(case((and_(done, t.service_s.is_not(None)), t.service_s), else_=0.0)), 0.0))
        .where(t.device_id == device_id, t.day.in_(wanted))
        .group_by(t.device_id, t.day, service))
    c = ticket_days.c
    conn.execute(insert(ticket_days).from_select(
        [c.device_id, c.day, c.service, c.issued, c.priority, c.served, c.no_show, c.waiting, c.wait_n,
         c.wait_sum_s, c.wait_15, c.service_n, c.service_sum_s], summary))


def ticket_days_of(conn: Connection, device_id: str, ticket_ids: Iterable[int]) -> set[date]:
    """The days some stored tickets are counted under now (a later event may move one)."""
    ids = list(ticket_ids)
    out: set[date] = set()
    for i in range(0, len(ids), 500):
        out.update(conn.execute(select(tickets.c.day).distinct()
                                .where(tickets.c.device_id == device_id, tickets.c.ticket_id.in_(ids[i:i + 500])))
                   .scalars())
    return out
