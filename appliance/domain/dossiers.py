"""Dossier rules (hồ sơ): states and actions, the dossier code, the applicant and search text, the
submission and action bodies with a Vietnamese message per field. Pure: no I/O, no clock (times are passed in).

States: ``received`` (đã tiếp nhận) → ``processing`` (đang giải quyết) → ``ready`` (có kết quả) →
``returned`` (đã trả); on the way a dossier may be ``supplement_requested`` (Mẫu 02, yêu cầu bổ
sung: the legal clock stops until the papers come back), ``refused`` (Mẫu 03, từ chối), ``stopped``
(Mẫu 05, dừng giải quyết: the office stops handling it, with a reason) or ``withdrawn`` (công dân rút
hồ sơ, recorded on Mẫu 05). A dossier that cannot be resolved in time gets an extension (``extend``,
Mẫu 04 "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"): a reason and a new legal due
time; its state does not change. ``overdue`` is the former name of ``extend`` and still accepted.

Two deadlines per dossier: the legal due time (``legal_due_at``: catalog limit, 15:00 rule, working
calendar) drives Mẫu 01, the outcome and every report; the model day's 2-hour target
(``target_due_at``) drives the pager and the countdown. How refused, withdrawn and stopped dossiers
count, the clock during a supplement and what an extension moves are data
(:mod:`appliance.domain.counting`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from appliance.domain.amounts import parse_dong
from appliance.domain.catalog import Procedure
from appliance.domain.errors import Conflict, DomainError, NotFound, Unavailable, Unprocessable, _pick
from appliance.domain.fields import FieldError, FieldSpec, Message, clean_text, fold, parse_date
from appliance.domain.postal import clean_tracking, tracking_problem
from appliance.domain.province_code import parse_province_code

STATES: dict[str, tuple[str, str]] = {
    "received": ("Đã tiếp nhận", "Received"),
    "processing": ("Đang giải quyết", "Processing"),
    "supplement_requested": ("Chờ bổ sung", "Waiting for documents"),
    "ready": ("Có kết quả, chờ trả", "Ready"),
    "returned": ("Đã trả kết quả", "Returned"),
    "refused": ("Từ chối tiếp nhận/giải quyết", "Refused"),
    "stopped": ("Dừng giải quyết", "Stopped"),
    "withdrawn": ("Công dân rút hồ sơ", "Withdrawn"),
}
OPEN_STATES = ("received", "processing")                 # the time limit runs
CLOSED_STATES = ("returned", "refused", "stopped", "withdrawn")
UNRESOLVED_STATES = ("received", "processing", "supplement_requested")

# action → (states it may start from, state after; None = unchanged)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "processing": (("received", "supplement_requested"), "processing"),
    "ready": (("received", "processing"), "ready"),
    "return": (("ready",), "returned"),
    "supplement": (("received", "processing"), "supplement_requested"),
    "refuse": (("received", "processing", "supplement_requested"), "refused"),
    "stop": (UNRESOLVED_STATES, "stopped"),
    "withdraw": ((*UNRESOLVED_STATES, "ready"), "withdrawn"),
    "extend": (("received", "processing"), None),
    "overdue": (("received", "processing"), None),
    "handover": (("received", "processing", "supplement_requested", "ready"), None),
}
ALIASES = {"overdue": "extend"}                           # former names, still accepted
OFFERED_ACTIONS = tuple(a for a in TRANSITIONS if a not in ALIASES)
EXTENSION_ACTIONS = ("extend", "overdue")
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "received": ("tiếp nhận", "receive"),
    "processing": ("chuyển giải quyết", "start processing"),
    "ready": ("báo có kết quả", "mark ready"),
    "return": ("trả kết quả", "return"),
    "supplement": ("yêu cầu bổ sung (Mẫu 02)", "request documents (form 02)"),
    "refuse": ("từ chối (Mẫu 03)", "refuse (form 03)"),
    "stop": ("dừng giải quyết (Mẫu 05)", "stop handling (form 05)"),
    "withdraw": ("ghi nhận công dân rút hồ sơ", "record the citizen's withdrawal"),
    "extend": ("xin lỗi và gia hạn (Mẫu 04)", "apologise and extend (form 04)"),
    "overdue": ("xin lỗi và gia hạn (Mẫu 04)", "apologise and extend (form 04)"),
    "handover": ("bàn giao", "hand over"),
}
CHANNELS: dict[str, tuple[str, str]] = {
    "truc_tiep": ("Trực tiếp", "In person"),
    "truc_tuyen_toan_trinh": ("Trực tuyến toàn trình", "Fully online"),
    "truc_tuyen_mot_phan": ("Trực tuyến một phần", "Partly online"),
    "buu_chinh": ("Qua bưu chính", "By post"),
}
ONLINE_CHANNELS = ("truc_tuyen_toan_trinh", "truc_tuyen_mot_phan")
IT_FAMILIARITY: dict[str, tuple[str, str]] = {
    "thanh_thao": ("Thành thạo", "Confident"),
    "co_ban": ("Biết cơ bản", "Basic"),
    "chua_biet": ("Chưa biết (cầm tay chỉ việc)", "None (coached step by step)"),
}
OUTCOMES: dict[str, tuple[str, str]] = {
    "early": ("Trước hạn", "Early"), "on_time": ("Đúng hạn", "On time"), "late": ("Quá hạn", "Late"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_procedure": ("Không có thủ tục mã '{procedure}' trong danh mục.",
                          "No procedure '{procedure}' in the catalog."),
    "catalog_unavailable": ("Chưa nạp được danh mục thủ tục: {detail}",
                            "The procedure catalog cannot be loaded: {detail}"),
    "bad_draft_id": ("Mã bản nháp phải là UUID4 do biểu mẫu tạo (ví dụ 6f1c…-4…).",
                     "The draft id must be a UUID4 made by the form."),
    "unknown_draft": ("Không có bản nháp {draft}; biểu mẫu cần lưu nháp trước khi nộp.",
                      "No draft {draft}; save the form before submitting."),
    "draft_submitted": ("Bản nháp này đã thành hồ sơ {dossier}; mở hồ sơ đó để sửa hoặc tạo biểu mẫu mới.",
                        "This draft became dossier {dossier}; open it or start a new form."),
    "unknown_dossier": ("Không có hồ sơ mã {dossier}.", "No dossier {dossier}."),
    "bad_action": ("Không có thao tác '{action}' với hồ sơ; chọn một trong: {allowed}.",
                   "Unknown action '{action}'; use one of: {allowed}."),
    "bad_transition": ("Hồ sơ {dossier} đang ở trạng thái '{state}': không thể {action}.",
                       "Dossier {dossier} is '{state}': cannot {action}."),
    "form_invalid": ("Biểu mẫu còn {count} lỗi; sửa các ô được đánh dấu rồi nộp lại.",
                     "The form has {count} error(s); fix the marked fields and submit again."),
    "unknown_counter": ("Không có quầy số {counter}.", "Unknown counter {counter}."),
    "pager_out_of_pool": ("Thẻ rung số {pager} không có trong bộ thẻ (1–{pool}).",
                          "Pager {pager} is not in the pool (1–{pool})."),
    "pager_busy": ("Thẻ rung số {pager} đang được dùng hoặc đã báo mất.", "Pager {pager} is in use or lost."),
    "pager_pool_empty": ("Đã hết thẻ rung trống.", "No free pager left."),
    "not_ready": ("Hồ sơ {dossier} đang ở trạng thái '{state}': chỉ gọi lại công dân khi hồ sơ đã có kết quả "
                  "và chưa trả.", "Dossier {dossier} is '{state}': the citizen is called again only while the "
                  "result is ready and not yet handed over."),
    "bad_query": ("Tham số '{name}' không hợp lệ: {detail}", "Invalid parameter '{name}': {detail}"),
    "unknown_ticket": ("Không có số thứ tự mã {ticket}.", "No ticket {ticket}."),
    "card_unrecognised": ("Không nhận dạng được mã QR này: {detail}. Hãy nhập tay.",
                          "QR code not recognised: {detail}. Please type it in."),
    "ticket_not_here": ("Số {number} không ở quầy {counter} (đang {state}): chỉ nhập hồ sơ cho số đang được "
                        "gọi hoặc phục vụ tại quầy này.",
                        "Ticket {number} is not at counter {counter} ({state}): a dossier is entered for the "
                        "ticket being called or served at this counter."),
}


class DossierError(DomainError):
    """A dossier rule was broken; nothing was changed. Messages in Vietnamese (and English)."""

    def message(self, lang: str = "vi") -> str:
        if self.code not in MESSAGES:
            return super().message(lang)
        vi, en = MESSAGES[self.code]
        params = {k: _pick(v, lang) for k, v in self.params.items()}
        if params.get("state") in STATES:
            params["state"] = STATES[params["state"]][1 if lang == "en" else 0]
        if params.get("action") in ACTION_NAMES and self.code == "bad_transition":
            params["action"] = ACTION_NAMES[params["action"]][1 if lang == "en" else 0]
        try:
            return (en if lang == "en" else vi).format(**params)
        except (KeyError, IndexError):
            return en if lang == "en" else vi


# The same kinds as the queue's errors (the web layer maps kinds to HTTP statuses), with the
# dossier messages.
class DossierNotFound(DossierError, NotFound):
    """A draft, a dossier, a counter or an action that does not exist."""


class DossierConflict(DossierError, Conflict):
    """The dossier's state forbids the action (a draft already submitted, a wrong transition)."""


