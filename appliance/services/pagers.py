"""The pager policy (thẻ rung): the one place that decides who holds a pager.

The queue (a ticket's pager, handed out at the kiosk or the desk) and the dossier desk (the
pager that buzzes when the result is ready) both claim, link, free and lose pagers through these
functions, inside their unit of work; the SQL is ``appliance.store.pager_store``, its only writer.

The rule the desk relies on: a pager that an open dossier holds is never handed to someone
else behind its back. Handing it back at the desk is refused (``pager_held_by_dossier``) unless
the desk detaches it explicitly, which is audited and makes the dossier forget the pager, so its
"ready" buzzes nobody's pager.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ..domain.errors import Conflict, DomainError, NotFound
from ..domain.pagers import HOLDING_STATES, choose_dossier_pager, choose_pager, dossier_pager_number
from ..store import dossier_store, pager_store, reminder_store
from .uow import UnitOfWork


@dataclass(frozen=True)
class Returned:
    """A pager back on the shelf; ``detached_from`` is the open dossier it was taken from."""
    number: int
    detached_from: str | None = None


def choose(tx: UnitOfWork, requested: int | str | None, pool: int) -> int | None:
    """The pager ``requested`` stands for (:func:`appliance.domain.pagers.choose_pager`: ``None``,
    ``"auto"`` or a free number of the pool), not yet assigned; ``None`` when none was asked for."""
    return choose_pager(requested, pool, lambda: pager_store.first_free(tx.conn),
                        lambda n: pager_store.state(tx.conn, n))


def choose_or_none(tx: UnitOfWork, requested: int | str | None, pool: int) -> int | None:
    """:func:`choose`, except that ``"auto"`` with no pager free is ``None`` rather than
    ``pager_pool_empty``: a new ticket is issued all the same."""
    try:
        return choose(tx, requested, pool)
    except Conflict as exc:
        if exc.code == "pager_pool_empty":
            return None
        raise


def choose_for_dossier(tx: UnitOfWork, requested: int | str | None, pool: int, seq: int) -> int | None:
    """The pager for the ``seq``-th dossier of the day (:func:`appliance.domain.pagers.choose_dossier_pager`):
    with ``"auto"`` and no pager free, ``None`` and the dossier is received without one."""
    return choose_dossier_pager(requested, pool, seq, lambda: pager_store.first_free(tx.conn),
                                lambda n: pager_store.state(tx.conn, n))


def pool_status(conn: sqlite3.Connection, pool: int, day: str) -> dict[str, Any]:
    """The pool as the console and the dossier entry page show it before the officer starts:
    ``total`` (registered), ``free``, ``in_use``, ``lost``, the number the next dossier of ``day``
    will have and the pager it would get (``next_pager``: ``None`` when none is free: that dossier
    is received without a pager and called on the hall display)."""
    counts = pager_store.counts(conn)
    seq = dossier_store.next_day_seq(conn, day)
    preferred = dossier_pager_number(seq, pool)
    if preferred is not None and pager_store.state(conn, preferred) == "free":
        next_pager: int | None = preferred
    else:
        next_pager = pager_store.first_free(conn)
    total = counts["free"] + counts["assigned"] + counts["lost"]
    return {"total": total, "configured": pool, "free": counts["free"], "in_use": counts["assigned"],
            "lost": counts["lost"], "next_dossier_number": seq, "next_pager": next_pager,
            "next_pager_matches": next_pager is not None and next_pager == preferred,
            "empty": counts["free"] == 0}


def take(tx: UnitOfWork, number: int, *, ticket_id: int | None = None, dossier_code: str | None = None) -> None:
    """Assign the chosen pager to a ticket and/or a dossier."""
    pager_store.assign(tx.conn, number, tx.now, ticket_id=ticket_id, dossier_code=dossier_code)


def claim(tx: UnitOfWork, requested: int | str | None, pool: int, *, ticket_id: int | None = None,
          dossier_code: str | None = None) -> int | None:
    """:func:`choose` then :func:`take`; the caller records the number on its ticket/dossier."""
    number = choose(tx, requested, pool)
    if number is not None:
        take(tx, number, ticket_id=ticket_id, dossier_code=dossier_code)
    return number


def link_dossier(tx: UnitOfWork, number: int, code: str) -> None:
    """The ticket's pager now also stands for the dossier received for its holder."""
    pager_store.link_dossier(tx.conn, number, code)


