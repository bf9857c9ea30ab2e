"""Dossier pages for staff and the citizen mirror: the list, form entry, a dossier, print views.

Thin views: parse the request, call the dossier service (``appliance.dossiers``, the one the JSON
API calls too, with the same roles and the same audit log entries), render. Strings are Flask-Babel
msgids (Vietnamese; English in ``translations/``); the printed forms stay Vietnamese. Pages:

* ``/dossiers`` — search (code, name, phone, personal number), filters, working-time countdown;
* ``/dossiers/new?procedure=CODE&counter=N[&ticket=ID][&draft=UUID]`` — the form, autosaved;
* ``/dossiers/<code>`` — a dossier, its actions and its Mẫu 06 timeline;
* ``/dossiers/<code>/print/<form>`` (``.pdf``) — to-khai, mau-01, mau-02, mau-03, mau-06, phieu-xin-loi;
* ``/dossiers/logbook?from=&to=`` (``/dossiers/logbook.pdf``) — Mẫu 07;
* ``/mirror/<counter>`` — the screen facing the citizen at that counter.
"""
from __future__ import annotations

import functools
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from ...catalog.loader import load_form_versions
from ...domain import dossier_form as layout
from ...domain import dossier_papers as papers
from ...domain import dossiers as rules
from ...domain import forms as paper_words
from ...domain.calendar import WorkCalendar
from ...domain.dossier_timing import classify, describe, parse_iso
from ...domain.errors import DomainError
from ...domain.fields import FieldError, parse_date
from ...domain.messages import mask_phone
from ...gpio.board import LEVEL_NAMES, RATING_LEVELS
from ...store import office_store, queue_store
from ..auth import CAN, appliance, current_principal, may_mirror, signed_in
from ..errors import http_status
from ..i18n import current_language
from ..login.access import accept_device_token, page_requires
from ..screens.qr import qr_svg
from . import forms
from .logbook import logbook_entries
from .pdf import PdfError, html_to_pdf

bp = Blueprint("dossier_pages", __name__)

PAGE_SIZE = 50
PRINT_CSS = Path(__file__).parents[1] / "static" / "css" / "print.css"


PRINT_LANG = "vi"   # the printed papers are legal forms: Vietnamese only, whatever the reader's language


@bp.context_processor
def _context() -> dict[str, Any]:
    lang = current_language()
    return {"lang": lang, "money": lambda amount: layout.money(amount, lang),
            "office_tz": appliance().settings.office.timezone, "STATES": rules.STATES,
            "CHANNELS": rules.CHANNELS, "IT_FAMILIARITY": rules.IT_FAMILIARITY, "mask_phone": mask_phone}


def service():
    """The dossier service (:class:`appliance.services.dossiers.DossierService`)."""
    return appliance().dossiers


def user_name() -> str | None:
    """Who is asking, for the audit log (the page decorators have checked the role)."""
    principal = current_principal()
    return principal.name if principal else None


def counters() -> list[dict[str, Any]]:
    return office_store.list_counters(appliance().db.conn())


def calendar() -> WorkCalendar:
    """The office's working calendar, as the dossier service holds it (rebuilt when settings change)."""
    return appliance().dossiers.calendar


def one_stop_label(party: str | None) -> str:
    """A handover party of Mẫu 06 as the service wrote it ("Bộ phận Một cửa (canbo1)"), in the reader's language."""
    if party and party.startswith("Bộ phận Một cửa"):
        return _("Bộ phận Một cửa") + party[len("Bộ phận Một cửa"):]
    if party == "Người nộp hồ sơ":
        return _("Người nộp hồ sơ")
    return party or ""


def message_page(title: str, message: str, status: int):
    return render_template("layout/message.html", title=title, message=message, status=status), status


def error_page(exc: DomainError):
    """A rule of the dossier service said no: its message in the reader's language, its status."""
    titles = {403: _("Không có quyền"), 404: _("Không tìm thấy"), 409: _("Không thực hiện được")}
    status = http_status(exc)
    return message_page(titles.get(status, _("Có lỗi")), exc.message(current_language()), status)


def local_time(iso: str | None, with_date: bool = True) -> str:
    """``2026-11-30T10:05:00+07:00`` → ``10:05 30/11/2026`` (as the office writes it)."""
    when = parse_iso(iso)
    if when is None:
        return ""
    when = when.astimezone(appliance().tz)
    return f"{when:%H:%M} {when:%d/%m/%Y}" if with_date else f"{when:%H:%M}"


# --- the list ---------------------------------------------------------------------------------

