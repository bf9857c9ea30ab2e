"""Look a dossier up without its code (issue 17), on the LAN at ``/thu-tuc/tra-cuu``:

* by the phone number given at receipt plus the last 4 digits of the personal number;
* by the QR code on the ticket (``?so=<ticket id>&k=…``: the ticket's dossier once there is one,
  else where the ticket stands in the queue) or on Mẫu 01 (``?ho-so=<code>&k=…``).

The answer is the state and the due time only (``appliance.domain.lookup``). Misses (nothing found)
are throttled per phone and address, per phone, and per address with exponential back-off
(``LoginThrottle`` with the lookup's rules), so the 10,000 endings of a known phone cannot be tried:
after a few misses each try waits, up to 15 minutes. The counts live in memory: a restart forgets
them, which an attacker on the office LAN cannot cause.

The QR links' secret is made once and kept in ``kv`` (``lookup_secret``).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ..domain import dossiers as rules
from ..domain import lookup as rules_lookup
from ..domain.fields import Message
from ..domain.throttle import LoginThrottle
from ..store import dossier_store, kv_store, queue_store
from .uow import Units

SECRET_KEY = "lookup_secret"
PATH = "/thu-tuc/tra-cuu"


def secret_in(conn: Any) -> bytes:
    """The QR links' secret, made (in the caller's write transaction) the first time it is needed."""
    value = kv_store.get(conn, SECRET_KEY)
    if value is None:
        value = secrets.token_hex(32)
        kv_store.put(conn, SECRET_KEY, value)
    return bytes.fromhex(value)


def hub_keys(conn: Any, code: str, ticket_id: int | None, phone: str | None, id_number: str | None) -> dict[str, Any]:
    """What the hub needs to answer the public lookup for this dossier (``lookup`` of
    ``dossier.received``): the key of phone + last 4 digits, and hashes of its QR links (the dossier's
    on Mẫu 01, the ticket's). Never the phone or the number themselves."""
    secret = secret_in(conn)
    links = [rules_lookup.link_hash("dossier", code, rules_lookup.proof(secret, "dossier", code))]
    if ticket_id is not None:
        links.append(rules_lookup.link_hash("ticket", str(ticket_id),
                                            rules_lookup.proof(secret, "ticket", str(ticket_id))))
    query = rules_lookup.query_of(phone, id_number)
    return {"phone_key": rules_lookup.phone_key(query) if query else None, "links": links}


@dataclass
class Outcome:
    answers: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, Message] = field(default_factory=dict)
    retry_after: int = 0
    asked: bool = False          # a lookup was made (the page says "not found" when answers is empty)


