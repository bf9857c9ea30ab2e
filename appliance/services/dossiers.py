"""The dossier service: every dossier command is one unit of work (``appliance.services.uow``):
the fact, its timeline row, its audit row and its outbox row in one transaction, its bus events
published after the commit. Pagers go through the pager policy (``appliance.services.pagers``)."""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, overload
from zoneinfo import ZoneInfo

from ..catalog.loader import load_catalog, load_counting_rules
from ..domain import cccd
from ..domain import dossiers as rules
from ..domain.calendar import CalendarError, WorkCalendar
from ..domain.catalog import Catalog, CatalogError, FeeQuote, Procedure, explain_fee
from ..domain.counting import CountingRules, measured_due, target_met
from ..domain.dossiers import (
    DossierConflict,
    DossierError,
    DossierNotFound,
    DossierUnavailable,
    DossierUnprocessable,
    FormInvalid,
)
from ..domain.fields import Message
from ..domain.messages import clean_phone
from ..domain.province_code import agency_problem, is_placeholder_agency, parse_province_code, read_code_csv
from ..events import EventBus
from ..store import dossier_store as store
from ..store import outbox as outbox_store
from ..store import queue_store
from ..store.db import Database
from . import messages, pagers, reminders
from .lookup import hub_keys as lookup_keys
from .uow import UnitOfWork, Units

log = logging.getLogger(__name__)

DEADLINE_RULES = "2025-two-deadlines"   # dossiers.deadline_rules of rows computed by this code
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MAX_VALUE_LENGTH = 2000


@dataclass(frozen=True)
class DraftResult:
    draft_id: str
    values: dict[str, Any]
    errors: dict[str, Message]
    warnings: dict[str, Message]
    fee: int
    fee_note: str | None
    due_at: str | None
    saved_at: str
    target_due_at: str | None = None

    def as_json(self, lang: str = "vi") -> dict[str, Any]:
        return {"draft_id": self.draft_id, "values": self.values,
                "errors": {k: v.text(lang) for k, v in self.errors.items()},
                "warnings": {k: v.text(lang) for k, v in self.warnings.items()},
                "fee": self.fee, "fee_note": self.fee_note, "due_at": self.due_at, "legal_due_at": self.due_at,
                "target_due_at": self.target_due_at, "saved_at": self.saved_at}


def protect_file(path: Path) -> None:
    """The database holds personal data: readable by the service user only (0600)."""
    if str(path) == ":memory:":
        return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.exists() and (p.stat().st_mode & 0o077):
                os.chmod(p, 0o600)
        except OSError as exc:  # not ours to fix here; reported by the health page
            log.warning("cannot restrict %s: %s", p, exc)


@functools.lru_cache(maxsize=1)
def _builtin_catalog() -> Catalog:
    return load_catalog()


@functools.lru_cache(maxsize=1)
def _builtin_counting_rules() -> CountingRules:
    return load_counting_rules()


def _dossier_by_id(conn: sqlite3.Connection, dossier_id: int) -> sqlite3.Row:
    row = store.get_dossier_by_id(conn, dossier_id)
    if row is None:
        raise DossierNotFound("unknown_dossier", "code", dossier=dossier_id)
    return row


def _provider(value: Any) -> Callable[[], Any]:
    return value if callable(value) else (lambda: value)


