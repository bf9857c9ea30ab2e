"""Writers for the report tables: Excel (openpyxl) and CSV (UTF-8 with BOM, so Excel reads the diacritics).

Every cell goes through :func:`cell_value`: text that a spreadsheet would read as a formula (it
comes from devices: officer names, notes, applicants) is prefixed with ``'`` so it stays text.
"""
from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
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


def xlsx(tables: list[Table], heading: str, period: str) -> bytes:
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)   # a new workbook has one empty sheet
    for t in tables:
        ws = wb.create_sheet(t.title[:31].rstrip())
        _append_text_safe(ws, [heading])
        _append_text_safe(ws, [t.title])
        _append_text_safe(ws, [period])
        ws.append([])
        _append_text_safe(ws, t.headers)
        for row in t.rows:
            _append_text_safe(ws, row)
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"].font = Font(bold=True)
        for cell in ws[5]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, header in enumerate(t.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 2))
        ws.freeze_panes = "A6"
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