class DossierUnprocessable(DossierError, Unprocessable):
    """The request is readable but names what the catalog lacks or breaks field rules."""


class DossierUnavailable(DossierError, Unavailable):
    """The catalog or the office calendar cannot be used right now."""


class FormInvalid(DossierUnprocessable):
    """Field rules broken: ``errors`` (and ``warnings``) map a field to a :class:`Message`."""

    def __init__(self, errors: Mapping[str, Message], warnings: Mapping[str, Message] | None = None):
        first = next(iter(errors), None)
        super().__init__("form_invalid", first, count=len(errors))
        self.errors = dict(errors)
        self.warnings = dict(warnings or {})

    def as_json(self, lang: str = "vi") -> dict[str, Any]:
        out = super().as_json(lang)
        out["error"]["errors"] = {k: _text(v, lang) for k, v in self.errors.items()}
        out["error"]["warnings"] = {k: _text(v, lang) for k, v in self.warnings.items()}
        return out


def _text(message: Any, lang: str) -> str:
    return message.text(lang) if isinstance(message, Message) else str(message)


def label(table: Mapping[str, tuple[str, str]], key: str | None, lang: str = "vi") -> str | None:
    if key is None or key not in table:
        return key
    return table[key][1 if lang == "en" else 0]


# --- the dossier code ------------------------------------------------------------------------

