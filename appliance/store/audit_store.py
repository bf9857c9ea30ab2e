"""The audit log (who did what, when): its one writer and the filtered, paged query behind the
audit page.

Every audit row is written by :func:`write_audit`, inside the transaction of the fact it records:
commands call it through their unit of work (``appliance.services.uow.UnitOfWork.audit``).
"""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta, tzinfo

PAGE_SIZE = 100


def write_audit(conn: sqlite3.Connection, ts: float, user_login: str | None, action: str, object: str = "",
                detail: str = "") -> None:
    """Append one row; ``ts`` comes from the appliance's clock (``Appliance.clock``)."""
    conn.execute("INSERT INTO audit_log (ts, user_login, action, object, detail) VALUES (?, ?, ?, ?, ?)",
                 (ts, user_login, action, object, detail))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query_audit(conn: sqlite3.Connection, *, user: str = "", action: str | tuple[str, ...] = "",
                since: date | None = None, until: date | None = None, text: str = "",
                tz: tzinfo | None = None, limit: int = PAGE_SIZE, offset: int = 0) -> tuple[list[sqlite3.Row], int]:
    """Audit rows newest first matching the filters, and how many match in all.

    ``since``/``until`` are whole days in ``tz`` (the office's zone); ``action`` is one code or
    several (a code and its older spellings); ``text`` is searched in the object and the detail."""
    where: list[str] = []
    args: list[object] = []
    if user:
        where.append("user_login = ?")
        args.append(user)
    actions = (action,) if isinstance(action, str) else tuple(action)
    actions = tuple(a for a in actions if a)
    if actions:
        where.append("action IN (" + ", ".join("?" * len(actions)) + ")")
        args += actions
    if since:
        where.append("ts >= ?")
        args.append(datetime.combine(since, time(0), tz).timestamp())
    if until:
        where.append("ts < ?")
        args.append(datetime.combine(until + timedelta(days=1), time(0), tz).timestamp())
    if text:
        where.append("(object LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')")
        args += [_like(text), _like(text)]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute("SELECT count(*) FROM audit_log" + clause, args).fetchone()[0]
    rows = conn.execute("SELECT * FROM audit_log" + clause + " ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?",
                        [*args, limit, offset]).fetchall()
    return rows, total


def audit_users(conn: sqlite3.Connection) -> list[str]:
    """Everyone who appears in the log, for the filter."""
    return [r[0] for r in conn.execute("SELECT DISTINCT user_login FROM audit_log WHERE user_login IS NOT NULL "
                                       "ORDER BY user_login")]


def audit_actions(conn: sqlite3.Connection) -> list[str]:
    """Every action code in the log, for the filter."""
    return [r[0] for r in conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
