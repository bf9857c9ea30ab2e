"""Which pager (thẻ rung) to hand out: the one rule, for the queue engine and the dossier desk.

Pure: the caller passes the pool size and two questions the store answers (the lowest free pager;
the state of one pager), and claims the chosen pager itself in its own transaction.
"""
from __future__ import annotations

from collections.abc import Callable

from .errors import Conflict, DomainError

NO_PAGER = (None, "", 0)

#: A dossier in one of these states still holds its pager: "ready" will buzz it. Once it is ready
#: (buzzed), returned or refused the pager's work for it is done.
HOLDING_STATES: tuple[str, ...] = ("received", "processing", "supplement_requested")


def choose_pager(requested: int | str | None, pool: int, first_free: Callable[[], int | None],
                 state_of: Callable[[int], str | None]) -> int | None:
    """The pager to claim for ``requested``: ``None`` (or ``""``/``0``) for none, ``"auto"`` for the
    lowest free one, or a number from 1 to ``pool`` that is free.

    Raises ``pager_pool_empty`` (409), ``invalid`` (400), ``pager_out_of_pool`` (400) or
    ``pager_busy`` (409: in use or reported lost)."""
    if requested is None or (not isinstance(requested, bool) and requested in NO_PAGER):
        return None
    if requested == "auto":
        number = first_free()
        if number is None:
            raise Conflict("pager_pool_empty", "pager")
        return number
    if isinstance(requested, bool) or not isinstance(requested, int):
        raise DomainError("invalid", "pager", detail=("thẻ rung phải là số nguyên hoặc 'auto'",
                                                      "the pager must be a whole number or 'auto'"))
    if not 1 <= requested <= pool:
        raise DomainError("pager_out_of_pool", "pager", pager=requested, pool=pool)
    state = state_of(requested)
    if state is None:  # configured pool larger than the pagers the office has registered
        raise DomainError("pager_out_of_pool", "pager", pager=requested, pool=pool)
    if state != "free":
        raise Conflict("pager_busy", "pager", pager=requested)
    return requested
