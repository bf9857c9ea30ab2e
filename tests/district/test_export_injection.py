"""Text sent by devices never becomes a live spreadsheet formula in any export; numbers stay numbers."""
from __future__ import annotations

import csv
import io

import openpyxl

from district import exports
from district.domain.provincial import FIELDS
from district.domain.report_tables import Table

EVIL = ['=HYPERLINK("http://x.invalid","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
TABLE = Table("can-bo", "Mức độ hài lòng theo cán bộ", ("Cán bộ", "Số phiếu", "Tỷ lệ"),
              tuple((name, 3, -12.5) for name in EVIL) + (("Nguyễn Thị Lan", 2, 100.0),))


def test_xlsx_cells_from_device_text_are_plain_text():
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsx([TABLE], "=tiêu đề", "kỳ")))
    ws = wb.active
    assert ws["A1"].data_type == "s" and ws["A1"].value == "'=tiêu đề"
    body = list(ws.iter_rows(min_row=6))
    for cells, name in zip(body, EVIL, strict=False):
        # (XML reads a stored CR back as LF; what matters is the leading quote)
        assert cells[0].data_type == "s" and cells[0].value == ("'" + name).replace("\r", "\n")
        assert cells[1].data_type == "n" and cells[1].value == 3
        assert cells[2].data_type == "n" and cells[2].value == -12.5
    assert body[-1][0].value == "Nguyễn Thị Lan"


def test_csv_cells_from_device_text_are_plain_text():
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(TABLE).decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + n for n in EVIL] + ["Nguyễn Thị Lan"]
    assert rows[1][1:] == ["3", "-12.5"]


def test_provincial_csv_cells_are_plain_text():
    record = dict.fromkeys(FIELDS, "")
    record[FIELDS[0]] = "=cmd|' /C calc'!A0"
    record[FIELDS[1]] = -5
    out = list(csv.DictReader(io.StringIO(exports.provincial_csv([record]).decode("utf-8-sig"), newline="")))
    assert out[0][FIELDS[0]] == "'=cmd|' /C calc'!A0" and out[0][FIELDS[1]] == "-5"
