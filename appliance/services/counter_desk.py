"""The officer's own counter: open, pause ("Tạm nghỉ"), close, and the undo of a step, each inside
the caller's unit of work (the queue engine runs them: ``QueueEngine.set_counter_state`` and
``QueueEngine.undo``).

The rules are ``appliance.domain.counter_desk``; the SQL ``appliance.store.counter_store``.
Each change is audited and emitted as ``counter.state`` (a hub fact); an undo emits one
``ticket.undone`` per ticket it restores (see ``docs/events.md``).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..domain.counter_desk import UNDOABLE, UndoRecord, check_undo, next_state, undone_events
from ..domain.errors import Conflict, NotAllowed, NotFound
from ..store import counter_store, office_store
from ..store.queue_store import SqliteQueueTx
from .uow import UnitOfWork

#: who may open any counter, assigned or not: an administrator, and an API token (a device or an
#: integration of the office, not a person: assignments are of people)
SUPERVISORS = ("admin", "token")
#: the audit action of each command (labels: appliance.web.admin.audit_labels)
AUDIT_ACTIONS = {"open": "counter.open", "pause": "counter.pause", "close": "counter.close"}


def _iso(ts: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def change_state(unit: UnitOfWork, counter_id: int, action: str, user_login: str | None, role: str | None,
                 tz: ZoneInfo) -> dict[str, Any]:
    """Open, pause or close a counter; the ``counter.state`` payload. An officer opens only a counter
    they are assigned to (or one nobody is assigned to); an administrator or an API token (``role``
    ``"token"``) opens any."""
    row = counter_store.state(unit.conn, counter_id)
    if row is None:
        raise NotFound("unknown_counter", "counter", counter=counter_id)
    if not row["active"] and action == "open":
        raise Conflict("counter_inactive", "counter", counter=counter_id)
    tx = SqliteQueueTx(unit.conn, unit.clock_synced)
    current = tx.active_ticket(counter_id)
    new = next_state(counter_id, row["state"], action, current.number if current else None)
    if new == "open" and role not in SUPERVISORS:
        assigned = counter_store.officers_of(unit.conn, counter_id)
        if assigned and user_login not in assigned:
            raise NotAllowed("counter_not_assigned", "counter", counter=counter_id)
    released = counter_store.release_targeted(unit.conn, counter_id) if new == "closed" else []
    counter_store.set_state(unit.conn, counter_id, new, unit.now, user_login)
    if new != "open":
        counter_store.delete_undo(unit.conn, counter_id)   # nothing is undone at a shut desk
    payload = {"counter_id": counter_id, "state": new, "previous": row["state"], "at": _iso(unit.now, tz),
               "by": user_login, "by_name": tx.officer_name(user_login), "released": released}
    unit.emit("counter.state", payload)
    detail = {"open": "mở quầy", "paused": "tạm nghỉ", "closed": "đóng quầy"}[new]
    if released:
        detail += f"; trả về hàng chờ chung: {', '.join(released)}"
    unit.audit(user_login, AUDIT_ACTIONS[action], f"counter:{counter_id}", detail)
    return payload


def snapshot(unit: UnitOfWork, ticket_ids: Iterable[int | None]) -> dict[str, dict[str, Any]]:
    """The undo columns of these tickets now (before or after a step)."""
    return counter_store.ticket_rows(unit.conn, [i for i in ticket_ids if i is not None])


def record_step(unit: UnitOfWork, counter_id: int, action: str, before: Mapping[str, Mapping[str, Any]],
                summary: Mapping[str, Any], user_login: str | None,
                runs_before: tuple[int, int] | None = None) -> UndoRecord:
    """Keep the step just done (its tickets before and after) as the counter's undoable step."""
    if action not in UNDOABLE:
        raise ValueError(f"not undoable: {action}")
    after = snapshot(unit, (int(k) for k in before))
    record = UndoRecord(counter_id=counter_id, token=secrets.token_urlsafe(9), action=action, ts=unit.now,
                        user_login=user_login, summary=dict(summary), before=dict(before), after=after,
                        runs_before=runs_before)
    counter_store.save_undo(unit.conn, record)
    return record


def forget_step(unit: UnitOfWork, counter_id: int) -> None:
    """A step that cannot be undone happened at the counter: the earlier one no longer can be."""
    counter_store.delete_undo(unit.conn, counter_id)


def pending_undo(unit: UnitOfWork, counter_id: int) -> UndoRecord | None:
    return counter_store.load_undo(unit.conn, counter_id)


def undo(unit: UnitOfWork, counter_id: int, token: str | None, user_login: str | None, tz: ZoneInfo,
         window: float) -> tuple[UndoRecord, list[Any]]:
    """Restore the tickets of the counter's last undoable step, if still exactly as it left them and
    within ``window`` seconds; the record and the restored tickets (in the order restored)."""
    record = counter_store.load_undo(unit.conn, counter_id)
    current = snapshot(unit, (int(k) for k in (record.after if record else {})))
    record = check_undo(record, counter_id, token, unit.now, current, window)
    counter_store.restore_tickets(unit.conn, record.before)
    if record.runs_before is not None:
        office_store.set_counter_runs(unit.conn, counter_id, *record.runs_before)
    counter_store.delete_undo(unit.conn, counter_id)
    tx = SqliteQueueTx(unit.conn, unit.clock_synced)
    undone = list(undone_events(record.action))
    # the ticket called by the step first (back to waiting), then the one it finished (back at the desk)
    order = sorted(record.before, key=lambda k: record.before[k]["state"] != "waiting")
    restored = []
    for ticket_id in order:
        ticket = tx.ticket(int(ticket_id))
        if ticket is None:   # a ticket cannot vanish within seconds; purge keeps a day's tickets
            raise NotFound("unknown_ticket", "ticket", ticket=ticket_id)
        restored.append(ticket)
        unit.emit("ticket.undone", {"ticket": ticket.as_json(tz), "counter_id": counter_id,
                                    "undone": [t for t in undone if _reverses(t, record.before[ticket_id])],
                                    "by": user_login})
    numbers = ", ".join(t.number for t in restored)
    unit.audit(user_login, "counter.undo", f"counter:{counter_id}", f"hoàn tác {record.action}: {numbers}")
    return record, restored


def _reverses(event_type: str, before: Mapping[str, Any]) -> bool:
    """Which of the step's events this ticket's restoration takes back: the call of a ticket that was
    waiting, the finishing (done, absent) of one that was at the desk."""
    return (event_type == "ticket.called") == bool(before["state"] == "waiting")
