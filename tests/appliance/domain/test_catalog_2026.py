"""The 2026–27 catalog: national field codes, the procedures NĐ 120/2025 gave the commune, social
assistance without a district step, each tờ khai's own pledge and footer, verification extensions,
the marriage-number warning, and uncertain items kept as marked data (never printed as law)."""
from __future__ import annotations

from datetime import date

import pytest
from catalog_files import edit, problems_of

from appliance.catalog.loader import load_catalog, read_directory
from appliance.domain.catalog import DEFAULT_PLEDGE, catalog_from_json
from appliance.domain.catalog.parse import FIELD_CODE

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# --- national field codes ------------------------------------------------------------------

def test_fields_use_national_codes_and_keep_the_former_ones(catalog):
    assert list(catalog.fields_of_work) == ["G05-HT", "G05-CT", "G18-BTXH"]
    assert all(FIELD_CODE.match(code) for code in catalog.fields_of_work)
    assert {p.field_of_work for p in catalog.procedures.values()} == set(catalog.fields_of_work)
    assert catalog.field_of_work("HT").code == "G05-HT"
    assert catalog.field_of_work("XH").code == "G18-BTXH" and catalog.field_of_work("XH").ministry == "Bộ Y tế"
    assert catalog.field_of_work("G05-CT").name == "Chứng thực"
    assert catalog.field_of_work("ZZ") is None
    # the inferred codes are marked for the admin
    assert all(f.to_confirm for f in catalog.fields_of_work.values())


def test_an_ad_hoc_field_code_is_refused(copy_dir):
    edit(copy_dir / "catalog.toml", 'code = "G05-CT"', 'code = "CT"')
    problems = problems_of(copy_dir)
    assert any("khóa fields_of_work[1].code: mã lĩnh vực 'CT' không đúng dạng MX1X2-LV" in p for p in problems)


def test_a_former_code_belongs_to_one_field(copy_dir):
    edit(copy_dir / "catalog.toml", 'former_codes = ["CT"]', 'former_codes = ["HT"]')
    assert any("khóa fields_of_work[1].former_codes: mã cũ 'HT' đã thuộc lĩnh vực G05-HT" in p
               for p in problems_of(copy_dir))


# --- procedures that passed to the commune (NĐ 120/2025) --------------------------------------

def test_nd120_procedures_are_at_the_commune(catalog):
    ksnn, khnn, dan_toc = catalog.get("HT.KSNN"), catalog.get("HT.KHNN"), catalog.get("HT.XDLDT")
    assert ksnn.name == "Đăng ký khai sinh có yếu tố nước ngoài" and ksnn.time_limit.kind == "immediate"
    assert khnn.name == "Đăng ký kết hôn có yếu tố nước ngoài"
    assert khnn.time_limit.as_dict() == {"kind": "days", "value": 15}
    assert dan_toc.name == "Đăng ký xác định lại dân tộc"
    assert dan_toc.time_limit.as_dict() == {"kind": "days", "value": 3, "extended_value": 6}
    for proc in (ksnn, khnn, dan_toc):
        assert proc.field_of_work == "G05-HT" and "Nghị định 120/2025/NĐ-CP" in proc.legal_basis
        assert proc.fee.province_set
        # an internal code until the national one is checked: said so to the admin
        assert [u.what for u in proc.to_confirm] == [f"Mã TTHC quốc gia của thủ tục {proc.name[0].lower()}"
                                                     f"{proc.name[1:]}"]
    names = [f.name for f in dan_toc.fields]
    assert {"current_ethnicity", "requested_ethnicity", "basis"} <= set(names)
    assert dan_toc.field("requested_ethnicity").sensitive
    assert "mọi độ tuổi" in catalog.get("1.004859").time_limit.note


def test_foreign_procedures_ask_for_their_declaration(catalog):
    for code, values in (("HT.KHNN", {"bride_nationality": "Việt Nam", "groom_nationality": "Hàn Quốc"}),
                         ("HT.XDLDT", {"current_ethnicity": "Kinh", "requested_ethnicity": "Tày"})):
        proc = catalog.get(code)
        missing = {f.name for f in proc.fields if f.required and not f.generated} - set(values)
        assert missing, code  # the declaration asks for more than these: the form is not empty
        _, errors, _ = catalog.validate(code, values, today=TODAY)
        assert set(errors) == missing, code


# --- social assistance under Bộ Y tế, no district step ----------------------------------------

def test_social_assistance_has_no_district_step(catalog):
    group = catalog.by_field()["G18-BTXH"]
    assert [p.code for p in group] == ["1.001776", "1.001731", "XH.HUUTRI", "1.014028"]
    assert catalog.get("1.001776").time_limit.steps == (7, 3)
    assert catalog.get("1.001731").time_limit.as_dict() == {"kind": "days", "value": 3}
    funeral = catalog.get("1.014028")
    assert funeral.time_limit.as_dict() == {"kind": "days", "value": 3} and funeral.fee.kind == "free"
    assert funeral.field("beneficiary_group").default == "Đang hưởng trợ cấp hưu trí xã hội"
    for proc in group:
        assert "huyện" not in proc.time_limit.note.replace("không còn bước cấp huyện", "")
        assert proc.to_confirm, proc.code  # every limit is still to be checked under NĐ 335/2026


