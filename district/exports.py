"""Writers for the report tables: Excel (openpyxl) and CSV (UTF-8 with BOM, so Excel reads the diacritics).

Every cell goes through :func:`cell_value`: text that a spreadsheet would read as a formula (it
comes from devices: officer names, notes, applicants) is prefixed with ``'`` so it stays text.
"""
from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from district.domain.provincial import FIELDS
from district.domain.report_tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: object) -> object:
    """``None`` → empty; text a spreadsheet would evaluate → ``'``-prefixed text; numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _append_text_safe(ws, values) -> None:
    ws.append([cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"   # never a formula, whatever the text


THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")


def _print_setup(ws, landscape: bool, header_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "Trang &P / &N"


def _sheet_name(title: str, taken: list[str]) -> str:
    bad: dict[str, str | int | None] = {c: " " for c in "[]:*?/\\"}
    base = " ".join(title.translate(str.maketrans(bad)).split())[:31].rstrip() or "Sheet"
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)].rstrip() + suffix, n + 1
    taken.append(name)
    return name


def _grid(ws, head: int, last_row: int, width: int, rates: set[int]) -> None:
    """Borders, the header's fill, number formats (counts with thousands, rates with two decimals)."""
    for row in ws.iter_rows(min_row=head, max_row=last_row, min_col=1, max_col=width):
        for cell in row:
            cell.border = BORDER
            if cell.row == head:
                cell.font = Font(bold=True)
                cell.fill = HEAD_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            elif isinstance(cell.value, float) or cell.column in rates:
                cell.number_format = "0.00"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"


def xlsx(tables: list[Table], heading: str, period: str) -> bytes:
    """One sheet per table: the unit and title, the period, then the table with borders, number formats,
    frozen header and A4 print set-up (landscape when wide, fit to width)."""
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)   # a new workbook has one empty sheet
    taken: list[str] = []
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.title, taken))
        _append_text_safe(ws, [heading])
        _append_text_safe(ws, [t.title])
        _append_text_safe(ws, [period])
        ws.append([])
        _append_text_safe(ws, t.headers)
        for row in t.rows:
            _append_text_safe(ws, row)
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"].font = Font(bold=True)
        rates = {i for i, h in enumerate(t.headers, start=1) if "(%)" in h or "(phút)" in h}
        _grid(ws, 5, 5 + len(t.rows), len(t.headers), rates)
        for i, header in enumerate(t.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 2))
        ws.row_dimensions[5].height = 45
        ws.freeze_panes = "A6"
        _print_setup(ws, len(t.headers) > 7, 5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def qd766_xlsx(heading: str, period: str, months: list[str], components, formulas, trends) -> bytes:
    """The QĐ 766 components, a sheet each: a row per commune (the province first), a column per
    reporting month, the rate in percent (empty when the month has nothing to count)."""
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    taken: list[str] = []
    labels = [f"{m[5:]}/{m[:4]}" for m in months]
    for key, vi, _en, _num, _den in components:
        ws = wb.create_sheet(_sheet_name(vi, taken))
        _append_text_safe(ws, [heading])
        _append_text_safe(ws, [f"{vi} (%) = {formulas[key]}; mỗi tháng là kỳ từ ngày 15 tháng trước đến ngày 14"])
        _append_text_safe(ws, [period])
        ws.append([])
        _append_text_safe(ws, ["Xã", *labels, "Thay đổi so với tháng trước (điểm %)"])
        for t in trends:
            _append_text_safe(ws, [t.name, *t.rates[key], t.change(key)])
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"].font = Font(bold=True)
        width = len(labels) + 2
        _grid(ws, 5, 5 + len(trends), width, set(range(2, width + 1)))
        ws.column_dimensions["A"].width = 30
        for i in range(2, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 10 if i <= width - 1 else 16
        ws.freeze_panes = "B6"
        _print_setup(ws, True, 5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([cell_value(v) for v in table.headers])
    for row in table.rows:
        w.writerow([cell_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def provincial_csv(records: list[dict]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS)
    w.writeheader()
    for r in records:
        w.writerow({k: cell_value(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
                    for k, v in r.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
