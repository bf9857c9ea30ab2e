"""Writers for the report tables: Excel (openpyxl) and CSV (UTF-8 with BOM, so Excel reads the diacritics)."""
from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from district.domain.provincial import FIELDS
from district.domain.report_tables import Table


def xlsx(tables: list[Table], heading: str, period: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(t.title[:31].rstrip())
        ws.append([heading])
        ws.append([t.title])
        ws.append([period])
        ws.append([])
        ws.append(list(t.headers))
        for row in t.rows:
            ws.append(["" if v is None else v for v in row])
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
    w.writerow(table.headers)
    for row in table.rows:
        w.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def provincial_csv(records: list[dict]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS)
    w.writeheader()
    for r in records:
        w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
