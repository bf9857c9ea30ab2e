"""Read-only SQL of the commune's reports (``/reports``, Biểu II.06a). Writes nothing.

Each query reads one covering index of migration 0014 (``tickets_report``, ``dossiers_report``,
``ratings_report``) in time order, so a year of a busy office stays well under a second; the pure
aggregation is ``appliance/domain/report_local.py`` and ``report_ii06a.py``.
"""
from __future__ import annotations

import sqlite3
from typing import Any


def ticket_groups(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[sqlite3.Row]:
    """Tickets issued in ``[start_ts, end_ts)`` counted per (service, counter, officer who called it)."""
    return conn.execute(
        """
        SELECT service_id, counter_id, coalesce(user_login, '') AS officer, count(*) AS issued,
               sum(state = 'done') AS served, sum(state = 'no_show') AS no_show,
               sum(priority > 0) AS priority, sum(transfers > 0) AS transferred,
               sum(state IN ('waiting', 'called', 'serving')) AS waiting
        FROM tickets INDEXED BY tickets_report
        WHERE issued_ts >= ? AND issued_ts < ?
        GROUP BY service_id, counter_id, officer
        """, (start_ts, end_ts)).fetchall()


def wait_samples(conn: sqlite3.Connection, start_ts: float, end_ts: float, utc_offset_s: float) -> list[tuple]:
    """(local hour of issue, service id, wait seconds or None, service seconds or None) of each ticket
    issued in the range that was called. The hour uses one UTC offset (the office's time zone has no
    daylight saving time: Việt Nam is UTC+7 all year)."""
    return conn.execute(
        """
        SELECT CAST(((issued_ts + :off) % 86400) / 3600 AS INTEGER), service_id,
               CASE WHEN called_ts >= issued_ts THEN called_ts - issued_ts END,
               CASE WHEN state = 'done' AND finished_ts >= coalesce(serving_ts, called_ts)
                    THEN finished_ts - coalesce(serving_ts, called_ts) END
        FROM tickets INDEXED BY tickets_report
        WHERE issued_ts >= :a AND issued_ts < :b AND called_ts IS NOT NULL
        """, {"a": start_ts, "b": end_ts, "off": utc_offset_s}).fetchall()


def dossier_rows(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[tuple]:
    """Dossiers that matter to ``[start_ts, end_ts)``: received before its end and not resolved (ready
    or closed) before its start. Columns in the order :data:`DOSSIER_COLUMNS` names them."""
    return conn.execute(
        f"""
        SELECT {", ".join(DOSSIER_COLUMNS)}
        FROM dossiers INDEXED BY dossiers_report
        WHERE received_ts < :b AND (coalesce(ready_ts, closed_ts) IS NULL OR coalesce(ready_ts, closed_ts) >= :a)
        """, {"a": start_ts, "b": end_ts}).fetchall()


def posted_by_field(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[tuple]:
    """(field code, count) of the results handed to the postal service in ``[start_ts, end_ts)``."""
    return conn.execute(
        "SELECT field_code, count(*) FROM dossiers WHERE returned_by_post = 1 AND closed_ts >= ? AND closed_ts < ? "
        "GROUP BY field_code", (start_ts, end_ts)).fetchall()


DOSSIER_COLUMNS = ("field_code", "channel", "state", "received_ts", "due_ts", "new_due_ts", "ready_ts", "closed_ts",
                   "outcome", "target_met", "portal_code IS NOT NULL", "vneid_created", "coalesce(it_familiarity, '')",
                   "return_by_post", "coalesce(returned_by_post, 0)")


def rating_counts(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[tuple[str, str, int]]:
    """(level, the officer's full name or login, ballots) of the ratings pressed in the range."""
    return conn.execute(
        """
        SELECT r.level, coalesce(nullif(u.full_name, ''), r.user_login, ''), r.n
        FROM (SELECT level, user_login, count(*) AS n FROM ratings INDEXED BY ratings_report
              WHERE ts >= ? AND ts < ? GROUP BY level, user_login) r
        LEFT JOIN users u ON u.login = r.user_login
        """, (start_ts, end_ts)).fetchall()


def names(conn: sqlite3.Connection) -> dict[str, dict[Any, tuple[str, str]]]:
    """Labels for the groups: services (id → name, English name), counters (id → name), officers
    (login → full name)."""
    return {
        "service": {r[0]: (r[1], r[2] or r[1]) for r in conn.execute("SELECT id, name, name_en FROM services")},
        "counter": {r[0]: (r[1], r[1]) for r in conn.execute("SELECT id, name FROM counters")},
        "officer": {r[0]: (r[1] or r[0], r[1] or r[0]) for r in conn.execute("SELECT login, full_name FROM users")},
    }