class DossierService:
    """``settings``, ``tz``, ``catalog`` and ``calendar`` are values or zero-argument callables
    (the runtime passes callables so that edited settings and a catalog pushed by the hub apply
    at once; dossiers keep the catalog version they were received under)."""

    def __init__(self, db: Database, bus: EventBus, settings: Any, tz: Any, clock: Callable[[], float],
                 clock_synced: Callable[[], bool] | None = None, catalog: Any = None, calendar: Any = None,
                 counting_rules: Any = None, units: Units | None = None):
        from ..clock import clock_synced as default_synced
        self.db = db
        self.bus = bus
        self.units = units or Units(db, bus, clock, clock_synced or default_synced)
        self._settings = _provider(settings)
        self._tz = _provider(tz)
        self.clock = clock
        self.clock_synced = clock_synced or default_synced
        self._catalog = _provider(catalog) if catalog is not None else _builtin_catalog
        self._calendar = _provider(calendar) if calendar is not None else None
        self._counting = _provider(counting_rules) if counting_rules is not None else _builtin_counting_rules
        self._calendar_cache: tuple[Any, WorkCalendar] | None = None
        self._lock = threading.Lock()
        protect_file(Path(db.path))

    # --- reference data ----------------------------------------------------------------------

    @property
    def settings(self) -> Any:
        return self._settings()

    @property
    def tz(self) -> ZoneInfo:
        zone: ZoneInfo = self._tz()
        return zone

    @property
    def catalog(self) -> Catalog:
        try:
            return self._catalog()
        except CatalogError as exc:
            raise DossierUnavailable("catalog_unavailable", None, detail=str(exc)) from None

    def set_catalog(self, catalog: Catalog) -> None:
        """Use this catalog from now on (tests, tools); dossiers keep the version they had."""
        self._catalog = _provider(catalog)
        self._calendar_cache = None

    @property
    def calendar(self) -> WorkCalendar:
        """The working calendar; rebuilt only when the settings or the catalog (holidays) change."""
        settings, catalog = self.settings, self.catalog
        key = (id(settings), id(catalog))
        cached = self._calendar_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            calendar = (self._calendar() if self._calendar is not None
                        else WorkCalendar.from_settings(settings.office, holidays=catalog.holidays))
        except CalendarError as exc:
            raise DossierUnavailable("invalid", None, detail=str(exc)) from None
        with self._lock:
            self._calendar_cache = (key, calendar)
        return calendar

    @property
    def counting_rules(self) -> CountingRules:
        """How refused, withdrawn and stopped dossiers count, the clock during a supplement, what an
        extension moves (``appliance/catalog/counting_rules.toml``)."""
        try:
            return self._counting()
        except CatalogError as exc:
            raise DossierUnavailable("catalog_unavailable", None, detail=str(exc)) from None

    def recompute_old_deadlines(self) -> int:
        """Dossiers stored before the two deadlines get their legal due time, target and outcome
        (:mod:`appliance.services.deadline_upgrade`); a catalog or calendar that cannot be used now
        leaves them marked for the next start."""
        from .deadline_upgrade import recompute_deadlines
        try:
            return recompute_deadlines(self.units, self.catalog, self.calendar, self.counting_rules, self.tz,
                                       DEADLINE_RULES)
        except DossierUnavailable as exc:
            log.warning("deadlines of old dossiers not recomputed yet: %s", exc.message())
            return 0

    def procedure(self, code: str) -> Procedure:
        try:
            return self.catalog.get(code)
        except KeyError:
            raise DossierUnprocessable("unknown_procedure", "procedure", procedure=code) from None

    # --- helpers -----------------------------------------------------------------------------

    def _now(self) -> tuple[float, datetime]:
        ts = self.clock()
        return ts, datetime.fromtimestamp(ts, self.tz)

    @overload
    def iso(self, ts: float) -> str: ...
    @overload
    def iso(self, ts: float | None) -> str | None: ...
    def iso(self, ts: float | None) -> str | None:
        return None if ts is None else datetime.fromtimestamp(ts, self.tz).isoformat(timespec="seconds")

    @staticmethod
    def _fact(tx: UnitOfWork, dossier_id: int, type: str, payload: dict[str, Any],
              local: dict[str, Any] | None = None) -> None:
        """A fact for the hub about one dossier: emitted, and its outbox seq remembered (the
        dossier is synced once the hub acknowledges it)."""
        seq = tx.emit(type, payload, local=local)
        assert seq is not None, f"{type} is a hub fact"
        store.set_last_outbox_seq(tx.conn, dossier_id, seq)

    @staticmethod
    def _check_draft_id(draft_id: str) -> str:
        draft_id = str(draft_id).lower()
        if not UUID4.match(draft_id):
            raise DossierError("bad_draft_id", "draft_id")
        return draft_id

    # --- drafts ------------------------------------------------------------------------------

    def _typed_values(self, procedure: Procedure, values: Any) -> dict[str, Any]:
        if values is None:
            return {}
        if not isinstance(values, Mapping):
            raise FormInvalid({"values": Message(
                "Các giá trị của biểu mẫu phải là một đối tượng {tên_trường: giá_trị}.",
                "The form values must be an object {field: value}.", "values")})
        known = {f.name for f in procedure.fields}
        out, errors = {}, {}
        for name, value in values.items():
            if name not in known:
                continue  # a field of another procedure (the officer switched forms): not kept
            if value is not None and not isinstance(value, (str, int, float, bool)):
                errors[name] = Message("Giá trị phải là chữ, số hoặc có/không.", "A value is text, a number or yes/no.",
                                       name)
            elif isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
                errors[name] = Message(f"Dài quá {MAX_VALUE_LENGTH} ký tự.",
                                       f"Longer than {MAX_VALUE_LENGTH} characters.", name)
            else:
                out[name] = value
        if errors:
            raise FormInvalid(errors)
        return out

    def save_draft(self, draft_id: str, *, procedure: str, values: Any, counter_id: int | None = None,
                   focus: str | None = None, user: str | None = None) -> DraftResult:
        """Autosave (every call is kept, errors or not) and the field checks for the form."""
        draft_id = self._check_draft_id(draft_id)
        proc = self.procedure(procedure)
        typed = self._typed_values(proc, values)
        if focus is not None and focus not in {f.name for f in proc.fields}:
            focus = None
        ts, now = self._now()
        clean, errors, warnings = self.catalog.validate(proc.code, typed, today=now.date())
        quote = explain_fee(proc, clean, now.date())
        due, target = self._due(proc, now), self._target(proc, now)
        with self.units(ts) as tx:
            conn = tx.conn
            existing = store.get_draft(conn, draft_id)
            if existing is not None and existing["dossier_id"] is not None:
                row = _dossier_by_id(conn, existing["dossier_id"])
                raise DossierConflict("draft_submitted", "draft_id", dossier=row["code"])
            if counter_id is not None and not store.counter_exists(conn, counter_id):
                raise DossierNotFound("unknown_counter", "counter_id", counter=counter_id)
            created = store.save_draft(conn, draft_id, counter_id, proc.code, typed, focus, user, ts)
            if created:
                tx.audit(user, "draft.create", f"draft:{draft_id}", f"thủ tục {proc.code}; quầy {counter_id}")
            changed = {"counter_id": counter_id, "draft_id": draft_id, "procedure": proc.code, "values": typed,
                       "focus": focus}
            number = self._ticket_number(conn, existing["ticket_id"] if existing is not None else None)
            if number:
                changed["ticket_number"] = number    # the mirror shows the citizen's own number
            tx.emit("draft.changed", changed)
        return DraftResult(draft_id, clean, errors, warnings, quote.amount, quote.exempt_reason,
                           self.iso(due.timestamp()) if due else None, self.iso(ts),
                           self.iso(target.timestamp()) if target else None)

    def _due(self, proc: Procedure, received: datetime) -> datetime | None:
        """The legal due time (Mẫu 01, the outcome, the reports)."""
        return self.calendar.legal_due_for_procedure(proc, received)

    def _target(self, proc: Procedure, received: datetime) -> datetime | None:
        """The model day's 2-hour target (the pager, the countdown); None off the model."""
        return self.calendar.target_due_for_procedure(proc, received)

    @staticmethod
    def _ticket_number(conn: sqlite3.Connection, ticket_id: int | None) -> str | None:
        if ticket_id is None:
            return None
        ticket = store.ticket_label(conn, ticket_id)
        return ticket["number"] if ticket is not None else None

    def _draft_json(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        code = None
        if row["dossier_id"] is not None:
            code = _dossier_by_id(conn, row["dossier_id"])["code"]
        return {"draft_id": row["id"], "counter_id": row["counter_id"], "procedure": row["procedure"],
                "values": json.loads(row["values_json"]), "focus": row["focus"],
                "updated_at": self.iso(row["updated_ts"]), "dossier_code": code, "ticket_id": row["ticket_id"],
                "ticket_number": self._ticket_number(conn, row["ticket_id"])}

    def get_draft(self, draft_id: str) -> dict[str, Any]:
        draft_id = self._check_draft_id(draft_id)
        with self.db.read() as conn:
            row = store.get_draft(conn, draft_id)
            if row is None:
                raise DossierNotFound("unknown_draft", "draft_id", draft=draft_id)
            return self._draft_json(conn, row)

    def counter_draft(self, counter_id: int) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = store.counter_draft(conn, counter_id)
            return self._draft_json(conn, row) if row else None

    def start_for_ticket(self, counter_id: int, ticket_id: int, procedure: str,
                         user: str | None = None) -> dict[str, Any]:
        """"Nhập hồ sơ cho số này": an empty draft of ``procedure`` bound to the ticket being called
        or served at ``counter_id`` and to that counter, published at once (``draft.changed``) so
        the counter's citizen mirror shows the form before the first keystroke. Pressing it again
        for the same ticket and procedure resumes the draft not yet submitted."""
        proc = self.procedure(procedure)
        ts, _now = self._now()
        with self.units(ts) as tx:
            conn = tx.conn
            ticket = store.ticket_label(conn, ticket_id)
            if ticket is None:
                raise DossierNotFound("unknown_ticket", "ticket", ticket=ticket_id)
            if ticket["counter_id"] != counter_id or ticket["state"] not in ("called", "serving"):
                raise DossierConflict("ticket_not_here", "ticket", number=ticket["number"], counter=counter_id,
                                      state=ticket["state"])
            row = store.open_ticket_draft(conn, ticket_id, proc.code)
            if row is None:
                draft_id = str(uuid.uuid4())
                store.start_ticket_draft(conn, draft_id, counter_id, ticket_id, proc.code, user, ts)
                tx.audit(user, "draft.create", f"draft:{draft_id}",
                         f"thủ tục {proc.code}; quầy {counter_id}; số {ticket['number']}")
                values: dict[str, Any] = {}
                focus = None
            else:
                draft_id = row["id"]
                store.save_draft(conn, draft_id, counter_id, proc.code, json.loads(row["values_json"]), row["focus"],
                                 user, ts)
                values, focus = json.loads(row["values_json"]), row["focus"]
            tx.emit("draft.changed", {"counter_id": counter_id, "draft_id": draft_id, "procedure": proc.code,
                                      "values": values, "focus": focus, "ticket_number": ticket["number"]})
        return {"draft_id": draft_id, "counter_id": counter_id, "procedure": proc.code, "ticket_id": ticket_id,
                "ticket_number": ticket["number"], "resumed": row is not None}

    def ticket_work(self, ticket_id: int) -> dict[str, Any]:
        """The dossiers received for a ticket and its drafts not yet submitted (the console)."""
        with self.db.read() as conn:
            dossiers, drafts = store.ticket_work(conn, ticket_id)
            return {"dossiers": [dict(r) for r in dossiers], "drafts": [
                {"draft_id": r["id"], "procedure": r["procedure"], "counter_id": r["counter_id"],
                 "updated_at": self.iso(r["updated_ts"])} for r in drafts]}

    def read_card(self, scan: Any, procedure: str | None = None, lang: str = "vi") -> dict[str, Any]:
        """The fields of a citizen's card from its QR text (a USB scanner typing it), and, given a
        procedure, the form values it gives each person of that form. Stores nothing, logs
        nothing: the scan is read and forgotten (:mod:`appliance.domain.cccd`)."""
        if not isinstance(scan, str):
            raise DossierError("bad_query", "scan", name="scan", detail="phải là chuỗi ký tự máy quét đọc được")
        _ts, now = self._now()
        card = cccd.read_card(scan, now.date())
        if isinstance(card, cccd.Unrecognised):
            raise DossierUnprocessable("card_unrecognised", "scan", detail=card.reason)
        out: dict[str, Any] = {"card": card.as_json(lang), "targets": []}
        if procedure:
            proc = self.procedure(procedure)
            names = frozenset(f.name for f in proc.fields)
            sections = [((s.title_en or s.title) if lang == "en" else s.title, [f.name for f in s.fields])
                        for s in proc.sections]
            out["targets"] = [{"prefix": t["prefix"], "title": t["title"],
                               "values": cccd.card_values(card, t["prefix"], names)}
                              for t in cccd.card_targets(sections)]
        return out

    # --- submission --------------------------------------------------------------------------

    def submit(self, draft_id: str, data: Mapping[str, Any] | None = None,
               user: str | None = None) -> tuple[dict[str, Any], bool]:
        """The draft becomes a dossier. Returns (dossier JSON, created); a repeated submit of the
        same draft returns the same dossier with ``created=False``."""
        draft_id = self._check_draft_id(draft_id)
        data = dict(data or {})
        ts, now = self._now()
        with self.units(ts) as tx:
            conn = tx.conn
            draft = store.get_draft(conn, draft_id)
            if draft is None:
                raise DossierNotFound("unknown_draft", "draft_id", draft=draft_id)
            if draft["dossier_id"] is not None:
                row = _dossier_by_id(conn, draft["dossier_id"])
                tx.audit(user, "dossier.submit_repeat", f"dossier:{row['code']}", f"bản nháp {draft_id}")
                return self._dossier_json(conn, row, full=True), False
            proc = self.procedure(draft["procedure"])
            typed = json.loads(draft["values_json"])
            clean, errors, warnings = self.catalog.validate(proc.code, typed, today=now.date())
            options, option_errors = rules.check_submission(data)
            errors = {**errors, **option_errors}
            if options.sms_opt_in and clean_phone(rules.applicant_of(proc, clean).phone) is None:
                errors.setdefault("sms_opt_in", Message(
                    "Nhắn tin khi có kết quả: cần số điện thoại di động của người nộp hồ sơ "
                    "(số bàn không nhận được tin nhắn).",
                    "Text when the result is ready: the applicant's mobile number is needed "
                    "(a landline cannot receive a text).", "sms_opt_in"))
            if data.get("ticket_id") is None and draft["ticket_id"] is not None:
                data["ticket_id"] = draft["ticket_id"]     # started from the console for this ticket
            ticket = self._submission_ticket(conn, data, errors)
            pager = data.get("pager")
            if pager is not None and pager != "auto" and (isinstance(pager, bool) or not isinstance(pager, int)):
                errors["pager"] = Message("Thẻ rung là số nguyên dương hoặc 'auto' (thẻ trống đầu tiên).",
                                          "A pager is a positive integer or 'auto'.", "pager")
            if options.province_code and store.dossier_with_province_code(conn, options.province_code):
                errors["province_code"] = self._province_code_taken(conn, options.province_code)
            if errors:
                raise FormInvalid(errors, warnings)
            self._check_code_space()
            day = now.date()
            seq = store.next_day_seq(conn, day.isoformat())
            code = rules.format_code(self.settings.office.agency_code, day, seq)
            number = None
            claimed = False
            ticket_id = ticket["id"] if ticket else None
            if ticket is not None and ticket["pager"]:
                number = ticket["pager"]
                pagers.link_dossier(tx, number, code)
            elif pager is not None:
                # "auto": the pager that follows the dossier's number, else any free one, else none:
                # the dossier is received all the same and its result called on the hall display
                number = pagers.choose_for_dossier(tx, pager, self.settings.queue.pager_pool, seq)
                if number is not None:
                    pagers.take(tx, number, ticket_id=ticket_id, dossier_code=code)
                    if ticket_id is not None:
                        queue_store.queries(tx).update_ticket(ticket_id, pager=number)
                claimed = number is not None
            due, target = self._due(proc, now), self._target(proc, now)
            applicant = rules.applicant_of(proc, clean)
            quote = explain_fee(proc, clean, day)
            dossier_id = store.insert_dossier(
                conn, code=code, day=day.isoformat(), day_seq=int(code.rsplit("-", 1)[1]), procedure=proc.code,
                procedure_name=proc.name, field_code=proc.field_of_work, catalog_version=self.catalog.version,
                state="received", channel=options.channel, portal_code=options.portal_code,
                province_code=options.province_code,
                counter_id=draft["counter_id"], ticket_id=ticket["id"] if ticket else None, pager=number,
                received_by=user, received_ts=ts, due_ts=due.timestamp() if due else None,
                target_due_ts=target.timestamp() if target else None, deadline_rules=DEADLINE_RULES, fee=quote.amount,
                return_by_post=int(options.return_by_post), post_address=options.post_address,
                it_familiarity=options.it_familiarity, vneid_created=int(options.vneid_created),
                sms_opt_in=int(options.sms_opt_in),
                digitised=int(options.digitised),
                applicant_name=applicant.name, applicant_phone=applicant.phone, applicant_id=applicant.id_number,
                values_json=json.dumps(clean, ensure_ascii=False, separators=(",", ":")),
                clock_synced=int(tx.clock_synced))
            store.index_dossier(conn, dossier_id, code, *rules.search_text(proc, clean))
            store.add_event(conn, dossier_id, ts, "received", "received", user,
                            giver="Người nộp hồ sơ", receiver=self._officer(user), note=None)
            store.mark_draft_submitted(conn, draft_id, dossier_id, ts)
            tx.audit(user, "dossier.create", f"dossier:{code}",
                     f"thủ tục {proc.code}; kênh {options.channel}; bản nháp {draft_id}"
                     + ("; hết thẻ rung trống: gọi trên màn hình sảnh" if pager == "auto" and number is None else ""))
            row = _dossier_by_id(conn, dossier_id)
            # the keys the hub's public page looks up by (phone + last 4 digits, QR links), hashed
            lookup = lookup_keys(conn, code, ticket_id, applicant.phone, applicant.id_number)
            self._fact(tx, dossier_id, "dossier.received", {"dossier": {**self._hub_json(
                row, proc, quote, queue_store.queries(tx).officer_name(user)), "lookup": lookup}})
            if claimed:
                tx.emit("pager.assigned", {"pager": number, "ticket_id": ticket_id, "dossier_code": code})
            tx.emit("draft.submitted", {"counter_id": draft["counter_id"], "draft_id": draft_id, "code": code})
            result = self._dossier_json(conn, _dossier_by_id(conn, dossier_id), full=True)
        return result, True

    def _submission_ticket(self, conn: sqlite3.Connection, data: Mapping[str, Any],
                           errors: dict[str, Message]) -> sqlite3.Row | None:
        ticket_id = data.get("ticket_id")
        if ticket_id is None:
            return None
        if isinstance(ticket_id, bool) or not isinstance(ticket_id, int):
            errors["ticket_id"] = Message("Mã số thứ tự phải là số nguyên.", "The ticket id is an integer.",
                                          "ticket_id")
            return None
        row = store.ticket(conn, ticket_id)
        if row is None:
            errors["ticket_id"] = Message(f"Không có số thứ tự mã {ticket_id}.", f"Unknown ticket {ticket_id}.",
                                          "ticket_id")
        return row

    def _check_code_space(self) -> None:
        """A delegated code space mints official codes: never from the placeholder agency code."""
        office = self.settings.office
        if getattr(office, "code_space", "local") == "delegated" and is_placeholder_agency(office.agency_code):
            problem = agency_problem(office.agency_code)
            raise DossierUnavailable("invalid", "agency_code", detail=(str(problem), problem.en if problem else ""))

    @staticmethod
    def _province_code_taken(conn: sqlite3.Connection, province_code: str) -> Message:
        found = store.dossier_with_province_code(conn, province_code)
        other = {"code": found["code"] if found is not None else "?"}
        return Message(f"Mã hồ sơ của tỉnh {province_code} đã gắn với hồ sơ {other['code']}.",
                       f"The province's code {province_code} already belongs to dossier {other['code']}.",
                       "province_code")

    def code_view(self, row: sqlite3.Row) -> dict[str, Any]:
        """What a form prints as the dossier's code: the province's code when known; else the
        appliance's number, marked local unless the province delegated the code space."""
        delegated = getattr(self.settings.office, "code_space", "local") == "delegated"
        if row["province_code"]:
            return {"print_code": row["province_code"], "print_code_label": "Mã hồ sơ", "code_is_local": False}
        if delegated:
            return {"print_code": row["code"], "print_code_label": "Mã hồ sơ", "code_is_local": False}
        return {"print_code": row["code"], "print_code_label": "Số hồ sơ nội bộ (chưa có mã hồ sơ của tỉnh)",
                "code_is_local": True}

    def set_province_code(self, code: str, value: Any, user: str | None = None, lang: str = "vi") -> dict[str, Any]:
        """Record the code the province's one-stop system issued for this dossier (typed, scanned
        from its barcode or imported). Checked, unique, audited, sent to the hub."""
        parsed, problem = parse_province_code(value)
        if problem is not None:
            raise FormInvalid({"province_code": problem})
        assert parsed is not None, "parse_province_code gives a code or a problem"
        ts, _now = self._now()
        with self.units(ts) as tx:
            conn = tx.conn
            row = store.get_dossier(conn, code)
            if row is None:
                raise DossierNotFound("unknown_dossier", "code", dossier=code)
            other = store.dossier_with_province_code(conn, parsed.code)
            if other is not None and other["id"] != row["id"]:
                raise FormInvalid({"province_code": self._province_code_taken(conn, parsed.code)})
            if row["province_code"] != parsed.code:
                store.update_dossier(conn, row["id"], province_code=parsed.code)
                tx.audit(user, "dossier.province_code", f"dossier:{code}",
                         f"{row['province_code'] or 'chưa có'} → {parsed.code}")
                self._fact(tx, row["id"], "dossier.province_code", {"code": code, "province_code": parsed.code})
            result = self._dossier_json(conn, _dossier_by_id(conn, row["id"]), full=True, lang=lang, now=ts)
        return result

    def import_province_codes(self, text: str, user: str | None = None) -> tuple[int, list[str]]:
        """Apply a CSV file of (appliance number, province code) pairs: returns how many dossiers got
        their code and one Vietnamese line per problem (a bad line never stops the others)."""
        lines, problems = read_code_csv(text)
        done = 0
        for item in lines:
            try:
                self.set_province_code(item.local, item.province, user=user)
            except FormInvalid as exc:
                problems.append(f"Dòng {item.line}: {next(iter(exc.errors.values()))}")
            except DossierNotFound:
                problems.append(f"Dòng {item.line}: không có hồ sơ số {item.local} trên thiết bị này.")
            else:
                done += 1
        return done, problems

    @staticmethod
    def _ask_rating(conn: sqlite3.Connection, tx: UnitOfWork, row: sqlite3.Row, code: str,
                    user: str | None) -> None:
        """The result handed over at the counter: that counter's citizen screen asks for a rating
        (#18). The counter is where the officer is serving a ticket now, else where the dossier was
        received; the rating is the officer's, for this dossier (and that ticket)."""
        ticket = conn.execute(
            "SELECT id, counter_id FROM tickets WHERE user_login = ? AND state IN ('called', 'serving') "
            "AND counter_id IS NOT NULL ORDER BY called_ts DESC LIMIT 1", (user,)).fetchone() if user else None
        counter_id = ticket["counter_id"] if ticket else row["counter_id"]
        if counter_id is None:
            return
        name = conn.execute("SELECT full_name FROM users WHERE login = ?", (user,)).fetchone() if user else None
        tx.emit("rating.requested", {"counter_id": counter_id, "ticket_id": ticket["id"] if ticket else None,
                                     "dossier_code": code, "officer": user,
                                     "officer_name": (name["full_name"] or None) if name else None})

    @staticmethod
    def _officer(user: str | None) -> str:
        return f"Bộ phận Một cửa ({user})" if user else "Bộ phận Một cửa"

    # --- reading -----------------------------------------------------------------------------

    def _hub_json(self, row: sqlite3.Row, proc: Procedure | None = None,
                  quote: FeeQuote | None = None, received_by_name: str | None = None) -> dict[str, Any]:
        """The dossier as the hub needs it (docs/events.md): with the fee's lines (DanhSachLePhi) and
        the procedure's papers (TaiLieuNop) of the provincial export."""
        fees = None
        if quote is not None:
            fees = [{"name": name, "amount": amount,
                     "exempt_reason": quote.exempt_reason if i == 0 and quote.exempt_reason else None}
                    for i, (name, amount) in enumerate(quote.lines)]
        documents = None
        if proc is not None:
            documents = [{"name": d.name, "mode": d.mode, "required": d.required} for d in proc.documents]
        return {"fees": fees, "documents": documents, "digitised": bool(row["digitised"]),
                "received_by_name": received_by_name,
                "code": row["code"], "procedure_code": row["procedure"], "procedure_name": row["procedure_name"],
                "field_code": row["field_code"], "channel": row["channel"], "portal_code": row["portal_code"],
                "received_at": self.iso(row["received_ts"]), "due_at": self.iso(row["due_ts"]),
                "legal_due_at": self.iso(row["due_ts"]), "target_due_at": self.iso(row["target_due_ts"]),
                "province_code": row["province_code"], "state": row["state"],
                "return_by_post": bool(row["return_by_post"]), "fee": row["fee"],
                "counter_id": row["counter_id"], "received_by": row["received_by"],
                "it_familiarity": row["it_familiarity"], "vneid_created": bool(row["vneid_created"]),
                "catalog_version": row["catalog_version"],
                "applicant": {"name": row["applicant_name"], "id_number": row["applicant_id"],
                              "phone": row["applicant_phone"]}}

    def _at(self, ts: float | None) -> datetime | None:
        return None if ts is None else datetime.fromtimestamp(ts, self.tz)

    def _short(self, ts: float) -> str:
        return datetime.fromtimestamp(ts, self.tz).strftime("%H:%M %d/%m/%Y")

    def _resumed_deadlines(self, conn: sqlite3.Connection, row: sqlite3.Row, now: datetime,
                           clock: str) -> dict[str, Any]:
        """The papers are complete again: the legal clock restarts from now, or (``pause``) resumes
        with the working time that was left when the supplement was asked for."""
        proc = self.catalog.procedures.get(row["procedure"])
        if proc is None:
            return {}
        if clock == "pause" and row["due_ts"] is not None:
            asked = [e["ts"] for e in store.events(conn, row["id"]) if e["action"] == "supplement"]
            since = datetime.fromtimestamp(asked[-1] if asked else now.timestamp(), self.tz)
            left = max(self.calendar.working_seconds_between(since, datetime.fromtimestamp(row["due_ts"], self.tz)), 0)
            due: datetime | None = self.calendar.add_working_hours(now, left / 3600)
        else:
            due = self._due(proc, now)
        target = self._target(proc, now)
        return {"due_ts": due.timestamp() if due else None, "new_due_ts": None,
                "target_due_ts": target.timestamp() if target else None}

    def _effective_due(self, row: sqlite3.Row) -> float | None:
        due: float | None = row["new_due_ts"] or row["due_ts"]
        return due

    def _dossier_json(self, conn: sqlite3.Connection, row: sqlite3.Row, full: bool = False, lang: str = "vi",
                      now: float | None = None) -> dict[str, Any]:
        now = self.clock() if now is None else now
        due = self._effective_due(row)
        running = row["state"] in rules.OPEN_STATES
        time_left = target_left = None
        if due is not None and running:
            time_left = round(self.calendar.working_seconds_between(
                datetime.fromtimestamp(now, self.tz), datetime.fromtimestamp(due, self.tz)))
        target = row["target_due_ts"]
        if target is not None and running:
            target_left = round(self.calendar.working_seconds_between(
                datetime.fromtimestamp(now, self.tz), datetime.fromtimestamp(target, self.tz)))
        out = {
            "code": row["code"], "procedure": row["procedure"], "procedure_name": row["procedure_name"],
            "field_code": row["field_code"], "state": row["state"],
            "state_label": rules.label(rules.STATES, row["state"], lang),
            "channel": row["channel"], "channel_label": rules.label(rules.CHANNELS, row["channel"], lang),
            "counter_id": row["counter_id"], "pager": row["pager"], "received_at": self.iso(row["received_ts"]),
            "due_at": self.iso(row["due_ts"]), "new_due_at": self.iso(row["new_due_ts"]),
            "legal_due_at": self.iso(row["due_ts"]), "extended_due_at": self.iso(row["new_due_ts"]),
            "target_due_at": self.iso(target), "target_left_s": target_left,
            "target_met": None if row["target_met"] is None else bool(row["target_met"]),
            "province_code": row["province_code"], **self.code_view(row),
            "ready_at": self.iso(row["ready_ts"]), "returned_at": self.iso(row["returned_ts"]),
            "outcome": row["outcome"], "outcome_label": rules.label(rules.OUTCOMES, row["outcome"], lang),
            "overdue": bool(running and due is not None and due < now),
            "time_left_s": time_left,
            "applicant": {"name": row["applicant_name"], "phone": row["applicant_phone"],
                          "id_number": row["applicant_id"]},
            "return_by_post": bool(row["return_by_post"]), "purged": row["purged_ts"] is not None,
        }
        if full:
            synced = row["last_outbox_seq"] is not None and row["last_outbox_seq"] <= outbox_store.acked_through(conn)
            out.update({
                "catalog_version": row["catalog_version"], "ticket_id": row["ticket_id"],
                "ticket_number": self._ticket_number(conn, row["ticket_id"]),
                "portal_code": row["portal_code"], "received_by": row["received_by"], "fee": row["fee"],
                "returned_by_post": None if row["returned_by_post"] is None else bool(row["returned_by_post"]),
                "post_address": row["post_address"], "post_fee": row["post_fee"],
                "tracking_number": row["tracking_number"], "postal_handover_id": row["postal_handover_id"],
                "it_familiarity": row["it_familiarity"],
                "it_familiarity_label": rules.label(rules.IT_FAMILIARITY, row["it_familiarity"], lang),
                "vneid_created": bool(row["vneid_created"]), "sms_opt_in": bool(row["sms_opt_in"]),
                "digitised": bool(row["digitised"]),
                "values": json.loads(row["values_json"]) if row["values_json"] else None,
                "synced": synced, "purged_at": self.iso(row["purged_ts"]),
                "timeline": [self._event_json(e, lang) for e in store.events(conn, row["id"])],
                "actions": [a for a in rules.OFFERED_ACTIONS if row["state"] in rules.TRANSITIONS[a][0]],
                "number": row["day_seq"],
            })
            if row["state"] == "ready":
                out.update(self._calling(conn, row, lang))
        return out

    def _calling(self, conn: sqlite3.Connection, row: sqlite3.Row, lang: str) -> dict[str, Any]:
        """How the citizen of a ready dossier is being called (the dossier page says it after
        "Báo có kết quả"): ``called_by`` (``pager`` or ``display``), the reminders still to come,
        and ``calling``, one sentence."""
        from ..store import reminder_store, sms_store
        reminder = reminder_store.of_dossier(conn, row["code"])
        sms = any(m["kind"] == "result_ready" and m["state"] != "cancelled"
                  for m in sms_store.for_dossier(conn, row["code"]))
        en = lang == "en"
        by = "pager" if row["pager"] and (reminder is None or reminder["kind"] == "pager") else "display"
        parts: list[str] = []
        if by == "display":
            ticket = self._ticket_number(conn, row["ticket_id"])
            if en:
                parts.append(f"The hall display shows dossier number {row['day_seq']}"
                             + (f" (ticket {ticket})" if ticket else "")
                             + " under “Results ready” and the announcer calls it.")
            else:
                parts.append(f"Màn hình sảnh hiện hồ sơ số {row['day_seq']}"
                             + (f" (số thứ tự {ticket})" if ticket else "")
                             + " ở mục “Hồ sơ có kết quả” và loa gọi công dân.")
        if by == "display" and row["pager"]:
            parts.append(f"The transmitter could not buzz pager {row['pager']}." if en
                         else f"Bộ phát không gọi được thẻ rung số {row['pager']}.")
        if reminder is not None and reminder["left"]:
            minutes = max(1, round(float(reminder["every_s"]) / 60))
            parts.append(f"Called again {reminder['left']} more time(s), every {minutes} min, until the result is "
                         "handed over." if en else
                         f"Nhắc lại {reminder['left']} lần nữa, mỗi {minutes} phút, đến khi trả kết quả.")
        if sms:
            parts.append("An SMS tells the citizen the result is ready." if en
                         else "Đã xếp tin nhắn SMS báo công dân có kết quả.")
        left = int(reminder["left"]) if reminder is not None else 0
        return {"called_by": by, "calling": " ".join(parts), "reminders_left": left,
                "next_reminder_at": self.iso(reminder["due_ts"]) if reminder is not None and left else None}

    def _event_json(self, e: sqlite3.Row, lang: str) -> dict[str, Any]:
        return {"at": self.iso(e["ts"]), "action": e["action"],
                "action_label": rules.label(rules.ACTION_NAMES, e["action"], lang),
                "state": e["state"], "state_label": rules.label(rules.STATES, e["state"], lang),
                "by": e["user_login"], "from": e["giver"], "to": e["receiver"], "note": e["note"],
                "reason": e["reason"], "new_due_at": self.iso(e["new_due_ts"])}

    def get(self, code: str, user: str | None = None, lang: str = "vi") -> dict[str, Any]:
        """The whole dossier; the view is written to the audit log."""
        with self.units() as tx:
            conn, ts = tx.conn, tx.now
            row = store.get_dossier(conn, code)
            if row is None:
                raise DossierNotFound("unknown_dossier", "code", dossier=code)
            tx.audit(user, "dossier.view", f"dossier:{code}")
            return self._dossier_json(conn, row, full=True, lang=lang, now=ts)

    def search(self, q: str | None = None, state: str | None = None, procedure: str | None = None,
               overdue: bool = False, limit: int = 50, offset: int = 0, user: str | None = None,
               lang: str = "vi", received_from: date | None = None,
               received_to: date | None = None) -> dict[str, Any]:
        """The dossier list: search by code, name, phone or personal number; filters by state,
        procedure, overdue, receipt dates (inclusive). Each search is written to the audit log (the
        kind of query, not its text)."""
        if state is not None and state not in rules.STATES:
            raise DossierError("bad_query", "state", name="state",
                               detail="một trong " + ", ".join(rules.STATES))
        if not 1 <= limit <= 200:
            raise DossierError("bad_query", "limit", name="limit", detail="từ 1 đến 200")
        if not 0 <= offset <= 1_000_000:
            raise DossierError("bad_query", "offset", name="offset", detail="số không âm")
        q = (q or "").strip()
        code = q.upper() if rules.is_code(q.upper()) else None
        match = None if code else rules.search_query(q)
        with self.units() as tx:
            conn, ts = tx.conn, tx.now
            rows, total, capped = store.search(conn, match=match, code=code, state=state, procedure=procedure,
                                               overdue_at=ts if overdue else None,
                                               day_from=received_from.isoformat() if received_from else None,
                                               day_to=received_to.isoformat() if received_to else None,
                                               limit=limit, offset=offset)
            kind = "mã hồ sơ" if code else ("số" if match and match[1:2].isdigit() else ("tên" if match else "không"))
            tx.audit(user, "dossier.list", "dossiers",
                     f"tìm theo: {kind}; trạng thái: {state or 'tất cả'}; thủ tục: {procedure or 'tất cả'}; "
                     f"quá hạn: {'có' if overdue else 'không'}; {len(rows)} kết quả")
            items = [self._dossier_json(conn, r, lang=lang, now=ts) for r in rows]
        return {"items": items, "total": total, "total_capped": capped, "limit": limit, "offset": offset}

    def synced(self, code: str) -> bool:
        with self.db.read() as conn:
            row = store.get_dossier(conn, code)
            if row is None:
                raise DossierNotFound("unknown_dossier", "code", dossier=code)
            return row["last_outbox_seq"] is not None and row["last_outbox_seq"] <= outbox_store.acked_through(conn)

    def statistics(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return store.statistics(conn, since.timestamp(), until.timestamp())

    def audit_log(self, code: str) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return [{"at": self.iso(r["ts"]), "user": r["user_login"], "action": r["action"], "detail": r["detail"]}
                    for r in store.audit_rows(conn, f"dossier:{code}")]

    # --- actions -----------------------------------------------------------------------------

    def call_again(self, code: str, user: str | None = None, lang: str = "vi") -> dict[str, Any]:
        """"Gọi lại công dân": a ready result's citizen did not come; call them again now (their
        pager, or the hall display and the announcer) and start the reminders again. Audited."""
        ts, now = self._now()
        with self.units(ts) as tx:
            conn = tx.conn
            row = store.get_dossier(conn, code)
            if row is None:
                raise DossierNotFound("unknown_dossier", "code", dossier=code)
            if row["state"] != "ready":
                raise DossierConflict("not_ready", "state", dossier=code, state=row["state"])
            kind = reminders.call_again(tx, row, self.settings, self._ticket_number(conn, row["ticket_id"]),
                                        now.isoformat(timespec="seconds"))
            tx.audit(user, "dossier.call", f"dossier:{code}",
                     "gọi lại bằng thẻ rung" if kind == "pager" else "gọi lại trên màn hình sảnh")
            return self._dossier_json(conn, row, full=True, lang=lang, now=ts)

    def act(self, code: str, action: str, data: Mapping[str, Any] | None = None,
            user: str | None = None, lang: str = "vi", *, unit: UnitOfWork | None = None) -> dict[str, Any]:
        """processing, ready, return, supplement (Mẫu 02), refuse (Mẫu 03), extend (Mẫu 04; ``overdue`` is
        its former name), stop (Mẫu 05), withdraw (the citizen takes the dossier back) or handover.

        ``unit``: act inside the caller's open unit of work (a postal handover list returns all its
        dossiers in one transaction, ``appliance.services.postal``)."""
        data = dict(data or {})
        if unit is not None:
            ts = unit.now
            now = datetime.fromtimestamp(ts, self.tz)
        else:
            ts, now = self._now()
        with contextlib.nullcontext(unit) if unit is not None else self.units(ts) as tx:
            conn = tx.conn
            row = store.get_dossier(conn, code)
            if row is None:
                raise DossierNotFound("unknown_dossier", "code", dossier=code)
            after = rules.check_transition(code, row["state"], action)
            params = rules.check_action(action, data, tz=self.tz, now=now,
                                        return_by_post=bool(row["return_by_post"]), post_address=row["post_address"])
            updates: dict[str, Any] = {}
            if after != row["state"]:
                updates["state"] = after
            at = now.isoformat(timespec="seconds")
            new_due_ts = None
            counting = self.counting_rules
            if action == "processing" and row["state"] == "supplement_requested":
                updates.update(self._resumed_deadlines(conn, row, now, counting.supplement_clock))
            elif action == "ready":
                updates["ready_ts"] = ts
            elif action == "return":
                finished = datetime.fromtimestamp(row["ready_ts"] or ts, self.tz)
                against = measured_due(self._at(row["due_ts"]), self._at(row["new_due_ts"]), counting)
                outcome = self.calendar.outcome(against, finished)
                met = target_met(self._at(row["target_due_ts"]), finished)
                updates.update(returned_ts=ts, closed_ts=ts, outcome=outcome,
                               target_met=None if met is None else int(met),
                               returned_by_post=int(params["by_post"]))
                if params["by_post"]:
                    updates.update(post_address=params["post_address"], tracking_number=params["tracking_number"],
                                   post_fee=params["post_fee"], return_by_post=1)
            elif after in ("refused", "stopped", "withdrawn"):
                # counted as the counting rules say (on time, or left out of the tables)
                updates.update(closed_ts=ts, outcome=counting.closing_outcome(after))
            elif action in rules.EXTENSION_ACTIONS:
                new_due_ts = params["new_due_at"].timestamp()
                current = row["new_due_ts"] or row["due_ts"]
                if current is not None and new_due_ts <= current:
                    raise FormInvalid({"new_due_at": Message(
                        f"Hạn mới phải sau hạn giải quyết hiện tại ({self._short(current)}).",
                        f"The new due time must be after the current one ({self._short(current)}).", "new_due_at")})
                updates["new_due_ts"] = new_due_ts
            if updates:
                store.update_dossier(conn, row["id"], **updates)
            store.add_event(conn, row["id"], ts, action, after, user,
                            giver=params.get("giver") or (self._officer(user) if action == "handover" else None),
                            receiver=params.get("receiver"), note=params.get("note"),
                            reason=params.get("reason"), new_due_ts=new_due_ts)
            # the action and the change of state only: free text (reasons, notes, names) stays in the
            # timeline, which the purge clears; the audit log is kept and must not copy it
            tx.audit(user, f"dossier.{action}", f"dossier:{code}", f"{row['state']} → {after}")
            if action == "ready":
                payload = {"code": code, "pager": row["pager"], "counter_id": row["counter_id"], "at": at}
                # the pager's repeats are this appliance's persisted schedule (appliance.services.reminders)
                self._fact(tx, row["id"], "dossier.ready", payload, local={"reminders": "persisted"})
                # reminders on disk; without a pager the hall display and the announcer call the number
                reminders.on_ready(tx, row, self.settings, self._ticket_number(conn, row["ticket_id"]), at)
                # an SMS when the citizen asked for one or holds no pager (queued in this transaction)
                messages.result_ready(tx, row, self.settings)
            elif action == "return":
                payload = {"code": code, "at": at, "outcome": updates["outcome"], "by_post": params["by_post"],
                           "target_met": None if updates["target_met"] is None else bool(updates["target_met"])}
                self._fact(tx, row["id"], "dossier.returned", payload, local={"pager": row["pager"]})
                reminders.stop(tx, code)
                if params["by_post"] and params.get("tracking_number"):
                    messages.postal_handover(tx, row, params["tracking_number"], self.settings)
                if not params["by_post"]:
                    self._ask_rating(conn, tx, row, code, user)
                if row["pager"] and pagers.release_for_dossier(tx, row["pager"], code):
                    tx.emit("pager.returned", {"pager": row["pager"], "dossier_code": code})
            else:
                if row["state"] == "ready" and after != "ready":
                    reminders.stop(tx, code)       # no longer waiting to be collected
                payload = {"code": code, "state": after, "at": at, "by": user, "note": params.get("note"),
                           "action": action}
                if params.get("reason"):
                    payload["reason"] = params["reason"]
                if action in rules.EXTENSION_ACTIONS:
                    payload["new_due_at"] = payload["extended_due_at"] = self.iso(new_due_ts)
                if action == "processing" and "due_ts" in updates:
                    payload["due_at"] = payload["legal_due_at"] = self.iso(updates["due_ts"])
                    payload["target_due_at"] = self.iso(updates.get("target_due_ts"))
                if after in ("refused", "stopped", "withdrawn"):
                    payload["outcome"] = updates["outcome"]
                if action == "handover":
                    payload.update({"from": params.get("giver"), "to": params.get("receiver")})
                self._fact(tx, row["id"], "dossier.state", payload)
            result = self._dossier_json(conn, _dossier_by_id(conn, row["id"]), full=True, lang=lang, now=ts)
        return result
