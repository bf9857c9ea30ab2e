"""Time left on a dossier in working time (appliance.domain.dossier_timing): pure, no clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from appliance.domain.dossier_timing import DAY_CAP_S, SOON_MIN_S, classify, describe, parse_iso


def test_time_left_rules():
    assert classify(None, None).status == "none"
    assert classify(-5, 3600).status == "overdue"
    assert classify(10 * 3600, 3 * 8 * 3600).status == "ok"
    assert classify(3600, 3 * 8 * 3600).status == "soon"             # < a fifth of 3 days
    assert classify(20 * 60, 2 * 3600).status == "soon"              # < 30 minutes always
    assert classify(40 * 60, 2 * 3600).status == "ok"
    assert describe(5400, 7.5) == "còn 1 giờ 30 phút"
    assert describe(-(7.5 * 3600 * 3 + 2 * 3600), 7.5) == "quá hạn 3 ngày 2 giờ"
    assert describe(30, 7.5) == "còn dưới 1 phút"
    assert describe(5400, 7.5, "en") == "1 h 30 min left"


def test_soon_threshold_is_a_fifth_of_the_time_allowed_between_30_minutes_and_one_working_day():
    assert classify(3600, 10 * 3600).threshold_s == 2 * 3600
    assert classify(3600, 3600).threshold_s == SOON_MIN_S
    assert classify(3600, 30 * 8 * 3600).threshold_s == DAY_CAP_S          # 30 days: still one day
    assert classify(DAY_CAP_S + 1, 30 * 8 * 3600).status == "ok"


def test_overdue_flag_wins_and_left_is_never_zero():
    assert classify(7200, 3600, overdue=True).status == "overdue"
    assert classify(0, 3600).seconds == -1.0 and classify(0, 3600).status == "overdue"
    assert classify(-600, 3600).seconds == -600


def test_text_in_both_languages():
    assert classify(None, None).text(8) == "—"
    assert classify(-8 * 3600, 3600).text(8) == "quá hạn 1 ngày"
    assert classify(-8 * 3600, 3600).text(8, "en") == "1 d overdue"
    assert describe(30, 8, "en") == "under 1 min left"


def test_parse_iso():
    assert parse_iso(None) is None and parse_iso("") is None and parse_iso("not a date") is None
    assert parse_iso("2026-12-02T08:30:00+07:00") == datetime(2026, 12, 2, 8, 30,
                                                              tzinfo=timezone(timedelta(hours=7)))
