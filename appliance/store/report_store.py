"""Read-only SQL of the commune's reports (``/reports``, Biểu II.06a). Writes nothing.

Two sources give the same :class:`appliance.domain.report_local.Totals`:

- the daily summaries of migration 0021 (``report_*`` tables, kept by triggers in the transaction of
  every write to tickets, dossiers and ratings), for the period's whole days;
- the raw rows, grouped with the very expressions the triggers use, for today (and for an office
  whose time zone is not a whole number of hours from UTC, and for the check that both agree).

Plus, always from the raw rows (``dossiers_resolution`` index): the dossiers open at an instant,
i.e. carried over into a period and pending at its end: a few hundred rows, not a year.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

# the expressions of migration 0021's triggers, over the raw rows (alias t: tickets, d: dossiers)
WAIT_STEP = "CAST(round((t.called_ts - t.issued_ts) / 6.0) AS INTEGER)"
SERVICE_STEP = "CAST(round((t.finished_ts - coalesce(t.serving_ts, t.called_ts)) / 6.0) AS INTEGER)"
WAIT_OK = "t.called_ts >= t.issued_ts"
SERVICE_OK = "t.state = 'done' AND t.finished_ts >= coalesce(t.serving_ts, t.called_ts)"
CLASS = "CASE WHEN d.state IN ('refused', 'stopped', 'withdrawn') THEN d.state ELSE '' END"
RESOLVED = "max(d.received_ts, coalesce(d.ready_ts, d.closed_ts))"


def _outcome(due: str) -> str:
    return (f"CASE WHEN d.outcome IN ('early', 'on_time', 'late') THEN d.outcome "
            f"WHEN {due} IS NOT NULL AND {RESOLVED} > {due} THEN 'late' ELSE 'on_time' END")


RECEIVED_KEY = (f"d.field_code, d.channel, {CLASS}, d.portal_code IS NOT NULL, coalesce(d.vneid_created, 0) != 0, "
                "coalesce(d.it_familiarity, ''), coalesce(d.return_by_post, 0) != 0")
RESOLVED_KEY = (f"d.field_code, {CLASS}, {_outcome('d.due_ts')}, {_outcome('coalesce(d.new_due_ts, d.due_ts)')}, "
                "coalesce(d.target_met != 0, -1)")
TICKET_KEY = "t.service_id, t.counter_id, coalesce(t.user_login, '')"
TICKET_COUNTS = ("count(*), sum(t.state = 'done'), sum(t.state = 'no_show'), sum(t.priority > 0), "
                 "sum(t.transfers > 0), sum(t.state IN ('waiting', 'called', 'serving'))")
# what II.06a needs of an open dossier (see OpenDossier in services/reports.py)
OPEN_COLUMNS = (f"d.field_code, d.channel, d.state, d.received_ts, d.due_ts, d.new_due_ts, {RESOLVED}, "
                "d.outcome")

Part = dict[str, Any]


def _part() -> Part:
    return {"tickets": {}, "times": {}, "ratings": {}, "received": {}, "resolved": {}, "posted": {}}


def _chunks(items: Sequence[Any], n: int = 400) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# --- raw rows ------------------------------------------------------------------------------------

def raw(conn: sqlite3.Connection, first: date, last: date, start_ts: float, end_ts: float,
        utc_offset_s: float) -> Part:
    """The counts of the office days ``first``–``last`` (tickets by their day; dossiers and ratings
    by their time in ``[start_ts, end_ts)``) from the raw rows. Times are keyed by the local hour."""
    out = _part()
    days = {"a": first.isoformat(), "b": last.isoformat(), "off": utc_offset_s}
    for service, counter, officer, *counts in conn.execute(
            f"SELECT {TICKET_KEY}, {TICKET_COUNTS} FROM tickets AS t INDEXED BY tickets_day "
            f"WHERE t.day >= :a AND t.day <= :b GROUP BY 1, 2, 3", days):
        out["tickets"][(service, counter, officer)] = [int(c or 0) for c in counts]
    hour = "CAST(((t.issued_ts + :off) % 86400) / 3600 AS INTEGER)"
    for kind, step, ok in (("wait", WAIT_STEP, WAIT_OK), ("service", SERVICE_STEP, SERVICE_OK)):
        for h, s, n in conn.execute(
                f"SELECT {hour}, {step}, count(*) FROM tickets AS t INDEXED BY tickets_day "
                f"WHERE t.day >= :a AND t.day <= :b AND {ok} GROUP BY 1, 2", days):
            out["times"].setdefault((h, kind), {})[s] = n
    span = {"a": start_ts, "b": end_ts}
    for level, officer, n in conn.execute(
            "SELECT level, coalesce(user_login, ''), count(*) FROM ratings INDEXED BY ratings_report "
            "WHERE ts >= :a AND ts < :b GROUP BY 1, 2", span):
        out["ratings"][(level, officer)] = n
    for *key, n in conn.execute(
            f"SELECT {RECEIVED_KEY}, count(*) FROM dossiers AS d INDEXED BY dossiers_report "
            f"WHERE d.received_ts >= :a AND d.received_ts < :b GROUP BY 1, 2, 3, 4, 5, 6, 7", span):
        out["received"][_received_key(key)] = n
    for *key, n in conn.execute(
            f"SELECT {RESOLVED_KEY}, count(*) FROM dossiers AS d INDEXED BY dossiers_resolution "
            f"WHERE {RESOLVED} >= :a AND {RESOLVED} < :b GROUP BY 1, 2, 3, 4, 5", span):
        out["resolved"][tuple(key)] = n
    for code, n in conn.execute(
            "SELECT field_code, count(*) FROM dossiers WHERE returned_by_post = 1 AND closed_ts >= :a "
            "AND closed_ts < :b GROUP BY 1", span):
        out["posted"][code] = n
    return out


def _received_key(key: Sequence[Any]) -> tuple[Any, ...]:
    code, channel, cls, portal, vneid, familiarity, by_post = key
    return (code, channel, cls, bool(portal), bool(vneid), familiarity, bool(by_post))


# --- the summaries -------------------------------------------------------------------------------

def summaries(conn: sqlite3.Connection, first: date, last: date, skip: date | None, start_ts: float,
              end_ts: float, skip_span: tuple[float, float] | None, utc_offset_s: float,
              blocks: tuple[list[str], list[str], list[date]]) -> Part:
    """The same counts as :func:`raw` from migration 0021's summaries, leaving out the day ``skip``
    (``skip_span`` its instants). ``blocks``: the period's reporting years, reporting months and
    other days (``report_periods.blocks``) for the times. The offset must be whole hours."""
    out = _part()
    shift = int(utc_offset_s // 3600)
    days = {"a": first.isoformat(), "b": last.isoformat(), "skip": skip.isoformat() if skip else ""}
    for service, counter, officer, *counts in conn.execute(
            "SELECT service_id, counter_id, officer, sum(issued), sum(served), sum(no_show), sum(priority), "
            "sum(transferred), sum(waiting) FROM report_ticket_days WHERE day >= :a AND day <= :b AND day != :skip "
            "GROUP BY 1, 2, 3", days):
        if counts[0]:
            out["tickets"][(service, None if counter == -1 else counter, officer)] = [int(c) for c in counts]
    years, months, other = blocks
    wanted = [("y", k) for k in years] + [("m", k) for k in months] + [("d", d.isoformat()) for d in other]
    times = out["times"]
    for grain in ("y", "m", "d"):
        keys = [k for g, k in wanted if g == grain]
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for kind, hod, step, n in conn.execute(
                    f"SELECT kind, hod, step, sum(n) FROM report_times WHERE grain = ? AND key IN ({marks}) "
                    f"GROUP BY 1, 2, 3", (grain, *chunk)):
                if n:
                    into = times.setdefault(((hod + shift) % 24, kind), {})
                    into[step] = into.get(step, 0) + n
    a, b = int(start_ts // 3600), int(end_ts // 3600)
    sa, sb = (int(skip_span[0] // 3600), int(skip_span[1] // 3600)) if skip_span else (0, 0)
    span = {"a": a, "b": b, "sa": sa, "sb": sb}
    hours = "hour >= :a AND hour < :b AND NOT (hour >= :sa AND hour < :sb)"
    for level, officer, n in conn.execute(
            f"SELECT level, officer, sum(n) FROM report_rating_hours WHERE {hours} GROUP BY 1, 2", span):
        if n:
            out["ratings"][(level, officer)] = n
    for *key, n in conn.execute(
            f"SELECT field_code, channel, class, portal, vneid, familiarity, return_by_post, sum(n) "
            f"FROM report_dossier_received WHERE {hours} GROUP BY 1, 2, 3, 4, 5, 6, 7", span):
        if n:
            out["received"][_received_key(key)] = n
    for *key, n in conn.execute(
            f"SELECT field_code, class, outcome_due, outcome_new_due, target, sum(n) "
            f"FROM report_dossier_resolved WHERE {hours} GROUP BY 1, 2, 3, 4, 5", span):
        if n:
            out["resolved"][tuple(key)] = n
    for code, n in conn.execute(
            f"SELECT field_code, sum(n) FROM report_dossier_posted WHERE {hours} GROUP BY 1", span):
        if n:
            out["posted"][code] = n
    return out


def open_at(conn: sqlite3.Connection, ts: float) -> list[tuple[Any, ...]]:
    """The dossiers open at ``ts``: received before it, not resolved (ready or closed) before it.
    Columns: :data:`OPEN_COLUMNS`."""
    return conn.execute(
        f"""
        SELECT {OPEN_COLUMNS} FROM dossiers AS d INDEXED BY dossiers_resolution
        WHERE {RESOLVED} IS NULL AND d.received_ts < :t
        UNION ALL
        SELECT {OPEN_COLUMNS} FROM dossiers AS d INDEXED BY dossiers_resolution
        WHERE {RESOLVED} >= :t AND d.received_ts < :t
        """, {"t": ts}).fetchall()


def names(conn: sqlite3.Connection) -> dict[str, dict[Any, tuple[str, str]]]:
    """Labels for the groups: services (id → name, English name), counters (id → name), officers
    (login → full name)."""
    return {
        "service": {r[0]: (r[1], r[2] or r[1]) for r in conn.execute("SELECT id, name, name_en FROM services")},
        "counter": {r[0]: (r[1], r[1]) for r in conn.execute("SELECT id, name FROM counters")},
        "officer": {r[0]: (r[1] or r[0], r[1] or r[0]) for r in conn.execute("SELECT login, full_name FROM users")},
    }
