"""The warning when "kết hôn lần thứ 2" meets "chưa kết hôn" (and the reverse): catalog data
(``[[spouse.checks]]`` in blocks.toml), shown to the officer, never blocking."""
from __future__ import annotations

import pytest
from dossier_values import CATALOG, TODAY, valid_values


@pytest.fixture
def catalog():
    return CATALOG


# --- the marriage-number warning -------------------------------------------------------------

def marriage(**changes):
    values = valid_values("1.000894")
    values.update(changes)
    return values


def test_second_marriage_with_never_married_warns(catalog):
    _, errors, warnings = catalog.validate("1.000894", marriage(bride_marriage_number=2,
                                                                bride_marital_status="Chưa kết hôn"), today=TODAY)
    assert not errors
    assert "bride_marital_status" in warnings and "groom_marital_status" not in warnings
    assert str(warnings["bride_marital_status"]).startswith(
        "Bên nữ: Kết hôn lần thứ 2 trở lên nhưng tình trạng hôn nhân ghi 'Chưa kết hôn'")
    assert warnings["bride_marital_status"].en.startswith("Bride: A second or later marriage")


def test_consistent_marriage_numbers_do_not_warn(catalog):
    for bride in ({"bride_marriage_number": 1, "bride_marital_status": "Chưa kết hôn"},
                  {"bride_marriage_number": 2, "bride_marital_status": "Đã ly hôn"},
                  {"bride_marriage_number": 3, "bride_marital_status": "Vợ/chồng đã chết"}):
        _, errors, warnings = catalog.validate("1.000894", marriage(**bride), today=TODAY)
        assert not errors and "bride_marital_status" not in warnings, bride


def test_first_marriage_after_a_divorce_warns_too(catalog):
    _, _, warnings = catalog.validate("1.000894", marriage(groom_marriage_number=1, groom_marital_status="Đã ly hôn"),
                                      today=TODAY)
    assert str(warnings["groom_marital_status"]).startswith("Bên nam: Kết hôn lần thứ 1")


def test_the_warning_applies_to_foreign_marriages(catalog):
    values = valid_values("HT.KHNN")
    values.update(groom_marriage_number=2, groom_marital_status="Chưa kết hôn")
    _, _, warnings = catalog.validate("HT.KHNN", values, today=TODAY)
    assert "groom_marital_status" in warnings


def test_the_officer_sees_the_warning_while_typing(client, auth):
    """Through the draft API the form calls on every change: a warning, not an error; it saves."""
    import uuid
    values = marriage(groom_marriage_number=2, groom_marital_status="Chưa kết hôn")
    saved = client.put(f"/api/v1/drafts/{uuid.uuid4()}", json={"counter_id": 1, "procedure": "1.000894",
                                                                "values": values}, headers=auth("officer"))
    assert saved.status_code == 200 and saved.json["errors"] == {}
    assert saved.json["warnings"]["groom_marital_status"].startswith("Bên nam: Kết hôn lần thứ 2 trở lên")
    english = client.put(f"/api/v1/drafts/{uuid.uuid4()}", json={"counter_id": 1, "procedure": "1.000894",
                                                                  "values": values},
                         headers={**auth("officer"), "Accept-Language": "en"})
    assert english.json["warnings"]["groom_marital_status"].startswith("Groom: A second or later marriage")
