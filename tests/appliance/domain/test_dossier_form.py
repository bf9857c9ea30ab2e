"""A procedure's form as pages and papers show it (appliance.domain.dossier_form): pure."""
from __future__ import annotations

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_form import (
    display_value,
    display_values,
    mirror_layout,
    money,
    paired_sections,
    procedure_menu,
    sections,
    widget,
)

CATALOG = load_catalog()
KHAI_SINH = "1.001193"
KET_HON = "1.000894"


def test_display_values_as_written_on_paper():
    procedure = CATALOG.get(KHAI_SINH)
    shown = display_values(procedure, {"child_dob": "1988-03-12", "mother_dob": "1960-04",
                                       "requester_id_type": "cccd", "copies_requested": True})
    assert shown["child_dob"] == "12/03/1988" and shown["mother_dob"] == "04/1960"
    assert shown["requester_id_type"] == "Căn cước công dân" and shown["copies_requested"] == "Có"
    assert money(0) == "Miễn phí" and money(25000) == "25.000 đồng"


def test_display_value_in_english_and_of_odd_values():
    fields = {f.name: f for f in CATALOG.get(KHAI_SINH).fields}
    assert display_value(fields["copies_requested"], "on", "en") == "Yes"
    assert display_value(fields["copies_requested"], False) == "Không"
    assert display_value(fields["child_dob"], "12/3/1988") == "12/03/1988"
    assert display_value(fields["child_dob"], "31/2/2026") == "31/2/2026"      # no such day: kept as typed
    assert display_value(fields["child_name"], None) == "" and display_value(fields["child_name"], "") == ""
    assert display_value(fields["requester_id_type"], "no-such-option") == "no-such-option"


def test_widgets_by_field_type():
    kinds = {f.name: widget(f).kind for f in CATALOG.get(KHAI_SINH).fields}
    assert kinds["child_dob"] == "date" and kinds["requester_id_number"] == "id12"
    assert kinds["child_ethnicity"] == "list" and kinds["requester_id_type"] == "select"
    assert kinds["child_dob_words"] == "generated" and kinds["requester_phone"] == "phone"
    places = {f.name: widget(f).datalist for f in CATALOG.get(KHAI_SINH).fields}
    assert places["child_birth_place"] == "dl-places" and places["child_name"] is None


def test_bride_and_groom_are_paired_other_sections_stand_alone():
    pairs = paired_sections(sections(CATALOG.get(KET_HON)))
    assert (pairs[0][0].title, pairs[0][1].title) == ("Bên nữ", "Bên nam")
    assert all(right is None for _left, right in pairs[1:])
    assert all(right is None for _left, right in paired_sections(sections(CATALOG.get(KHAI_SINH))))


def test_menu_and_mirror_layout_cover_every_procedure_without_values():
    menu = procedure_menu(CATALOG)
    assert sorted(p.code for _name, procs in menu for p in procs) == sorted(CATALOG.procedures)
    layout = mirror_layout(CATALOG, "en")
    assert set(layout) == set(CATALOG.procedures)
    fields = [f for s in layout[KHAI_SINH]["sections"] for f in s["fields"]]
    assert {"name", "label", "type", "generated", "upper", "options"} == set(fields[0])
    assert "value" not in fields[0]
