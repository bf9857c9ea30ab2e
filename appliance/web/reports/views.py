"""The commune's reports for officers and the administrator.

* ``/reports?ky=KIND&ma=KEY`` (or ``&tu=YYYY-MM-DD&den=YYYY-MM-DD`` for a range) — every table of
  the period with its chart; KIND is one of ``appliance.domain.report_periods.KINDS``;
* ``/reports/<table>.xlsx`` and ``.csv`` — one table; ``/reports/tat-ca.xlsx`` — all of them, a sheet each;
* ``/reports/ii06a`` (``.pdf``, ``.xlsx``, ``.csv``) — Biểu số II.06a/VPCP/KSTT for this commune
  (``nhan`` the receiving unit, ``lap`` who made it).

Thin: read the period from the URL, ask ``appliance.reports`` (``services/reports.py``), render.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ...domain import report_ii06a
from ...domain import report_periods as periods
from ...domain.errors import DomainError
from ...domain.forms import place_name, unit_name
from ..auth import appliance, current_principal
from ..dossiers.pdf import PdfError, html_to_pdf
from ..i18n import current_language
from ..login.access import page_requires
from . import charts, files

bp = Blueprint("reports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = {
    "today": ("Hôm nay", "Today"), "week": ("Tuần này", "This week"), "month": ("Tháng (dương lịch)", "Calendar month"),
    "report_month": ("Kỳ tháng (15–14)", "Reporting month (15th–14th)"),
    "report_quarter": ("Kỳ quý", "Reporting quarter"), "report_half": ("Kỳ 6 tháng", "Reporting half-year"),
    "report_year": ("Kỳ năm", "Reporting year"), "range": ("Khoảng ngày", "Date range"),
}
MAX_TEXT = 120


def _number(value: Any, lang: str, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang != "en":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


@bp.context_processor
def _formatters() -> dict[str, Any]:
    lang = current_language()

    def cell(value: Any, fmt: str) -> str:
        if value is None:
            return "–"
        if fmt == "pct":
            return _number(value, lang, 2) + " %"
        if fmt == "minutes":
            return _number(value, lang, 1)
        if fmt == "int":
            return _number(value, lang)
        return str(value)
    return {"cell": cell, "num": lambda v: _number(v, lang), "minutes": lambda v: _number(v, lang, 1),
            "pct": lambda v: "–" if v is None else _number(v, lang, 1) + " %",
            "unit_name": unit_name(appliance().settings.office)}


def _lang() -> str:
    return current_language()


def _period() -> periods.Period:
    args = request.args
    return periods.parse(args.get("ky") or None, (args.get("ma") or "").strip() or None, appliance().reports.today(),
                         args.get("tu") or None, args.get("den") or None)


def _bad_period(exc: DomainError):
    lang = _lang()
    return render_template("layout/message.html", title=_("Kỳ báo cáo không hợp lệ"), message=exc.message(lang),
                           status=400), 400


def _query(period: periods.Period) -> dict[str, str]:
    if period.kind == "range":
        return {"ky": "range", "tu": period.first.isoformat(), "den": period.last.isoformat()}
    return {"ky": period.kind, "ma": period.key}


def _text(name: str) -> str:
    return " ".join((request.args.get(name) or "").split())[:MAX_TEXT]


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to a text type
    return Response(data, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _officer_name() -> str:
    principal = current_principal()
    return (principal.full_name or principal.name) if principal else ""


def _navigation(period: periods.Period) -> dict[str, Any]:
    """Previous / next period of the same kind, for the arrows on the page."""
    from datetime import timedelta
    if period.kind == "range":
        return {}
    before = periods.current(period.kind, period.first - timedelta(days=1))
    after = periods.current(period.kind, period.last + timedelta(days=1))
    return {"previous": _query(before), "next": _query(after)}


@bp.get("/reports")
@page_requires("reports")
def index():
    try:
        period = _period()
    except DomainError as exc:
        return _bad_period(exc)
    lang = _lang()
    report = appliance().reports.local(period, lang=lang)
    drawn = {t.key: Markup(charts.draw(t, lang)) for t in report.tables}   # noqa: S704 - escaped in charts
    appointments = appliance().appointments.report(period.first, period.last, lang)
    return render_template("reports/index.html", period=period, report=report, charts=drawn, lang=lang,
                           appointments=appointments,
                           query=_query(period), kinds=KIND_LABELS, nav=_navigation(period),
                           today=appliance().reports.today(), label=period.label_en if lang == "en" else period.label)


@bp.get("/reports/<key>.<ext>")
@page_requires("reports")
def table_file(key: str, ext: str):
    if ext not in ("csv", "xlsx") or len(key) > 40:
        abort(404)
    try:
        period = _period()
    except DomainError as exc:
        return _bad_period(exc)
    lang = _lang()
    if key == "ii06a":
        return _ii06a_file(period, ext)
    report = appliance().reports.local(period, lang=lang)
    office = appliance().settings.office
    label = period.label_en if lang == "en" else period.label
    now = datetime.fromtimestamp(appliance().clock(), appliance().tz)
    if key == "tat-ca" and ext == "xlsx":
        data = _excel().tables_workbook(report.tables, unit=unit_name(office), period=label, lang=lang, generated=now)
        return _file(data, XLSX, f"bao-cao-{period.slug}.xlsx")
    table = report.table(key)
    if table is None:
        abort(404)
    if ext == "csv":
        return _file(files.table_csv(table, lang), "text/csv; charset=utf-8", f"{key}-{period.slug}.csv")
    data = _excel().tables_workbook([table], unit=unit_name(office), period=label, lang=lang, generated=now)
    return _file(data, XLSX, f"{key}-{period.slug}.xlsx")


def _excel() -> Any:
    """:mod:`.excel`, imported when a workbook is first asked for (openpyxl stays out of memory
    until then)."""
    from . import excel
    return excel


def _ii06a(period: periods.Period) -> tuple[report_ii06a.Report, dict[str, Any]]:
    receiving = _text("nhan")
    report = appliance().reports.local(period, lang="vi", receiving_unit=receiving).ii06a
    office = appliance().settings.office
    now = datetime.fromtimestamp(appliance().clock(), appliance().tz)
    reporter = _text("lap") or _officer_name()
    return report, {"place": place_name(office), "on": now, "reporter": reporter}


def _ii06a_file(period: periods.Period, ext: str) -> Response:
    report, extra = _ii06a(period)
    if ext == "csv":
        return _file(files.ii06a_csv(report), "text/csv; charset=utf-8", f"bieu-II06a-{period.slug}.csv")
    return _file(_excel().ii06a_workbook(report, **extra), XLSX, f"bieu-II06a-{period.slug}.xlsx")


@bp.get("/reports/ii06a.pdf", endpoint="ii06a_pdf")
@bp.get("/reports/ii06a")
@page_requires("reports")
def ii06a():
    try:
        period = _period()
    except DomainError as exc:
        return _bad_period(exc)
    as_pdf = request.path.endswith(".pdf")
    report, extra = _ii06a(period)
    from ..dossiers.pages import PRINT_CSS
    signature = report_ii06a.signature_block(extra["place"], extra["on"].date(), extra["reporter"])
    query = {**_query(period), **{k: v for k in ("nhan", "lap") if (v := _text(k))}}
    html = render_template("print/ii06a.html", report=report, f=report_ii06a, signature=signature, as_pdf=as_pdf,
                           inline_css=PRINT_CSS.read_text(encoding="utf-8") if as_pdf else None,
                           query=query, period=period, office=appliance().settings.office,
                           back_url=url_for("reports.index", **_query(period)),
                           pdf_url=url_for("reports.ii06a_pdf", **query))
    if not as_pdf:
        return html
    try:
        pdf = html_to_pdf(html, keep_warm=appliance().settings.web.pdf_warm)
    except PdfError as exc:
        return render_template("layout/message.html", title=_("Không xuất được PDF"), message=exc.text(_lang()),
                               status=503), 503
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="bieu-II06a-{period.slug}.pdf"', "Cache-Control": "no-store"})
