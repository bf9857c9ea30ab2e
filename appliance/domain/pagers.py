"""Which pager (thẻ rung) to hand out: the one rule, for the queue engine and the dossier desk.

Pure: the caller passes the pool size and two questions the store answers (the lowest free pager;
the state of one pager), and claims the chosen pager itself in its own transaction.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

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


def dossier_pager_number(seq: int, pool: int) -> int | None:
    """The pager that "follows the dossier's number" (the Dương Xá model: *thẻ rung gắn số thứ tự
    tương ứng với số thứ tự của hồ sơ*): dossier ``seq`` of the day takes pager ``seq``; past the
    pool the numbers go round (pool 40: dossier 41 → pager 1, 45 → 5; pool 100: the last two
    digits). ``None`` for an empty pool."""
    if pool < 1 or seq < 1:
        return None
    return (seq - 1) % pool + 1


def choose_dossier_pager(requested: int | str | None, pool: int, seq: int, first_free: Callable[[], int | None],
                         state_of: Callable[[int], str | None]) -> int | None:
    """The pager for a new dossier, the ``seq``-th of the day.

    ``"auto"``: the pager whose number follows the dossier's (:func:`dossier_pager_number`) when it
    is free, else the lowest free one, else ``None``: **the dossier is received all the same**, with
    no pager (its result is then called on the hall display, by the announcer and by SMS). A number
    the officer typed is checked as :func:`choose_pager` does (a pager in use is a mistake to fix,
    not a reason to hand out another)."""
    if requested == "auto":
        preferred = dossier_pager_number(seq, pool)
        if preferred is not None and state_of(preferred) == "free":
            return preferred
        return first_free()
    return choose_pager(requested, pool, first_free, state_of)


def pagers_needed(peak_per_hour: float, hold_minutes: float, *, cover: float = 0.95, spare: float = 0.05) -> int:
    """How many pagers an office needs so that its peak hour runs out of them rarely (docs/pager.md).

    A pager is out from receipt until the result is collected (``hold_minutes``: the time to the
    result plus the walk back to the desk). At the peak, the pagers out at once are about Poisson
    with mean ``peak_per_hour × hold_minutes / 60`` (Little's law); the pool covers its ``cover``
    quantile (95 %: the pool is empty in at most one peak moment in twenty, and then the dossier is
    still received and called on the display), plus ``spare`` for pagers lost or left uncharged.
    """
    if peak_per_hour < 0 or hold_minutes < 0 or not 0 < cover < 1 or spare < 0:
        raise ValueError("peak_per_hour, hold_minutes ≥ 0; 0 < cover < 1; spare ≥ 0")
    mean = peak_per_hour * hold_minutes / 60
    if mean > 500:   # exp(-mean) underflows: the normal approximation is exact enough there
        return math.ceil((mean + NormalDist().inv_cdf(cover) * math.sqrt(mean)) * (1 + spare))
    k, term = 0, math.exp(-mean)
    total = term
    while total < cover:
        k += 1
        term *= mean / k
        total += term
    return math.ceil(k * (1 + spare))
