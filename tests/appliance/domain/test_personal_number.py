"""Personal number: format errors, and warnings when digits 1–6 disagree with the declaration."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.catalog.loader import load_catalog
from appliance.domain import personal_number as pn

PROVINCES = load_catalog().birth_registration_codes


def test_decode():
    d = pn.decode("001088012345")
    assert (d.province_code, d.century, d.sex, d.year_suffix, d.birth_year()) == ("001", 1900, "Nam", 88, 1988)
    d = pn.decode("079305000001")
    assert (d.century, d.sex, d.birth_year()) == (2000, "Nữ", 2005)
    assert pn.decode("12345") is None


@pytest.mark.parametrize("raw, message", [
    ("00108801234", "đúng 12 chữ số (đang có 11)"),
    ("0010880123456", "đúng 12 chữ số (đang có 13)"),
    ("00108801234A", "chỉ gồm chữ số"),
    ("", "đúng 12 chữ số (đang có 0)"),
])
def test_format_errors(raw, message):
    result = pn.check(raw)
    assert not result.valid and message in result.error[0]
    assert result.error[1]  # English text present


def test_separators_are_removed():
    result = pn.check("001 088.012-345")
    assert result.valid and result.number == "001088012345"


def test_matching_declaration_has_no_warning():
    result = pn.check("001088012345", date(1988, 3, 12), "Nam", PROVINCES)
    assert result.valid and result.warnings == () and result.province_name == "Hà Nội"
    assert pn.check("079305000001", "2005-04", "nữ", PROVINCES).warnings == ()
    assert pn.check("079305000001", "2005", "F", PROVINCES).warnings == ()


def test_mismatches_warn_but_do_not_block():
    year = pn.check("001088012345", date(1987, 3, 12), "Nam", PROVINCES)
    assert year.valid and len(year.warnings) == 1 and "5–6" in year.warnings[0][0]
    century = pn.check("001088012345", date(2088, 1, 1), None, PROVINCES)
    assert "thế kỷ" in century.warnings[0][0]
    sex = pn.check("001088012345", None, "Nữ", PROVINCES)
    assert "giới tính" in sex.warnings[0][0]
    province = pn.check("003088012345", None, None, PROVINCES)
    assert "'003'" in province.warnings[0][0]
    all_wrong = pn.check("003188012345", date(2001, 1, 1), "Nam", PROVINCES)
    assert all_wrong.valid and len(all_wrong.warnings) == 3


def test_province_table_has_the_63_codes_and_their_new_province():
    assert len(PROVINCES) == 63
    assert PROVINCES["001"] == "Hà Nội" and PROVINCES["096"] == "Cà Mau" and PROVINCES["079"] == "Hồ Chí Minh"
    new_codes = {o.code for o in load_catalog().provinces}
    assert all(f"0{code}" in PROVINCES for code in new_codes)  # new codes are a subset of the old


@settings(derandomize=True, database=None)
@given(st.integers(1900, 2399), st.sampled_from(["Nam", "Nữ"]), st.sampled_from(sorted(PROVINCES)),
       st.integers(0, 999999))
def test_generated_numbers_round_trip(year, sex, province, tail):
    number = f"{province}{pn.century_sex_digit(year, sex)}{year % 100:02d}{tail:06d}"
    result = pn.check(number, str(year), sex, PROVINCES)
    assert result.valid and result.warnings == ()
    assert result.decoded.birth_year() == year and result.decoded.sex == sex


def test_century_sex_digit_errors():
    with pytest.raises(ValueError, match="Giới tính"):
        pn.century_sex_digit(1990, "khác")
    with pytest.raises(ValueError, match="1900–2399"):
        pn.century_sex_digit(1850, "Nam")
