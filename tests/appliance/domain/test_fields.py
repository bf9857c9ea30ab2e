"""Field parsing and validation: each rule gives a Vietnamese (and English) message per field."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.fields import (
    FieldError,
    FieldSpec,
    Message,
    Option,
    PartialDate,
    fold,
    match_option,
    parse_date,
    parse_phone,
    validate,
)

TODAY = date(2026, 3, 3)
CATALOG = load_catalog()


@dataclass
class Proc:
    fields: tuple


def run(*specs, today=TODAY, **values):
    return validate(Proc(tuple(specs)), values, today=today)


@pytest.mark.parametrize("text, iso", [
    ("12/3/1988", "1988-03-12"), ("12/03/1988", "1988-03-12"), ("1988-03-12", "1988-03-12"),
    ("12-03-1988", "1988-03-12"), ("12.3.1988", "1988-03-12"), (" 1/1/2000 ", "2000-01-01"),
    (date(1988, 3, 12), "1988-03-12"),
])
def test_full_dates(text, iso):
    assert parse_date(text).iso == iso


@pytest.mark.parametrize("text, iso, display", [
    ("3/1988", "1988-03", "03/1988"), ("03/1988", "1988-03", "03/1988"), ("1988-03", "1988-03", "03/1988"),
    ("1988", "1988", "1988"),
])
def test_partial_dates(text, iso, display):
    parsed = parse_date(text, partial=True)
    assert (parsed.iso, parsed.display, parsed.complete) == (iso, display, False)


@pytest.mark.parametrize("text, partial, message", [
    ("3/1988", False, "đủ ngày, tháng, năm"),
    ("31/2/1988", False, "không có thật"),
    ("12/13/1988", False, "Tháng 13"),
    ("12/3/88", False, "4 chữ số"),
    ("hôm qua", True, "12/03/1988, 03/1988 hoặc 1988"),
    ("1/1/1800", False, "quá xa"),
])
def test_bad_dates(text, partial, message):
    with pytest.raises(FieldError) as info:
        parse_date(text, partial)
    assert message in info.value.vi and info.value.en


def test_partial_date_helpers():
    assert PartialDate(1988, 2).latest() == date(1988, 2, 29)
    assert PartialDate(1988).latest() == date(1988, 12, 31)
    assert PartialDate(1988, 3, 12).to_date() == date(1988, 3, 12)
    assert PartialDate(1988, 3).to_date() is None


def test_future_dates_refused_unless_allowed():
    spec = FieldSpec("dob", "Ngày sinh", type="date", partial=True)
    _, errors, _ = run(spec, dob="4/3/2026")
    assert "tương lai" in errors["dob"]
    clean, errors, _ = run(spec, dob="3/2026")         # this month is not the future
    assert errors == {} and clean["dob"] == "2026-03"
    clean, errors, _ = run(FieldSpec("burial", "Ngày", type="date", future=True), burial="10/3/2026")
    assert errors == {} and clean["burial"] == "2026-03-10"


@pytest.mark.parametrize("raw, clean", [
    ("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"),
    ("0912.345.678", "0912345678"), ("(+84) 386-123-456", "0386123456"), ("0701234567", "0701234567"),
])
def test_mobile_phones(raw, clean):
    assert parse_phone(raw) == clean


@pytest.mark.parametrize("raw, message", [
    ("091234567", "10 chữ số"), ("02438123456", "10 chữ số"), ("0212345678", "di động"),
    ("0951234567", "di động"), ("09123abcde", "chữ số"),
])
def test_bad_phones(raw, message):
    with pytest.raises(FieldError) as info:
        parse_phone(raw)
    assert message in info.value.vi


def test_text_is_nfc_trimmed_and_uppercased_for_names():
    decomposed = unicodedata.normalize("NFD", "  nguyễn   thị  ánh ")
    clean, errors, _ = run(FieldSpec("name", "Họ tên", uppercase=True), name=decomposed)
    assert clean["name"] == "NGUYỄN THỊ ÁNH" and unicodedata.is_normalized("NFC", clean["name"])
    clean, errors, _ = run(FieldSpec("s", "Nơi sinh"), s="bệnh viện  đa khoa")
    assert clean["s"] == "bệnh viện đa khoa"
    _, errors, _ = run(FieldSpec("n", "Tên", max_length=5), n="quá dài")
    assert "5 ký tự" in errors["n"]


def test_select_matches_value_label_alias_and_no_diacritics():
    opts = CATALOG.ethnic_groups
    assert match_option(opts, "kinh").value == "Kinh"
    assert match_option(opts, "Muong").value == "Mường"
    assert match_option(opts, "H'Mông").value == "Mông"
    assert match_option(opts, "ede").value == "Ê Đê"
    assert match_option(opts, "05").value == "Khmer"
    assert match_option(opts, "Tay").value == "Tày"
    assert match_option((Option("Tày"), Option("Tây")), "Tay") is None  # ambiguous without diacritics
    assert fold("Đắk Lắk") == "dak lak"


def test_select_unknown_value_and_allow_other():
    spec = FieldSpec("sex", "Giới tính", type="select", options=(Option("Nam"), Option("Nữ")))
    _, errors, _ = run(spec, sex="khác")
    assert "không có trong danh mục" in errors["sex"] and "Nam, Nữ" in errors["sex"]
    other = FieldSpec("nat", "Quốc tịch", type="select", options=CATALOG.nationalities, allow_other=True)
    clean, errors, warnings = run(other, nat="Tuvalu")
    assert errors == {} and clean["nat"] == "Tuvalu" and "danh mục" in warnings["nat"]
    clean, _, warnings = run(other, nat="mỹ")
    assert clean["nat"] == "Hoa Kỳ" and warnings == {}


def test_number_and_bool():
    n = FieldSpec("pages", "Số trang", type="number", min=1, max=100)
    assert run(n, pages="12")[0]["pages"] == 12
    assert "nhỏ hơn 1" in run(n, pages="0")[1]["pages"]
    assert "lớn hơn 100" in run(n, pages=101)[1]["pages"]
    assert "số nguyên" in run(n, pages="mười")[1]["pages"]
    zero = FieldSpec("minute", "Phút", type="number", min=0, max=59, required=True)
    assert run(zero, minute="0") == ({"minute": 0}, {}, {})
    b = FieldSpec("ok", "Đồng ý", type="bool")
    assert run(b, ok="on")[0]["ok"] is True and run(b)[0]["ok"] is False and run(b, ok="có")[0]["ok"] is True
    assert "có hoặc không" in run(b, ok="maybe")[1]["ok"]


def test_required_unless_and_required_if():
    specs = (FieldSpec("id", "Số định danh", type="id12"),
             FieldSpec("residence", "Nơi cư trú", required=True, required_unless="id"),
             FieldSpec("want", "Cấp bản sao", type="bool"),
             FieldSpec("copies", "Số bản sao", type="number", required_if="want"))
    _, errors, _ = run(*specs)
    assert list(errors) == ["residence"] and "khi không có 'Số định danh'" in errors["residence"]
    assert errors["residence"].en.startswith("'Nơi cư trú' is required")
    _, errors, _ = run(*specs, id="001088012345")
    assert errors == {}
    _, errors, _ = run(*specs, id="001088012345", want="true")
    assert list(errors) == ["copies"] and errors["copies"] == "Bắt buộc nhập 'Số bản sao'."


def test_id12_free_for_passports_and_cross_checked_otherwise():
    specs = (FieldSpec("kind", "Loại giấy tờ", type="select", options=(Option("cccd"), Option("ho_chieu"))),
             FieldSpec("number", "Số giấy tờ", type="id12", free_when=("kind", ("ho_chieu",)),
                       birth_field="dob", sex_field="sex"),
             FieldSpec("dob", "Ngày sinh", type="date"),
             FieldSpec("sex", "Giới tính", type="select", options=(Option("Nam"), Option("Nữ"))))
    clean, errors, _ = run(*specs, kind="ho_chieu", number="c 1234567")
    assert errors == {} and clean["number"] == "C1234567"
    _, errors, _ = run(*specs, kind="cccd", number="C1234567")
    assert "chỉ gồm chữ số" in errors["number"]
    clean, errors, warnings = run(*specs, kind="cccd", number="001 088 012 345", dob="12/3/1987", sex="Nữ")
    assert errors == {} and clean["number"] == "001088012345"
    assert "5–6" in warnings["number"] and "giới tính" in warnings["number"]
    assert isinstance(warnings["number"], Message) and warnings["number"].field == "number"


def test_messages_have_english():
    m = Message("Bắt buộc nhập 'Họ tên'.", "'Full name' is required.", "name")
    assert str(m) == "Bắt buộc nhập 'Họ tên'." and m.text("en") == "'Full name' is required." and m.field == "name"


def khai_sinh_values(**extra):
    values = {
        "requester_name": "nguyễn văn an", "requester_id_type": "CCCD", "requester_id_number": "001088012345",
        "requester_relationship": "Cha", "requester_phone": "0912 345 678",
        "child_name": "nguyễn minh khôi", "child_dob": "5/2/2026", "child_sex": "nam",
        "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_birth_place": "Bệnh viện Gia Lâm",
        "mother_name": "trần thị bình", "mother_dob": "1990", "mother_ethnicity": "Kinh",
        "mother_nationality": "Việt Nam", "mother_residence": "Xã Gia Lâm, Hà Nội",
        "father_name": "nguyễn văn an", "father_dob": "12/3/1988", "father_id_number": "001088012345",
    }
    values.update(extra)
    return values


def test_khai_sinh_declaration_end_to_end():
    clean, errors, warnings = CATALOG.validate("1.001193", khai_sinh_values(), today=TODAY)
    assert errors == {} and warnings == {}
    assert clean["child_name"] == "NGUYỄN MINH KHÔI" and clean["requester_id_type"] == "cccd"
    assert clean["child_dob"] == "2026-02-05" and clean["mother_dob"] == "1990"
    assert clean["child_dob_words"] == "Ngày mồng năm tháng hai năm hai nghìn không trăm hai mươi sáu"
    assert clean["requester_phone"] == "0912345678" and clean["child_sex"] == "Nam"
    assert clean["copies_requested"] is False and clean["copies"] is None
    assert set(clean) == {f.name for f in CATALOG.get("1.001193").fields}


def test_khai_sinh_errors_name_fields():
    values = khai_sinh_values(child_dob="31/2/2026", child_sex="", father_id_number="00108801234",
                              requester_id_number="", requester_phone="0212345678")
    clean, errors, _ = CATALOG.validate("1.001193", values, today=TODAY)
    assert set(errors) == {"child_dob", "child_sex", "father_id_number", "requester_id_number",
                           "requester_residence", "requester_phone"}
    assert errors["child_sex"] == "Bắt buộc nhập 'Giới tính'." and errors["child_sex"].en == "'Sex' is required."
    assert clean["child_dob_words"] is None


def test_khai_sinh_parent_number_mismatch_is_a_warning():
    _, errors, warnings = CATALOG.validate("1.001193", khai_sinh_values(father_dob="12/3/1989"), today=TODAY)
    assert errors == {} and list(warnings) == ["father_id_number"]
    _, _, warnings = CATALOG.validate("1.001193", khai_sinh_values(father_id_number="003088012345"), today=TODAY)
    assert "mã tỉnh" in warnings["father_id_number"]
