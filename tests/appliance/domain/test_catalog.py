"""Catalog loading: the shipped data, every mistake reported with file and key, JSON round trip."""
from __future__ import annotations

import json
import re

import pytest
from catalog_files import edit, problems_of

from appliance.catalog.loader import CATALOG_DIR, load_catalog, load_communes, save_json
from appliance.domain.catalog import CatalogError, catalog_from_json

DOMAIN_CODES = {"1.001193", "1.000656", "1.000894", "1.004873", "1.001022", "1.004837", "1.004859",
                "2.000635", "2.000815", "2.000884", "1.001776", "1.001731", "XH.HUUTRI", "1.014028",
                "HT.KSNN", "HT.KHNN", "HT.XDLDT"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_ships_the_17_procedures_by_national_field(catalog):
    assert set(catalog.procedures) == DOMAIN_CODES
    assert catalog.version == "2026.2" and re.fullmatch(r"[0-9a-f]{64}", catalog.digest)
    groups = catalog.by_field()
    assert list(groups) == ["G05-HT", "G05-CT", "G18-BTXH"]
    assert [p.code for p in groups["G05-HT"]][:3] == ["1.001193", "1.000656", "1.000894"]
    assert [p.code for p in groups["G05-HT"]][-3:] == ["HT.KSNN", "HT.KHNN", "HT.XDLDT"]
    assert [p.code for p in groups["G05-CT"]] == ["2.000815", "2.000884"]
    assert [p.code for p in groups["G18-BTXH"]] == ["1.001776", "1.001731", "XH.HUUTRI", "1.014028"]
    assert catalog.fields_of_work["G05-HT"].name == "Hộ tịch"
    assert catalog.fields_of_work["G18-BTXH"].name == "Bảo trợ xã hội"
    assert catalog.fields_of_work["G18-BTXH"].ministry == "Bộ Y tế"
    assert catalog.fields_of_work["G18-BTXH"].name_en == "Social assistance"


def test_procedure_values_from_the_domain_doc(catalog):
    ks = catalog.get("1.001193")
    assert ks.name == "Đăng ký khai sinh" and ks.time_limit.kind == "immediate" and ks.two_hour_model
    assert ks.same_day_cutoff == "15:00" and ks.declaration
    assert {d.mode for d in ks.documents} == {"submit", "show"}
    assert catalog.get("1.004873").time_limit.as_dict() == {"kind": "days", "value": 3, "extended_value": 6}
    assert catalog.get("1.001022").time_limit.extended_value == 8
    assert catalog.get("1.004859").time_limit.extended_value == 6
    assert catalog.get("1.000894").time_limit.extended_value == 5
    assert catalog.get("2.000635").time_limit.kind == "same_day"
    assert catalog.get("1.001776").time_limit.steps == (7, 3)
    assert catalog.get("1.001731").time_limit.as_dict() == {"kind": "days", "value": 3}
    assert catalog.get("XH.HUUTRI").time_limit.kind == "none"
    for code in ("2.000815", "2.000884"):
        assert not catalog.get(code).declaration
    assert catalog.get("1.001776").time_limit.describe() == "10 ngày làm việc (7 + 3)"
    assert catalog.get("1.000656").time_limit.describe("en") == "Immediately"


def test_field_blocks_are_expanded(catalog):
    ks = catalog.get("1.001193")
    names = [f.name for f in ks.fields]
    for name in ("requester_name", "requester_id_type", "requester_id_number", "requester_residence",
                 "requester_relationship", "requester_phone", "child_name", "child_dob", "child_dob_words",
                 "child_sex", "child_ethnicity", "child_nationality", "child_birth_place", "child_hometown",
                 "mother_name", "mother_dob", "mother_id_number", "father_name", "father_residence",
                 "parents_marriage_number", "copies_requested", "copies", "place", "signed_on"):
        assert name in names, name
    assert ks.field("requester_residence").required_unless == "requester_id_number"
    assert ks.field("requester_id_number").free_when == ("requester_id_type", ("ho_chieu", "khac"))
    assert ks.field("mother_dob").partial and ks.field("mother_id_number").birth_field == "mother_dob"
    assert ks.field("child_name").uppercase and not ks.field("requester_phone").paper
    assert ks.field("child_ethnicity").sensitive and len(ks.field("child_ethnicity").options) == 54
    assert [s.title for s in ks.sections][:4] == ["Người yêu cầu", "Người được khai sinh", "Mẹ", "Cha"]
    kh = catalog.get("1.000894")
    assert kh.field("bride_marriage_number").type == "number" and kh.field("groom_id_number").required
    death = catalog.get("1.000656")
    assert {"death_hour", "death_minute", "death_date", "death_cause"} <= {f.name for f in death.fields}
    assert death.field("death_cause").sensitive
    claim = catalog.get("1.001022")
    assert claim.field("claimant_id_number").required and not claim.field("claimed_id_number").required
    with pytest.raises(KeyError, match="không có trường"):
        ks.field("nope")


def test_reference_lists(catalog):
    assert len(catalog.ethnic_groups) == 54
    assert catalog.ethnic_groups[0].value == "Kinh" and catalog.ethnic_groups[53].value == "Rơ Măm"
    assert len(catalog.nationalities) >= 60
    assert all(re.fullmatch(r"[A-Z]{2}", o.code) for o in catalog.nationalities)
    assert catalog.nationalities[0].value == "Việt Nam" and catalog.nationalities[0].code == "VN"
    assert len(catalog.provinces) == 34
    assert {o.value for o in catalog.provinces} >= {"Thành phố Hà Nội", "Thành phố Huế", "Tỉnh Cà Mau"}


def test_get_unknown_code_has_a_vietnamese_message(catalog):
    with pytest.raises(KeyError, match="Không có thủ tục mã '9.999999'"):
        catalog.get("9.999999")


def test_json_round_trip_and_atomic_save(catalog, tmp_path):
    text = catalog.as_json()
    again = catalog_from_json(text)
    assert again.digest == catalog.digest and again.version == catalog.version
    assert again.get("2.000815") == catalog.get("2.000815")
    assert catalog_from_json(text.encode()).digest == catalog.digest
    assert catalog_from_json(json.loads(text)).procedures.keys() == catalog.procedures.keys()
    target = tmp_path / "catalog.json"
    save_json(catalog, target)
    assert load_catalog(target).digest == catalog.digest
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]   # no temporary file left


