"""What each printed paper shows, from a dossier's JSON and its catalog procedure. Pure (the web
layer renders the templates and pages through the dossier service for the logbook).

The papers are legal forms: their text (here and in ``templates/print/``) is Vietnamese only and is
deliberately not marked for translation.

Papers (the one-stop forms of TT 03/2025 Phụ lục I and the hộ tịch declarations of TT 04/2020 as
amended): ``to-khai`` the declaration (a request slip for chứng thực, which has no declaration),
``mau-01`` receipt and appointment (only when the result is not same-day), ``mau-02`` request for
missing papers, ``mau-03`` refusal, ``mau-04`` apology and extension request (``phieu-xin-loi`` is
its former name), ``mau-05`` notice that handling stopped (stopped or withdrawn), ``mau-06``
tracking sheet; and the ``logbook`` (Mẫu 07). Which template version prints a paper depends on its
date (:mod:`appliance.domain.forms`). Signatures and fingerprints are made on paper: the forms
leave room for them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from ..errors import MotcuaError
from .catalog import Procedure
from .dossier_form import SectionView, display_values, paired_sections, sections
from .dossier_timing import parse_iso
from .fields import parse_iso as parse_partial
from .forms import ALIASES

LOGBOOK_MAX_DAYS = 366
FOOTER_FIELDS = ("copies_requested", "copies", "place", "signed_on")


class NotPrintable(MotcuaError):
    """This paper does not apply to the dossier (yet); the message says why, in Vietnamese."""


@dataclass(frozen=True)
class PrintForm:
    name: str
    title: str
    template: str


FORMS: dict[str, PrintForm] = {f.name: f for f in (
    PrintForm("to-khai", "Tờ khai", "print/declaration.html"),
    PrintForm("mau-01", "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "print/mau01.html"),
    PrintForm("mau-02", "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "print/mau02.html"),
    PrintForm("mau-03", "Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ", "print/mau03.html"),
    PrintForm("mau-04", "Mẫu 04 – Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "print/mau04.html"),
    PrintForm("mau-05", "Mẫu 05 – Thông báo dừng giải quyết hồ sơ", "print/mau05.html"),
    PrintForm("mau-06", "Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ", "print/mau06.html"),
)}
# What the English panel calls each paper (the paper itself is printed in Vietnamese).
TITLES_EN: dict[str, str] = {
    "to-khai": "Declaration form",
    "mau-01": "Form 01 – Receipt of the dossier and appointment to return the result",
    "mau-02": "Form 02 – Request to supplement or complete the dossier",
    "mau-03": "Form 03 – Refusal to accept the dossier",
    "mau-04": "Form 04 – Apology and request for more time",
    "mau-05": "Form 05 – Notice that handling has stopped",
    "mau-06": "Form 06 – Dossier handling control sheet",
}
EXTENSION = ("extend", "overdue")         # the law lane's action and its former name
STOPPING = ("stop", "withdraw")


def paper_name(name: str) -> str:
    """A paper's current name (``phieu-xin-loi`` → ``mau-04``)."""
    return ALIASES.get(name, name)


# --- dates and times as written on the forms --------------------------------------------------

def local(iso: str | None, tz: tzinfo | None) -> datetime | None:
    when = parse_iso(iso)
    return when.astimezone(tz) if when else None


def day_words(d: date | datetime | None) -> str:
    """``ngày 30 tháng 11 năm 2026`` (blank dotted when unknown)."""
    if d is None:
        return "ngày ..... tháng ..... năm ........"
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def time_words(when: datetime | None) -> str:
    """``10 giờ 05 phút, ngày 30 tháng 11 năm 2026``."""
    if when is None:
        return "..... giờ ..... phút, " + day_words(None)
    return f"{when.hour:02d} giờ {when.minute:02d} phút, {day_words(when)}"


def short_time(when: datetime | None) -> str:
    return f"{when:%H:%M} {when:%d/%m/%Y}" if when else ""


def last_event(dossier: dict[str, Any], action: str | Sequence[str]) -> dict[str, Any] | None:
    actions = (action,) if isinstance(action, str) else action
    found = [e for e in dossier.get("timeline") or [] if e.get("action") in actions]
    return found[-1] if found else None


def paper_day(form: str, dossier: dict[str, Any], tz: tzinfo | None) -> date | None:
    """The day a paper is dated (which picks its template version): the event's day for the papers
    an action makes (Mẫu 02–05), else the day the dossier was received."""
    action = {"mau-02": "supplement", "mau-03": "refuse", "mau-04": EXTENSION, "mau-05": STOPPING}.get(form)
    event = last_event(dossier, action) if action else None
    when = local((event or {}).get("at"), tz) or local(dossier.get("received_at"), tz)
    return when.date() if when else None


