"""Read side of the summary tables: what the dashboard and GET /api/v1/communes show per commune."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from district.db.schema import devices, dossiers, ratings, tickets
from district.domain.projections import CLOSED_WITHOUT_RESULT
from district.domain.reports import ONLINE_CHANNELS

TICKET_BUCKETS = {"waiting": "waiting", "called": "serving", "serving": "serving", "done": "served",
                  "no_show": "no_show"}


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tz)


def month_start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day.replace(day=1), time(0), tz)


def _empty(code: str, name: str) -> dict:
    return {
        "code": code, "name": name, "devices": [], "events_received": 0, "last_sync_at": None,
        "backlog": None, "max_skew_s": None,
        "tickets": {"today": 0, "waiting": 0, "serving": 0, "served": 0, "no_show": 0},
        "dossiers": {"received_today": 0, "resolved_today": {"early": 0, "on_time": 0, "late": 0},
                     "pending": {"within_deadline": 0, "overdue": 0}, "by_state": {}},
        "month": {"received": 0, "online": 0, "returned": 0, "returned_by_post": 0,
                  "online_rate": None, "postal_rate": None,
                  "ratings": 0, "satisfied": 0, "satisfaction_rate": None},
    }


def _rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


def communes(conn: Connection, today: date, now: datetime, tz: tzinfo, commune: str | None = None) -> list[dict]:
    """One dict per commune (devices grouped by ``commune_code``), sorted by name."""
    dev_q = select(devices.c.id, devices.c.commune_code, devices.c.commune_name, devices.c.events_received,
                   devices.c.last_sync_at, devices.c.backlog, devices.c.skew_s, devices.c.revoked_at,
                   devices.c.acked_through)
    if commune:
        dev_q = dev_q.where(devices.c.commune_code == commune)
    out: dict[str, dict] = {}
    owner: dict[str, dict] = {}
    for d in conn.execute(dev_q):
        c = out.setdefault(d.commune_code, _empty(d.commune_code, d.commune_name))
        owner[d.id] = c
        c["devices"].append({"id": d.id, "revoked": d.revoked_at is not None, "acked_through": d.acked_through,
                             "last_sync_at": d.last_sync_at, "backlog": d.backlog, "skew_s": d.skew_s})
        c["events_received"] += d.events_received
        if d.last_sync_at and (c["last_sync_at"] is None or d.last_sync_at > c["last_sync_at"]):
            c["last_sync_at"] = d.last_sync_at
        if d.backlog is not None:
            c["backlog"] = (c["backlog"] or 0) + d.backlog
        if d.skew_s is not None and (c["max_skew_s"] is None or abs(d.skew_s) > abs(c["max_skew_s"])):
            c["max_skew_s"] = d.skew_s
    if not owner:
        return []
    ids = list(owner)
    start, end = day_bounds(today, tz)
    m_start = month_start(today, tz)

    for dev, state, n in conn.execute(select(tickets.c.device_id, tickets.c.state, func.count())
                                      .where(tickets.c.day == today, tickets.c.device_id.in_(ids))
                                      .group_by(tickets.c.device_id, tickets.c.state)):
        t = owner[dev]["tickets"]
        t["today"] += n
        bucket = TICKET_BUCKETS.get(state)
        if bucket:
            t[bucket] += n

    for dev, n in conn.execute(select(dossiers.c.device_id, func.count())
                               .where(dossiers.c.received_at >= start, dossiers.c.received_at < end,
                                      dossiers.c.device_id.in_(ids)).group_by(dossiers.c.device_id)):
        owner[dev]["dossiers"]["received_today"] += n

    for dev, outcome, n in conn.execute(select(dossiers.c.device_id, dossiers.c.outcome, func.count())
                                        .where(dossiers.c.returned_at >= start, dossiers.c.returned_at < end,
                                               dossiers.c.device_id.in_(ids))
                                        .group_by(dossiers.c.device_id, dossiers.c.outcome)):
        r = owner[dev]["dossiers"]["resolved_today"]
        r[outcome or "on_time"] = r.get(outcome or "on_time", 0) + n

    overdue = case((dossiers.c.due_at < now, "overdue"), else_="within_deadline")
    for dev, bucket, n in conn.execute(select(dossiers.c.device_id, overdue, func.count())
                                       .where(dossiers.c.returned_at.is_(None),
                                              dossiers.c.state.not_in(CLOSED_WITHOUT_RESULT),
                                              dossiers.c.device_id.in_(ids))
                                       .group_by(dossiers.c.device_id, overdue)):
        owner[dev]["dossiers"]["pending"][bucket] += n

    for dev, state, n in conn.execute(select(dossiers.c.device_id, dossiers.c.state, func.count())
                                      .where(dossiers.c.device_id.in_(ids))
                                      .group_by(dossiers.c.device_id, dossiers.c.state)):
        by_state = owner[dev]["dossiers"]["by_state"]
        by_state[state] = by_state.get(state, 0) + n

    online = case((dossiers.c.channel.in_(ONLINE_CHANNELS), 1), else_=0)
    for dev, n, n_online in conn.execute(select(dossiers.c.device_id, func.count(), func.sum(online))
                                         .where(dossiers.c.received_at >= m_start, dossiers.c.received_at < end,
                                                dossiers.c.device_id.in_(ids)).group_by(dossiers.c.device_id)):
        m = owner[dev]["month"]
        m["received"] += n
        m["online"] += int(n_online or 0)

    by_post = case((dossiers.c.returned_by_post.is_(True), 1), else_=0)
    for dev, n, n_post in conn.execute(select(dossiers.c.device_id, func.count(), func.sum(by_post))
                                       .where(dossiers.c.returned_at >= m_start, dossiers.c.returned_at < end,
                                              dossiers.c.device_id.in_(ids)).group_by(dossiers.c.device_id)):
        m = owner[dev]["month"]
        m["returned"] += n
        m["returned_by_post"] += int(n_post or 0)

    good = case((ratings.c.level.in_(("very_satisfied", "satisfied")), 1), else_=0)
    for dev, n, n_good in conn.execute(select(ratings.c.device_id, func.count(), func.sum(good))
                                       .where(ratings.c.day >= today.replace(day=1), ratings.c.day <= today,
                                              ratings.c.device_id.in_(ids)).group_by(ratings.c.device_id)):
        m = owner[dev]["month"]
        m["ratings"] += n
        m["satisfied"] += int(n_good or 0)

    for c in out.values():
        m = c["month"]
        m["online_rate"] = _rate(m["online"], m["received"])
        m["postal_rate"] = _rate(m["returned_by_post"], m["returned"])
        m["satisfaction_rate"] = _rate(m["satisfied"], m["ratings"])
    return sorted(out.values(), key=lambda c: c["name"])


def ticket_services(conn: Connection, device_ids: list[str], today: date) -> list[dict]:
    """Today's tickets of some devices per service: issued, waiting, served, average wait (minutes)."""
    waiting = func.sum(case((tickets.c.state == "waiting", 1), else_=0))
    served = func.sum(case((tickets.c.state == "done", 1), else_=0))
    rows = conn.execute(select(tickets.c.service, func.max(tickets.c.service_name), func.count(), waiting, served,
                               func.avg(tickets.c.wait_s))
                        .where(tickets.c.day == today, tickets.c.device_id.in_(device_ids))
                        .group_by(tickets.c.service).order_by(tickets.c.service))
    return [{"service": s or "", "service_name": name or s or "", "issued": n, "waiting": int(w or 0),
             "served": int(d or 0), "avg_wait_min": round(avg / 60, 1) if avg is not None else None}
            for s, name, n, w, d, avg in rows]


