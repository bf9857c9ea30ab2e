"""Periodic report tables (page, Excel, CSV) and the provincial export (JSON, CSV)."""
from __future__ import annotations

import csv as csv_module
import io
import json
from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, Response, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.domain import report_ii06a, report_periods
from appliance.domain.errors import DomainError
from district import exports
from district.domain import provincial, qd766, report_tables, reports
from district.hub import current
from district.store import catalog, dashboard, province
from district.store import reports as report_store
from district.web import charts
from district.web.auth import login_required

bp = Blueprint("reports", __name__, url_prefix="/bao-cao")


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    commune: str | None
    error: str | None = None

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}" + (f"-{self.commune}" if self.commune else "")

    def args(self) -> dict:
        commune = {"xa": self.commune} if self.commune else {}
        return {"tu": self.first.isoformat(), "den": self.last.isoformat(), **commune}


def _period() -> Period:
    today = current().today()
    commune = request.args.get("xa") or None
    try:
        first = date.fromisoformat(request.args.get("tu") or today.replace(day=1).isoformat())
        last = date.fromisoformat(request.args.get("den") or today.isoformat())
    except ValueError:
        return Period(today.replace(day=1), today, commune, _("Ngày phải có dạng NNNN-TT-NN."))
    if last < first:
        return Period(last, last, commune, _("Ngày bắt đầu phải trước ngày kết thúc."))
    return Period(first, last, commune)


def _tables(p: Period) -> tuple[list[report_tables.Table], str]:
    hub = current()
    tz = hub.settings.tz
    start, _x = dashboard.day_bounds(p.first, tz)
    _x, end = dashboard.day_bounds(p.last, tz)
    as_of = min(end, hub.now())
    with hub.engine.connect() as conn:
        ids = dashboard.commune_devices(conn, p.commune) if p.commune else None
        names = catalog.field_names(conn)
        # counted in the database: a province's year is millions of rows (bench/bench_province.py)
        fields = province.ii06a_counts(conn, start, end, as_of, ids)
        postal = province.postal_counts(conn, start, end, ids)
        targets = province.target_counts(conn, start, end, ids)
        votes = province.rating_counts(conn, p.first, p.last, ids)
        queue = province.queue_counts(conn, p.first, p.last, ids)
        unit = dict(dashboard.commune_choices(conn)).get(p.commune) if p.commune else None
    tables = [
        report_tables.fields_table(reports.fields_from_counts(fields, names)),
        report_tables.postal_table(reports.postal_from_counts(postal, names)),
        report_tables.satisfaction_table(reports.levels_from_counts(votes)),
        report_tables.officers_table(reports.officers_from_counts(votes)),
        # the model day's service goal, apart from the legal on-time rate above
        report_tables.target_table(reports.targets_from_counts(targets, names)),
        report_tables.queue_table(queue),
    ]
    return tables, unit or hub.settings.name


def _period_text(p: Period) -> str:
    return f"Từ ngày {p.first:%d/%m/%Y} đến ngày {p.last:%d/%m/%Y}"


@bp.get("/")
@login_required
def page():
    p = _period()
    tables, unit = _tables(p)
    with current().engine.connect() as conn:
        choices = dashboard.commune_choices(conn)
    return render_template("reports.html", p=p, tables=tables, unit=unit, choices=choices,
                           period_text=_period_text(p))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to a text type
    return Response(body, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/excel")
@login_required
def excel():
    p = _period()
    tables, unit = _tables(p)
    body = exports.xlsx(tables, f"Báo cáo kết quả giải quyết thủ tục hành chính – {unit}", _period_text(p))
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"bao-cao-{p.slug}.xlsx")


@bp.get("/csv/<key>")
@login_required
def csv(key: str):
    p = _period()
    tables, _unit = _tables(p)
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        return render_template("error.html", code=404, message=_("Không có bảng báo cáo này.")), 404
    return _download(exports.csv_bytes(table), "text/csv; charset=utf-8", f"{key}-{p.slug}.csv")


def _provincial(p: Period) -> list[dict]:
    hub = current()
    tz = hub.settings.tz
    start, _x = dashboard.day_bounds(p.first, tz)
    _x, end = dashboard.day_bounds(p.last, tz)
    with hub.engine.connect() as conn:
        ids = dashboard.commune_devices(conn, p.commune) if p.commune else None
        rows = report_store.provincial_rows(conn, start, end, ids)
    return [provincial.to_provincial(d, steps, unit, tz) for d, steps, unit in rows]