def same_day(dossier: dict[str, Any], tz: tzinfo | None) -> bool:
    received, due = local(dossier.get("received_at"), tz), local(dossier.get("due_at"), tz)
    return bool(received and due and received.date() == due.date())


def available(dossier: dict[str, Any], tz: tzinfo | None) -> list[PrintForm]:
    """The papers that apply to this dossier now (the detail page links them)."""
    out = []
    if not dossier.get("purged"):
        out.append(FORMS["to-khai"])
    if not same_day(dossier, tz):
        out.append(FORMS["mau-01"])
    if last_event(dossier, "supplement"):
        out.append(FORMS["mau-02"])
    if last_event(dossier, "refuse"):
        out.append(FORMS["mau-03"])
    if last_event(dossier, EXTENSION):
        out.append(FORMS["mau-04"])
    if last_event(dossier, STOPPING):
        out.append(FORMS["mau-05"])
    out.append(FORMS["mau-06"])
    return out


# --- contexts -------------------------------------------------------------------------------

def _common(dossier: dict[str, Any], procedure: Procedure | None, tz: tzinfo | None) -> dict[str, Any]:
    received = local(dossier.get("received_at"), tz)
    due = local(dossier.get("new_due_at") or dossier.get("due_at"), tz)
    applicant = dossier.get("applicant") or {}
    values = dossier.get("values") or {}
    return {"received": received, "due": due, "first_due": local(dossier.get("due_at"), tz),
            "applicant_name": applicant.get("name") or "", "applicant_phone": applicant.get("phone") or "",
            "applicant_id": applicant.get("id_number") or "", "address": residence(values),
            "procedure_name": dossier.get("procedure_name") or (procedure.name if procedure else ""),
            "time_words": time_words, "day_words": day_words, "short_time": short_time,
            "seq": (dossier.get("code") or "").rsplit("-", 1)[-1],
            "province_code": dossier.get("province_code") or ""}


def residence(values: dict[str, Any]) -> str:
    """The applicant's address for the one-stop forms: the requester's residence, else the first."""
    if values.get("requester_residence"):
        return str(values["requester_residence"])
    for name, value in values.items():
        if name.endswith("residence") and value:
            return str(value)
    return ""


def declaration_title(procedure: Procedure | None) -> str:
    if procedure is None:
        return "PHIẾU THÔNG TIN HỒ SƠ"
    if not procedure.declaration:
        return "PHIẾU YÊU CẦU " + procedure.name.upper()
    name = procedure.name
    return "TỜ KHAI " + name.upper()


def declaration_rows(procedure: Procedure, values: dict[str, Any]
                     ) -> list[tuple[SectionView, SectionView | None, list[tuple[str, str, str | None, str]]]]:
    """Sections for the paper: [(left section, right section or None, rows)], rows = [(label, left
    value, right value)]. Only fields printed on paper; the footer fields go to the footer."""
    shown = display_values(procedure, values)
    out = []
    for left, right in paired_sections(sections(procedure)):
        rows = []
        right_widgets = list(right.widgets) if right else []
        for i, w in enumerate(left.widgets):
            if not w.spec.paper or w.name in FOOTER_FIELDS:
                continue
            rv = shown.get(right_widgets[i].name, "") if right else None
            rows.append((w.spec.label, shown.get(w.name, ""), rv, w.kind))
        if rows:
            out.append((left, right, rows))
    return out


