"""The province's reports over every commune, counted in the database (one grouped query each, not a
row per dossier in Python): Biểu II.06a per commune and field, and the QĐ 766 components per
commune and month.

The classification is :func:`appliance.domain.report_ii06a.classify` written as SQL ``CASE``
expressions (the same on PostgreSQL and SQLite); ``tests/district/test_province_reports.py``
compares the two on the same dossiers. The hub keeps no counting rules: a refused, stopped or
withdrawn dossier counts with the outcome its appliance recorded when it closed, and without one
it is left out (``classify`` with ``closing=None``).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, not_, or_, select
from sqlalchemy.engine import Connection

from appliance.domain import report_ii06a
from district.db.schema import devices, dossiers, ratings

c = dossiers.c
_found = func.coalesce(c.ready_at, c.returned_at, c.closed_at)
#: when the dossier was resolved: its result ready, else returned or closed; never before receipt
RESOLVED = case((_found < c.received_at, c.received_at), else_=_found)
EXCLUDED = and_(c.state.in_(sorted(report_ii06a.CLOSING_STATES)), c.outcome.is_(None))
OUTCOME = case((c.outcome.in_(report_ii06a.OUTCOMES), c.outcome),
               (and_(c.due_at.is_not(None), RESOLVED > c.due_at), literal("late")), else_=literal("on_time"))
SATISFIED = ("very_satisfied", "satisfied")


def _devices(q: Any, device_ids: Sequence[str] | None) -> Any:
    return q if device_ids is None else q.where(c.device_id.in_(list(device_ids)))


def ii06a_counts(conn: Connection, start: datetime, end: datetime, as_of: datetime,
                 device_ids: Sequence[str] | None = None) -> list[tuple[str, str, str, str, int]]:
    """(commune code, field code, received column, resolved or pending column, dossiers) for
    ``[start, end)``, pending judged at ``min(end, as_of)``."""
    reference = min(end, as_of)
    received = case((c.received_at < start, literal("carried_over")),
                    (c.channel.in_(sorted(report_ii06a.ONLINE_CHANNELS)), literal("online")),
                    else_=literal("direct_postal"))
    second = case((and_(RESOLVED.is_not(None), RESOLVED < end), OUTCOME),
                  (or_(c.state == "supplement_requested", c.due_at.is_(None), c.due_at >= reference),
                   literal("within_deadline")), else_=literal("overdue"))
    field = func.coalesce(c.field_code, literal("KHAC"))
    q = (select(devices.c.commune_code, field, received, second, func.count())
         .select_from(dossiers.join(devices, devices.c.id == c.device_id))
         .where(c.received_at.is_not(None), c.received_at < end, or_(RESOLVED.is_(None), RESOLVED >= start),
                not_(EXCLUDED))
         .group_by(devices.c.commune_code, field, received, second))
    return [(a, b, r, s, int(n)) for a, b, r, s, n in conn.execute(_devices(q, device_ids))]


def communes(conn: Connection) -> dict[str, str]:
    """Commune code → name, every commune with a device, by name."""
    rows = conn.execute(select(devices.c.commune_code, func.max(devices.c.commune_name))
                        .group_by(devices.c.commune_code).order_by(func.max(devices.c.commune_name)))
    return {code: name for code, name in rows}


def _bucket(column: Any, months: Sequence[tuple[str, datetime, datetime]]) -> Any:
    return case(*((column < end, literal(key)) for key, _s, end in months), else_=literal(None))


def monthly_components(conn: Connection, months: Sequence[tuple[str, datetime, datetime]],
                       month_days: Sequence[tuple[str, date, date]],
                       device_ids: Sequence[str] | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Per (commune code, month key): the counts the QĐ 766 components are rates of —
    ``received`` / ``online`` / ``digitised`` (received in the month), ``resolved`` / ``on_time``
    (early or on time, resolved in the month), ``ballots`` / ``satisfied``. ``months``: consecutive
    (key, start, end) instants; ``month_days``: the same months as (key, first day, last day)."""
    out: dict[tuple[str, str], dict[str, int]] = {}

    def put(commune: str, key: str | None, **counts: Any) -> None:
        if key is None:
            return
        into = out.setdefault((commune, key), {"received": 0, "online": 0, "digitised": 0, "resolved": 0,
                                               "on_time": 0, "ballots": 0, "satisfied": 0})
        for name, n in counts.items():
            into[name] += int(n or 0)
    if not months:
        return out
    first, last = months[0][1], months[-1][2]
    joined = dossiers.join(devices, devices.c.id == c.device_id)
    month = _bucket(c.received_at, months)
    online = func.sum(case((c.channel.in_(sorted(report_ii06a.ONLINE_CHANNELS)), 1), else_=0))
    digitised = func.sum(case((c.digitised.is_(True), 1), else_=0))
    q = (select(devices.c.commune_code, month, func.count(), online, digitised).select_from(joined)
         .where(c.received_at >= first, c.received_at < last).group_by(devices.c.commune_code, month))
    for commune, key, n, n_online, n_digitised in conn.execute(_devices(q, device_ids)):
        put(commune, key, received=n, online=n_online, digitised=n_digitised)
    month = _bucket(RESOLVED, months)
    good = func.sum(case((OUTCOME.in_(("early", "on_time")), 1), else_=0))
    q = (select(devices.c.commune_code, month, func.count(), good).select_from(joined)
         .where(RESOLVED >= first, RESOLVED < last, not_(EXCLUDED)).group_by(devices.c.commune_code, month))
    for commune, key, n, n_good in conn.execute(_devices(q, device_ids)):
        put(commune, key, resolved=n, on_time=n_good)
    r = ratings.c
    day_month = case(*((r.day <= last_day, literal(key)) for key, _f, last_day in month_days), else_=literal(None))
    satisfied = func.sum(case((r.level.in_(SATISFIED), 1), else_=0))
    q = (select(devices.c.commune_code, day_month, func.count(), satisfied)
         .select_from(ratings.join(devices, devices.c.id == r.device_id))
         .where(r.day >= month_days[0][1], r.day <= month_days[-1][2]).group_by(devices.c.commune_code, day_month))
    if device_ids is not None:
        q = q.where(r.device_id.in_(list(device_ids)))
    for commune, key, n, n_good in conn.execute(q):
        put(commune, key, ballots=n, satisfied=n_good)
    return out


