"""An amount in đồng as an officer types it (postage on a handover line, the fee of a return by
post): one reading for both. Characters that ``str.isdigit`` calls digits but ``int`` cannot read
(superscripts) were a 500; now they are a refusal like any other text."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from appliance.domain import amounts
from appliance.domain import postal as rules
from appliance.domain.dossiers import FormInvalid, check_action


@pytest.mark.parametrize("value,expected", [
    (None, None), ("", None), ("25000", 25000), ("25.000", 25000), ("25,000", 25000), ("25 000", 25000),
    (0, 0), (25000, 25000), ("10.000.000", 10_000_000)])
def test_amounts_read(value, expected):
    assert amounts.parse_dong(value) == (expected, None)


@pytest.mark.parametrize("value", ["hai mươi", "25000²", "²", "１２", "-5", -5, 1.5, True, [], {}, "1e5", "\u0665"])
def test_what_is_not_an_amount(value):
    assert amounts.parse_dong(value) == (None, "not_amount")


@pytest.mark.parametrize("value", ["10.000.001", 10**30, "9" * 40])
def test_too_large(value):
    assert amounts.parse_dong(value) == (None, "too_large")


def test_a_handover_line_and_a_return_by_post_refuse_a_superscript_fee():
    _, errors = rules.check_handover({"postal_unit": "Bưu điện xã", "postal_worker": "A", "items": [
        {"code": "X1", "tracking_number": "EB123456785VN", "fee": "25000²"}]})
    assert set(errors) == {"items.0.fee"} and errors["items.0.fee"].en
    with pytest.raises(FormInvalid) as caught:
        check_action("return", {"by_post": True, "post_address": "Thôn 1", "tracking_number": "EB123456785VN",
                                "fee": "²"}, tz=UTC, now=datetime(2026, 12, 3, tzinfo=UTC))
    assert set(caught.value.errors) == {"fee"}