CODE_RE = re.compile(r"^(?P<agency>[0-9A-Z.]{3,32})-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def format_code(agency_code: str, day: date, seq: int) -> str:
    """``000.00.06.H56-261123-0001``: agency code, receipt date YYMMDD, daily sequence (≥ 4 digits)."""
    if seq < 1:
        raise ValueError("daily sequence starts at 1")
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


def is_code(text: str) -> bool:
    return bool(CODE_RE.match(text or ""))


# --- applicant and search text ---------------------------------------------------------------

@dataclass(frozen=True)
class Applicant:
    name: str | None
    phone: str | None
    id_number: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"name": self.name, "id_number": self.id_number, "phone": self.phone}


def _first(procedure: Procedure, clean: Mapping[str, Any], preferred: str,
           test: Callable[[FieldSpec], bool]) -> str | None:
    if clean.get(preferred):
        return str(clean[preferred])
    for spec in procedure.fields:
        if test(spec) and clean.get(spec.name):
            return str(clean[spec.name])
    return None


def applicant_of(procedure: Procedure, clean: Mapping[str, Any]) -> Applicant:
    """Chủ hồ sơ: the requester block when there is one, else the first name / phone / number."""
    return Applicant(
        _first(procedure, clean, "requester_name", lambda s: s.type == "text" and s.uppercase),
        _first(procedure, clean, "requester_phone", lambda s: s.type == "phone"),
        _first(procedure, clean, "requester_id_number", lambda s: s.type == "id12"))


