"""Dates written in words for hộ tịch papers (uses appliance.domain.vnwords)."""
from __future__ import annotations

from datetime import date

import pytest

from appliance.domain.datewords import date_in_words, month_year_in_words


@pytest.mark.parametrize("d, words", [
    (date(1988, 3, 12), "Ngày mười hai tháng ba năm một nghìn chín trăm tám mươi tám"),
    (date(2005, 4, 5), "Ngày mồng năm tháng tư năm hai nghìn không trăm linh năm"),
    (date(2021, 12, 31), "Ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi mốt"),
    (date(2026, 1, 15), "Ngày mười lăm tháng một năm hai nghìn không trăm hai mươi sáu"),
    (date(2000, 11, 10), "Ngày mồng mười tháng mười một năm hai nghìn"),
    (date(1999, 2, 25), "Ngày hai mươi lăm tháng hai năm một nghìn chín trăm chín mươi chín"),
])
def test_date_in_words(d, words):
    assert date_in_words(d) == words


def test_plain_style_and_partial_dates():
    assert date_in_words(date(2005, 4, 5), style="plain").startswith("Ngày năm tháng tư")
    assert month_year_in_words(3, 1988) == "Tháng ba năm một nghìn chín trăm tám mươi tám"
    assert month_year_in_words(None, 2024) == "Năm hai nghìn không trăm hai mươi bốn"
    with pytest.raises(ValueError):
        date_in_words(date(2005, 4, 5), style="fancy")