def release_for_dossier(tx: UnitOfWork, number: int, code: str) -> bool:
    """The result is collected: the pager goes back on the shelf if it still stands for ``code``."""
    return pager_store.free_if_dossier(tx.conn, number, code, tx.now)


def _registered(tx: UnitOfWork, number: int, pool: int) -> None:
    if pager_store.state(tx.conn, number) is None:
        raise NotFound("pager_out_of_pool", "pager", pager=number, pool=pool)


def _forget(tx: UnitOfWork, number: int, code: str) -> None:
    """The dossier no longer has this pager: its "ready" must not buzz it."""
    row = dossier_store.get_dossier(tx.conn, code)
    if row is not None and row["pager"] == number:
        dossier_store.update_dossier(tx.conn, row["id"], pager=None)


def hand_back(tx: UnitOfWork, number: int, pool: int, *, detach: bool = False,
              user_login: str | None = None) -> Returned:
    """The pager is handed back at the desk.

    A pager a dossier still holds (:data:`~appliance.domain.pagers.HOLDING_STATES`) is refused
    (``pager_held_by_dossier``, a conflict) unless ``detach`` is true: then it is freed, the dossier
    forgets it and an audit row says so.
    Emits ``pager.returned``."""
    _registered(tx, number, pool)
    code = pager_store.open_holder(tx.conn, number, HOLDING_STATES)
    if code is not None and not detach:
        raise Conflict("pager_held_by_dossier", "pager", pager=number, dossier=code)
    pager_store.set_free(tx.conn, number, tx.now)
    reminder_store.stop_pager(tx.conn, number)     # back on the shelf: nobody to buzz any more
    if code is None:
        tx.emit("pager.returned", {"pager": number})
        return Returned(number)
    _forget(tx, number, code)
    tx.audit(user_login, "pager.detach", f"pager:{number}", f"tách khỏi hồ sơ {code}")
    tx.emit("pager.returned", {"pager": number, "dossier_code": code, "detached": True})
    return Returned(number, code)


def mark_lost(tx: UnitOfWork, number: int, pool: int, user_login: str | None = None) -> None:
    """Reported lost: out of the pool until it is handed back; an open dossier holding it
    forgets it (a found pager handed back later must not buzz for that dossier). Audited."""
    _registered(tx, number, pool)
    code = pager_store.open_holder(tx.conn, number, HOLDING_STATES)
    pager_store.set_lost(tx.conn, number, tx.now)
    reminder_store.to_call(tx.conn, number)        # its citizen still waits: called on the display
    if code is not None:
        _forget(tx, number, code)
    # a loss takes the pager from its dossier as a detach does: audited the same way
    tx.audit(user_login, "pager.lost", f"pager:{number}", "báo mất" + (f"; tách khỏi hồ sơ {code}" if code else ""))
    tx.emit("pager.lost", {"pager": number})


def assign(tx: UnitOfWork, requested: int | str, pool: int, *, ticket_id: int | None = None,
           dossier_code: str | None = None) -> int:
    """Hand a pager out on its own (not with a new ticket); emits ``pager.assigned``."""
    number = claim(tx, requested, pool, ticket_id=ticket_id, dossier_code=dossier_code)
    if number is None:
        raise DomainError("required", "pager", name="pager")
    tx.emit("pager.assigned", {"pager": number, "ticket_id": ticket_id, "dossier_code": dossier_code})
    return number