def search_text(procedure: Procedure, clean: Mapping[str, Any]) -> tuple[str, str]:
    """(names, numbers) indexed for the dossier list: every full name (lower case, without
    diacritics), phone and paper number."""
    names, numbers = [], []
    for spec in procedure.fields:
        value = clean.get(spec.name)
        if not value:
            continue
        if spec.type == "text" and spec.uppercase:
            names.append(str(value))
        elif spec.type in ("id12", "phone"):
            numbers.append(str(value))
    # folded here ('đ' → 'd' too, which the FTS tokenizer's diacritic removal does not do)
    return fold(" ".join(dict.fromkeys(names))), " ".join(dict.fromkeys(numbers))


_TOKEN = re.compile(r"\w+", re.UNICODE)


def search_query(q: str) -> str | None:
    """An FTS5 query from what the officer typed: each word a prefix, all words required.

    Diacritics and case do not matter ('nguyen van' finds 'NGUYỄN VĂN AN'); a phone written
    '0912 345 678' or '0912.345.678' is one number; a dossier code matches by its parts.
    """
    text = unicodedata.normalize("NFC", q or "").strip()
    if not text:
        return None
    tokens = _TOKEN.findall(fold(text))[:12]
    words = " AND ".join(f'"{t}"*' for t in tokens)
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if digits.isdigit() and len(digits) >= 3:
        # a phone or paper number however it was spaced; '261130-0001' may also be a code's tail
        return f'"{digits}"* OR ({words})' if "-" in text and len(tokens) > 1 else f'"{digits}"*'
    return words or None


# --- submission options ------------------------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    channel: str = "truc_tiep"
    portal_code: str | None = None
    province_code: str | None = None
    return_by_post: bool = False
    post_address: str | None = None
    it_familiarity: str | None = None
    vneid_created: bool = False
    sms_opt_in: bool = False          # told by SMS when the result is ready (docs/sms.md)
    digitised: bool = False          # the papers were scanned into the system at receipt (QĐ 766)


def _msg(field: str, vi: str, en: str) -> Message:
    return Message(vi, en, field)


def _bool(data: Mapping[str, Any], name: str, errors: dict[str, Message]) -> bool:
    value = data.get(name)
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    errors[name] = _msg(name, "Chỉ chọn có hoặc không.", "Choose yes or no.")
    return False


def _choice(data: Mapping[str, Any], name: str, table: Mapping[str, tuple[str, str]], errors: dict[str, Message],
            default: str | None = None) -> str | None:
    value = data.get(name)
    if value in (None, ""):
        return default
    if value not in table:
        errors[name] = _msg(name, "Chọn một trong: " + ", ".join(v[0] for v in table.values()) + ".",
                            "Choose one of: " + ", ".join(v[1] for v in table.values()) + ".")
        return default
    return str(value)


def _text_field(data: Mapping[str, Any], name: str, errors: dict[str, Message], max_length: int = 300) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        errors[name] = _msg(name, "Phải là chữ.", "Must be text.")
        return None
    text = clean_text(value)
    if len(text) > max_length:
        errors[name] = _msg(name, f"Dài quá {max_length} ký tự.", f"Longer than {max_length} characters.")
        return None
    return text or None


PORTAL_CODE = re.compile(r"^[0-9A-Za-z.\-_/]{4,40}$")


