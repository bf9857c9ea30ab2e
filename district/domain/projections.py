"""Fold newly stored events into the rows of the summary tables (tickets, dossiers, steps, ratings).

Pure: takes events with their corrected time and returns row dictionaries; the store upserts them.
Every row carries ``last_seq`` so that a later upsert only overwrites the state when it comes
from a later event of the same device.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from district.domain.batch import DOSSIER_TYPES, IncomingEvent
from district.domain.timefmt import parse_aware

TICKET_STATE = {
    "ticket.issued": "waiting", "ticket.called": "called", "ticket.recalled": "called",
    "ticket.serving": "serving", "ticket.done": "done", "ticket.no_show": "no_show",
    "ticket.transferred": "waiting",
    # the officer undid V, or G/X that closed a ticket (within seconds): the ticket's state is the one
    # restored, carried by the event (waiting, called or serving; checked in domain.batch)
    "ticket.undone": "",
}
# Dossier states closed without a result (refused, stopped: Mẫu 05, withdrawn by the citizen,
# cancelled by mistake). They count among the resolved dossiers only with the outcome the appliance's
# counting rules gave them (appliance/catalog/counting_rules.toml); without one they leave the tables.
CLOSED_WITHOUT_RESULT = frozenset({"refused", "rejected", "stopped", "withdrawn", "cancelled"})


IT_FAMILIARITY = ("thanh_thao", "co_ban", "chua_biet")
DOCUMENT_MODES = ("submit", "show")
MAX_ITEMS = 100             # fees or documents of one dossier kept for the export


@dataclass
class Folded:
    tickets: dict[int, dict] = field(default_factory=dict)
    dossiers: dict[str, dict] = field(default_factory=dict)
    steps: list[dict] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)
    officers: dict[str, tuple[str, datetime]] = field(default_factory=dict)   # login: (full name, when)
    #: dossiers their appliance purged (``dossier.purged``): code → when; the store deletes their lookup keys
    purged: dict[str, datetime] = field(default_factory=dict)


# The keys below came after the first appliances (#14). An older appliance leaves them out, a newer
# one may send more: each is read when it has the expected shape and ignored otherwise, never refused
# (a refused batch stalls the device's sync for good).

def _text(value: object, max_len: int) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() and len(value) <= max_len else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _amount(value: object) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**53
    return value if ok else None  # type: ignore[return-value]


def _fees(d: dict) -> list[dict] | None:
    """DanhSachLePhi: ``fees`` [{name, amount, exempt_reason}]; from the total ``fee`` alone when an
    appliance sent only that."""
    raw = d.get("fees")
    if isinstance(raw, list):
        out = []
        for item in raw[:MAX_ITEMS]:
            if isinstance(item, dict) and _text(item.get("name"), 300) and _amount(item.get("amount")) is not None:
                out.append({"name": _text(item["name"], 300), "amount": item["amount"],
                            "exempt_reason": _text(item.get("exempt_reason"), 300)})
        return out
    total = _amount(d.get("fee"))
    if total is None:
        return None
    return [{"name": "Lệ phí", "amount": total, "exempt_reason": None}] if total else []


def _documents(d: dict) -> list[dict] | None:
    """TaiLieuNop: ``documents`` [{name, mode (submit | show), required, copies}]."""
    raw = d.get("documents")
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw[:MAX_ITEMS]:
        if isinstance(item, dict) and _text(item.get("name"), 500):
            mode = item.get("mode") if item.get("mode") in DOCUMENT_MODES else "submit"
            out.append({"name": _text(item["name"], 500), "mode": mode,
                        "required": _flag(item.get("required")) is not False})
    return out


def _officer(f: Folded, login: object, name: object, at: datetime) -> None:
    login, name = _text(login, 100), _text(name, 200)
    if login and name:
        f.officers[login] = (name, at)


def _shift(value: object, delta: timedelta) -> datetime | None:
    parsed = parse_aware(value)
    return parsed + delta if parsed is not None else None


def _ticket(f: Folded, device_id: str, e: IncomingEvent, at: datetime, delta: timedelta, tz: tzinfo) -> None:
    t = e.payload["ticket"]
    row = f.tickets.setdefault(t["id"], {"device_id": device_id, "ticket_id": t["id"], "called_at": None,
                                         "done_at": None, "wait_s": None, "service_s": None, "officer": None})
    issued_at = _shift(t.get("issued_at"), delta) or row.get("issued_at") or (at if e.type == "ticket.issued" else None)
    row.update({
        "number": t.get("number"), "service": e.payload.get("to_service") or t.get("service"),
        "service_name": t.get("service_name"), "priority": bool(t.get("priority", False)),
        "state": TICKET_STATE[e.type] or t["state"], "counter_id": e.payload.get("counter_id", t.get("counter_id")),
        "issued_at": issued_at, "last_seq": e.seq,
        # the office's day of the ticket, from the corrected issue time when known
        "day": issued_at.astimezone(tz).date() if issued_at else at.astimezone(tz).date(),
    })
    # called_at is the time of the ticket's latest call. Each event may only set it, never clear it,
    # so that folding within a batch agrees with the store's "newer non-empty value wins" across
    # batches: a call sets it, a recall keeps the call time (or takes the appliance's own record of it
    # when the call came before the hub's baseline), a transfer leaves it until the next call.
    if e.type == "ticket.called":
        row["called_at"] = at
    elif e.type == "ticket.recalled" and row["called_at"] is None:
        row["called_at"] = _shift(t.get("called_at"), delta)
    if e.type in ("ticket.done", "ticket.no_show"):
        row["done_at"] = at
    if e.type == "ticket.done":
        row["wait_s"] = e.payload.get("wait_s")
        row["service_s"] = e.payload.get("service_s")
        row["officer"] = _text(e.payload.get("officer"), 100)
        _officer(f, e.payload.get("officer"), e.payload.get("officer_name"), at)


HEX64 = re.compile(r"^[0-9a-f]{64}$")


def lookup_keys(doc: Any) -> list[tuple[str, str]]:
    """The public lookup's keys a ``dossier.received`` carries (``lookup``: ``phone_key`` and ``links``,
    hashes the appliance made, appliance.domain.lookup): ``[(kind, hash)]``; anything else is ignored
    (an older appliance sends none: its dossiers are found by their code only)."""
    if not isinstance(doc, dict):
        return []
    out = []
    phone = doc.get("phone_key")
    if isinstance(phone, str) and HEX64.match(phone):
        out.append(("phone", phone))
    links = doc.get("links")
    if isinstance(links, list):
        out += [("link", h) for h in links[:4] if isinstance(h, str) and HEX64.match(h)]
    return out


def _dossier(f: Folded, device_id: str, e: IncomingEvent, at: datetime, delta: timedelta) -> None:
    p = e.payload
    if e.type == "dossier.received":
        d = p["dossier"]
        code = d["code"]
        applicant = d.get("applicant") or {}
        row = f.dossiers.setdefault(code, {"code": code, "device_id": device_id})
        row.update({
            "procedure_code": d["procedure_code"], "procedure_name": d.get("procedure_name"),
            "field_code": d.get("field_code"), "channel": d["channel"],
            "received_at": _shift(d["received_at"], delta),
            "due_at": _shift(d.get("legal_due_at") or d.get("due_at"), delta),
            "target_due_at": _shift(d.get("target_due_at"), delta), "province_code": d.get("province_code"),
            "state": d.get("state") or "received", "return_by_post": bool(d.get("return_by_post", False)),
            "applicant_name": applicant.get("name"), "applicant_id_number": applicant.get("id_number"),
            "applicant_phone": applicant.get("phone"), "last_seq": e.seq,
            "portal_code": _text(d.get("portal_code"), 64), "fee": _amount(d.get("fee")), "fees": _fees(d),
            "documents": _documents(d), "digitised": _flag(d.get("digitised")),
            "it_familiarity": d.get("it_familiarity") if d.get("it_familiarity") in IT_FAMILIARITY else None,
            "vneid_created": _flag(d.get("vneid_created")), "received_by": _text(d.get("received_by"), 100),
            "counter_id": d.get("counter_id") if _amount(d.get("counter_id")) is not None else None,
        })
        row["lookup"] = lookup_keys(d.get("lookup"))
        _officer(f, d.get("received_by"), d.get("received_by_name"), at)
        f.steps.append({"device_id": device_id, "seq": e.seq, "code": code, "at": row["received_at"] or at,
                        "kind": "received", "state": row["state"], "actor": None, "note": None})
        return
    code = p["code"]
    if e.type == "dossier.province_code":  # no step of its own
        row = f.dossiers.setdefault(code, {"code": code, "device_id": device_id})
        row.update({"province_code": p["province_code"], "last_seq": e.seq})
        row.setdefault("state", None)
        return
    if e.type == "dossier.lookup":  # keys of a dossier received before they were sent: no step of its own
        row = f.dossiers.setdefault(code, {"code": code, "device_id": device_id})
        row["lookup"] = [*(row.get("lookup") or []), *lookup_keys(p.get("lookup"))]
        row["last_seq"] = max(row.get("last_seq") or 0, e.seq)
        row.setdefault("state", None)  # unknown here: the store updates the stored row only
        return
    if e.type == "dossier.purged":  # the appliance purged the personal data: no step, no state of its own
        f.purged.setdefault(code, at)
        if code in f.dossiers:       # keys folded earlier in this batch are not stored at all
            f.dossiers[code]["lookup"] = []
        return
    if e.type == "dossier.deadlines":  # recomputed by the appliance (two deadlines): no step of its own
        row = f.dossiers.setdefault(code, {"code": code, "device_id": device_id})
        row.update({"due_at": _shift(p.get("legal_due_at"), delta),
                    "target_due_at": _shift(p.get("target_due_at"), delta),
                    "outcome": p.get("outcome"), "target_met": p.get("target_met"), "last_seq": e.seq})
        row.setdefault("state", None)  # unknown here: the store updates the stored row only
        return
    when = _shift(p["at"], delta) or at
    row = f.dossiers.setdefault(code, {"code": code, "device_id": device_id})
    row["last_seq"] = e.seq
    step = {"device_id": device_id, "seq": e.seq, "code": code, "at": when, "actor": p.get("by"),
            "note": p.get("note")}
    if e.type == "dossier.state":
        row["state"] = p["state"]
        if p["state"] in CLOSED_WITHOUT_RESULT:
            row.update(closed_at=when, outcome=p.get("outcome"))
        if p.get("extended_due_at") or p.get("new_due_at"):
            row["extended_due_at"] = _shift(p.get("extended_due_at") or p.get("new_due_at"), delta)
        if p.get("legal_due_at"):
            row["due_at"] = _shift(p["legal_due_at"], delta)
            row["target_due_at"] = _shift(p.get("target_due_at"), delta)
        step.update(kind="state", state=p["state"])
    elif e.type == "dossier.ready":
        row["state"] = "ready"
        row["ready_at"] = when
        step.update(kind="ready", state="ready")
    else:  # dossier.returned
        row.update(state="returned", returned_at=when, outcome=p["outcome"], returned_by_post=p["by_post"],
                   target_met=p.get("target_met"))
        step.update(kind="returned", state="returned", note=p["outcome"])
    f.steps.append(step)


def _rating(f: Folded, device_id: str, e: IncomingEvent, at: datetime, delta: timedelta, tz: tzinfo) -> None:
    p = e.payload
    when = _shift(p.get("at"), delta) or at
    f.ratings.append({"device_id": device_id, "seq": e.seq, "day": when.astimezone(tz).date(), "at": when,
                      "level": p["level"], "officer": p.get("officer"), "counter_id": p.get("counter_id"),
                      "ticket_id": p.get("ticket_id")})
    _officer(f, p.get("officer"), p.get("officer_name"), at)


def fold(device_id: str, stored: list[tuple[IncomingEvent, datetime]], tz: tzinfo) -> Folded:
    """``stored``: newly stored events in seq order with their corrected time."""
    f = Folded()
    for e, at in stored:
        delta = at - e.wall_time
        if e.type in TICKET_STATE:
            _ticket(f, device_id, e, at, delta, tz)
        elif e.type in DOSSIER_TYPES:
            _dossier(f, device_id, e, at, delta)
        elif e.type == "rating.given":
            _rating(f, device_id, e, at, delta, tz)
    return f