def dossier_list(conn: Connection, device_ids: list[str], now: datetime, limit: int = 50,
                 offset: int = 0) -> tuple[list[dict], int]:
    """One page of the commune's dossiers: pending first (most overdue first), then the returned ones,
    latest first; no personal data. Returns (rows, how many there are in all)."""
    cols = (dossiers.c.code, dossiers.c.procedure_name, dossiers.c.field_code, dossiers.c.channel,
            dossiers.c.state, dossiers.c.received_at, dossiers.c.due_at, dossiers.c.returned_at, dossiers.c.outcome)
    mine = dossiers.c.device_id.in_(device_ids)
    open_ = and_(mine, dossiers.c.returned_at.is_(None), dossiers.c.state.not_in(CLOSED_WITHOUT_RESULT))
    done_ = and_(mine, dossiers.c.returned_at.is_not(None))
    n_open = conn.execute(select(func.count()).select_from(dossiers).where(open_)).scalar_one()
    n_done = conn.execute(select(func.count()).select_from(dossiers).where(done_)).scalar_one()
    rows_: list = []
    if offset < n_open:
        rows_ += conn.execute(select(*cols).where(open_).order_by(dossiers.c.due_at.asc(), dossiers.c.code)
                              .offset(offset).limit(limit)).mappings().all()
    left = limit - len(rows_)
    if left > 0:
        rows_ += conn.execute(select(*cols).where(done_).order_by(dossiers.c.returned_at.desc(), dossiers.c.code)
                              .offset(max(0, offset - n_open)).limit(left)).mappings().all()
    rows = []
    for r in rows_:
        row = dict(r)
        row["overdue"] = r["returned_at"] is None and r["due_at"] is not None and r["due_at"] < now
        rows.append(row)
    return rows, n_open + n_done


def commune_devices(conn: Connection, commune: str) -> list[str]:
    return list(conn.execute(select(devices.c.id).where(devices.c.commune_code == commune)).scalars())


def commune_choices(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(select(devices.c.commune_code, func.max(devices.c.commune_name))
                        .group_by(devices.c.commune_code).order_by(func.max(devices.c.commune_name)))
    return [(code, name) for code, name in rows]

