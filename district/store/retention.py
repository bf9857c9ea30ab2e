"""``motcua-hub purge``: the hub's own retention of the public lookup's keys (``lookup_keys``).

An appliance that purges a dossier sends ``dossier.purged`` and the hub deletes the dossier's keys at
once (``district.store.ingest``). This is the backstop for the appliances that never say so (firmware
before ``dossier.purged``, purge switched off, a device gone for good): the keys of every dossier
closed (returned, refused, rejected, stopped, withdrawn, cancelled) more than ``lookup_keep_days``
days ago are deleted, and the dossier marked (``lookup_purged_at``) so that keys sent for it later
are not stored again. Open dossiers, and a closed one without its time of closing, keep their keys.

The dossier itself stays (the reports and the provincial export read it); a lookup by its code still
answers its state. Deleted in transactions of :data:`BATCH` dossiers, so a first run over years of
dossiers never holds a long lock on the table ingest writes to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine

from district.db.schema import dossiers, lookup_keys
from district.domain.projections import CLOSED_WITHOUT_RESULT

BATCH = 1000
CLOSED = frozenset({"returned", *CLOSED_WITHOUT_RESULT})


@dataclass(frozen=True)
class Purged:
    dossiers: int     # dossiers whose keys were deleted
    keys: int         # keys deleted
    cutoff: datetime  # dossiers closed before this


def purge_lookup_keys(engine: Engine, now: datetime, keep_days: int) -> Purged:
    """Delete the lookup keys of the dossiers closed more than ``keep_days`` days before ``now``."""
    if keep_days < 1:
        raise ValueError("keep_days must be at least 1")
    cutoff = now - timedelta(days=keep_days)
    closed_at = func.coalesce(dossiers.c.returned_at, dossiers.c.closed_at)
    due = (select(dossiers.c.code).where(dossiers.c.state.in_(CLOSED), closed_at < cutoff,
                                         dossiers.c.code.in_(select(lookup_keys.c.code)))
           .order_by(dossiers.c.code).limit(BATCH))
    n_dossiers = n_keys = 0
    while True:
        with engine.begin() as conn:
            codes = list(conn.execute(due).scalars())
            if codes:
                n_keys += conn.execute(delete(lookup_keys).where(lookup_keys.c.code.in_(codes))).rowcount
                conn.execute(update(dossiers).where(dossiers.c.code.in_(codes), dossiers.c.lookup_purged_at.is_(None))
                             .values(lookup_purged_at=now))
        n_dossiers += len(codes)
        if len(codes) < BATCH:
            return Purged(n_dossiers, n_keys, cutoff)