def test_hub_update_is_checked_before_it_replaces_anything(catalog):
    data = catalog.as_dict()
    data["version"] = "2026.2"
    data["procedures"][0]["fee"]["amount"] = -5
    with pytest.raises(CatalogError) as info:
        catalog_from_json(json.dumps(data))
    assert f"tệp {data['procedures'][0]['source']}, khóa fee.amount: số tiền không được âm" in str(info.value)
    assert catalog.version == "2026.2"
    data["procedures"][0]["fee"]["amount"] = 9000
    updated = catalog_from_json(json.dumps(data))
    assert updated.version == "2026.2" and updated.digest != catalog.digest
    with pytest.raises(CatalogError, match="không đọc được JSON"):
        catalog_from_json("{không phải json")


def test_mistakes_are_reported_with_file_and_key(copy_dir):
    proc = copy_dir / "procedures" / "khai_sinh.toml"
    edit(proc, 'type = "date"\nrequired = true', 'type = "datum"\nrequired = true')
    edit(proc, 'field_of_work = "G05-HT"', 'field_of_work = "TP"')
    edit(proc, 'kind = "within_days"\nfield = "child_dob"', 'kind = "within_days"\nfield = "child_dobb"')
    edit(copy_dir / "procedures" / "giam_ho.toml", 'name_en = "Guardianship registration"',
         'name_en = "Guardianship registration"\ncolour = "red"')
    problems = problems_of(copy_dir)
    assert "tệp procedures/khai_sinh.toml, khóa sections[1].fields[1].type: giá trị 'datum' không hợp lệ; " \
           "chọn một trong: text, date, select, id12, number, bool, phone" in problems
    assert any(p.startswith("tệp procedures/khai_sinh.toml, khóa field_of_work: lĩnh vực 'TP'") for p in problems)
    assert any("khóa fee.exemptions[0].field: trường 'child_dobb' không có" in p for p in problems)
    assert any(p.startswith("tệp procedures/giam_ho.toml, khóa colour: khóa không hợp lệ") for p in problems)


def test_block_mistakes_name_blocks_toml(copy_dir):
    edit(copy_dir / "blocks.toml", 'options_from = "ethnic_groups"', 'options_from = "dan_toc"')
    problems = problems_of(copy_dir)
    assert any(p.startswith("tệp blocks.toml, khóa parent.fields[2].options_from: không có danh mục 'dan_toc'")
               for p in problems)