def target_left_text(seconds: float | None, hours_per_day: float) -> str:
    """The countdown to the 2-hour target; past it is "quá mục tiêu", never "quá hạn" (not late)."""
    if seconds is None:
        return ""
    lang = current_language()
    text = describe(abs(seconds), hours_per_day, lang)
    if seconds >= 0:
        return text
    return (text.replace(" left", " past the target") if lang == "en"
            else text.replace("còn ", "quá mục tiêu ", 1))


def row_view(item: dict[str, Any], cal: WorkCalendar, now: datetime) -> dict[str, Any]:
    due = parse_iso(item.get("new_due_at") or item.get("due_at"))
    received = parse_iso(item.get("received_at"))
    allowed = cal.working_seconds_between(received, due) if due and received else None
    left = item.get("time_left_s")
    if left is None and due is not None and item.get("state") in rules.OPEN_STATES:
        left = cal.working_seconds_between(now, due)
    status = classify(left, allowed, bool(item.get("overdue")))
    applicant = item.get("applicant") or {}
    lang = current_language()
    procedure = appliance().dossiers.catalog.procedures.get(item.get("procedure") or "") if lang == "en" else None
    if procedure is not None and procedure.name_en:
        item = {**item, "procedure_name": procedure.name_en}
    return {**item, "status": status.status, "left_s": status.seconds, "soon_s": status.threshold_s,
            "left_text": status.text(cal.hours_per_day, current_language()),
            "received_text": local_time(item.get("received_at")), "due_text": local_time(
                item.get("new_due_at") or item.get("due_at")), "applicant_name": applicant.get("name") or "",
            "legal_due_text": local_time(item.get("legal_due_at") or item.get("due_at")),
            "extended_due_text": local_time(item.get("extended_due_at")),
            "target_text": local_time(item.get("target_due_at")),
            "target_left_text": target_left_text(item.get("target_left_s"), cal.hours_per_day),
            "applicant_phone": applicant.get("phone") or ""}


@bp.get("/dossiers")
@page_requires("dossier")
def dossier_list():
    args = request.args
    page = max(_int(args.get("page"), 1), 1)
    params = {"q": args.get("q", "").strip(), "state": args.get("state") or None,
              "procedure": args.get("procedure") or None, "overdue": "1" if args.get("overdue") else None}
    error = None
    try:
        result = service().search(q=params["q"], state=params["state"], procedure=params["procedure"],
                                  overdue=bool(params["overdue"]), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                  user=user_name(), lang=current_language())
    except DomainError as exc:
        error, result = exc.message(current_language()), {"items": [], "total": 0, "total_capped": False}
    cal = calendar()
    now = datetime.fromtimestamp(appliance().clock(), appliance().tz)
    rows = [row_view(item, cal, now) for item in result.get("items", [])]
    office = appliance().settings.office
    context = dict(rows=rows, total=result.get("total", 0), capped=result.get("total_capped", False),
                   page=page, page_size=PAGE_SIZE, params=params, error=error,
                   catalog=forms.catalog_of(appliance()), hours_per_day=cal.hours_per_day,
                   sessions=f"{office.morning},{office.afternoon}",
                   working_days=",".join(office.working_days))
    if args.get("partial"):
        return render_template("dossiers/_rows.html", **context)
    return render_template("dossiers/list.html", **context)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- form entry -------------------------------------------------------------------------------

@bp.get("/dossiers/new")
@page_requires("dossier")
def dossier_new():
    catalog = forms.catalog_of(appliance())
    code = request.args.get("procedure", "").strip()
    counter = _int(request.args.get("counter"), 0) or None
    if not code:
        return render_template("dossiers/pick.html", menu=layout.procedure_menu(catalog, current_language()),
                               counter=counter, ticket=request.args.get("ticket"))
    try:
        procedure = catalog.get(code)
    except KeyError:
        return message_page(_("Không có thủ tục"),
                            rules.DossierNotFound("unknown_procedure", "procedure", procedure=code)
                            .message(current_language()), 404)
    sections = layout.sections(procedure)
    ticket_id = _int(request.args.get("ticket"), 0) or None
    ticket = queue_store.get_ticket(appliance().db, ticket_id) if ticket_id else None
    return render_template("dossiers/new.html", procedure=procedure, sections=sections,
                           datalists=forms.datalists(procedure, catalog), counter=counter, counters=counters(),
                           ticket=ticket.id if ticket else None, ticket_obj=ticket,
                           draft=request.args.get("draft", ""), pool=appliance().settings.queue.pager_pool,
                           pager_pool=_pager_pool(),
                           field_of_work=catalog.fields_of_work[procedure.field_of_work].name,
                           place_default=paper_words.place_name(appliance().settings.office))


