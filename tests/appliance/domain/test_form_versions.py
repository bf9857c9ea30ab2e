"""Form versions by effective date and the words every paper shares (unit name, place). Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from appliance.catalog.loader import load_form_versions
from appliance.domain.forms import (
    PAPERS,
    FormVersionError,
    parse_versions,
    place_date,
    place_name,
    receipt_book,
    unit_name,
    upcoming,
    version_for,
)

VERSIONS = load_form_versions()


@dataclass
class Office:
    name: str = "UBND xã Gia Lâm"
    unit_name: str = ""
    place_name: str = ""
    receipt_book_volume: int = 1


def test_every_paper_has_a_version_in_force_today():
    for paper in PAPERS:
        assert version_for(VERSIONS, paper, date(2026, 12, 2)).confirmed, paper
    assert version_for(VERSIONS, "mau-04", date(2026, 12, 2)).title == \
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert version_for(VERSIONS, "mau-05", date(2026, 12, 2)).title == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
    assert version_for(VERSIONS, "phieu-xin-loi", date(2026, 12, 2)).form == "mau-04"   # former name


def test_the_new_civil_status_forms_switch_on_1_march_2027():
    before = version_for(VERSIONS, "to-khai", date(2027, 2, 28))
    after = version_for(VERSIONS, "to-khai", date(2027, 3, 1))
    assert (before.version, before.confirmed) == ("TT04-2020", True)
    assert (after.version, after.confirmed) == ("LHT-2027", False) and "01/3/2027" in after.note
    assert [v.version for v in upcoming(VERSIONS, date(2026, 12, 2))] == ["LHT-2027"]
    assert upcoming(VERSIONS, date(2027, 3, 1)) == []
    # a paper dated before every shipped version gets the earliest
    assert version_for(VERSIONS, "mau-01", date(2020, 1, 1)).version == "TT03-2025"


def test_bad_version_data_is_named():
    with pytest.raises(FormVersionError) as info:
        parse_versions({"forms": [
            {"form": "mau-09", "version": "x", "effective": "2025-07-01", "template": "t", "title": "T", "basis": "B"},
            {"form": "mau-01", "version": "x", "effective": "01/07/2025", "template": "t", "title": "T", "basis": "B"},
            {"form": "mau-02", "version": "x", "template": "t", "title": "T", "basis": "B", "colour": "red"},
        ]})
    message = str(info.value)
    assert "forms[0].form: 'mau-09' không phải mẫu đã biết" in message
    assert "forms[1].effective: ngày '01/07/2025' không hợp lệ" in message
    assert "forms[2].colour: khóa không hợp lệ" in message and "forms[2]: thiếu effective" in message
    with pytest.raises(FormVersionError, match="mẫu mau-01 đã có một phiên bản hiệu lực từ 2025-07-01"):
        row = {"form": "mau-01", "version": "a", "effective": "2025-07-01", "template": "t", "title": "T", "basis": "B"}
        parse_versions({"forms": [row, {**row, "version": "b"}]})


def test_the_unit_name_is_a_setting_with_the_2025_default():
    assert unit_name(Office()) == "Trung tâm Phục vụ hành chính công xã Gia Lâm"
    assert unit_name(Office(name="Ủy ban nhân dân phường Thụy Khuê")) == \
        "Trung tâm Phục vụ hành chính công phường Thụy Khuê"
    assert unit_name(Office(unit_name="Trung tâm PVHCC xã Gia Lâm")) == "Trung tâm PVHCC xã Gia Lâm"
    assert "Bộ phận tiếp nhận" not in unit_name(Office(name=""))


def test_the_place_on_the_date_line():
    assert place_name(Office()) == "Gia Lâm"
    assert place_name(Office(name="UBND phường Sa Đéc")) == "Sa Đéc"
    assert place_name(Office(place_name="Hà Nội")) == "Hà Nội"
    assert place_date("Gia Lâm", "ngày 30 tháng 11 năm 2026") == "Gia Lâm, ngày 30 tháng 11 năm 2026"
    assert place_date("", "ngày 30 tháng 11 năm 2026") == "Ngày 30 tháng 11 năm 2026"
    assert receipt_book(Office(receipt_book_volume=2), 2026) == "02/2026"
