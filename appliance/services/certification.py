"""Chứng thực books: record one document (its number allocated in the same transaction), read the
books, open the next volume. Rules in :mod:`appliance.domain.certification`, SQL in
:mod:`appliance.store.cert_store`.

A line and its number are written in one unit of work with its audit row: if anything fails before
the commit, or the machine loses power, none of them exists and the next line takes the same
number; once the caller has the number, it is durable (``synchronous=FULL``). Numbers start at 1
for each book in each calendar year of the office's time zone.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from ..domain import certification as rules
from ..domain.catalog import compute_fee
from ..domain.errors import NotFound
from ..store import cert_store
from ..store.db import Database
from .uow import Units


class CertificationService:
    """``catalog``, ``tz`` and ``office`` are zero-argument callables (settings and the catalog may
    change while the appliance runs)."""

    def __init__(self, db: Database, units: Units, catalog: Callable[[], Any], tz: Callable[[], Any],
                 office: Callable[[], Any]):
        self.db = db
        self.units = units
        self._catalog = catalog
        self._tz = tz
        self._office = office

    def _day(self, ts: float) -> date:
        return datetime.fromtimestamp(ts, self._tz()).date()

    def fee(self, entry: rules.EntryInput, on: date) -> int:
        """The fee in đồng of one document by the catalog's rule for its book's procedure."""
        procedure = self._catalog().get(rules.BOOKS[entry.book].procedure)
        return compute_fee(procedure, entry.fee_values(), on=on)

    def record(self, data: Mapping[str, Any], user: str | None = None) -> dict[str, Any]:
        """Check ``data`` (:func:`~appliance.domain.certification.check_entry`), then number and record
        the line, all in one transaction. Returns the line as :meth:`entry_json` gives it."""
        entry = rules.check_entry(data)
        with self.units() as tx:
            day = self._day(tx.now)
            year = day.year
            volume = cert_store.open_volume(tx.conn, entry.book, year, tx.now)
            number = cert_store.next_number(tx.conn, entry.book, year)
            values = {**asdict(entry), "year": year, "number": number, "volume": volume, "recorded_ts": tx.now,
                      "day": day.isoformat(), "fee": self.fee(entry, day), "officer": user,
                      "pages": entry.pages}
            entry_id = cert_store.insert_entry(tx.conn, values)
            label = f"{number}/{rules.volume_label(entry.book, year, volume)}"
            tx.audit(user, "certification.record", f"cert:{entry_id}", f"Số chứng thực {label}")
            tx.emit("certification.recorded", {"id": entry_id, "book": entry.book, "year": year, "number": number})
            row = cert_store.get_entry(tx.conn, entry_id)
            if row is None:   # inserted above in this transaction
                raise NotFound("not_found", "entry", what=(f"dòng {entry_id}", f"entry {entry_id}"))
        return self.entry_json(row)

    def start_next_volume(self, book: str, user: str | None = None) -> dict[str, Any]:
        """The paper book of this year is full: the next lines go in the next quyển (numbers go on)."""
        book = rules.check_book(book)
        with self.units() as tx:
            year = self._day(tx.now).year
            volume = cert_store.start_next_volume(tx.conn, book, year, tx.now)
            tx.audit(user, "certification.volume", f"book:{book}", rules.volume_label(book, year, volume))
        return {"book": book, "year": year, "volume": volume, "volume_label": rules.volume_label(book, year, volume)}

    def get(self, entry_id: int, user: str | None = None) -> dict[str, Any]:
        row = cert_store.get_entry(self.db.conn(), entry_id)
        if row is None:
            raise rules.CertificationNotFound("cert_not_found", "id", entry=entry_id)
        with self.units() as tx:
            tx.audit(user, "certification.view", f"cert:{entry_id}")
        return self.entry_json(row)

    def book(self, book: str, first: date, last: date, user: str | None = None) -> dict[str, Any]:
        """The lines of one book between two days (inclusive), in number order, for the Sổ chứng thực."""
        book = rules.check_book(book)
        rows = cert_store.list_entries(self.db.conn(), book, first.isoformat(), last.isoformat())
        with self.units() as tx:
            tx.audit(user, "certification.book", f"book:{book}", f"{first.isoformat()}..{last.isoformat()}")
            volume = cert_store.open_volume(tx.conn, book, self._day(tx.now).year, tx.now)
        return {"book": book, "title": rules.BOOKS[book].title, "from": first.isoformat(), "to": last.isoformat(),
                "open_volume": volume, "items": [self.entry_json(r) for r in rows],
                "total_fee": sum(r["fee"] for r in rows)}

    def entry_json(self, row: sqlite3.Row) -> dict[str, Any]:
        book, year, number, volume = row["book"], row["year"], row["number"], row["volume"]
        day = date.fromisoformat(row["day"])
        office = self._office()
        attestation = rules.attestation(
            book, number=number, year=year, volume=volume, on=day, commune=office.name,
            signer=row["signer_name"], signer_id=row["requester_id"], signing=row["signing"] or "ky",
            document=row["document_name"], certifier=row["certifier"], certifier_title=row["certifier_title"])
        return {
            "id": row["id"], "book": book, "year": year, "number": number, "volume": volume,
            "volume_label": rules.volume_label(book, year, volume),
            "number_line": rules.number_line(book, year, number, volume),
            "recorded_at": datetime.fromtimestamp(row["recorded_ts"], self._tz()).isoformat(timespec="seconds"),
            "day": row["day"], "requester_name": row["requester_name"], "requester_id": row["requester_id"],
            "document_name": row["document_name"], "pages": row["pages"], "copies": row["copies"],
            "signer_name": row["signer_name"], "signing": row["signing"], "fee": row["fee"],
            "certifier": row["certifier"], "certifier_title": row["certifier_title"], "note": row["note"],
            "dossier_code": row["dossier_code"], "officer": row["officer"], "attestation": attestation,
        }
