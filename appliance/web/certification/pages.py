"""Chứng thực pages for officers: record a document (its number, fee and lời chứng come back at
once), print the lời chứng or stamp it by hand, print the Sổ chứng thực (HTML and PDF, A4
landscape). Thin views over the certification service; the audit log is written by the service.

* ``/chung-thuc`` — the form and today's lines of both books;
* ``/chung-thuc/<id>/loi-chung`` (``.pdf``) — the lời chứng of one line;
* ``/chung-thuc/so?book=BS&from=&to=`` (``/chung-thuc/so.pdf``) — the book;
* ``POST /chung-thuc/quyen-moi`` — the paper book is full: the next quyển.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...domain import certification as rules
from ...domain.dossier_form import money
from ...domain.errors import DomainError
from ...domain.fields import FieldError, parse_date
from ..auth import appliance, current_principal
from ..dossiers.pages import _pdf_response, _render_print, error_page, message_page
from ..i18n import current_language
from ..login.access import page_requires

bp = Blueprint("certification_pages", __name__)
BOOK_MAX_DAYS = 366


def service():
    return appliance().certifications


def user_name() -> str | None:
    principal = current_principal()
    return principal.name if principal else None


def today() -> date:
    return datetime.fromtimestamp(appliance().clock(), appliance().tz).date()


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    return parse_date(text, partial=False).to_date()  # type: ignore[return-value]  # partial=False: a whole date


def _index(form: dict | None = None, error: str | None = None, status: int = 200):
    day = today()
    books = {code: service().book(code, day, day, user=user_name()) for code in rules.BOOKS}
    return render_template("certification/index.html", books=books, BOOKS=rules.BOOKS, SIGNING=rules.SIGNING,
                           form=form or {"book": request.args.get("book", "BS"), "copies": "1"}, error=error,
                           money=money, lang=current_language()), status


@bp.get("/chung-thuc")
@page_requires("certify")
def index():
    """The form; ``?dossier=CODE`` prefills it from a chứng thực dossier's request slip."""
    code = request.args.get("dossier")
    if not code:
        return _index()
    try:
        dossier = appliance().dossiers.get(code, user=user_name())
    except DomainError as exc:
        return _index(None, exc.message(current_language()), 404)
    if rules.book_of_procedure(dossier.get("procedure")) is None:
        return _index(None, _("Hồ sơ %(code)s không phải thủ tục chứng thực.", code=code), 400)
    return _index(rules.entry_from_dossier(dossier))


@bp.post("/chung-thuc")
@page_requires("certify")
def record():
    form = request.form.to_dict()
    try:
        line = service().record(form, user=user_name())
    except DomainError as exc:
        return _index(form, exc.message(current_language()), 400)
    return redirect(url_for("certification_pages.attestation", entry_id=line["id"]), 303)


@bp.post("/chung-thuc/quyen-moi")
@page_requires("certify")
def next_volume():
    try:
        service().start_next_volume(request.form.get("book", ""), user=user_name())
    except DomainError as exc:
        return error_page(exc)
    return redirect(url_for("certification_pages.index"), 303)


@bp.get("/chung-thuc/<int:entry_id>/loi-chung")
@bp.get("/chung-thuc/<int:entry_id>/loi-chung.pdf", endpoint="attestation_pdf")
@page_requires("certify")
def attestation(entry_id: int):
    as_pdf = request.path.endswith(".pdf")
    try:
        line = service().get(entry_id, user=user_name())
    except DomainError as exc:
        return error_page(exc)
    html = _render_print("print/attestation.html", as_pdf, d=None, line=line, book=rules.BOOKS[line["book"]],
                         back_url=url_for("certification_pages.index"),
                         pdf_url=None if as_pdf else request.path + ".pdf")
    if as_pdf:
        return _pdf_response(html, f"loi-chung-{line['book']}-{line['year']}-{line['number']}.pdf")
    return html


@bp.get("/chung-thuc/so")
@bp.get("/chung-thuc/so.pdf", endpoint="book_pdf")
@page_requires("certify")
def book():
    as_pdf = request.path.endswith(".pdf")
    day = today()
    try:
        first = _day(request.args.get("from"), day.replace(month=1, day=1))
        last = _day(request.args.get("to"), day)
    except FieldError as exc:
        return message_page(_("Ngày không hợp lệ"), exc.vi if current_language() == "vi" else exc.en, 400)
    if last < first:
        return message_page(_("Ngày không hợp lệ"), _("Ngày 'đến' phải sau hoặc bằng ngày 'từ'."), 400)
    if last - first > timedelta(days=BOOK_MAX_DAYS):
        return message_page(_("Khoảng ngày quá dài"), _("Mỗi lần in sổ tối đa %(days)d ngày; chọn khoảng ngắn hơn.",
                                                        days=BOOK_MAX_DAYS), 400)
    try:
        data = service().book(request.args.get("book", "BS"), first, last, user=user_name())
    except DomainError as exc:
        return error_page(exc)
    query = request.query_string.decode()
    html = _render_print("print/cert_book.html", as_pdf, d=None, book=data, first=first, last=last,
                         back_url=url_for("certification_pages.index"), money=money,
                         pdf_url=None if as_pdf else "/chung-thuc/so.pdf" + ("?" + query if query else ""))
    if as_pdf:
        return _pdf_response(html, f"so-chung-thuc-{data['book']}-{first:%Y%m%d}-{last:%Y%m%d}.pdf")
    return html
