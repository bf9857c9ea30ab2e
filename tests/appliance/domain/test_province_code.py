"""The province's dossier code (#13): typed, scanned (keyboard-wedge, maybe inside a link) or
imported; its structure checked; the placeholder agency code refused."""
from datetime import date

import pytest

from appliance.domain.province_code import agency_problem, is_placeholder_agency, parse_province_code


@pytest.mark.parametrize("text", [
    "000.00.06.H56-261130-0001",
    "  000.00.06.h56-261130-0001\r\n",                      # a scanner's trailing Enter, lower case
    "https://dichvucong.bacninh.gov.vn/tra-cuu?ma=000.00.06.H56-261130-0001",
    "000.00.06.H56 - 261130 - 0001",
])
def test_accepted(text):
    code, problem = parse_province_code(text)
    assert problem is None
    assert code.code == "000.00.06.H56-261130-0001" and code.agency == "000.00.06.H56"
    assert code.day == date(2026, 11, 30) and code.seq == 1


@pytest.mark.parametrize("text,words", [
    ("", "Chưa nhập"),
    ("G22.99-261130-0042", "không phải mã hồ sơ"),
    ("000.00.06.H56-261130-001", "đúng 4 chữ số"),
    ("000.00.06.H56-261130-00001", "đúng 4 chữ số"),
    ("000.00.06.H56-261130-0000", "từ 0001"),
    ("000.00.06.H56-261331-0001", "không có thật"),
    ("000.00.00.H00-261130-0001", "mã mẫu"),
    (12345, "phải là chữ"),
])
def test_refused_with_a_vietnamese_reason(text, words):
    code, problem = parse_province_code(text)
    assert code is None and words in str(problem) and problem.en and problem.field == "province_code"


def test_placeholder_agency():
    assert is_placeholder_agency("000.00.00.H00") and is_placeholder_agency("") and is_placeholder_agency(None)
    assert not is_placeholder_agency("000.00.06.H56")
    assert "mã mẫu" in agency_problem("000.00.00.H00")
    assert "QCVN" in agency_problem("XA.GIA.LAM")
    assert agency_problem("000.00.06.H56") is None