@pytest.mark.parametrize("file, old, new, expected", [
    ("procedures/trich_luc_ho_tich.toml", 'code = "2.000635"', 'code = "1.001193"',
     "tệp procedures/trich_luc_ho_tich.toml, khóa code: mã 1.001193 đã dùng ở procedures/khai_sinh.toml"),
    ("procedures/ket_hon.toml", "[time_limit]\nkind", "[time_limit]\nvalue = 2\nkind",
     "tệp procedures/ket_hon.toml, khóa time_limit.value: thời hạn kiểu 'immediate' không có 'value'"),
    ("procedures/tro_cap_xa_hoi_hang_thang.toml", "steps = [7, 3]", "steps = [7, 4]",
     "tệp procedures/tro_cap_xa_hoi_hang_thang.toml, khóa time_limit.steps: "
     "các bước phải là số ngày nguyên dương, tổng bằng value (10)"),
    ("procedures/chung_thuc_ban_sao.toml", 'pages_field = "pages"', 'pages_field = "document_name"',
     "tệp procedures/chung_thuc_ban_sao.toml, khóa fee.pages_field: "
     "cần một trường kiểu number có trong thủ tục ('document_name')"),
    ("procedures/giam_ho.toml", "value = 3", 'value = "ba"',
     "tệp procedures/giam_ho.toml, khóa time_limit.value: cần số dương (số ngày là số nguyên)"),
    ("procedures/khai_tu.toml", 'use = "requester"', 'use = "nguoi_yeu_cau"',
     "tệp procedures/khai_tu.toml, khóa sections[0].use: không có khối trường 'nguoi_yeu_cau'"),
    ("holidays.toml", "date = 2026-11-24", 'date = "24/11/2026"',
     "tệp holidays.toml, khóa days_off[38].date: ngày '24/11/2026' không hợp lệ; dạng YYYY-MM-DD"),
    ("holidays.toml", "date = 2026-08-22", "date = 2026-08-21",
     "tệp holidays.toml, khóa working_days[2].date: ngày làm bù 2026-08-21 không phải thứ Bảy hoặc Chủ nhật"),
    ("ethnic_groups.toml", 'code = "54"', 'code = "53"', "tệp ethnic_groups.toml, khóa ethnic_groups: '53' bị lặp"),
    ("catalog.toml", 'version = "2026.2"', "version = 2026", "tệp catalog.toml, khóa version: phải là chuỗi"),
    ("procedures/khai_sinh.toml", 'name = "Đăng ký khai sinh"', 'name = "Đăng ký khai sinh',
     "tệp procedures/khai_sinh.toml: sai cú pháp TOML"),
])
def test_single_mistakes(copy_dir, file, old, new, expected):
    edit(copy_dir / file, old, new)
    problems = problems_of(copy_dir)
    assert any(p.startswith(expected) for p in problems), problems


def test_defaults_apply_when_keys_are_left_out(catalog):
    khai_tu = CATALOG_DIR / "procedures" / "khai_tu.toml"
    assert "same_day_cutoff" not in khai_tu.read_text(encoding="utf-8")
    assert catalog.get("1.000656").same_day_cutoff == "15:00"
    assert all(d.required for d in catalog.get("1.000656").documents)


def test_catalog_error_message_lists_every_problem(copy_dir):
    edit(copy_dir / "catalog.toml", 'version = "2026.2"', "version = 1")
    edit(copy_dir / "catalog.toml", "format = 1", "format = 2")
    with pytest.raises(CatalogError) as info:
        load_catalog(copy_dir)
    assert str(info.value).startswith("Danh mục thủ tục có 2 lỗi: tệp catalog.toml, khóa format")
    assert len(info.value.problems) == 2


def test_missing_directory_and_empty_procedures(tmp_path, copy_dir):
    missing = tmp_path / "khong_co"
    assert problems_of(missing) == [f"tệp {missing}: không tìm thấy thư mục hoặc tệp danh mục"]
    for file in (copy_dir / "procedures").glob("*.toml"):
        file.unlink()
    assert "tệp procedures/: không có tệp thủ tục nào (*.toml)" in problems_of(copy_dir)


def test_communes_sample_and_loader(tmp_path):
    communes = load_communes()
    assert "Phường Tây Hồ" in communes["01"] and "Phường Sa Đéc" in communes["82"]
    extra = tmp_path / "communes_22.toml"
    extra.write_text('[[communes]]\nprovince = "22"\nname = "Phường Hạ Long"\n', encoding="utf-8")
    assert load_communes(tmp_path) == {"22": ("Phường Hạ Long",)}
    extra.write_text('[[communes]]\nname = "Phường Hạ Long"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"communes_22.toml, khóa communes\[0\].province: thiếu khóa"):
        load_communes(tmp_path)
