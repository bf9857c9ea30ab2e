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

from dataclasses import dataclass

from ..domain.errors import Conflict, DomainError, NotFound
from ..domain.pagers import HOLDING_STATES, choose_pager
from ..store import dossier_store, pager_store
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
    if code is None:
        tx.emit("pager.returned", {"pager": number})
        return Returned(number)
    _forget(tx, number, code)
    tx.audit(user_login, "pager.detach", f"pager:{number}", f"tách khỏi hồ sơ {code}")
    tx.emit("pager.returned", {"pager": number, "dossier_code": code, "detached": True})
    return Returned(number, code)


def mark_lost(tx: UnitOfWork, number: int, pool: int, user_login: str | None = None) -> None:
    """Reported lost: out of the pool until it is handed back; an open dossier holding it
    forgets it (a found pager handed back later must not buzz for that dossier)."""
    _registered(tx, number, pool)
    code = pager_store.open_holder(tx.conn, number, HOLDING_STATES)
    pager_store.set_lost(tx.conn, number, tx.now)
    if code is not None:
        _forget(tx, number, code)
    tx.emit("pager.lost", {"pager": number})


def assign(tx: UnitOfWork, requested: int | str, pool: int, *, ticket_id: int | None = None,
           dossier_code: str | None = None) -> int:
    """Hand a pager out on its own (not with a new ticket); emits ``pager.assigned``."""
    number = claim(tx, requested, pool, ticket_id=ticket_id, dossier_code=dossier_code)
    if number is None:
        raise DomainError("required", "pager", name="pager")
    tx.emit("pager.assigned", {"pager": number, "ticket_id": ticket_id, "dossier_code": dossier_code})
    return number