# --- uncertain items: marked, listed, never printed -------------------------------------------

def test_uncertain_citations_are_listed_and_not_printed(catalog):
    listed = [(u.scope, u.what) for u in catalog.unconfirmed()]
    assert ("catalog", "Nghị định 335/2026/NĐ-CP") in listed
    assert ("catalog", "Thông tư 04/2024/TT-BTP") in listed
    assert ("XH.HUUTRI", "Mã TTHC quốc gia của thủ tục hưởng trợ cấp hưu trí xã hội") in listed
    assert ("G05-HT", "Mã lĩnh vực G05-HT") in listed
    for proc in catalog.procedures.values():
        assert "04/2024" not in proc.legal_basis and "335/2026" not in proc.legal_basis, proc.code
    assert "Thông tư 04/2020/TT-BTP" in catalog.get("1.001193").legal_basis


def test_an_unconfirmed_citation_in_a_legal_basis_is_refused(copy_dir):
    edit(copy_dir / "procedures" / "giam_ho.toml", "Thông tư 04/2020/TT-BTP", "Thông tư 04/2024/TT-BTP")
    assert ("tệp procedures/giam_ho.toml, khóa legal_basis: 'Thông tư 04/2024/TT-BTP' còn chờ xác nhận "
            "(to_confirm): không ghi vào căn cứ pháp lý được in") in problems_of(copy_dir)


def test_uncertain_items_survive_the_json_round_trip(catalog):
    again = catalog_from_json(catalog.as_json())
    assert again.unconfirmed() == catalog.unconfirmed()
    assert again.get("1.000894").checks == catalog.get("1.000894").checks
    assert again.get("1.004873").form_notes == catalog.get("1.004873").form_notes


# --- each tờ khai's own pledge and footer -----------------------------------------------------

def test_every_declaration_has_its_own_pledge():
    raw = read_directory()
    for proc in raw["procedures"]:
        if proc.get("declaration", True):
            assert proc.get("pledge"), proc["source"]


def test_marriage_pledge_is_in_the_couples_words(catalog):
    for code in ("1.000894", "HT.KHNN"):
        pledge = catalog.get(code).pledge
        assert pledge.startswith("Chúng tôi cam đoan") and "tự nguyện" in pledge
    assert catalog.get("1.001022").pledge != DEFAULT_PLEDGE and "nhận cha, mẹ, con" in catalog.get("1.001022").pledge
    assert catalog.get("2.000815").pledge == DEFAULT_PLEDGE  # chứng thực: no tờ khai, the default stays unused


def test_marital_status_certificate_has_its_own_footer(catalog):
    proc = catalog.get("1.004873")
    names = [f.name for f in proc.fields]
    assert "copies_requested" not in names and names[-3:] == ["copies", "place", "signed_on"]
    assert proc.field("copies").label == "Số lượng Giấy xác nhận đề nghị cấp" and proc.field("copies").required
    assert proc.copies_text.format(copies=2) == "Đề nghị cấp 2 bản Giấy xác nhận tình trạng hôn nhân."
    assert proc.form_notes and "6 tháng" in proc.form_notes[0]
    assert proc.sections[-1].block == "certificate_footer"
    assert catalog.get("1.001193").copies_text == ""  # khai sinh: the extract's copies line


def test_a_copies_text_needs_its_placeholder(copy_dir):
    edit(copy_dir / "procedures" / "xac_nhan_tinh_trang_hon_nhan.toml", "Đề nghị cấp {copies} bản", "Đề nghị cấp bản")
    assert ("tệp procedures/xac_nhan_tinh_trang_hon_nhan.toml, khóa copies_text: cần chỗ '{copies}' cho số bản"
            in problems_of(copy_dir))


# --- verification extensions ----------------------------------------------------------------

def test_verification_extends_death_and_marital_status(catalog):
    death = catalog.get("1.000656").time_limit
    assert death.kind == "immediate" and death.extended_value == 3 and "xác minh" in death.extended_when
    status = catalog.get("1.004873").time_limit
    assert status.value == 3 and status.extended_value == 6 and "xác minh" in status.extended_when


def test_a_bad_check_is_reported(copy_dir):
    edit(copy_dir / "blocks.toml", 'when = [ { field = "marriage_number", min = 2 }',
         'when = [ { field = "marital_status", min = 2 }')
    edit(copy_dir / "blocks.toml",
         '{ field = "marriage_number", max = 1 }, { field = "marital_status", in = ["Đã ly hôn"',
         '{ field = "nickname", max = 1 }, { field = "marital_status", in = ["Đã ly dị"')
    problems = problems_of(copy_dir)
    assert ("tệp blocks.toml, khóa spouse.checks[0].when[0]: min/max chỉ dùng cho trường kiểu number "
            "('bride_marital_status' là select)") in problems
    assert "tệp blocks.toml, khóa spouse.checks[1].when[0].field: trường 'nickname' không có" in problems
    assert ("tệp blocks.toml, khóa spouse.checks[1].when[1].in: giá trị không có trong lựa chọn của "
            "'bride_marital_status'") in problems