def context(form: str, dossier: dict[str, Any], procedure: Procedure | None, tz: tzinfo | None) -> dict[str, Any]:
    """Everything the template of ``form`` needs; :class:`NotPrintable` when it does not apply."""
    ctx = _common(dossier, procedure, tz)
    code = dossier.get("code")
    if form == "to-khai":
        values = dossier.get("values")
        if dossier.get("purged") or values is None:
            raise NotPrintable(f"Dữ liệu cá nhân của hồ sơ {code} đã được xóa theo quy định bảo vệ dữ liệu; "
                               "không in lại tờ khai được.")
        if procedure is None:
            raise NotPrintable(f"Danh mục hiện tại không còn thủ tục {dossier.get('procedure')}; "
                               "không dựng lại được tờ khai.")
        signed_on = parse_partial(values.get("signed_on")) if values.get("signed_on") else None
        pairs = [(left, right) for left, right in paired_sections(sections(procedure)) if right is not None]
        signers = [(s.title, values.get(_name_field(s))) for pair in pairs[:1] for s in pair] or \
            [("Người yêu cầu", ctx["applicant_name"])]
        names = {f.name for f in procedure.fields}
        copies_text = ""
        if procedure.copies_text:
            copies_text = procedure.copies_text.format(copies=values.get("copies") or ".....")
        ctx.update(title=declaration_title(procedure), sections=declaration_rows(procedure, values),
                   values=values, has_copies="copies_requested" in names and not copies_text,
                   copies_text=copies_text, pledge=procedure.pledge, form_notes=procedure.form_notes,
                   copies_requested=bool(values.get("copies_requested")), copies=values.get("copies"),
                   signed_day=day_words(signed_on.to_date() if signed_on and
                                                                         signed_on.complete else ctx["received"]),
                   signers=signers, legal_basis=procedure.legal_basis)
        if values.get("place"):          # else the office's place ("Làm tại" prefilled with the commune)
            ctx["place"] = values["place"]
    elif form == "mau-01":
        if same_day(dossier, tz):
            raise NotPrintable(f"Hồ sơ {code} có kết quả trong ngày: theo mô hình 'không giấy hẹn' không in "
                               "Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01).")
        docs = list(procedure.documents) if procedure else []
        ctx.update(documents=[d for d in docs if d.mode == "submit"], shown_docs=[d for d in docs if d.mode == "show"],
                   local_code=code,
                   time_limit=procedure.time_limit.describe() if procedure else "",
                   by_post=dossier.get("return_by_post"), post_address=dossier.get("post_address") or "")
    elif form in ("mau-02", "mau-03", "mau-04", "mau-05"):
        action = {"mau-02": "supplement", "mau-03": "refuse", "mau-04": EXTENSION, "mau-05": STOPPING}[form]
        event = last_event(dossier, action)
        if event is None:
            what = {"mau-02": "yêu cầu bổ sung (thao tác 'Yêu cầu bổ sung')",
                    "mau-03": "quyết định từ chối (thao tác 'Từ chối')",
                    "mau-04": "văn bản xin lỗi và gia hạn (thao tác 'Xin lỗi và gia hạn')",
                    "mau-05": "việc dừng giải quyết hay rút hồ sơ (thao tác 'Dừng giải quyết' hoặc 'Rút hồ sơ')"}[form]
            raise NotPrintable(f"Hồ sơ {code} chưa có {what}; ghi lý do trên trang hồ sơ rồi in.")
        ctx.update(event=event, event_at=local(event.get("at"), tz), reason=event.get("reason") or "",
                   new_due=local(event.get("new_due_at"), tz), withdrawn=event.get("action") == "withdraw")
    elif form == "mau-06":
        rows = []
        for e in dossier.get("timeline") or []:
            at = local(e.get("at"), tz)
            result = e.get("state_label") or ""
            if e.get("action") == "return" and dossier.get("outcome_label"):
                result = dossier["outcome_label"]
            rows.append({"at": at, "giver": e.get("from") or "", "receiver": e.get("to") or "",
                         "action": e.get("action_label") or e.get("action"), "result": result,
                         "note": "; ".join(x for x in (e.get("reason"), e.get("note")) if x), "by": e.get("by") or ""})
        ctx.update(rows=rows)
    return ctx


def _name_field(section: SectionView) -> str:
    for w in section.widgets:
        if w.spec.type == "text" and w.spec.uppercase:
            return w.name
    return ""


# --- the logbook (Mẫu 07) ------------------------------------------------------------------------

def logbook_row(index: int, item: dict[str, Any], full: dict[str, Any], tz: tzinfo | None) -> dict[str, Any]:
    """Row ``index`` of the logbook: ``item`` from the dossier search, ``full`` the whole dossier
    (for the address on its declaration)."""
    applicant = item.get("applicant") or {}
    notes = [item.get("state_label") or ""]
    if full.get("ticket_number"):
        notes.append(f"số thứ tự {full['ticket_number']}")
    if item.get("outcome_label"):
        notes.append(item["outcome_label"])
    if item.get("channel") and item.get("channel") != "truc_tiep":
        notes.append(item.get("channel_label") or item["channel"])
    handover = next((e for e in full.get("timeline") or [] if e.get("action") == "handover"), None)
    return {"stt": index, "code": item["code"], "province_code": item.get("province_code") or "",
            "procedure": item.get("procedure_name"),
            "count": 1, "transferred": short_time(local((handover or {}).get("at"), tz)),
            "name": applicant.get("name") or "", "address": residence(full.get("values") or {}),
            "phone": applicant.get("phone") or "",
            "received": short_time(local(item.get("received_at"), tz)),
            "due": short_time(local(item.get("new_due_at") or item.get("due_at"), tz)),
            "ready": short_time(local(item.get("ready_at"), tz)),
            "returned": short_time(local(item.get("returned_at"), tz)),
            "note": "; ".join(n for n in notes if n)}