@bp.get("/tinh.json")
@login_required
def provincial_json():
    p = _period()
    body = json.dumps({"TuNgay": f"{p.first:%Y%m%d}", "DenNgay": f"{p.last:%Y%m%d}", "HoSo": _provincial(p)},
                      ensure_ascii=False, indent=1).encode("utf-8")
    return _download(body, "application/json", f"ho-so-{p.slug}.json")


@bp.get("/tinh.csv")
@login_required
def provincial_csv():
    p = _period()
    return _download(exports.provincial_csv(_provincial(p)), "text/csv; charset=utf-8", f"ho-so-{p.slug}.csv")



# --- Biểu II.06a for the province: one row per commune and per field ---------------------------------

MAX_TEXT = 120


def _text(name: str) -> str:
    return " ".join((request.args.get(name) or "").split())[:MAX_TEXT]


def ii06a_report(p: Period, by_field: bool = False, receiving_unit: str = "") -> report_ii06a.Report:
    """The form for the period: every commune (or the chosen one) with its total row and a row per
    field; ``by_field``: the province as one unit, a row per field."""
    hub = current()
    tz = hub.settings.tz
    start, _x = dashboard.day_bounds(p.first, tz)
    _x, end = dashboard.day_bounds(p.last, tz)
    with hub.engine.connect() as conn:
        ids = dashboard.commune_devices(conn, p.commune) if p.commune else None
        counts = province.ii06a_counts(conn, start, end, hub.now(), ids)
        units = province.communes(conn)
        names = catalog.field_names(conn)
    if p.commune:
        units = {k: v for k, v in units.items() if k == p.commune}
    if by_field:
        units = {"": hub.settings.name}
    per_field: dict[str, dict[str, report_ii06a.Row]] = {code: {} for code in units}

    def name_of(code: str) -> str:
        return reports.field_name(code, names)
    for commune, code, received, second, n in counts:
        row = report_ii06a.field_row(per_field, "" if by_field else commune, code, name_of)
        setattr(row, received, getattr(row, received) + n)
        setattr(row, second, getattr(row, second) + n)
    return report_ii06a.assemble(per_field, start, end, units=units, reporting_unit=hub.settings.name,
                                 receiving_unit=receiving_unit, first_day=p.first, last_day=p.last)


def _ii06a_context(p: Period) -> dict:
    hub = current()
    by_field = request.args.get("theo") == "linh-vuc"
    report = ii06a_report(p, by_field, _text("nhan"))
    on = hub.now().astimezone(hub.settings.tz)
    reporter = _text("lap") or session.get("user", "")
    query = {**p.args(), **{k: v for k in ("nhan", "lap", "theo") if (v := _text(k))}}
    return {"report": report, "by_field": by_field, "on": on, "reporter": reporter, "query": query,
            "signature": report_ii06a.signature_block(hub.settings.name, on.date(), reporter)}


def _render_ii06a(p: Period, as_pdf: bool) -> str:
    from appliance.web.dossiers.pages import PRINT_CSS
    return render_template("ii06a.html", p=p, f=report_ii06a, as_pdf=as_pdf,
                           inline_css=PRINT_CSS.read_text(encoding="utf-8"), **_ii06a_context(p))


@bp.get("/ii06a")
@login_required
def ii06a():
    p = _period()
    if p.error:
        return render_template("error.html", code=400, message=p.error), 400
    return _render_ii06a(p, as_pdf=False)


@bp.get("/ii06a.pdf")
@login_required
def ii06a_pdf():
    from appliance.web.dossiers.pdf import PdfError, html_to_pdf
    p = _period()
    if p.error:
        return render_template("error.html", code=400, message=p.error), 400
    try:
        body = html_to_pdf(_render_ii06a(p, as_pdf=True))
    except PdfError as exc:
        return render_template("error.html", code=503, message=exc.text(str(get_locale() or "vi"))), 503
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bieu-II06a-{p.slug}.pdf"'})


@bp.get("/ii06a.xlsx")
@login_required
def ii06a_xlsx():
    from appliance.web.reports.excel import ii06a_workbook
    p = _period()
    if p.error:
        return render_template("error.html", code=400, message=p.error), 400
    ctx = _ii06a_context(p)
    body = ii06a_workbook(ctx["report"], place=current().settings.name, on=ctx["on"], reporter=ctx["reporter"])
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"bieu-II06a-{p.slug}.xlsx")


# --- QĐ 766 components per commune, month over month ------------------------------------------------

PAGE_SIZE = 50