class LookupService:
    def __init__(self, db: Any, units: Units, clock: Any, tz: Any):
        self.db = db
        self.units = units
        self.clock = clock
        self._tz = tz                 # a callable: the office's time zone in force
        self.throttle = LoginThrottle(clock, pair=rules_lookup.PAIR, account=rules_lookup.PHONE,
                                      address=rules_lookup.ADDRESS)
        self._secret: bytes | None = None

    # --- the secret and the links ----------------------------------------------------------------

    def secret(self) -> bytes:
        if self._secret is None:
            with self.units() as tx:
                self._secret = secret_in(tx.conn)
        return self._secret

    def dossier_link(self, base: str, code: str) -> str:
        return f"{base.rstrip('/')}{PATH}?" + urlencode({"ho-so": code, "k": rules_lookup.proof(
            self.secret(), "dossier", code)})

    def ticket_link(self, base: str, ticket_id: int) -> str:
        return f"{base.rstrip('/')}{PATH}?" + urlencode({"so": ticket_id, "k": rules_lookup.proof(
            self.secret(), "ticket", str(ticket_id))})

    # --- the answers ------------------------------------------------------------------------------

    def _when(self, ts: float | None) -> str | None:
        return None if ts is None else datetime.fromtimestamp(ts, self._tz()).strftime("%H:%M %d/%m/%Y")

    def _dossier_answer(self, row: Any, lang: str) -> dict[str, Any]:
        i = 1 if lang == "en" else 0
        due = row["new_due_ts"] or row["due_ts"]
        state = row["state"]
        if state == "returned" and row["returned_by_post"]:
            note = ("Đã gửi kết quả qua bưu chính", "The result was sent by post")[i]
        elif state == "ready":
            note = ("Mời ông/bà đến Bộ phận Một cửa nhận kết quả",
                    "Please collect the result at the one-stop office")[i]
        else:
            note = ""
        return {"kind": "dossier", "code": row["code"], "state": state,
                "state_label": rules.label(rules.STATES, state, lang), "note": note,
                "due": self._when(due) if state in rules.UNRESOLVED_STATES else None,
                "ready": self._when(row["ready_ts"]) if state in ("ready", "returned") else None}

    def by_phone(self, phone: str | None, last4: str | None, address: str, lang: str = "vi") -> Outcome:
        query, errors = rules_lookup.parse(phone, last4)
        if query is None:
            return Outcome(errors=errors)
        wait = self.throttle.retry_after(query.phone, address)
        if wait:
            return Outcome(retry_after=wait)
        with self.db.read() as conn:
            rows = [r for r in dossier_store.by_applicant_phone(conn, query.phone)
                    if rules_lookup.matches(query, r["applicant_phone"], r["applicant_id"])]
        if not rows:
            self.throttle.failed(query.phone, address)
        return Outcome([self._dossier_answer(r, lang) for r in rows[:rules_lookup.MAX_ANSWERS]], asked=True)

    def by_dossier_link(self, code: str, proof: str | None, lang: str = "vi") -> Outcome:
        if not rules_lookup.proof_ok(self.secret(), "dossier", code, proof):
            return Outcome(asked=True)
        with self.db.read() as conn:
            row = dossier_store.get_dossier(conn, code)
        return Outcome([self._dossier_answer(row, lang)] if row is not None else [], asked=True)

    def by_ticket_link(self, ticket: str, proof: str | None, lang: str = "vi") -> Outcome:
        if not ticket.isdigit() or len(ticket) > 12 or not rules_lookup.proof_ok(self.secret(), "ticket", ticket,
                                                                                  proof):
            return Outcome(asked=True)
        with self.db.read() as conn:
            row = dossier_store.by_ticket(conn, int(ticket))
        if row is not None:
            return Outcome([self._dossier_answer(row, lang)], asked=True)
        found = queue_store.get_ticket(self.db, int(ticket))
        if found is None:
            return Outcome(asked=True)
        i = 1 if lang == "en" else 0
        vi_en = rules_lookup.TICKET_STATES.get(found.state, (found.state, found.state))
        answer: dict[str, Any] = {"kind": "ticket", "number": found.number, "state": found.state,
                                  "state_label": vi_en[i], "note": "", "due": None, "ready": None}
        if found.state == "waiting":
            with self.db.read() as conn:
                ahead = queue_store.SqliteQueueTx(conn, True).waiting_ahead(found.day, found.service_id,
                                                                            found.issued_ts, found.id)
            answer["ahead"] = ahead
        return Outcome([answer], asked=True)


BACKFILL_KEY = "lookup_keys_backfilled"      # kv: the open dossiers' keys have been sent to the hub


def backfill_hub_keys(db: Any, units: Units, stop: Any | None = None) -> int:
    """Once: a ``dossier.lookup`` fact (the hub's lookup keys) for every dossier still open (not
    returned, closed or purged), so that a dossier received before the keys were sent with
    ``dossier.received`` can be found on the hub's page too. Each key is computed outside the write
    lock (a slow hash) and written in its own short unit; ``stop`` (an Event) ends it early, the
    next start goes on. Returns how many were sent."""
    with db.read() as conn:
        if kv_store.get(conn, BACKFILL_KEY) is not None:
            return 0
        rows = [(r["id"], r["code"], r["ticket_id"], r["applicant_phone"], r["applicant_id"])
                for r in conn.execute("SELECT id, code, ticket_id, applicant_phone, applicant_id FROM dossiers "
                                      "WHERE purged_ts IS NULL AND closed_ts IS NULL ORDER BY id")]
    sent = 0
    for dossier_id, code, ticket_id, phone, id_number in rows:
        if stop is not None and stop.is_set():
            return sent
        query = rules_lookup.query_of(phone, id_number)
        phone_key = rules_lookup.phone_key(query) if query else None      # outside the transaction
        with units() as tx:
            still = tx.conn.execute("SELECT 1 FROM dossiers WHERE id = ? AND purged_ts IS NULL", (dossier_id,))
            if still.fetchone() is None:
                continue
            keys = hub_keys(tx.conn, code, ticket_id, None, None)
            tx.record("dossier.lookup", {"code": code, "lookup": {**keys, "phone_key": phone_key}})
        sent += 1
    with units() as tx:
        kv_store.put(tx.conn, BACKFILL_KEY, str(sent))
    return sent
