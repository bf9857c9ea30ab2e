"""Validation of one batch pushed by an appliance (docs/events.md, "Batch to the hub").

:func:`validate_batch` takes the decoded JSON document and returns a :class:`Batch`, or raises
:class:`BatchError` naming the first wrong field (``events[3].payload.dossier.code``) with a
Vietnamese message. A batch is refused as a whole (nothing of it stored) only for a problem of the
whole request that the device can fix; an appliance sends its outbox in order and never skips a
row, so refusing a batch for one event it cannot change would stop its sync for good.

An event the hub cannot accept is therefore not refused: a payload holding something no database
stores (a NUL character, NaN, a number beyond 64 bits, nesting deeper than
:data:`~district.domain.storable.MAX_DEPTH`), a payload that fails the checks of its type, or a wrong
envelope field (event_id, type, wall_time, clock_synced, boot_id) comes back as a ``hub.quarantined``
event carrying the reason and an escaped copy (:mod:`district.domain.storable`), which is stored and
acknowledged, so the device's sync goes on past it. Only its ``seq`` must be right.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, overload

from district.domain import storable
from district.domain.errors import BatchError, BatchTooLarge, BatchUnreadable
from district.domain.timefmt import parse_aware, parse_day

TYPE_RE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
DEVICE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
CHANNELS = ("truc_tiep", "truc_tuyen_toan_trinh", "truc_tuyen_mot_phan", "buu_chinh")
OUTCOMES = ("early", "on_time", "late")
RATING_LEVELS = ("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied")
TICKET_TYPES = ("ticket.issued", "ticket.called", "ticket.recalled", "ticket.serving", "ticket.done",
                "ticket.no_show", "ticket.transferred", "ticket.undone")
#: the states a ticket.undone may restore (the officer undid V, or G/X that closed a ticket)
UNDONE_STATES = ("waiting", "called", "serving")
DOSSIER_TYPES = ("dossier.received", "dossier.state", "dossier.ready", "dossier.returned", "dossier.deadlines",
                 "dossier.province_code", "dossier.lookup", "dossier.purged")
MIN_YEAR, MAX_YEAR = 1900, 9000


@dataclass(frozen=True)
class IncomingEvent:
    seq: int
    event_id: str
    type: str
    payload: dict
    wall_time: datetime
    clock_synced: bool
    boot_id: str


@dataclass(frozen=True)
class Batch:
    device_id: str
    sent_at: datetime
    events: tuple[IncomingEvent, ...]
    boot_id: str | None = None        # optional: the sender's current boot
    clock_synced: bool | None = None  # optional: whether the sender's clock is synced now
    backlog: int | None = None        # optional: outbox rows still waiting after this batch


class _Check:
    """Small helpers that raise BatchError with the field path."""

    def __init__(self, where: str):
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    @overload
    def obj(self, doc: dict, key: str, required: Literal[True] = ...) -> dict: ...
    @overload
    def obj(self, doc: dict, key: str, required: bool) -> dict | None: ...
    def obj(self, doc: dict, key: str, required: bool = True) -> dict | None:
        value = doc.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            raise BatchError("invalid_field", "phải là một đối tượng JSON {…}", self.at(key))
        return value

    @overload
    def text(self, doc: dict, key: str, required: Literal[True] = ..., max_len: int = ...) -> str: ...
    @overload
    def text(self, doc: dict, key: str, required: bool, max_len: int = ...) -> str | None: ...
    def text(self, doc: dict, key: str, required: bool = True, max_len: int = 300) -> str | None:
        value = doc.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise BatchError("invalid_field", "phải là chuỗi ký tự, không để trống", self.at(key))
        if len(value) > max_len:
            raise BatchError("invalid_field", f"dài quá {max_len} ký tự", self.at(key))
        why = storable.text_problem(value)
        if why:
            raise BatchError("invalid_field", why, self.at(key))
        return value

    @overload
    def integer(self, doc: dict, key: str, required: Literal[True] = ..., minimum: int | None = ...) -> int: ...
    @overload
    def integer(self, doc: dict, key: str, required: bool, minimum: int | None = ...) -> int | None: ...
    def integer(self, doc: dict, key: str, required: bool = True, minimum: int | None = None) -> int | None:
        value = doc.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise BatchError("invalid_field", "phải là số nguyên", self.at(key))
        if minimum is not None and value < minimum:
            raise BatchError("invalid_field", f"phải từ {minimum} trở lên", self.at(key))
        if abs(value) > 2**62:
            raise BatchError("invalid_field", "số quá lớn", self.at(key))
        return value

    def number(self, doc: dict, key: str) -> float | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise BatchError("invalid_field", "phải là số không âm (giây)", self.at(key))
        return float(value)

    @overload
    def boolean(self, doc: dict, key: str, required: Literal[True] = ...) -> bool: ...
    @overload
    def boolean(self, doc: dict, key: str, required: bool) -> bool | None: ...
    def boolean(self, doc: dict, key: str, required: bool = True) -> bool | None:
        value = doc.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, bool):
            raise BatchError("invalid_field", "phải là true hoặc false", self.at(key))
        return value

    @overload
    def time(self, doc: dict, key: str, required: Literal[True] = ...) -> datetime: ...
    @overload
    def time(self, doc: dict, key: str, required: bool) -> datetime | None: ...
    def time(self, doc: dict, key: str, required: bool = True) -> datetime | None:
        value = doc.get(key)
        if value is None and not required:
            return None
        parsed = parse_aware(value)
        if parsed is None:
            raise BatchError("invalid_time", "phải là thời điểm ISO 8601 có múi giờ, "
                             "ví dụ 2026-11-23T08:01:02+07:00", self.at(key))
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            # an unsynced Pi may say 1970; beyond these years the clock correction would overflow
            raise BatchError("invalid_time", f"năm phải từ {MIN_YEAR} đến {MAX_YEAR}", self.at(key))
        return parsed

    def choice(self, doc: dict, key: str, allowed: tuple[str, ...]) -> str:
        value = doc.get(key)
        if value not in allowed:
            raise BatchError("invalid_field", "chỉ nhận một trong: " + ", ".join(allowed), self.at(key))
        return value


def _check_ticket(c: _Check, payload: dict, kind: str) -> None:
    ticket = c.obj(payload, "ticket")
    t = _Check(c.at("ticket"))
    t.integer(ticket, "id", minimum=0)
    t.text(ticket, "number", max_len=16)
    if parse_day(ticket.get("day")) is None:
        raise BatchError("invalid_field", "phải là ngày dạng YYYY-MM-DD", t.at("day"))
    t.time(ticket, "issued_at", required=False)
    t.integer(ticket, "counter_id", required=False)
    t.text(ticket, "service", required=False, max_len=32)
    if kind != "ticket.issued" and kind != "ticket.transferred":
        c.integer(payload, "counter_id", required=False)
    if kind == "ticket.done":
        c.number(payload, "wait_s")
        c.number(payload, "service_s")
    if kind == "ticket.transferred":
        c.text(payload, "to_service", max_len=32)
    if kind == "ticket.undone":
        t.choice(ticket, "state", UNDONE_STATES)


def _check_dossier(c: _Check, payload: dict, kind: str) -> None:
    if kind == "dossier.received":
        dossier = c.obj(payload, "dossier")
        d = _Check(c.at("dossier"))
        d.text(dossier, "code", max_len=64)
        d.text(dossier, "procedure_code", max_len=32)
        d.text(dossier, "procedure_name", required=False)
        d.text(dossier, "field_code", required=False, max_len=32)
        d.choice(dossier, "channel", CHANNELS)
        d.time(dossier, "received_at")
        d.time(dossier, "due_at", required=False)
        d.time(dossier, "legal_due_at", required=False)
        d.time(dossier, "target_due_at", required=False)
        d.text(dossier, "province_code", required=False, max_len=64)
        d.text(dossier, "state", required=False, max_len=32)
        d.boolean(dossier, "return_by_post", required=False)
        applicant = d.obj(dossier, "applicant", required=False)
        if applicant is not None:
            a = _Check(d.at("applicant"))
            a.text(applicant, "name", required=False, max_len=200)
            a.text(applicant, "id_number", required=False, max_len=32)
            a.text(applicant, "phone", required=False, max_len=32)
        return
    c.text(payload, "code", max_len=64)
    if kind == "dossier.province_code":  # the code the province's one-stop system issued
        c.text(payload, "province_code", max_len=64)
        return
    if kind == "dossier.lookup":  # the lookup keys of a dossier received before they were sent
        c.obj(payload, "lookup")
        return
    if kind == "dossier.purged":  # the appliance purged the dossier's personal data: the code only
        return
    if kind == "dossier.deadlines":  # recomputed by the appliance: no time of its own
        c.time(payload, "legal_due_at", required=False)
        c.time(payload, "target_due_at", required=False)
        if payload.get("outcome") is not None:
            c.choice(payload, "outcome", OUTCOMES)
        c.boolean(payload, "target_met", required=False)
        return
    c.time(payload, "at")
    if kind == "dossier.state":
        c.text(payload, "state", max_len=32)
        c.text(payload, "by", required=False, max_len=100)
        c.text(payload, "note", required=False, max_len=2000)
        if payload.get("outcome") is not None:
            c.choice(payload, "outcome", OUTCOMES)
        c.time(payload, "extended_due_at", required=False)
    elif kind == "dossier.returned":
        c.choice(payload, "outcome", OUTCOMES)
        c.boolean(payload, "by_post")
        c.boolean(payload, "target_met", required=False)


def _check_rating(c: _Check, payload: dict) -> None:
    c.choice(payload, "level", RATING_LEVELS)
    c.text(payload, "officer", required=False, max_len=100)
    c.integer(payload, "counter_id", required=False)
    c.integer(payload, "ticket_id", required=False)
    c.time(payload, "at", required=False)


def check_payload(kind: str, payload: dict, where: str) -> None:
    """Check the payload of a type the hub summarises; other well-formed types are stored as is."""
    c = _Check(where)
    if kind in TICKET_TYPES:
        _check_ticket(c, payload, kind)
    elif kind in DOSSIER_TYPES:
        _check_dossier(c, payload, kind)
    elif kind == "rating.given":
        _check_rating(c, payload)


def _event(doc: Any, i: int, device_id: str, sent_at: datetime, boot_default: str | None,
           synced_default: bool | None) -> IncomingEvent:
    """One event of the batch. Only its ``seq`` must be right (the device must be able to tell which
    of its rows the hub holds): a wrong envelope field or payload otherwise quarantines the event, kept
    with the reason and acknowledged (see the module's docstring)."""
    where = f"events[{i}]"
    if not isinstance(doc, dict):
        raise BatchError("invalid_field", "mỗi sự kiện phải là một đối tượng JSON {…}", where)
    c = _Check(where)
    seq = c.integer(doc, "seq", minimum=1)
    try:
        return _checked_event(c, doc, seq)
    except BatchError as exc:
        return _quarantined_event(doc, seq, device_id, f"{exc.field}: {exc.message}", sent_at,
                                  boot_default, synced_default)


def _checked_event(c: _Check, doc: dict, seq: int) -> IncomingEvent:
    event_id = c.text(doc, "event_id", max_len=36)
    try:
        uuid.UUID(event_id)
    except ValueError:
        raise BatchError("invalid_field", "phải là UUID", c.at("event_id")) from None
    kind = c.text(doc, "type", max_len=64)
    if not TYPE_RE.match(kind):
        raise BatchError("invalid_field", "loại sự kiện dạng 'nhom.viec', ví dụ ticket.issued", c.at("type"))
    payload = c.obj(doc, "payload")
    wall_time = c.time(doc, "wall_time")
    clock_synced = c.boolean(doc, "clock_synced")
    boot_id = c.text(doc, "boot_id", max_len=64)
    why = storable.problem(payload)
    if why:
        payload, kind = storable.quarantined_payload(kind, why, payload), storable.QUARANTINED
    else:
        check_payload(kind, payload, c.at("payload"))
    return IncomingEvent(seq, event_id.lower(), kind, payload, wall_time, clock_synced, boot_id)


def _quarantined_event(doc: dict, seq: int, device_id: str, reason: str, sent_at: datetime,
                       boot_default: str | None, synced_default: bool | None) -> IncomingEvent:
    """``doc`` kept as a ``hub.quarantined`` event: what of its envelope is right is used, the rest
    comes from the batch (its id is derived from device and seq, so a batch sent again is stored once)."""
    c = _Check("")

    def usable(read):
        try:
            return read()
        except BatchError:
            return None

    event_id = usable(lambda: c.text(doc, "event_id", max_len=36))
    try:
        event_id = str(uuid.UUID(event_id)) if event_id else None
    except ValueError:
        event_id = None
    if event_id is None:
        event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"motcua-hub:quarantined:{device_id}:{seq}"))
    kind = usable(lambda: c.text(doc, "type", max_len=64))
    wall_time = usable(lambda: c.time(doc, "wall_time")) or sent_at
    clock_synced = usable(lambda: c.boolean(doc, "clock_synced"))
    boot_id = usable(lambda: c.text(doc, "boot_id", max_len=64))
    if clock_synced is None:
        clock_synced = synced_default if synced_default is not None else True
    if boot_id is None:
        boot_id = boot_default or "unknown"
    payload = storable.quarantined_payload(kind or "?", _safe(reason), doc.get("payload"))
    return IncomingEvent(seq, event_id, storable.QUARANTINED, payload, wall_time, clock_synced, boot_id)