def _pager_pool() -> dict[str, Any]:
    """Free / in use before the officer starts typing (``counter/_pager_pool.html``)."""
    from ...services.pagers import pool_status
    app_ = appliance()
    with app_.db.read() as conn:
        return pool_status(conn, app_.settings.queue.pager_pool, app_.today())


# --- one dossier --------------------------------------------------------------------------------

def load_dossier(code: str, lang: str | None = None) -> dict[str, Any]:
    """The whole dossier; the service writes the view to the audit log."""
    return service().get(code, user=user_name(), lang=lang or current_language())


def procedure_of(dossier: dict[str, Any]):
    try:
        return forms.catalog_of(appliance()).get(dossier["procedure"])
    except KeyError:
        return None


@bp.get("/dossiers/<code>")
@page_requires("dossier")
def dossier_detail(code: str):
    try:
        dossier = load_dossier(code)
    except DomainError as exc:
        return error_page(exc)
    procedure = procedure_of(dossier)
    cal = calendar()
    now = datetime.fromtimestamp(appliance().clock(), appliance().tz)
    row = row_view(dossier, cal, now)
    values = dossier.get("values") or {}
    sections = layout.sections(procedure) if procedure else []
    shown = layout.display_values(procedure, values, current_language()) if procedure else {}
    principal = signed_in()
    return render_template("dossiers/detail.html", d=row, procedure=procedure, sections=sections, shown=shown,
                           prints=papers.available(dossier, appliance().tz), local_time=local_time,
                           paper_titles=papers.TITLES_EN, one_stop=one_stop_label,
                           may_act=principal.role in CAN["counter"], may_certify=principal.role in CAN["certify"])


# --- print views -------------------------------------------------------------------------------

def _pdf_response(html: str, filename: str) -> Response:
    try:
        pdf = html_to_pdf(html, keep_warm=appliance().settings.web.pdf_warm)
    except PdfError as exc:
        return message_page(_("Không xuất được PDF"), exc.text(current_language()), 503)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


def _render_print(template: str, as_pdf: bool, **context) -> str:
    """A paper: the print CSS inlined for a PDF; the office, its one-stop unit's name (TT 03/2025)
    and the place written on the date line are known to every template."""
    css = PRINT_CSS.read_text(encoding="utf-8") if as_pdf else None
    office = appliance().settings.office
    context.setdefault("unit", paper_words.unit_name(office))
    context.setdefault("place", paper_words.place_name(office))
    return render_template(template, inline_css=css, as_pdf=as_pdf, office=office,
                           dated=paper_words.place_date, receipt_book=paper_words.receipt_book, **context)


def form_version(form: str, day: date | None) -> paper_words.FormVersion:
    """The version of a paper in force on its day (``appliance/catalog/forms.toml``)."""
    when = day or datetime.fromtimestamp(appliance().clock(), appliance().tz).date()
    return paper_words.version_for(_versions(), form, when)


@functools.cache
def _versions() -> tuple[paper_words.FormVersion, ...]:
    return load_form_versions()


@bp.get("/dossiers/<code>/print/<name>")
@page_requires("dossier")
def dossier_print(code: str, name: str):
    as_pdf = name.endswith(".pdf")
    form = papers.paper_name(name[:-4] if as_pdf else name)
    if form not in papers.FORMS:
        abort(404)
    try:
        dossier = load_dossier(code, PRINT_LANG)
    except DomainError as exc:
        return error_page(exc)
    try:
        context = papers.context(form, dossier, procedure_of(dossier), appliance().tz)
    except papers.NotPrintable as exc:
        return message_page(_("Chưa in được"), str(exc), 409)
    version = form_version(form, papers.paper_day(form, dossier, appliance().tz))
    if form == "mau-01":
        # the receipt's QR opens the lookup (state and due time) on the office's public address
        link = appliance().lookup.dossier_link(appliance().public_base(), code)
        context["lookup_qr"] = qr_svg(link, "Mã QR tra cứu hồ sơ")
        context["lookup_url"] = appliance().public_base() + "/thu-tuc/tra-cuu"
    html = _render_print(version.template, as_pdf, d=dossier, form=form, version=version,
                         pdf_url=request.path + ".pdf" if not as_pdf else None, **context)
    if as_pdf:
        return _pdf_response(html, f"{code}-{form}.pdf")
    return html


