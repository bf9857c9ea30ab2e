"""The reports as Excel workbooks that look official (openpyxl); the CSV files are in :mod:`.files`.

The report's heading (unit, period, form number) above each table, thin borders on every
cell, integer / percent / minutes formats, the header frozen, A4 printing fitted to the page width
(landscape when the table is wide) with the header repeated on each page, sheet names of at most 31
characters. Percentages are stored as fractions with a percent format (50 % is the number 0.5).

Imported only when a workbook is asked for (openpyxl's 175 modules cost the serving process ~15 MB
of its 80 MB): the report pages, the CSV files and the hub's other pages do not load it.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...domain import report_ii06a
from ...domain.report_local import Table

MAX_SHEET_NAME = 31
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "Times New Roman"
NUMBER_FORMATS = {"int": "#,##0", "pct": "0.00%", "minutes": "0.0", "id": "@", "text": "@"}
BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """An Excel sheet name: no ``[]:*?/\\``, at most 31 characters, unique among ``taken``."""
    base = " ".join(name.translate(BAD_SHEET_CHARS).split())[:MAX_SHEET_NAME] or "Sheet"
    taken = {t.lower() for t in taken}
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    return out


def _cell_value(value: Any, fmt: str) -> Any:
    if value is None:
        return None
    if fmt == "pct":
        return round(float(value) / 100.0, 6)
    if fmt in ("id", "text"):
        return str(value)
    return value


def _print_setup(ws: Worksheet, landscape: bool, header_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if ws.oddFooter is not None and ws.oddFooter.center is not None:
        ws.oddFooter.center.text = "Trang &P / &N"


def _heading(ws: Worksheet, width: int, unit: str, lines: Sequence[tuple[str, bool]], form: str) -> int:
    """Unit on the left, form number on the right, then the centred lines; returns the next row."""
    ws.cell(1, 1, unit).font = Font(name=FONT, bold=True, size=12)
    if form:
        right = ws.cell(1, width, form)
        right.font = Font(name=FONT, italic=True, size=11)
        right.alignment = Alignment(horizontal="right")
    row = 3
    for text, bold in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = ws.cell(row, 1, text)
        cell.font = Font(name=FONT, bold=bold, size=14 if bold else 12, italic=not bold)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if bold:
            ws.row_dimensions[row].height = 36
        row += 1
    return row + 1


def write_table(ws: Worksheet, table: Table, *, unit: str, period: str, lang: str = "vi", form: str = "",
                generated: datetime | None = None) -> None:
    width = len(table.columns)
    lines = [(table.heading(lang), True), (period, False)]
    head = _heading(ws, width, unit, lines, form)
    for c, col in enumerate(table.columns, start=1):
        cell = ws.cell(head, c, col.title(lang))
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        longest = max([len(col.title(lang)) // 2 + 2] + [len(str(r[c - 1] or "")) + 2 for r in table.rows[:500]])
        ws.column_dimensions[get_column_letter(c)].width = max(10, min(44, longest if c == 1 else longest + 2))
    ws.row_dimensions[head].height = 48
    r = head + 1
    body = list(table.rows) + ([table.total] if table.total else [])
    for i, values in enumerate(body):
        is_total = table.total is not None and i == len(body) - 1
        for c, (value, col) in enumerate(zip(values, table.columns, strict=True), start=1):
            cell = ws.cell(r, c, _cell_value(value, col.format))
            cell.number_format = NUMBER_FORMATS[col.format]
            cell.border = BORDER
            cell.font = Font(name=FONT, size=11, bold=is_total)
            if is_total:
                cell.fill = TOTAL_FILL
            cell.alignment = Alignment(horizontal="left" if col.format in ("text", "id") else "right",
                                       vertical="center", wrap_text=col.format == "text")
        r += 1
    if table.remark(lang):
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=width)
        note = ws.cell(r + 1, 1, ("Ghi chú: " if lang != "en" else "Note: ") + table.remark(lang))
        note.font = Font(name=FONT, italic=True, size=10)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r + 1].height = 30
    if generated is not None:
        made_cell = ws.cell(r + 3, 1, (f"Lập lúc {generated:%H:%M %d/%m/%Y}" if lang != "en"
                                  else f"Made at {generated:%H:%M %d/%m/%Y}"))
        made_cell.font = Font(name=FONT, italic=True, size=9)
    ws.freeze_panes = f"B{head + 1}"
    _print_setup(ws, table.wide, f"{head}:{head}")


def tables_workbook(tables: Sequence[Table], *, unit: str, period: str, lang: str = "vi",
                    generated: datetime | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    taken: list[str] = []
    for table in tables:
        name = sheet_name(table.sheet if lang != "en" else table.title_en, taken)
        taken.append(name)
        write_table(wb.create_sheet(name), table, unit=unit, period=period, lang=lang, generated=generated)
    wb.properties.title = period
    wb.properties.creator = unit
    return _bytes(wb)


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ii06a_workbook(report: report_ii06a.Report, *, place: str, on: datetime, reporter: str = "") -> bytes:
    """Biểu số II.06a/VPCP/KSTT as printed: heading blocks, the three header rows and the row of
    column numbers, one row per unit and field, the signature block."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name("Biểu II.06a")
    n = len(report_ii06a.COLUMNS)
    bold = Font(name=FONT, bold=True, size=11)
    plain = Font(name=FONT, size=11)
    italic = Font(name=FONT, italic=True, size=11)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def put(row: int, col: int, text: str, font: Font, last: int | None = None, align: Alignment = center) -> None:
        if last is not None and last > col:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last)
        cell = ws.cell(row, col, text)
        cell.font = font
        cell.alignment = align

    put(1, 1, report_ii06a.FORM_NUMBER, bold, 3)
    put(2, 1, "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP", italic, 3)
    put(1, 4, report_ii06a.TITLE, Font(name=FONT, bold=True, size=13), 10)
    put(2, 4, report.period_line, italic, 10)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    put(1, 11, f"Đơn vị báo cáo: {report.reporting_unit}", plain, n, left)
    put(2, 11, f"Đơn vị nhận báo cáo: {report.receiving_unit}", plain, n, left)
    put(3, 11, report_ii06a.UNIT_OF_COUNT, italic, n, left)
    ws.row_dimensions[1].height = 48
    ws.row_dimensions[2].height = 36
    top = 5
    for head in report_ii06a.HEADER_ROWS:
        at_row, col = top + head.row - 1, head.column
        if head.rowspan > 1 or head.colspan > 1:
            ws.merge_cells(start_row=at_row, start_column=col, end_row=at_row + head.rowspan - 1,
                           end_column=col + head.colspan - 1)
        hcell = ws.cell(at_row, col, head.text)
        hcell.font = bold
        hcell.alignment = center
        hcell.fill = HEAD_FILL
    numbers = top + report_ii06a.HEADER_DEPTH
    for number, _vi, _en in report_ii06a.COLUMNS:
        ncell = ws.cell(numbers, number, f"({number})")
        ncell.font = italic
        ncell.alignment = center
    r = numbers + 1
    for line in report.rows:
        strong = line.kind in ("unit", "total")
        for c, value in enumerate(report_ii06a.row_values(line), start=1):
            vcell = ws.cell(r, c, value)
            vcell.font = Font(name=FONT, size=11, bold=strong)
            vcell.number_format = "@" if c <= 2 else "#,##0"
            vcell.alignment = Alignment(horizontal="left" if c == 2 else "center", vertical="center", wrap_text=c == 2)
        r += 1
    for row_cells in ws.iter_rows(min_row=top, max_row=r - 1, min_col=1, max_col=n):
        for any_cell in row_cells:
            any_cell.border = BORDER
    for c in range(1, n + 1):
        ws.column_dimensions[get_column_letter(c)].width = 6 if c == 1 else (30 if c == 2 else 11)
    for header_row in range(top, numbers):
        ws.row_dimensions[header_row].height = 30
    (l1, r1), (l2, r2), (l3, _r3) = report_ii06a.signature_block(place, on.date(), reporter)
    sig = r + 1
    put(sig, 1, l1, bold, 4)
    put(sig, 9, r1, italic, n)
    put(sig + 1, 1, l2, italic, 4)
    head_title, head_note = r2.split("\n")
    put(sig + 1, 9, head_title, bold, n)
    put(sig + 2, 9, head_note, italic, n)
    put(sig + 6, 1, l3, bold, 4)
    ws.freeze_panes = f"C{numbers + 1}"
    _print_setup(ws, True, f"{top}:{numbers}")
    wb.properties.title = f"{report_ii06a.FORM_NUMBER} {report.period_line}"
    wb.properties.creator = report.reporting_unit
    return _bytes(wb)
