"""Sample declarations (appliance.domain.dossier_samples): every one passes the field rules."""
from __future__ import annotations

import unicodedata
from datetime import date

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

CATALOG = load_catalog()


def test_sample_values_pass_every_rule():
    for procedure in CATALOG.procedures.values():
        clean, errors, warnings = CATALOG.validate(procedure.code, sample_values(procedure, date(2026, 11, 30)),
                                                   today=date(2026, 11, 30))
        assert errors == {} and warnings == {}, procedure.code


def test_samples_are_deterministic_nfc_and_fill_every_typed_field():
    procedure = CATALOG.get("1.001193")
    first = sample_values(procedure, date(2026, 11, 30), seed=3)
    assert first == sample_values(procedure, date(2026, 11, 30), seed=3)
    assert first != sample_values(procedure, date(2026, 11, 30), seed=4)
    assert set(first) == {f.name for f in procedure.fields if not f.generated}
    assert all(unicodedata.is_normalized("NFC", v) for v in first.values() if isinstance(v, str))
    assert len(first["requester_id_number"]) == 12 and first["requester_id_number"].isdigit()