def parse_day(text: str | None, default: date) -> date:
    if not text:
        return default
    parsed = parse_date(text, partial=False)
    return parsed.to_date()  # type: ignore[return-value]  # partial=False: always a whole date


@bp.get("/dossiers/logbook")
@bp.get("/dossiers/logbook.pdf")
@page_requires("dossier")
def logbook():
    as_pdf = request.path.endswith(".pdf")
    today = datetime.fromtimestamp(appliance().clock(), appliance().tz).date()
    try:
        start = parse_day(request.args.get("from"), today)
        end = parse_day(request.args.get("to"), start)
    except FieldError as exc:
        return message_page(_("Ngày không hợp lệ"), exc.vi if current_language() == "vi" else exc.en, 400)
    if end < start:
        return message_page(_("Ngày không hợp lệ"), _("Ngày 'đến' phải sau hoặc bằng ngày 'từ'."), 400)
    if (end - start) > timedelta(days=papers.LOGBOOK_MAX_DAYS):
        return message_page(_("Khoảng ngày quá dài"),
                            _("Mỗi lần in sổ tối đa %(days)d ngày; chọn khoảng ngắn hơn.",
                              days=papers.LOGBOOK_MAX_DAYS), 400)
    user = user_name()

    def search(**query):
        return service().search(**query, user=user, lang=PRINT_LANG)

    try:
        entries, truncated = logbook_entries(search, lambda c: load_dossier(c, PRINT_LANG), start, end,
                                             appliance().tz)
    except DomainError as exc:
        return error_page(exc)
    query = request.query_string.decode()
    version = form_version("mau-07", end)
    html = _render_print(version.template, as_pdf, version=version, entries=entries, start=start, end=end,
                         truncated=truncated,
                         pdf_url=None if as_pdf else "/dossiers/logbook.pdf" + ("?" + query if query else ""))
    if as_pdf:
        return _pdf_response(html, f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
    return html


# --- the citizen mirror -------------------------------------------------------------------------

def _mirror_anonymous(counter_id: int):
    """A citizen screen with no token shows its pairing code; the administrator approves it as
    this counter's mirror in Quản trị → Màn hình."""
    from ..screens import pairing_page
    return pairing_page(f"/mirror/{counter_id}")


def _mirror_gate(view):
    import functools

    @functools.wraps(view)
    def wrapped(*args, counter_id: int, **kwargs):
        accepted = accept_device_token(("mirror",), counter_id=counter_id)
        if accepted is not None:
            return accepted
        principal = current_principal()
        if principal is None:
            return _mirror_anonymous(counter_id)
        if not may_mirror(principal, counter_id):
            return message_page(_("Không có quyền"),
                                _("Mã truy cập này không được mở màn hình cho công dân của quầy %(n)s. Màn "
                                  "hình sảnh và máy lấy số không bao giờ xem được tờ khai; hãy dùng mã vai trò "
                                  "mirror tạo cho đúng quầy này.", n=counter_id), 403)
        return view(*args, counter_id=counter_id, **kwargs)
    return wrapped


RATING_EN = {"very_satisfied": "Very satisfied", "satisfied": "Satisfied", "neutral": "Neither",
             "unsatisfied": "Unsatisfied", "very_unsatisfied": "Very unsatisfied"}


@bp.get("/mirror/<int:counter_id>")
@_mirror_gate
def mirror(counter_id: int):
    counter = next((c for c in counters() if c.get("id") == counter_id), None)
    if counter is None:
        return message_page(_("Không có quầy"),
                            rules.DossierNotFound("unknown_counter", "counter", counter=counter_id)
                            .message(current_language()), 404)
    mirror_layout = layout.mirror_layout(forms.catalog_of(appliance()), current_language())
    settings = appliance().settings
    # the faces match the counter's GPIO rating buttons when it has some (3 or 5), else [queue].rating_faces
    buttons = settings.gpio.rating_buttons.get(counter_id) or settings.gpio.rating_buttons.get(str(counter_id))
    faces = len(buttons) if buttons and len(buttons) in RATING_LEVELS else settings.queue.rating_faces
    english = current_language() == "en"
    rating = {"levels": [{"level": lv, "label": RATING_EN[lv] if english else LEVEL_NAMES[lv]}
                         for lv in RATING_LEVELS[faces]],
              "show_s": settings.queue.rating_screen_s}
    return render_template("dossiers/mirror.html", counter=counter, counter_id=counter_id,
                           rating_json=json.dumps(rating, ensure_ascii=False),
                           layout_json=json.dumps(mirror_layout, ensure_ascii=False).replace("</", "<\\/"))
