"""Periodic report tables (page, Excel, CSV) and the provincial export (JSON, CSV)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from district import exports
from district.domain import provincial, report_tables, reports
from district.hub import current
from district.store import catalog, dashboard
from district.store import reports as report_store
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
        records = report_store.dossier_records(conn, start, end, ids)
        votes = report_store.rating_records(conn, p.first, p.last, ids)
        unit = dict(dashboard.commune_choices(conn)).get(p.commune) if p.commune else None
    tables = [
        report_tables.fields_table(reports.field_report(records, start, end, as_of, names)),
        report_tables.postal_table(reports.postal_report(records, start, end, names)),
        report_tables.satisfaction_table(reports.satisfaction_levels(votes)),
        report_tables.officers_table(reports.satisfaction_by_officer(votes)),
        # the model day's service goal, apart from the legal on-time rate above
        report_tables.target_table(reports.target_report(records, start, end, names)),
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
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


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

