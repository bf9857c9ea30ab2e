"""Postal return (issue 17): the results waiting for the postal worker, and the handover list.

``hand_over`` is one unit of work: the list's row, and for each dossier on it the ``return`` action
by post with its tracking number and postage (``DossierService.act`` inside the same unit: the
dossier closes, ``dossier.returned`` goes to the hub with ``by_post``, its pager is released, the
SMS "đã gửi qua bưu chính, số hiệu bưu gửi …" is queued). Either every dossier on the list is handed
over or none: a list that fails on one line changes nothing, and says which line.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain import postal as rules
from ..domain.dossiers import DossierNotFound, FormInvalid
from ..domain.fields import Message
from ..store import dossier_store, postal_store, queue_store
from .uow import Units


class PostalService:
    def __init__(self, db: Any, units: Units, dossiers: Any, tz: Any):
        self.db = db
        self.units = units
        self.dossiers = dossiers          # appliance.services.dossiers.DossierService
        self._tz = tz                     # a callable: the office's time zone in force

    def _at(self, ts: float | None) -> datetime | None:
        return None if ts is None else datetime.fromtimestamp(ts, self._tz())

    @staticmethod
    def _line(row: Any) -> dict[str, Any]:
        return {"code": row["code"], "province_code": row["province_code"], "procedure": row["procedure"],
                "procedure_name": row["procedure_name"], "applicant_name": row["applicant_name"],
                "applicant_phone": row["applicant_phone"], "post_address": row["post_address"],
                "tracking_number": row["tracking_number"], "fee": row["post_fee"],
                "ready_ts": row["ready_ts"], "purged": row["purged_ts"] is not None}

    def pending(self) -> list[dict[str, Any]]:
        """Ready results the citizens asked to receive by post, oldest first."""
        with self.db.read() as conn:
            return [self._line(r) for r in postal_store.pending(conn)]

    def hand_over(self, data: dict[str, Any], user: str | None) -> int:
        """Record a handover list; returns its id. Raises :class:`FormInvalid` (a message per field
        or line) and changes nothing when any line is wrong."""
        request, errors = rules.check_handover(data)
        if request is None:
            raise FormInvalid(errors)
        with self.units() as tx:
            conn = tx.conn
            for i, item in enumerate(request.items):
                row = dossier_store.get_dossier(conn, item.code)
                field = f"items.{i}.code"
                if row is None:
                    errors[field] = Message(f"Không có hồ sơ {item.code}.", f"No dossier {item.code}.", field)
                elif row["state"] != "ready":
                    errors[field] = Message(f"Hồ sơ {item.code} không ở trạng thái có kết quả chờ trả.",
                                            f"Dossier {item.code} has no result waiting to be returned.", field)
                elif not row["return_by_post"] or not row["post_address"]:
                    errors[field] = Message(f"Hồ sơ {item.code} không đăng ký nhận kết quả qua bưu chính.",
                                            f"Dossier {item.code} was not registered for postal return.", field)
            if errors:
                raise FormInvalid(errors)
            year = datetime.fromtimestamp(tx.now, self._tz()).year
            officer_name = queue_store.queries(tx).officer_name(user)
            seq = postal_store.next_seq(conn, year)
            handover_id = postal_store.insert(
                conn, year=year, seq=seq, handed_ts=tx.now, officer=user,
                officer_name=officer_name, postal_unit=request.postal_unit, postal_worker=request.postal_worker,
                note=request.note)
            for item in request.items:
                self.dossiers.act(item.code, "return", {
                    "by_post": True, "tracking_number": item.tracking_number, "fee": item.fee,
                    "note": f"Bàn giao cho {request.postal_unit} theo danh sách số "
                            f"{rules.handover_number(year, seq)}"},
                    user=user, unit=tx)
                found = dossier_store.get_dossier(conn, item.code)
                if found is None:          # just read above, in this transaction
                    raise DossierNotFound("unknown_dossier", "code", dossier=item.code)
                postal_store.attach(conn, found["id"], handover_id)
            tx.audit(user, "postal.handover", f"postal_handover:{handover_id}",
                     f"{len(request.items)} hồ sơ; {request.postal_unit}")
        return handover_id

    def get(self, handover_id: int) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = postal_store.get(conn, handover_id)
            if row is None:
                return None
            lines = [self._line(r) for r in postal_store.items(conn, handover_id)]
        return {"id": row["id"], "number": rules.handover_number(row["year"], row["seq"]),
                "handed_at": self._at(row["handed_ts"]), "officer": row["officer"],
                "officer_name": row["officer_name"] or row["officer"], "postal_unit": row["postal_unit"],
                "postal_worker": row["postal_worker"], "note": row["note"], "items": lines,
                "fees": sum(line["fee"] or 0 for line in lines)}

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return [{"id": r["id"], "number": rules.handover_number(r["year"], r["seq"]),
                     "handed_at": self._at(r["handed_ts"]), "postal_unit": r["postal_unit"],
                     "postal_worker": r["postal_worker"], "count": r["count"], "fees": r["fees"]}
                    for r in postal_store.recent(conn, limit)]

    def units_used(self) -> list[str]:
        with self.db.read() as conn:
            return postal_store.units_used(conn)
