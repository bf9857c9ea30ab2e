"""The reports as CSV files; the Excel workbooks are in :mod:`.excel` (openpyxl, loaded on demand).

UTF-8 with a byte-order mark (spreadsheets then read the Vietnamese correctly; the HTTP answer says
``charset=utf-8``), one header line, text fields quoted so that codes, personal and phone numbers
keep their leading zeros, numbers written plainly (a dot before decimals).
"""
from __future__ import annotations

import csv
import io

from ...domain import report_ii06a
from ...domain.report_local import Table


def table_csv(table: Table, lang: str = "vi") -> bytes:
    """One table as CSV (UTF-8 with BOM); percentages as numbers 0–100, as on the page."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([c.title(lang) for c in table.columns])
    for values in list(table.rows) + ([table.total] if table.total else []):
        writer.writerow(["" if v is None else (str(v) if c.format in ("id", "text") else v)
                         for v, c in zip(values, table.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ii06a_csv(report: report_ii06a.Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([f"({n}) {vi}" for n, vi, _en in report_ii06a.COLUMNS])
    for row in report.rows:
        writer.writerow(report_ii06a.row_values(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