def _safe(text: str) -> str:
    """``text`` as it is when a database stores it, else its escaped copy."""
    return text if storable.text_problem(text) is None else storable.escaped_copy(text)[1:-1]


def _optional(read, default=None):
    """An optional field of the batch's head: a wrong one is ignored (it only informs), never refused."""
    try:
        return read()
    except BatchError:
        return default


def validate_batch(doc: Any, device_id: str, max_events: int = 500,
                   received_at: datetime | None = None) -> Batch:
    """The batch, or :class:`BatchError` for a problem of the *whole request* that the device can fix
    (not a JSON object, another device's id, no list of events, too many, a wrong or repeated ``seq``).
    A wrong ``sent_at`` falls back to ``received_at`` when given; a wrong optional field of the head is
    ignored; an event that cannot be accepted is quarantined (:func:`_event`)."""
    if not isinstance(doc, dict):
        raise BatchUnreadable("malformed", "nội dung phải là một đối tượng JSON {…}", None)
    c = _Check("")
    if doc.get("device_id") != device_id:
        raise BatchError("device_mismatch", f"mã thiết bị trong nội dung phải trùng với đường dẫn ({device_id})",
                         "device_id")
    if received_at is None:
        sent_at = c.time(doc, "sent_at")
    else:
        sent_at = _optional(lambda: c.time(doc, "sent_at"), received_at)
    raw_events = doc.get("events")
    if not isinstance(raw_events, list):
        raise BatchError("invalid_field", "phải là danh sách sự kiện […]", "events")
    if len(raw_events) > max_events:
        raise BatchTooLarge("too_many_events", f"mỗi lô tối đa {max_events} sự kiện, lô này có {len(raw_events)}",
                            "events")
    boot_id = _optional(lambda: c.text(doc, "boot_id", required=False, max_len=64))
    clock_synced = _optional(lambda: c.boolean(doc, "clock_synced", required=False))
    backlog = _optional(lambda: c.integer(doc, "backlog", required=False, minimum=0))
    events = tuple(_event(e, i, device_id, sent_at, boot_id, clock_synced) for i, e in enumerate(raw_events))
    seen: set[int] = set()
    for i, e in enumerate(events):
        if e.seq in seen:
            raise BatchError("duplicate_seq", f"số thứ tự {e.seq} lặp lại trong cùng một lô", f"events[{i}].seq")
        seen.add(e.seq)
    return Batch(device_id, sent_at, tuple(sorted(events, key=lambda e: e.seq)), boot_id, clock_synced, backlog)


def quarantine_events(batch: Batch, reasons: dict[int, str]) -> Batch:
    """``batch`` with the events of the seqs in ``reasons`` quarantined, each with its reason."""
    return replace(batch, events=tuple(
        replace(e, type=storable.QUARANTINED, payload=storable.quarantined_payload(
            e.type, _safe(reasons[e.seq]), e.payload)) if e.seq in reasons else e
        for e in batch.events))


def quarantine_all(batch: Batch, reason: str) -> Batch:
    """``batch`` with every event quarantined (the database refused it for a reason not foreseen)."""
    reason = storable.escaped_copy(reason)
    return replace(batch, events=tuple(
        replace(e, type=storable.QUARANTINED, payload=storable.quarantined_payload(e.type, reason, e.payload))
        for e in batch.events))
