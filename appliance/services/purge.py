"""``motcua purge``: remove citizens' personal data from dossiers that are closed and synced.

A dossier is purged when it is returned (or refused), the hub has acknowledged its last fact
(outbox ``seq ≤ acked_through``) and it was closed more than ``[privacy].purge_after_days`` days
ago. The declaration, the applicant's name, phone and paper number, the postal address and
tracking number, the timeline's free text (notes, reasons, the names of who handed over and who
received), the search index entries, the phone and text of the dossier's SMS messages, and the
applicant, lookup keys, notes, reasons and names in the already-sent outbox rows are removed; the code,
procedure, channel, dates, outcome, fee and counts stay for the statistics and the logbook.
Drafts never submitted are deleted after the same number of days.

Each purged dossier gets a ``dossier.purged`` fact (its code only) in the same transaction: the hub
then deletes the public lookup's keys of it (the hashed phone + last 4 digits, the QR links), so the
province's ``/tra-cuu`` no longer finds by phone a dossier the office has forgotten.

Deleted content is overwritten (``PRAGMA secure_delete``), the search index is rebuilt so no old
token survives in its segments, and the WAL is checkpointed and truncated.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..store import appointment_store, outbox, sms_store
from ..store import dossier_store as store

if TYPE_CHECKING:   # the runtime builds the services: imported for the annotation only
    from ..runtime import Appliance

log = logging.getLogger(__name__)
BATCH = 200
DAY_S = 86400


def purge_personal_data(appliance: Appliance, now: float | None = None) -> int:
    """Purge what is due; returns the number of dossiers purged."""
    now = appliance.clock() if now is None else now
    cutoff = now - appliance.settings.privacy.purge_after_days * DAY_S
    db = appliance.db
    purged = 0
    with db.secure_delete():
        while True:
            with appliance.units(now) as tx:
                acked = outbox.acked_through(tx.conn)
                rows = store.purge_candidates(tx.conn, cutoff, acked, BATCH)
                for row in rows:
                    store.purge_dossier(tx.conn, row["id"], row["code"], now)
                    tx.record("dossier.purged", {"code": row["code"]})
                    tx.audit("motcua-purge", "dossier.purge", f"dossier:{row['code']}",
                             "xóa dữ liệu cá nhân (đã trả, đã đồng bộ)")
                outbox.scrub_purged_dossiers(tx.conn, [row["code"] for row in rows], acked)
                sms_store.purge_for_dossiers(tx.conn, [row["code"] for row in rows], now)
            purged += len(rows)
            if len(rows) < BATCH:
                break
        with appliance.units(now) as tx:
            drafts = store.purge_stale_drafts(tx.conn, cutoff)
            # a message's phone and text go when it is older than the same number of days
            texts = sms_store.purge_older_than(tx.conn, cutoff, now)
            if texts:
                tx.audit("motcua-purge", "sms.purge", "sms", f"{texts} tin nhắn cũ")
            # a booking's phone, once the appointment is over (used, a no-show, cancelled) that long ago
            phones = appointment_store.purge_phones(tx.conn, cutoff, now)
            if phones:
                tx.audit("motcua-purge", "appointment.purge", "appointments", f"{phones} số điện thoại lịch hẹn")
            if purged or drafts:
                store.optimize_search_index(tx.conn)
                tx.audit("motcua-purge", "privacy.purge", "dossiers", f"{purged} hồ sơ, {drafts} bản nháp bỏ dở")
        if purged or drafts:
            db.checkpoint_truncate()
    log.info("purge: %d dossiers, %d stale drafts", purged, drafts)
    return purged