def check_submission(data: Mapping[str, Any]) -> tuple[Submission, dict[str, Message]]:
    """The submit body beyond the form: channel, assisted online submission, postal return, IT
    familiarity, VNeID. Returns the clean options and a Vietnamese message per wrong field."""
    errors: dict[str, Message] = {}
    channel = _choice(data, "channel", CHANNELS, errors, "truc_tiep")
    portal = _text_field(data, "portal_code", errors, 40)
    if portal and not PORTAL_CODE.match(portal):
        errors["portal_code"] = _msg("portal_code", "Mã hồ sơ trên Cổng dịch vụ công gồm 4–40 chữ, số, dấu chấm, gạch.",
                                     "The portal dossier code has 4–40 letters, digits, dots or dashes.")
    if channel in ONLINE_CHANNELS and not portal and "portal_code" not in errors:
        errors["portal_code"] = _msg("portal_code", "Nộp trực tuyến: cần ghi mã hồ sơ trên Cổng dịch vụ công.",
                                     "Online submission: enter the portal's dossier code.")
    province = None
    if data.get("province_code") not in (None, ""):
        parsed, problem = parse_province_code(data.get("province_code"))
        if problem is not None:
            errors["province_code"] = problem
        elif parsed is not None:
            province = parsed.code
    by_post = _bool(data, "return_by_post", errors)
    address = _text_field(data, "post_address", errors)
    if by_post and not address and "post_address" not in errors:
        errors["post_address"] = _msg("post_address", "Trả kết quả qua bưu chính: cần ghi địa chỉ nhận.",
                                      "Return by post: enter the delivery address.")
    familiarity = _choice(data, "it_familiarity", IT_FAMILIARITY, errors)
    vneid = _bool(data, "vneid_created", errors)
    sms = _bool(data, "sms_opt_in", errors)
    digitised = _bool(data, "digitised", errors)
    return Submission(channel or "truc_tiep", portal, province, by_post, address if by_post else None,
                      familiarity, vneid, sms, digitised), errors


# --- action bodies -------------------------------------------------------------------------------

def check_transition(code: str, state: str, action: str) -> str:
    """The state after ``action``; raises :class:`DossierError` when it is not allowed now."""
    if action not in TRANSITIONS:
        raise DossierNotFound("bad_action", "action", action=action, allowed=", ".join(TRANSITIONS))
    allowed, after = TRANSITIONS[action]
    if state not in allowed:
        raise DossierConflict("bad_transition", "state", dossier=code, state=state, action=action)
    return after or state


def _money(data: Mapping[str, Any], name: str, errors: dict[str, Message]) -> int | None:
    amount, why = parse_dong(data.get(name))
    if why == "too_large":
        errors[name] = _msg(name, "Số tiền quá lớn (tối đa 10.000.000 đồng).", "Too large (at most 10,000,000 đồng).")
    elif why is not None:
        errors[name] = _msg(name, "Số tiền là số nguyên (đồng), ví dụ 25000.", "An amount in đồng, e.g. 25000.")
    return amount


def parse_when(value: Any, tz: tzinfo, now: datetime) -> datetime:
    """A new due date as an officer writes it: a day and a time ('02/12/2026 10:00'), a day
    ('2/12/2026' → 17:00 that day), or ISO ('2026-12-02T10:00', what integrations send)."""
    text = str(value).strip()
    try:
        when = datetime.fromisoformat(text)
        return when if when.tzinfo else when.replace(tzinfo=tz)
    except ValueError:
        pass
    clock = re.match(r"^(.*\d)\s+(\d{1,2})[:hg](\d{2})$", text)
    if clock:
        hour, minute = int(clock.group(2)), int(clock.group(3))
        if hour > 23 or minute > 59:
            raise FieldError("Giờ không đúng, ví dụ 02/12/2026 10:00.", "Invalid time, e.g. 02/12/2026 10:00.")
        day = parse_date(clock.group(1), partial=False).to_date()
        if day is None:
            raise FieldError("Cần ghi đủ ngày, tháng, năm.", "A full date is required.")
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    day = parse_date(text, partial=False).to_date()
    if day is None:   # partial=False: parse_date gave a whole date or raised
        raise FieldError("Cần ghi đủ ngày, tháng, năm.", "A full date is required.")
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=tz)


WITHDRAW_REASON = "Theo đề nghị của người nộp hồ sơ"


