"""SMS encoding: UCS-2 for Vietnamese, where a long text is cut, SMS-SUBMIT PDUs byte by byte."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.sms import pdu

VIETNAMESE = "UBND xã Gia Lâm: Hồ sơ 000.00.00.H00-261130-0001 đã có kết quả. Mời ông/bà đến nhận."


def test_international_numbers():
    assert pdu.international("0912 345 678") == "+84912345678"
    assert pdu.international("+84912345678") == "+84912345678"
    assert pdu.international("84912345678") == "+84912345678"
    for bad in ("", "abc", "09123", "+84 91x"):
        with pytest.raises(ValueError):
            pdu.international(bad)


def test_ucs2_hex_round_trip_keeps_the_diacritics():
    assert pdu.ucs2_hex("Hồ sơ") == "004800D30020007301A1".replace("00D3", "1ED3")
    assert pdu.from_ucs2_hex(pdu.ucs2_hex(VIETNAMESE)) == VIETNAMESE


def test_seventy_units_fit_one_sms_and_more_are_cut_in_67():
    assert pdu.split_parts("ă" * 70) == ["ă" * 70]
    parts = pdu.split_parts("ă" * 71)
    assert [len(p) for p in parts] == [67, 4]
    assert len(pdu.split_parts(VIETNAMESE)) == 2
    # an emoji is two units and is never split across parts
    text = "a" * 66 + "😀" + "b" * 10
    parts = pdu.split_parts(text)
    assert parts[0] == "a" * 66 and parts[1].startswith("😀")


def test_single_part_pdu_byte_by_byte():
    p = pdu.submit_pdu("0912345678", "Hồ", status_report=True)
    # SMSC 00 | 31 = SUBMIT+VPF relative+SRR | MR 00 | DA 0B 91 4819325476F8 | PID 00 | DCS 08 | VP A7 |
    # UDL 04 | "H" 0048 "ồ" 1ED3
    assert p.hex == "00" + "31" + "00" + "0B91" + "4819325476F8" + "00" + "08" + "A7" + "04" + "00481ED3"
    assert p.tpdu_length == len(p.hex) // 2 - 1


def test_concatenated_parts_carry_the_header():
    pdus = pdu.submit_pdus("0912345678", "ơ" * 100, reference=0x42)
    assert len(pdus) == 2
    first = pdus[0].hex
    assert first[2:4] == "71"                                   # UDHI + SRR + VPF + SUBMIT
    assert "050003420201" in first and "050003420202" in pdus[1].hex
    back = [pdu.decode_submit(p.hex) for p in pdus]
    assert [(b.reference, b.total, b.seq) for b in back] == [(0x42, 2, 1), (0x42, 2, 2)]
    assert "".join(b.text for b in back) == "ơ" * 100 and back[0].number == "+84912345678"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=400))
def test_any_text_survives_the_parts(text):
    parts = pdu.split_parts(text)
    assert "".join(parts) == text
    for part in parts:
        limit = pdu.SINGLE_UNITS if len(parts) == 1 else pdu.PART_UNITS
        assert len(pdu.units(part)) <= limit
    if len(parts) <= pdu.MAX_PARTS:
        decoded = [pdu.decode_submit(p.hex) for p in pdu.submit_pdus("0987654321", text, 7)]
        assert "".join(d.text for d in decoded) == text


def test_delivery_states():
    assert pdu.delivery_state(0) == "delivered"
    assert pdu.delivery_state(0x21) == "pending"
    assert pdu.delivery_state(0x45) == "failed"
