"""The dossier code issued by the province's one-stop system, and the placeholder agency code. Pure.

Structure (TT 01/2018 Đ19, shared/domain.md "Dossier code"): ``<agency code>-YYMMDD-NNNN``:

- the agency's electronic code in the QCVN 102:2016 structure ``NNN.NN.NN.LNN`` (level 4, 3, 2
  digits, then the level-1 unit: a letter and two digits, ``H`` for a province, ``G`` for a
  ministry), e.g. ``000.00.06.H56``;
- the receipt date ``YYMMDD`` (a real date);
- a daily sequence of exactly 4 digits, from ``0001``.

The code reaches the appliance typed, scanned from the barcode of the provincial receipt (a
keyboard-wedge scanner types it into a text box, often with a trailing Enter, sometimes inside a
link to the provincial portal) or imported from a CSV file; :func:`parse_province_code` accepts all
three and says in Vietnamese what is wrong. The appliance's own number stays visibly local unless
the province delegates the code space (``[office] code_space = "delegated"``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from appliance.domain.fields import Message

AGENCY_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
PLACEHOLDER_RE = re.compile(r"^0{3}\.0{2}\.0{2}\.[A-Z]0{2}$")
PLACEHOLDER_AGENCY = "000.00.00.H00"
_CODE_IN_TEXT = re.compile(r"(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d+)")
CODE_SPACES = {"local": ("Số nội bộ của thiết bị (mã hồ sơ do hệ thống một cửa của tỉnh cấp)",
                         "The appliance's local number (the dossier code comes from the province)"),
               "delegated": ("Tỉnh giao dải mã: số của thiết bị là mã hồ sơ",
                             "Delegated by the province: the appliance's number is the dossier code")}


def is_placeholder_agency(code: str | None) -> bool:
    """``000.00.00.H00`` and its like: no real agency has an all-zero code."""
    return bool(PLACEHOLDER_RE.match((code or "").strip().upper())) or not (code or "").strip()


def agency_problem(code: str | None) -> Message | None:
    """Why ``code`` cannot be the office's agency code (None when it can)."""
    text = (code or "").strip()
    if is_placeholder_agency(text):
        return Message(f"Mã cơ quan điện tử '{text or PLACEHOLDER_AGENCY}' là mã mẫu: hãy nhập mã thật của xã "
                       "(dạng 000.00.06.H56, do Sở Thông tin và Truyền thông / Văn phòng UBND tỉnh cấp).",
                       f"The agency code '{text or PLACEHOLDER_AGENCY}' is the placeholder: enter the commune's real "
                       "code (like 000.00.06.H56).", "agency_code")
    if not AGENCY_RE.match(text):
        return Message(f"Mã cơ quan điện tử '{text}' không đúng cấu trúc QCVN 102:2016 (dạng 000.00.06.H56).",
                       f"The agency code '{text}' does not follow QCVN 102:2016 (like 000.00.06.H56).", "agency_code")
    return None


@dataclass(frozen=True)
class ProvinceCode:
    code: str
    agency: str
    day: date
    seq: int


def _bad(vi: str, en: str, field: str) -> Message:
    return Message(vi, en, field)


def parse_province_code(text: object, field: str = "province_code") -> tuple[ProvinceCode | None, Message | None]:
    """The code from what was typed, scanned or imported; (None, message) when it is wrong.

    Spaces, line breaks and a surrounding link are dropped and letters upper-cased; the structure,
    the date and the sequence are checked; the placeholder agency code is refused."""
    if not isinstance(text, str) or isinstance(text, bool):
        return None, _bad("Mã hồ sơ của tỉnh phải là chữ.", "The province's code must be text.", field)
    raw = unicodedata.normalize("NFC", text).strip()
    if not raw:
        return None, _bad("Chưa nhập mã hồ sơ của tỉnh.", "The province's code is empty.", field)
    if len(raw) > 300:
        return None, _bad("Nội dung quét quá dài (tối đa 300 ký tự).", "The scan is too long (300 characters).", field)
    compact = re.sub(r"\s+", "", raw).upper()
    found = _CODE_IN_TEXT.search(compact)
    if found is None:
        return None, _bad(f"'{raw[:60]}' không phải mã hồ sơ dạng <mã cơ quan>-YYMMDD-NNNN "
                          "(ví dụ 000.00.06.H56-261130-0001).",
                          f"'{raw[:60]}' is not a dossier code <agency>-YYMMDD-NNNN (e.g. 000.00.06.H56-261130-0001).",
                          field)
    agency, day_text, seq_text = found.groups()
    if len(seq_text) != 4 or seq_text == "0000":
        return None, _bad(f"Số thứ tự trong ngày '{seq_text}' phải gồm đúng 4 chữ số, từ 0001.",
                          f"The daily sequence '{seq_text}' must be exactly 4 digits, from 0001.", field)
    try:
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
    except ValueError:
        return None, _bad(f"Ngày tiếp nhận '{day_text}' trong mã không có thật (dạng YYMMDD).",
                          f"The receipt date '{day_text}' in the code is not a real date (YYMMDD).", field)
    if is_placeholder_agency(agency):
        return None, _bad(f"Mã cơ quan '{agency}' là mã mẫu, không phải mã do tỉnh cấp.",
                          f"The agency code '{agency}' is the placeholder, not one issued by the province.", field)
    code = f"{agency}-{day_text}-{seq_text}"
    return ProvinceCode(code, agency, day, int(seq_text)), None


LOCAL_COLUMNS = ("ma_ho_so", "so_noi_bo", "code")
PROVINCE_COLUMNS = ("ma_ho_so_tinh", "province_code")


@dataclass(frozen=True)
class CodeLine:
    line: int
    local: str
    province: str


def read_code_csv(text: str) -> tuple[list[CodeLine], list[str]]:
    """The rows of a CSV file pairing the appliance's numbers with the province's codes: a header
    naming one column of each (``ma_ho_so`` or ``so_noi_bo``; ``ma_ho_so_tinh``), comma or semicolon
    separated (Excel writes either), UTF-8 with or without BOM. Returns the good lines and one
    Vietnamese message per bad line (at most the first 20)."""
    import csv
    import io
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    local_col = next((header.index(c) for c in LOCAL_COLUMNS if c in header), None)
    province_col = next((header.index(c) for c in PROVINCE_COLUMNS if c in header), None)
    if local_col is None or province_col is None:
        return [], ["Dòng 1: cần tiêu đề có cột ma_ho_so (số của thiết bị) và cột ma_ho_so_tinh (mã của tỉnh)."]
    good: list[CodeLine] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(local_col, province_col):
            problems.append(f"Dòng {number}: thiếu cột.")
            continue
        parsed, problem = parse_province_code(row[province_col])
        if problem is not None or parsed is None:
            problems.append(f"Dòng {number}: {problem}")
            continue
        good.append(CodeLine(number, row[local_col].strip().upper(), parsed.code))
    return good, problems[:20]
