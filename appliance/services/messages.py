"""Text messages to citizens: what to queue (inside the command's unit of work), and the queue's
side of sending (claim, sent, refused, delivered), for the SMS worker (``appliance.sms.service``).

A message is queued in the same transaction as the fact it announces, so a dossier marked ready is
never left without its message by a crash, and a message never announces what was rolled back.
Each message has a key naming that fact (``result_ready:<code>``): asking twice queues one.

The notifier other services call (all take the open unit ``tx``)::

    messages.result_ready(tx, dossier_row, settings)          # opted in, or no pager was free
    messages.result_ready(tx, dossier_row, settings, force=True)   # the caller decided (no pager)
    messages.postal_handover(tx, dossier_row, tracking, settings)
    messages.queue(tx, settings, key=…, kind=…, phone=…, text=…)  # anything else (appointments)

Nothing is queued when the office has no SMS transport (``[sms].url`` empty) or the citizen gave
no mobile number. ``sms.queued`` (a local event) wakes the worker after the commit.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from typing import Any

from ..domain import messages as texts
from ..store import sms_store
from .uow import UnitOfWork, Units

log = logging.getLogger(__name__)
DAY_S = 86400.0
REPORT_WINDOW_S = 3 * DAY_S       # a delivery report older than this cannot be matched any more


def enabled(settings: Any) -> bool:
    return bool(settings.sms.url.strip())


def queue(tx: UnitOfWork, settings: Any, *, key: str, kind: str, phone: str | None, text: str,
          not_before: float | None = None, expires: float | None = None, dossier_code: str | None = None,
          appointment_id: int | None = None) -> int | None:
    """Queue one message in ``tx``; the id, or ``None`` (no SMS transport, no mobile number, or a
    message with this key exists)."""
    number = texts.clean_phone(phone)
    if not enabled(settings) or number is None:
        return None
    message_id = sms_store.enqueue(tx.conn, key=key, kind=kind, phone=number, text=text, now=tx.now,
                                   not_before=not_before, expires=expires, dossier_code=dossier_code,
                                   appointment_id=appointment_id)
    if message_id is not None:
        tx.emit("sms.queued", {"id": message_id, "kind": kind, "not_before": not_before or tx.now})
    return message_id


def wants_result_sms(row: sqlite3.Row | dict[str, Any]) -> bool:
    """The citizen opted in at receipt, or holds no pager to be called with; never when the result
    goes by post (the message says "come and collect it"; the postal handover has its own)."""
    keys = row.keys() if isinstance(row, sqlite3.Row) else row
    if "return_by_post" in keys and row["return_by_post"]:
        return False
    opted = bool(row["sms_opt_in"]) if "sms_opt_in" in keys else False
    return opted or not row["pager"]


def result_ready(tx: UnitOfWork, row: sqlite3.Row | dict[str, Any], settings: Any, *,
                 force: bool = False) -> int | None:
    """"Hồ sơ … đã có kết quả": when the citizen opted in or has no pager (``force``: the caller
    decided). One message per dossier, however often it is asked."""
    if not settings.sms.result_ready or not (force or wants_result_sms(row)):
        return None
    text = texts.result_ready(settings.office.name, row["code"], row["counter_id"])
    return queue(tx, settings, key=f"result_ready:{row['code']}", kind="result_ready",
                 phone=row["applicant_phone"], text=text, dossier_code=row["code"])


def postal_handover(tx: UnitOfWork, row: sqlite3.Row | dict[str, Any], tracking: str, settings: Any) -> int | None:
    text = texts.postal_handover(settings.office.name, row["code"], tracking)
    return queue(tx, settings, key=f"postal_handover:{row['code']}:{tracking}", kind="postal_handover",
                 phone=row["applicant_phone"], text=text, dossier_code=row["code"])


class SmsQueue:
    """The worker's side of the queue; every change in its own unit of work."""

    def __init__(self, units: Units, db: Any, settings: Any, tz: Any):
        self.units = units
        self.db = db                     # appliance.store.db.Database: reads
        self._settings = settings        # a callable: the settings in force
        self._tz = tz

    @property
    def settings(self) -> Any:
        return self._settings()

    def recover(self) -> int:
        """At start: messages a crash left ``sending`` are queued again."""
        with self.units() as tx:
            return sms_store.requeue_interrupted(tx.conn, tx.now)

    def claim(self) -> sqlite3.Row | None:
        """The next due message, now ``sending`` (expired reminders are dropped first)."""
        with self.units() as tx:
            for message_id in sms_store.expire_due(tx.conn, tx.now):
                tx.emit("sms.state", {"id": message_id, "state": "expired"})
            row = sms_store.next_due(tx.conn, tx.now)
            if row is None:
                return None
            sms_store.update(tx.conn, row["id"], state="sending")
        return row

    def next_wake(self) -> float | None:
        with self.db.read() as conn:
            return sms_store.next_wake(conn)

    def sent_since(self, since: float) -> int:
        with self.db.read() as conn:
            return sms_store.sent_since(conn, since)

    def sent(self, message_id: int, references: list[str], parts: int, transport: str) -> None:
        with self.units() as tx:
            sms_store.update(tx.conn, message_id, state="sent", sent_ts=tx.now, parts=parts,
                             refs=" ".join(references), transport=transport, last_error=None)
            tx.emit("sms.state", {"id": message_id, "state": "sent", "parts": parts})

    def link_down(self, message_id: int, error: str) -> None:
        """Not the message's fault: back in the queue, the attempt not counted."""
        with self.units() as tx:
            sms_store.update(tx.conn, message_id, state="queued", last_error=error)

    def refused(self, message_id: int, error: str) -> str:
        """This message was refused: retry later, or ``failed`` after ``max_attempts``."""
        s = self.settings.sms
        with self.units() as tx:
            row = sms_store.get(tx.conn, message_id)
            attempts = (row["attempts"] if row else 0) + 1
            if attempts >= s.max_attempts:
                state = "failed"
                sms_store.update(tx.conn, message_id, state=state, attempts=attempts, last_error=error)
            else:
                state = "queued"
                delay = s.retry_after_s * (2 ** (attempts - 1))
                sms_store.update(tx.conn, message_id, state=state, attempts=attempts, last_error=error,
                                 next_try_ts=tx.now + delay)
            tx.emit("sms.state", {"id": message_id, "state": state, "attempts": attempts})
        return state

    def delivered(self, reference: str, state: str) -> int | None:
        """A delivery report for a part: the message is ``delivered`` once a report says so (a
        ``failed`` report marks it failed; ``pending`` changes nothing)."""
        if state == "pending":
            return None
        with self.units() as tx:
            row = sms_store.by_reference(tx.conn, reference, tx.now - REPORT_WINDOW_S)
            if row is None:
                return None
            if state == "delivered":
                sms_store.update(tx.conn, row["id"], state="delivered", delivered_ts=tx.now)
            else:
                sms_store.update(tx.conn, row["id"], state="failed",
                                 last_error="Mạng di động báo tin không đến được máy người nhận")
            tx.emit("sms.state", {"id": row["id"], "state": "delivered" if state == "delivered" else "failed"})
            return int(row["id"])

    # --- the panel -------------------------------------------------------------------------------

    def test(self, phone: str, user: str | None) -> int | None:
        """A test message from the admin page (each press its own)."""
        with self.units() as tx:
            now = datetime.fromtimestamp(tx.now, self._tz())
            message_id = queue(tx, self.settings, key=f"test:{tx.now:.6f}", kind="test", phone=phone,
                               text=texts.test_message(self.settings.office.name, now))
            tx.audit(user, "sms.test", "sms", texts.mask_phone(phone))
        return message_id

    def listing(self, limit: int = 50, lang: str = "vi") -> dict[str, Any]:
        with self.db.read() as conn:
            rows = sms_store.recent(conn, limit)
            counts = sms_store.counts(conn)
        i = 0 if lang == "vi" else 1
        return {"counts": counts, "items": [{
            "id": r["id"], "kind": r["kind"], "kind_label": texts.KINDS.get(r["kind"], (r["kind"],) * 2)[i],
            "phone": texts.mask_phone(r["phone"]), "dossier_code": r["dossier_code"],
            "state": r["state"], "state_label": texts.STATES.get(r["state"], (r["state"],) * 2)[i],
            "attempts": r["attempts"], "parts": r["parts"], "created_ts": r["created_ts"],
            "sent_ts": r["sent_ts"], "delivered_ts": r["delivered_ts"], "last_error": r["last_error"],
            "purged": r["purged_ts"] is not None} for r in rows]}