def _months(default_count: int = 12) -> tuple[list[tuple[str, datetime, datetime]], list[tuple[str, date, date]],
                                             str | None]:
    hub = current()
    tz = hub.settings.tz
    error = None
    year, month = report_periods.reporting_month_of(hub.today())
    asked = request.args.get("den") or ""
    if asked:
        try:
            year, month = (int(x) for x in asked.split("-"))
            report_periods.report_month(year, month)
            if not 2000 <= year <= 2100:
                raise ValueError
        except (ValueError, DomainError):
            error = _("Kỳ tháng phải có dạng NNNN-TT.")
            year, month = report_periods.reporting_month_of(hub.today())
    try:
        count = min(24, max(2, int(request.args.get("so") or default_count)))
    except ValueError:
        count, error = 12, _("Số tháng phải là số từ 2 đến 24.")
    keys = []
    for _i in range(count):
        keys.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    spans, days = [], []
    for y, m in reversed(keys):
        period = report_periods.report_month(y, m)
        start, _x = dashboard.day_bounds(period.first, tz)
        _x, end = dashboard.day_bounds(period.last, tz)
        spans.append((period.key, start, end))
        days.append((period.key, period.first, period.last))
    return spans, days, error


def _qd766(commune: str | None = None, default_count: int = 12
           ) -> tuple[qd766.Trend, list[qd766.Trend], list, str | None]:
    spans, days, error = _months(default_count)
    hub = current()
    with hub.engine.connect() as conn:
        ids = dashboard.commune_devices(conn, commune) if commune else None
        counts = province.monthly_components(conn, spans, days, ids)
        units = province.communes(conn)
    if commune:
        units = {k: v for k, v in units.items() if k == commune}
    whole, rows = qd766.trends(counts, units, [k for k, _s, _e in spans], _("Toàn tỉnh"))
    return whole, rows, days, error


@bp.get("/qd766", endpoint="qd766")
@login_required
def qd766_page():
    whole, rows, days, error = _qd766()
    try:
        page = max(1, int(request.args.get("trang") or 1))
    except ValueError:
        page = 1
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    lang = str(get_locale() or "vi")
    months = [k for k, _f, _l in days]
    series = [((en if lang == "en" else vi), whole.rates[key]) for key, vi, en, _n, _d in qd766.COMPONENTS]
    chart = charts.lines(series, months, _("Toàn tỉnh theo tháng (%)"), lang)
    args = {"den": months[-1], "so": str(len(months))}
    return render_template("qd766.html", province=whole, rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                           page=page, pages=pages, months=months, components=qd766.COMPONENTS,
                           province_chart=chart, spark=lambda v, label: charts.spark(v, label, lang), args=args,
                           error=error, period_text=f"{days[0][1]:%d/%m/%Y} – {days[-1][2]:%d/%m/%Y}")


@bp.get("/qd766.xlsx")
@login_required
def qd766_xlsx():
    whole, rows, days, _error = _qd766()
    months = [k for k, _f, _l in days]
    body = exports.qd766_xlsx(f"Các thành phần chỉ số QĐ 766/QĐ-TTg – {current().settings.name}",
                              f"Từ ngày {days[0][1]:%d/%m/%Y} đến ngày {days[-1][2]:%d/%m/%Y}", months,
                              qd766.COMPONENTS, qd766.FORMULAS, [whole, *rows])
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"qd766-{months[0]}-{months[-1]}.xlsx")


@bp.get("/qd766.csv")
@login_required
def qd766_csv():
    whole, rows, days, _error = _qd766()
    out = io.StringIO()
    writer = csv_module.writer(out, quoting=csv_module.QUOTE_NONNUMERIC)
    writer.writerow(["Mã xã", "Xã", "Kỳ tháng", *(f"{vi} (%)" for _k, vi, _e, _n, _d in qd766.COMPONENTS),
                     *(f"{vi}: tử số/mẫu số" for _k, vi, _e, _n, _d in qd766.COMPONENTS)])
    for t in [whole, *rows]:
        for i, (month, _f, _l) in enumerate(days):
            writer.writerow([t.code, exports.cell_value(t.name), month,
                             *("" if t.rates[k][i] is None else t.rates[k][i] for k, *_r in qd766.COMPONENTS),
                             *(f"{t.counts[k][i][0]}/{t.counts[k][i][1]}" for k, *_r in qd766.COMPONENTS)])
    return _download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8",
                     f"qd766-{days[0][0]}-{days[-1][0]}.csv")


def commune_trends(code: str) -> dict:
    """The commune's QĐ 766 components over the last 6 reporting months, for its page."""
    _whole, rows, days, _error = _qd766(code, 6)
    lang = str(get_locale() or "vi")
    return {"trend": rows[0] if rows else None, "components": qd766.COMPONENTS,
            "spark": lambda v, label: charts.spark(v, label, lang), "months": [k for k, _f, _l in days]}
