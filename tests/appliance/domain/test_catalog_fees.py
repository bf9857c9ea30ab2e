"""Fees as data: per copy, per page with tiers and cap, fixed, exemptions, extras."""
from __future__ import annotations

from datetime import date

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.catalog import catalog_from_json, compute_fee, explain_fee

CATALOG = load_catalog()


@pytest.mark.parametrize("pages, copies, fee", [
    (1, 1, 2000), (2, 1, 4000), (3, 1, 5000), (10, 1, 12000), (10, 3, 36000),
    (198, 1, 200000), (199, 1, 200000), (500, 2, 400000), (197, 1, 199000),
])
def test_certified_copy_per_page_tiers_and_cap(pages, copies, fee):
    assert compute_fee(CATALOG.get("2.000815"), {"pages": pages, "copies": copies}) == fee


def test_signature_certification_and_extract_copies():
    assert compute_fee(CATALOG.get("2.000884"), {}) == 10000
    assert compute_fee(CATALOG.get("2.000635"), {"copies": 3}) == 24000
    assert compute_fee(CATALOG.get("2.000635"), {"copies": "2"}) == 16000


def test_birth_exempt_within_60_days_and_copies_charged():
    ks = CATALOG.get("1.001193")
    on_time = explain_fee(ks, {"child_dob": "2026-01-05"}, on=date(2026, 3, 6))   # day 60
    assert on_time.amount == 0 and "60 ngày" in on_time.exempt_reason
    late = explain_fee(ks, {"child_dob": "2026-01-05"}, on=date(2026, 3, 7))      # day 61
    assert late.amount == 8000 and late.exempt_reason is None
    with_copies = explain_fee(ks, {"child_dob": "2026-01-05", "copies_requested": True, "copies": 2},
                              on=date(2026, 2, 1))
    assert (with_copies.base, with_copies.extras, with_copies.amount) == (0, 16000, 16000)
    assert with_copies.lines[1] == ("Bản sao trích lục khai sinh", 16000)
    assert compute_fee(ks, {"child_dob": "2026-01-05", "copies_requested": False, "copies": 2},
                       on=date(2026, 2, 1)) == 0


def test_death_exempt_within_15_days():
    kt = CATALOG.get("1.000656")
    assert compute_fee(kt, {"death_date": "2026-03-01"}, on=date(2026, 3, 16)) == 0
    assert compute_fee(kt, {"death_date": "2026-03-01"}, on=date(2026, 3, 17)) == 8000


def test_article_11_groups_are_exempt():
    for code in ("1.001193", "1.004873", "1.001022", "1.004859"):
        proc = CATALOG.get(code)
        values = {"child_dob": "2000-01-01", "requester_fee_exempt_group": "ho_ngheo"}
        quote = explain_fee(proc, values, on=date(2026, 3, 3))
        assert quote.amount == 0 and "Điều 11" in quote.exempt_reason, code
        assert compute_fee(proc, {"child_dob": "2000-01-01"}, on=date(2026, 3, 3)) > 0


def test_free_procedures():
    for code in ("1.000894", "1.004837", "1.001776", "1.001731", "XH.HUUTRI", "1.014028"):
        quote = explain_fee(CATALOG.get(code), {})
        assert quote.amount == 0 and quote.exempt_reason, code


def test_province_set_amounts_are_flagged():
    flagged = {code for code, p in CATALOG.procedures.items() if p.fee.province_set}
    assert flagged == {"1.001193", "1.000656", "1.004873", "1.001022", "1.004859", "HT.KSNN", "HT.KHNN", "HT.XDLDT"}


def test_fee_amounts_come_from_data():
    data = CATALOG.as_dict()
    for proc in data["procedures"]:
        if proc["code"] == "2.000884":
            proc["fee"]["amount"] = 20000
    changed = catalog_from_json(data)
    assert compute_fee(changed.get("2.000884"), {}) == 20000
