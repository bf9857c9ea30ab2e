"""Report periods: the 15th → 14th boundaries of month, quarter, half-year and year; weeks; ranges."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.domain import report_periods as p
from appliance.domain.errors import DomainError


def span(period: p.Period) -> tuple[date, date]:
    return period.first, period.last


def test_reporting_periods_run_from_the_15th_to_the_14th() -> None:
    assert span(p.report_month(2026, 3)) == (date(2026, 2, 15), date(2026, 3, 14))
    assert span(p.report_month(2026, 1)) == (date(2025, 12, 15), date(2026, 1, 14))
    assert span(p.report_quarter(2026, 1)) == (date(2025, 12, 15), date(2026, 3, 14))
    assert span(p.report_quarter(2026, 2)) == (date(2026, 3, 15), date(2026, 6, 14))
    assert span(p.report_quarter(2026, 4)) == (date(2026, 9, 15), date(2026, 12, 14))
    assert span(p.report_half(2026, 1)) == (date(2025, 12, 15), date(2026, 6, 14))
    assert span(p.report_half(2026, 2)) == (date(2026, 6, 15), date(2026, 12, 14))
    assert span(p.report_year(2026)) == (date(2025, 12, 15), date(2026, 12, 14))
    assert p.report_year(2026).days == 365
    assert "15/12/2025 – 14/03/2026" in p.report_quarter(2026, 1).label


def test_the_day_that_opens_a_period() -> None:
    """14 March is the last day of kỳ tháng 3; 15 March opens kỳ tháng 4 and quý II."""
    assert p.current("report_month", date(2026, 3, 14)).key == "2026-03"
    assert p.current("report_month", date(2026, 3, 15)).key == "2026-04"
    assert p.current("report_quarter", date(2026, 3, 14)).key == "2026-Q1"
    assert p.current("report_quarter", date(2026, 3, 15)).key == "2026-Q2"
    assert p.current("report_year", date(2025, 12, 15)).key == "2026"
    assert p.current("report_year", date(2025, 12, 14)).key == "2025"
    assert p.current("report_half", date(2026, 6, 15)).key == "2026-H2"
    assert p.current("report_month", date(2026, 12, 20)).key == "2027-01"


def test_periods_tile_the_year_without_gap_or_overlap() -> None:
    months = [p.report_month(2026, m) for m in range(1, 13)]
    for a, b in zip(months, months[1:], strict=False):
        assert b.first == a.last + timedelta(days=1)
    assert months[0].first == p.report_year(2026).first and months[-1].last == p.report_year(2026).last
    assert sum(m.days for m in months) == p.report_year(2026).days


def test_bounds_are_local_midnights_half_open() -> None:
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    start, end = p.bounds(p.report_month(2026, 3), tz)
    assert start == datetime(2026, 2, 15, tzinfo=tz) and end == datetime(2026, 3, 15, tzinfo=tz)
    assert start.timestamp() == datetime.fromisoformat("2026-02-14T17:00:00+00:00").timestamp()


def test_week_month_today() -> None:
    assert span(p.week(date(2026, 12, 2))) == (date(2026, 11, 30), date(2026, 12, 6))
    assert span(p.month(2026, 2)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert span(p.month(2026, 12)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert span(p.current("today", date(2026, 12, 2))) == (date(2026, 12, 2), date(2026, 12, 2))


def test_parse_from_a_url() -> None:
    today = date(2026, 12, 2)
    assert p.parse("report_quarter", "2026-q3", today).key == "2026-Q3"
    assert p.parse("report_month", "2026-03", today).first == date(2026, 2, 15)
    assert p.parse("report_year", "2025", today).first == date(2024, 12, 15)
    assert span(p.parse("range", None, today, "2026-01-05", "2026-02-04")) == (date(2026, 1, 5), date(2026, 2, 4))
    assert p.parse(None, None, today).kind == "today"


@pytest.mark.parametrize("kind,key,first,last", [
    ("nope", None, None, None), ("report_month", "2026-13", None, None), ("report_quarter", "2026-Q5", None, None),
    ("report_half", "2026-H3", None, None), ("report_year", "99999", None, None), ("month", "2026", None, None),
    ("range", None, "2026-02-30", None), ("range", None, "2026-03-02", "2026-03-01"),
    ("range", None, "2020-01-01", "2026-01-01"), ("today", "x", None, None), ("report_year", "1800", None, None),
])
def test_bad_periods_are_refused_with_a_reason(kind, key, first, last) -> None:
    with pytest.raises(DomainError) as info:
        p.parse(kind, key, date(2026, 12, 2), first, last)
    assert info.value.code == "invalid"
    assert info.value.message("vi") != info.value.message("en")


def test_blocks_cover_every_day_once_with_whole_years_and_months() -> None:
    from datetime import date, timedelta

    from appliance.domain.report_periods import blocks, report_month, report_year
    years, months, days = blocks(date(2024, 12, 15), date(2025, 12, 14))
    assert (years, months, days) == (["2025"], [], [])
    today = date(2026, 12, 3)
    years, months, days = blocks(date(2025, 12, 15), date(2026, 12, 14), skip=today)
    assert years == [] and months == [f"2026-{m:02d}" for m in range(1, 12)]
    assert days[0] == date(2026, 11, 15) and today not in days and days[-1] == date(2026, 12, 14)
    for first, last in ((date(2026, 3, 1), date(2026, 5, 20)), (date(2024, 12, 10), date(2026, 1, 20)),
                        (date(2026, 2, 15), date(2026, 3, 14))):
        years, months, days = blocks(first, last)
        covered = list(days)
        for key in years:
            p = report_year(int(key))
            covered += [p.first + timedelta(days=i) for i in range(p.days)]
        for key in months:
            y, m = key.split("-")
            p = report_month(int(y), int(m))
            covered += [p.first + timedelta(days=i) for i in range(p.days)]
        assert sorted(covered) == [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert blocks(date(2026, 2, 15), date(2026, 3, 14)) == ([], ["2026-03"], [])
