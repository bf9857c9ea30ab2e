"""Calling a citizen whose result is ready, again and again until it is handed over, across restarts.

When a dossier becomes ready (``dossier.ready``) its citizen is called at once, then again every
``[pager].repeat_after_s`` seconds, at most ``[pager].repeat_max`` times:

* a dossier **with a pager**: the pager buzzes (``appliance.pager.PagerService`` hears
  ``dossier.ready``, then each ``pager.remind``);
* a dossier **without one** (none was free at receipt, or it was detached or reported lost), or
  whose pager the transmitter could not buzz (unplugged past ``max_delay_s``, refused): the
  dossier is called by its number on the hall display and by the announcer ("Mời công dân có hồ
  sơ số … nhận kết quả tại quầy …", event ``dossier.call``), and by SMS where configured
  (:func:`appliance.services.messages.result_ready`).

The schedule is a row of ``reminders`` (``appliance.store.reminder_store``) written in the same
transaction as the fact that starts or stops it: "ready" starts it; returning the result, any
other move out of "ready", or the pager handed back stops it; a pager reported lost turns it into
a display call. :class:`ReminderQueue` is the worker's side (``appliance.pager.reminders``): it
takes the due rows in a unit of work and publishes what to do, so a reminder due while the
appliance was down is given once when it is back, and the count carries on where it was.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from ..store import reminder_store
from .uow import UnitOfWork, Units


def day_start(now: float, tz: Any) -> float:
    """Midnight of ``now``'s day in the office's time zone (the display lists today's results)."""
    local = datetime.fromtimestamp(now, tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def call_payload(code: str, row: sqlite3.Row, ticket_number: str | None, repeat: int, at: str) -> dict[str, Any]:
    """The ``dossier.call`` payload: numbers only (the hall display shows it), never a name.
    ``row`` has the dossier's ``day``, ``day_seq`` and ``counter_id``."""
    return {"code": code, "number": int(row["day_seq"]), "day": row["day"], "ticket_number": ticket_number,
            "counter_id": row["counter_id"], "repeat": repeat, "at": at}


def on_ready(tx: UnitOfWork, row: sqlite3.Row, settings: Any, ticket_number: str | None, at: str) -> str:
    """The dossier ``row`` (still as it was before "ready") has its result: schedule its reminders
    and, without a pager, call it on the display now. Returns ``"pager"`` or ``"call"``; ``"post"``
    when the citizen asked for the result by post: it waits for the postal worker (the handover
    list), so nobody is called for it in the hall and nothing is repeated."""
    if row["return_by_post"]:
        return "post"
    kind = "pager" if row["pager"] else "call"
    every, left = float(settings.pager.repeat_after_s), int(settings.pager.repeat_max)
    reminder_store.start(tx.conn, dossier_code=row["code"], kind=kind, pager=row["pager"] or None,
                         counter_id=row["counter_id"], due_ts=tx.now + every, every_s=every,
                         left=max(0, left), now=tx.now)
    if kind == "call":
        tx.emit("dossier.call", call_payload(row["code"], row, ticket_number, 0, at))
    return kind


def call_again(tx: UnitOfWork, row: sqlite3.Row, settings: Any, ticket_number: str | None, at: str) -> str:
    """The officer calls the citizen of a ready result again (the seed's "bấm số thứ tự đó"): now,
    the way it is being called (its pager, or the display when it has none or its pager failed),
    and the reminders start again. Returns ``"pager"`` or ``"call"``."""
    current = reminder_store.of_dossier(tx.conn, row["code"])
    kind = str(current["kind"]) if current is not None else ("pager" if row["pager"] else "call")
    pager = (current["pager"] if current is not None else row["pager"]) or None
    if kind == "pager" and pager is None:
        kind = "call"
    every, left = float(settings.pager.repeat_after_s), max(0, int(settings.pager.repeat_max))
    reminder_store.start(tx.conn, dossier_code=row["code"], kind=kind, pager=pager, counter_id=row["counter_id"],
                         due_ts=tx.now + every, every_s=every, left=left, now=tx.now)
    if kind == "pager":
        tx.emit("pager.remind", {"pager": pager, "dossier_code": row["code"], "counter_id": row["counter_id"],
                                 "repeat": 1, "left": left, "manual": True})
    else:
        tx.emit("dossier.call", {**call_payload(row["code"], row, ticket_number, 0, at), "manual": True})
    return kind


def stop(tx: UnitOfWork, code: str) -> bool:
    """The result was handed over (or the dossier left "ready"): no more reminders."""
    return reminder_store.stop_dossier(tx.conn, code)


class ReminderQueue:
    """The reminder worker's side: each round one unit of work."""

    def __init__(self, units: Units, db: Any, tz: Any):
        self.units = units
        self.db = db
        self._tz = tz if callable(tz) else (lambda: tz)

    def fire_due(self) -> int:
        """Give every reminder now due (once, however late: a long outage does not replay all the
        missed ones), schedule the next; publishes ``pager.remind`` or ``dossier.call``. How many."""
        with self.units() as tx:
            rows = reminder_store.due(tx.conn, tx.now)
            today = datetime.fromtimestamp(tx.now, self._tz()).date()
            given = 0
            for r in rows:
                if datetime.fromtimestamp(float(r["started_ts"]), self._tz()).date() != today:
                    reminder_store.drop(tx.conn, r["id"])    # yesterday's citizen is not in the hall
                    continue
                repeat = int(r["done"]) + 1
                given += 1
                reminder_store.advance(tx.conn, r["id"], tx.now + float(r["every_s"]))
                if r["kind"] == "pager":
                    tx.emit("pager.remind", {"pager": r["pager"], "dossier_code": r["dossier_code"],
                                             "counter_id": r["counter_id"], "repeat": repeat,
                                             "left": int(r["left"]) - 1})
                else:
                    at = datetime.fromtimestamp(tx.now, self._tz()).isoformat(timespec="seconds")
                    tx.emit("dossier.call", call_payload(r["dossier_code"], r, r["ticket_number"], repeat, at))
        return given

    def pager_failed(self, pager: int) -> bool:
        """The transmitter could not buzz ``pager`` for a ready result: call the dossier on the
        display and by the announcer now, and from now on (``dossier.call`` with ``fallback``).
        Whether a ready result held the pager."""
        with self.units() as tx:
            row = reminder_store.pager_to_call(tx.conn, pager)
            if row is None:
                return False
            at = datetime.fromtimestamp(tx.now, self._tz()).isoformat(timespec="seconds")
            payload = call_payload(row["dossier_code"], row, row["ticket_number"], int(row["done"]), at)
            tx.emit("dossier.call", {**payload, "fallback": "pager_failed"})
        return True

    def next_due(self) -> float | None:
        with self.db.read() as conn:
            return reminder_store.next_due(conn)

    def pending(self) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return [dict(r) for r in reminder_store.pending(conn)]