def check_action(action: str, data: Mapping[str, Any], *, tz: tzinfo, now: datetime,
                 return_by_post: bool = False, post_address: str | None = None) -> dict[str, Any]:
    """Clean parameters of an action body; raises :class:`FormInvalid` with a message per field."""
    errors: dict[str, Message] = {}
    out: dict[str, Any] = {"note": _text_field(data, "note", errors, 500)}
    if action in ("supplement", "refuse", "stop", "withdraw", *EXTENSION_ACTIONS):
        reason = _text_field(data, "reason", errors, 500)
        if not reason and "reason" not in errors and action != "withdraw":
            what = {"supplement": ("Ghi rõ giấy tờ cần bổ sung (Mẫu 02).", "List the missing documents (form 02)."),
                    "refuse": ("Ghi rõ lý do từ chối (Mẫu 03).", "Give the reason for refusal (form 03)."),
                    "stop": ("Ghi rõ lý do dừng giải quyết (Mẫu 05).", "Give the reason for stopping (form 05)."),
                    "extend": ("Ghi rõ lý do chậm trả kết quả để in văn bản xin lỗi và gia hạn (Mẫu 04).",
                               "Give the reason for the delay for the apology and extension (form 04)."),
                    }[ALIASES.get(action, action)]
            errors["reason"] = _msg("reason", *what)
        out["reason"] = reason or (WITHDRAW_REASON if action == "withdraw" else None)
    if action in EXTENSION_ACTIONS:
        raw = data.get("new_due_at")
        if raw in (None, ""):
            errors["new_due_at"] = _msg("new_due_at", "Cần ghi ngày hẹn trả kết quả mới.", "Enter the new due date.")
        else:
            try:
                when = parse_when(raw, tz, now)
            except (ValueError, TypeError) as exc:
                errors["new_due_at"] = _msg("new_due_at", getattr(exc, "vi", "Ngày hẹn mới không đúng dạng, "
                                            "ví dụ 02/12/2026 10:00."),
                                            getattr(exc, "en", "Unrecognised date."))
            else:
                if when <= now:
                    errors["new_due_at"] = _msg("new_due_at", "Ngày hẹn mới phải sau thời điểm hiện tại.",
                                                "The new due date must be in the future.")
                elif when - now > timedelta(days=366):
                    errors["new_due_at"] = _msg("new_due_at", "Ngày hẹn mới cách quá một năm; kiểm tra lại.",
                                                "The new due date is more than a year away.")
                out["new_due_at"] = when
    if action == "handover":
        out["giver"] = _text_field(data, "from", errors, 150)
        out["receiver"] = _text_field(data, "to", errors, 150)
        if not out["receiver"] and "to" not in errors:
            errors["to"] = _msg("to", "Ghi bên nhận hồ sơ (cơ quan hoặc cán bộ).",
                                "Enter who receives the dossier (agency or officer).")
    if action == "return":
        by_post = data.get("by_post", return_by_post)
        if not isinstance(by_post, bool):
            errors["by_post"] = _msg("by_post", "Chỉ chọn có hoặc không.", "Choose yes or no.")
            by_post = False
        out["by_post"] = by_post
        if by_post:
            address = _text_field(data, "post_address", errors) or post_address
            tracking = _text_field(data, "tracking_number", errors, 40)
            tracking = clean_tracking(tracking) if tracking else tracking
            if not address and "post_address" not in errors:
                errors["post_address"] = _msg("post_address", "Trả qua bưu chính: cần địa chỉ nhận.",
                                              "Return by post: the delivery address is required.")
            if not tracking and "tracking_number" not in errors:
                errors["tracking_number"] = _msg("tracking_number", "Trả qua bưu chính: cần số hiệu bưu gửi.",
                                                 "Return by post: the tracking number is required.")
            elif tracking and (problem := tracking_problem(tracking)) is not None:
                errors["tracking_number"] = problem
            out.update(post_address=address, tracking_number=tracking, post_fee=_money(data, "fee", errors))
    if errors:
        raise FormInvalid(errors)
    return out

