"""The logbook (Mẫu 07): pages through the dossier service, one row per dossier received.

The rows are pure (:func:`appliance.domain.dossier_papers.logbook_row`); this module does the
paging with the functions it is given.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ...domain.dossier_papers import logbook_row

LOGBOOK_MAX_ROWS = 1000
LOGBOOK_PAGE = 200                    # the dossier service's largest page


def logbook_entries(search: Callable[..., dict[str, Any]], load: Callable[[str], dict], start: date, end: date,
                    tz):
    """Dossiers received from ``start`` to ``end`` (local days, inclusive), oldest first, each with
    its address from the declaration. ``search(received_from=, received_to=, limit=, offset=)`` is
    the dossier service's search (the dates filter in the query); ``load(code)`` one whole dossier.
    At most :data:`LOGBOOK_MAX_ROWS` rows; returns (entries, truncated)."""
    found: list[dict[str, Any]] = []
    offset = 0
    while len(found) <= LOGBOOK_MAX_ROWS:
        items = search(received_from=start, received_to=end, limit=LOGBOOK_PAGE, offset=offset).get("items", [])
        found.extend(items)
        if len(items) < LOGBOOK_PAGE:
            break
        offset += LOGBOOK_PAGE
    truncated = len(found) > LOGBOOK_MAX_ROWS
    found = found[:LOGBOOK_MAX_ROWS]
    found.sort(key=lambda i: (i.get("received_at") or "", i.get("code") or ""))
    entries = [logbook_row(index, item, load(item["code"]), tz) for index, item in enumerate(found, 1)]
    return entries, truncated
