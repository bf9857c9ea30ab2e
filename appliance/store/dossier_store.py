"""SQL for dossiers: drafts, dossiers, their timeline, the search index, purge and statistics.

Every function takes a connection inside the caller's transaction (``Database.write()`` /
``read()``); none opens one itself, so a dossier, its timeline row, its audit row and its outbox row
are committed together.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from .db import inserted_id, update_by_id

_DOSSIER_COLUMNS = frozenset({
    "state", "pager", "due_ts", "new_due_ts", "ready_ts", "returned_ts", "closed_ts", "outcome",
    "return_by_post", "returned_by_post", "post_address", "post_fee", "tracking_number",
    "last_outbox_seq", "applicant_name", "applicant_phone", "applicant_id", "values_json",
    "portal_code", "purged_ts", "target_due_ts", "target_met", "province_code", "deadline_rules",
})
TOTAL_CAP = 10_000


# --- drafts ---------------------------------------------------------------------------------

def get_draft(conn: sqlite3.Connection, draft_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM dossier_drafts WHERE id = ?", (draft_id,)).fetchone()


def save_draft(conn: sqlite3.Connection, draft_id: str, counter_id: int | None, procedure: str,
               values: dict[str, Any], focus: str | None, user_login: str | None, now: float) -> bool:
    """Insert or update; True when the draft is new."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    cur = conn.execute(
        "UPDATE dossier_drafts SET counter_id = ?, procedure = ?, values_json = ?, focus = ?, "
        "user_login = coalesce(?, user_login), updated_ts = ? WHERE id = ? AND dossier_id IS NULL",
        (counter_id, procedure, text, focus, user_login, now, draft_id))
    if cur.rowcount:
        return False
    conn.execute("INSERT INTO dossier_drafts (id, counter_id, procedure, values_json, focus, user_login, "
                 "created_ts, updated_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (draft_id, counter_id, procedure, text, focus, user_login, now, now))
    return True


def counter_draft(conn: sqlite3.Connection, counter_id: int) -> sqlite3.Row | None:
    """The counter's most recently edited draft not yet submitted."""
    return conn.execute("SELECT * FROM dossier_drafts WHERE counter_id = ? AND dossier_id IS NULL "
                        "ORDER BY updated_ts DESC LIMIT 1", (counter_id,)).fetchone()


def start_ticket_draft(conn: sqlite3.Connection, draft_id: str, counter_id: int, ticket_id: int,
                       procedure: str, user_login: str | None, now: float) -> None:
    """A new empty draft bound to a ticket and a counter (the console's "Nhập hồ sơ cho số này")."""
    conn.execute("INSERT INTO dossier_drafts (id, counter_id, procedure, values_json, focus, user_login, "
                 "created_ts, updated_ts, ticket_id) VALUES (?, ?, ?, '{}', NULL, ?, ?, ?, ?)",
                 (draft_id, counter_id, procedure, user_login, now, now, ticket_id))


def open_ticket_draft(conn: sqlite3.Connection, ticket_id: int, procedure: str) -> sqlite3.Row | None:
    """The ticket's draft of this procedure not yet submitted (the officer pressed the button again)."""
    return conn.execute("SELECT * FROM dossier_drafts WHERE ticket_id = ? AND procedure = ? AND dossier_id IS NULL "
                        "ORDER BY updated_ts DESC LIMIT 1", (ticket_id, procedure)).fetchone()


def ticket_work(conn: sqlite3.Connection, ticket_id: int) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
    """What was done for one ticket: its dossiers (code, procedure name, state) and its drafts not
    yet submitted (id, procedure, counter), oldest first."""
    dossiers = conn.execute("SELECT code, procedure, procedure_name, state FROM dossiers WHERE ticket_id = ? "
                            "ORDER BY id", (ticket_id,)).fetchall()
    drafts = conn.execute("SELECT id, procedure, counter_id, updated_ts FROM dossier_drafts "
                          "WHERE ticket_id = ? AND dossier_id IS NULL ORDER BY created_ts", (ticket_id,)).fetchall()
    return dossiers, drafts


def ticket_label(conn: sqlite3.Connection, ticket_id: int) -> sqlite3.Row | None:
    """A ticket's number, day and counter, for a dossier that records it."""
    return conn.execute("SELECT id, number, day, counter_id, state FROM tickets WHERE id = ?",
                        (ticket_id,)).fetchone()


def mark_draft_submitted(conn: sqlite3.Connection, draft_id: str, dossier_id: int, now: float) -> None:
    """The values now live in the dossier: the draft keeps only the link (for a repeated submit)."""
    conn.execute("UPDATE dossier_drafts SET dossier_id = ?, values_json = '{}', focus = NULL, updated_ts = ? "
                 "WHERE id = ?", (dossier_id, now, draft_id))


# --- dossiers ---------------------------------------------------------------------------------

def next_day_seq(conn: sqlite3.Connection, day: str) -> int:
    return conn.execute("SELECT coalesce(max(day_seq), 0) + 1 FROM dossiers WHERE day = ?", (day,)).fetchone()[0]


def insert_dossier(conn: sqlite3.Connection, **values: Any) -> int:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return inserted_id(conn.execute(f"INSERT INTO dossiers ({cols}) VALUES ({marks})", tuple(values.values())))


def update_dossier(conn: sqlite3.Connection, dossier_id: int, **values: Any) -> None:
    update_by_id(conn, "dossiers", dossier_id, _DOSSIER_COLUMNS, values)


def get_dossier(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone()


def dossier_with_province_code(conn: sqlite3.Connection, province_code: str) -> sqlite3.Row | None:
    return conn.execute("SELECT id, code FROM dossiers WHERE province_code = ?", (province_code,)).fetchone()


def get_dossier_by_id(conn: sqlite3.Connection, dossier_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()


def index_dossier(conn: sqlite3.Connection, dossier_id: int, code: str, names: str, numbers: str) -> None:
    conn.execute("DELETE FROM dossier_search WHERE rowid = ?", (dossier_id,))
    conn.execute("INSERT INTO dossier_search (rowid, code, names, numbers) VALUES (?, ?, ?, ?)",
                 (dossier_id, code.replace("-", " "), names, numbers))


def add_event(conn: sqlite3.Connection, dossier_id: int, ts: float, action: str, state: str,
              user_login: str | None, *, giver: str | None = None, receiver: str | None = None,
              note: str | None = None, reason: str | None = None, new_due_ts: float | None = None) -> int:
    return inserted_id(conn.execute(
        "INSERT INTO dossier_events (dossier_id, ts, action, state, user_login, giver, receiver, note, reason, "
        "new_due_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (dossier_id, ts, action, state, user_login, giver, receiver, note, reason, new_due_ts)))


def events(conn: sqlite3.Connection, dossier_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM dossier_events WHERE dossier_id = ? ORDER BY id", (dossier_id,)).fetchall()


def set_last_outbox_seq(conn: sqlite3.Connection, dossier_id: int, seq: int) -> None:
    """Remember the seq of the dossier's last fact for the hub (synced once it is acked)."""
    conn.execute("UPDATE dossiers SET last_outbox_seq = ? WHERE id = ?", (seq, dossier_id))


def audit_rows(conn: sqlite3.Connection, object: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM audit_log WHERE object = ? ORDER BY id", (object,)).fetchall()


# --- the list ---------------------------------------------------------------------------------

def search(conn: sqlite3.Connection, *, match: str | None = None, code: str | None = None,
           state: str | None = None, procedure: str | None = None, overdue_at: float | None = None,
           day_from: str | None = None, day_to: str | None = None,
           limit: int = 50, offset: int = 0) -> tuple[list[sqlite3.Row], int, bool]:
    """Dossiers newest first, filtered; returns (rows, total, total_capped).

    ``match`` is an FTS5 query over code, names and numbers; ``code`` an exact dossier code;
    ``overdue_at``: only dossiers whose time limit runs and has passed at that time; ``day_from`` /
    ``day_to``: receipt dates (ISO, inclusive)."""
    where: list[str] = []
    args: list[Any] = []
    source = "dossiers d"
    order = "d.id DESC"
    if code is not None:
        where.append("d.code = ?")
        args.append(code)
    elif match is not None:
        source = "dossier_search s JOIN dossiers d ON d.id = s.rowid"
        where.append("dossier_search MATCH ?")
        args.append(match)
        order = "s.rowid DESC"
    if state:
        where.append("d.state = ?")
        args.append(state)
    if procedure:
        where.append("d.procedure = ?")
        args.append(procedure)
    if day_from:
        where.append("d.day >= ?")
        args.append(day_from)
    if day_to:
        where.append("d.day <= ?")
        args.append(day_to)
    if overdue_at is not None:
        where.append("d.state IN ('received', 'processing') AND coalesce(d.new_due_ts, d.due_ts) < ?")
        args.append(overdue_at)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(f"SELECT d.* FROM {source}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                        (*args, limit, offset)).fetchall()
    if offset == 0 and len(rows) < limit:
        return rows, len(rows), False
    total = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source}{clause} LIMIT ?)",
                         (*args, TOTAL_CAP + 1)).fetchone()[0]
    return rows, min(total, TOTAL_CAP), total > TOTAL_CAP


# --- tickets and counters, as the dossier desk reads them --------------------------------------

def counter_exists(conn: sqlite3.Connection, counter_id: int) -> bool:
    return conn.execute("SELECT 1 FROM counters WHERE id = ?", (counter_id,)).fetchone() is not None


def ticket(conn: sqlite3.Connection, ticket_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT id, pager, counter_id, state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()


# --- purge and statistics ---------------------------------------------------------------------

def purge_candidates(conn: sqlite3.Connection, closed_before: float, acked_through: int,
                     limit: int = 500) -> list[sqlite3.Row]:
    """Closed (returned, refused, stopped or withdrawn) dossiers not yet purged, closed before the cut-off, whose last
    fact the hub has acknowledged."""
    return conn.execute(
        "SELECT id, code FROM dossiers WHERE purged_ts IS NULL AND closed_ts IS NOT NULL AND closed_ts < ? "
        "AND last_outbox_seq IS NOT NULL AND last_outbox_seq <= ? ORDER BY id LIMIT ?",
        (closed_before, acked_through, limit)).fetchall()


def purge_dossier(conn: sqlite3.Connection, dossier_id: int, code: str, now: float) -> None:
    """Remove the personal data; keep what the statistics and the logbook's counts need."""
    conn.execute("UPDATE dossiers SET values_json = NULL, applicant_name = NULL, applicant_phone = NULL, "
                 "applicant_id = NULL, post_address = NULL, tracking_number = NULL, purged_ts = ? "
                 "WHERE id = ?", (now, dossier_id))
    conn.execute("UPDATE dossier_events SET note = NULL, reason = NULL, giver = NULL, receiver = NULL "
                 "WHERE dossier_id = ?", (dossier_id,))
    conn.execute("DELETE FROM dossier_drafts WHERE dossier_id = ?", (dossier_id,))
    index_dossier(conn, dossier_id, code, "", "")


def optimize_search_index(conn: sqlite3.Connection) -> None:
    """Merge the full-text index's segments, so no token of purged text survives in an old one."""
    conn.execute("INSERT INTO dossier_search (dossier_search) VALUES ('optimize')")


def purge_stale_drafts(conn: sqlite3.Connection, updated_before: float) -> int:
    """Abandoned drafts (never submitted) older than the cut-off."""
    return conn.execute("DELETE FROM dossier_drafts WHERE dossier_id IS NULL AND updated_ts < ?",
                        (updated_before,)).rowcount


def statistics(conn: sqlite3.Connection, since_ts: float, until_ts: float) -> list[dict[str, Any]]:
    """Per field of work (lĩnh vực) for the period: received by channel, resolved by their legal
    outcome (refused, stopped and withdrawn dossiers carry the outcome the counting rules gave them,
    or none when left out), pending within or over the legal time limit at ``until_ts``, postal
    returns (the upstream report), and apart from it the model day's "within 2 hours" figures."""
    rows = conn.execute(
        """
        SELECT field_code,
          sum(received_ts >= :a AND received_ts < :b) AS received,
          sum(received_ts >= :a AND received_ts < :b
              AND channel IN ('truc_tuyen_toan_trinh', 'truc_tuyen_mot_phan')) AS online,
          sum(received_ts >= :a AND received_ts < :b AND channel = 'truc_tiep') AS in_person,
          sum(received_ts >= :a AND received_ts < :b AND channel = 'buu_chinh') AS by_post,
          sum(received_ts < :a AND (closed_ts IS NULL OR closed_ts >= :a)) AS carried_over,
          sum(outcome = 'early' AND closed_ts >= :a AND closed_ts < :b) AS early,
          sum(outcome = 'on_time' AND closed_ts >= :a AND closed_ts < :b) AS on_time,
          sum(outcome = 'late' AND closed_ts >= :a AND closed_ts < :b) AS late,
          sum(state = 'refused' AND closed_ts >= :a AND closed_ts < :b) AS refused,
          sum(state = 'stopped' AND closed_ts >= :a AND closed_ts < :b) AS stopped,
          sum(state = 'withdrawn' AND closed_ts >= :a AND closed_ts < :b) AS withdrawn,
          sum(target_met IS NOT NULL AND closed_ts >= :a AND closed_ts < :b) AS with_target,
          sum(target_met = 1 AND closed_ts >= :a AND closed_ts < :b) AS within_target,
          sum(received_ts < :b AND (closed_ts IS NULL OR closed_ts >= :b)) AS pending,
          sum(received_ts < :b AND (closed_ts IS NULL OR closed_ts >= :b)
              AND due_ts < :b AND state IN ('received', 'processing')) AS pending_overdue,
          sum(received_ts >= :a AND received_ts < :b AND return_by_post) AS registered_post_return,
          sum(returned_by_post AND closed_ts >= :a AND closed_ts < :b) AS returned_by_post,
          sum(received_ts >= :a AND received_ts < :b AND vneid_created) AS vneid_created
        FROM dossiers WHERE received_ts < :b GROUP BY field_code ORDER BY field_code
        """, {"a": since_ts, "b": until_ts}).fetchall()
    out = []
    for r in rows:
        item = {k: (r[k] or 0) if k != "field_code" else r[k] for k in r.keys()}
        item["pending_in_time"] = item["pending"] - item["pending_overdue"]
        item["resolved"] = item["early"] + item["on_time"] + item["late"]
        out.append(item)
    return out



# --- lookup without a code (appliance.services.lookup) -------------------------------------------

def by_applicant_phone(conn: sqlite3.Connection, phone: str, limit: int = 50) -> list[sqlite3.Row]:
    """Dossiers not purged whose applicant gave this phone, newest first."""
    return conn.execute("SELECT * FROM dossiers WHERE applicant_phone = ? AND purged_ts IS NULL "
                        "ORDER BY received_ts DESC LIMIT ?", (phone, limit)).fetchall()


def by_ticket(conn: sqlite3.Connection, ticket_id: int) -> sqlite3.Row | None:
    """The dossier received for this ticket (the newest, if several)."""
    return conn.execute("SELECT * FROM dossiers WHERE ticket_id = ? ORDER BY received_ts DESC LIMIT 1",
                        (ticket_id,)).fetchone()


def ready_without_pager(conn: sqlite3.Connection, since: float, limit: int = 50) -> list[sqlite3.Row]:
    """Results ready for citizens called by number (the hall display's "Hồ sơ có kết quả"): no
    pager, or one the transmitter could not buzz (``reminders.kind = 'call'``); ready since
    ``since`` (the office's day); not those going by post; numbers only, the oldest ready first."""
    return conn.execute("SELECT d.code, d.day, d.day_seq, d.counter_id, d.ready_ts, t.number AS ticket_number "
                        "FROM dossiers d LEFT JOIN tickets t ON t.id = d.ticket_id "
                        "WHERE d.state = 'ready' AND d.purged_ts IS NULL AND d.ready_ts >= ? AND NOT d.return_by_post "
                        "AND (d.pager IS NULL "
                        "OR EXISTS (SELECT 1 FROM reminders r WHERE r.dossier_code = d.code AND r.kind = 'call')) "
                        "ORDER BY d.ready_ts, d.id LIMIT ?", (since, limit)).fetchall()
