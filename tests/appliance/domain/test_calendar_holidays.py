"""The shipped holiday data against the `holidays` library's Vietnamese calendar (lunar dates,
Labour Code compensatory days, announced swaps) for 2025–2027."""
from __future__ import annotations

from datetime import date

import holidays as holidays_lib

from appliance.catalog.loader import load_holidays

YEARS = (2025, 2026, 2027)
# announced swaps the library does not know: Fri 2/1/2026 off, worked on Sat 10/1 (12729/VPCP-KGVX)
SWAPS_NOT_IN_LIBRARY = {date(2026, 1, 2)}


def test_every_weekday_holiday_matches_the_library():
    ours = load_holidays()
    off = {h.day for h in ours if not h.working and h.day.weekday() < 5}
    lib = holidays_lib.country_holidays("VN", years=YEARS)
    theirs = {d for d in lib if d.weekday() < 5}
    assert sorted(off - theirs) == sorted(SWAPS_NOT_IN_LIBRARY)
    assert sorted(theirs - off) == []


def test_tet_and_hung_kings_lunar_dates():
    lib = holidays_lib.country_holidays("VN", years=YEARS, language="en_US")
    ours = {h.day: h.name for h in load_holidays()}
    for _year, new_year in ((2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)), (2027, date(2027, 2, 6))):
        assert new_year in lib and "Tết Nguyên đán" in ours[new_year] and "mùng 1" in ours[new_year]
    for d in (date(2025, 4, 7), date(2026, 4, 26), date(2027, 4, 16)):
        assert "Hùng Vương" in ours[d] and d in lib


def test_makeup_days_are_weekends_and_2027_is_marked_tentative():
    days = load_holidays()
    makeup = [h.day for h in days if h.working]
    assert makeup == [date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]
    assert all(h.tentative for h in days if h.day.year == 2027)
    # 24/11 "Ngày Văn hóa Việt Nam" stays tentative until Điều 112 is amended
    assert [h.day for h in days if h.tentative and h.day.year < 2027] == [date(2026, 11, 24)]