def postal_counts(conn: Connection, start: datetime, end: datetime,
                  device_ids: Sequence[str] | None = None) -> list[tuple[str, int, int, int]]:
    """(field, received by post, registered for postal return, returned by post) in ``[start, end)``:
    what ``district.domain.reports.postal_report`` counts, grouped in the database."""
    from district.domain.projections import CLOSED_WITHOUT_RESULT
    received_now = and_(c.received_at >= start, c.received_at < end)
    returned_now = and_(c.returned_at >= start, c.returned_at < end)
    field = func.coalesce(c.field_code, literal("KHAC"))
    q = (select(field, func.sum(case((and_(received_now, c.channel == "buu_chinh"), 1), else_=0)),
                func.sum(case((and_(received_now, c.return_by_post.is_(True)), 1), else_=0)),
                func.sum(case((and_(returned_now, c.returned_by_post.is_(True)), 1), else_=0)))
         .where(or_(received_now, returned_now), c.state.not_in(sorted(CLOSED_WITHOUT_RESULT))).group_by(field))
    return [(code, int(a or 0), int(b or 0), int(d or 0)) for code, a, b, d in conn.execute(_devices(q, device_ids))]


def target_counts(conn: Connection, start: datetime, end: datetime,
                  device_ids: Sequence[str] | None = None) -> list[tuple[str, int, int]]:
    """(field, returned in the period with a 2-hour target, of them within it)."""
    field = func.coalesce(c.field_code, literal("KHAC"))
    q = (select(field, func.count(), func.sum(case((c.target_met.is_(True), 1), else_=0)))
         .where(c.target_met.is_not(None), c.returned_at >= start, c.returned_at < end).group_by(field))
    return [(code, int(n), int(m or 0)) for code, n, m in conn.execute(_devices(q, device_ids))]


def rating_counts(conn: Connection, first_day: date, last_day: date,
                  device_ids: Sequence[str] | None = None) -> list[tuple[str, str | None, int]]:
    """(level, the officer's full name, or the login when no name came, ballots) of the days."""
    from district.db.schema import officers
    r = ratings.c
    name = func.coalesce(func.nullif(officers.c.full_name, ""), r.officer)
    q = (select(r.level, name, func.count())
         .select_from(ratings.outerjoin(officers, and_(officers.c.device_id == r.device_id,
                                                       officers.c.login == r.officer)))
         .where(r.day >= first_day, r.day <= last_day).group_by(r.level, name))
    if device_ids is not None:
        q = q.where(r.device_id.in_(list(device_ids)))
    return [(level, officer, int(n)) for level, officer, n in conn.execute(q)]


def queue_counts(conn: Connection, first_day: date, last_day: date,
                 device_ids: Sequence[str] | None = None) -> list[tuple[str, str, list[float]]]:
    """Per commune (code, name): [issued, priority, served, no-shows, served with a wait time, their
    wait seconds, of them within 15 minutes, served with a service time, their seconds] over the days,
    from ``ticket_days`` (the per-day summary kept at ingest), never the tickets."""
    from district.db.schema import ticket_days
    t = ticket_days.c
    sums = [func.sum(col) for col in (t.issued, t.priority, t.served, t.no_show, t.wait_n, t.wait_sum_s, t.wait_15,
                                      t.service_n, t.service_sum_s)]
    q = (select(devices.c.commune_code, func.max(devices.c.commune_name), *sums)
         .select_from(ticket_days.join(devices, devices.c.id == t.device_id))
         .where(t.day >= first_day, t.day <= last_day).group_by(devices.c.commune_code)
         .order_by(func.max(devices.c.commune_name)))
    if device_ids is not None:
        q = q.where(t.device_id.in_(list(device_ids)))
    return [(code, name, [float(v or 0) for v in values]) for code, name, *values in conn.execute(q)]
