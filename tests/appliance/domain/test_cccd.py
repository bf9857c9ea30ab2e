"""The CCCD QR reader: the seven-field layout is read, anything else is not recognised (with a
reason that never repeats the scan), and the card fills the right fields of each person in a form."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.catalog.loader import load_catalog
from appliance.domain.cccd import Card, Unrecognised, card_targets, card_values, read_card

TODAY = date(2026, 12, 2)
GOOD = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 12 ngõ 5 phố Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|15082021"


def test_the_seven_fields_are_read():
    card = read_card(GOOD + "\r\n", TODAY)
    assert isinstance(card, Card)
    assert card.personal_number == "001099012345" and card.old_id_number == "123456789"
    assert card.name == "NGUYỄN VĂN AN" and card.sex == "Nam"
    assert card.dob == date(1999, 1, 1) and card.issued_on == date(2021, 8, 15)
    assert card.residence == "Số 12 ngõ 5 phố Hàng Bạc, Phường Hoàn Kiếm, Hà Nội"
    assert card.warnings == ()
    as_json = card.as_json("en")
    assert as_json["dob_text"] == "01/01/1999" and as_json["issued_on_text"] == "15/08/2021"


def test_no_old_number_and_decomposed_accents():
    import unicodedata
    scan = unicodedata.normalize("NFD", "036301001234||Trần Thị Bích Ngọc|09052001|Nữ|Xã Hải Hậu, Nam Định|01032022")
    card = read_card(scan, TODAY)
    assert isinstance(card, Card)
    assert card.old_id_number is None and card.sex == "Nữ"
    assert card.name == unicodedata.normalize("NFC", "TRẦN THỊ BÍCH NGỌC")


def test_a_personal_number_that_disagrees_is_read_with_a_warning():
    card = read_card("001099012345||Nguyễn Văn An|01011999|Nữ|Hà Nội|15082021", TODAY)   # digit 4 says male
    assert isinstance(card, Card) and card.sex == "Nữ"
    assert any("giới tính" in vi for vi, _en in card.warnings)
    card = read_card("001088012345||Nguyễn Văn An|01011999|Nam|Hà Nội|15082021", TODAY)  # digits 5–6 say 88
    assert isinstance(card, Card) and any("năm sinh 1999" in vi for vi, _en in card.warnings)


@pytest.mark.parametrize("scan, why", [
    ("", "không có nội dung"),
    ("001099012345|123456789|Nguyễn Văn An|01011999|Nam|Hà Nội", "6 phần"),
    (GOOD + "|thêm", "8 phần"),
    ("00109901234|123456789|Nguyễn Văn An|01011999|Nam|Hà Nội|15082021", "12 chữ số"),
    ("001099012345|12345678|Nguyễn Văn An|01011999|Nam|Hà Nội|15082021", "CMND"),
    ("001099012345||Nguy?n V?n An|01011999|Nam|Hà Nội|15082021", "Unicode"),
    ("001099012345||Nguyen Van 4n|01011999|Nam|Hà Nội|15082021", "không phải chữ"),
    ("001099012345||Nguyễn Văn An|31021999|Nam|Hà Nội|15082021", "có thật"),
    ("001099012345||Nguyễn Văn An|1999-01-01|Nam|Hà Nội|15082021", "có thật"),
    ("001099012345||Nguyễn Văn An|01011999|Nam|Hà Nội|15082030", "tương lai"),
    ("001099012345||Nguyễn Văn An|01012000|Nam|Hà Nội|15081999", "cấp trước khi sinh"),
    ("001099012345||Nguyễn Văn An|01011999|Male|Hà Nội|15082021", "Nam hoặc Nữ"),
    ("001099012345||Nguyễn Văn An|01011999|Nam| |15082021", "thường trú"),
    ("001099012345||Nguyễn Văn An|01011999|Nam|Hà\x00Nội|15082021", "điều khiển"),
    ("x" * 700, "dài hơn"),
])
def test_other_layouts_are_not_recognised_and_never_guessed(scan, why):
    result = read_card(scan, TODAY)
    assert isinstance(result, Unrecognised)
    assert why in result.text("vi"), result.text("vi")
    assert result.text("vi").startswith("Không nhận dạng được")
    assert result.text("en").startswith("Not recognised")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_card_or_a_reason_that_does_not_repeat_it(text):
    result = read_card(text, TODAY)
    if isinstance(result, Unrecognised):
        distinctive = [p for p in text.split("|") if len(p.strip()) >= 6]
        message = result.text("vi") + result.text("en")
        assert all(p.strip() not in message for p in distinctive)
    else:
        assert len(text.strip().split("|")) == 7 and result.personal_number.isdigit()


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2026, 1, 1)), st.sampled_from(["Nam", "Nữ"]),
       st.integers(0, 999999))
def test_every_real_card_reads_back(dob, sex, random_part):
    century = (dob.year // 100 - 19) * 2 + (0 if sex == "Nam" else 1)
    number = f"001{century}{dob.year % 100:02d}{random_part:06d}"
    issued = max(dob, date(2021, 6, 1))
    scan = f"{number}||Lê Thị Hoa|{dob:%d%m%Y}|{sex}|Thôn 3, xã Yên Lạc|{issued:%d%m%Y}"
    card = read_card(scan, TODAY)
    assert isinstance(card, Card)
    assert (card.dob, card.sex, card.personal_number, card.warnings) == (dob, sex, number, ())


def _sections(code: str):
    proc = load_catalog().get(code)
    return [(s.title, [f.name for f in s.fields]) for s in proc.sections], frozenset(f.name for f in proc.fields)


def test_targets_are_the_people_of_the_form():
    sections, names = _sections("1.001193")            # khai sinh: requester, child, mother, father
    targets = card_targets(sections)
    assert [t["prefix"] for t in targets] == ["requester_", "child_", "mother_", "father_"]
    card = read_card(GOOD, TODAY)
    assert isinstance(card, Card)
    assert card_values(card, "requester_", names) == {
        "requester_name": "NGUYỄN VĂN AN", "requester_id_type": "cccd", "requester_id_number": "001099012345",
        "requester_residence": card.residence, "requester_id_issued_on": "15/08/2021"}
    mother = card_values(card, "mother_", names)
    assert mother["mother_dob"] == "01/01/1999" and mother["mother_id_number"] == "001099012345"
    assert "mother_sex" not in mother
    sections, names = _sections("1.004873")             # xác nhận tình trạng hôn nhân: the subject too
    prefixes = [t["prefix"] for t in card_targets(sections)]
    assert prefixes[:2] == ["requester_", "subject_"]
    subject = card_values(card, "subject_", names)
    assert subject["subject_sex"] == "Nam" and subject["subject_dob"] == "01/01/1999"
