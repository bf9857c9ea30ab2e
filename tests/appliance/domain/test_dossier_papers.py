"""What each printed paper shows (appliance.domain.dossier_papers): pure, from a dossier's JSON."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_papers import (
    FORMS,
    NotPrintable,
    available,
    context,
    day_words,
    declaration_title,
    logbook_row,
    residence,
    time_words,
)
from appliance.domain.dossier_samples import sample_values
from appliance.errors import MotcuaError

CATALOG = load_catalog()
TZ = timezone(timedelta(hours=7))
KHAI_SINH = "1.001193"


def dossier(**extra) -> dict:
    base = {"code": "001-2026-000123", "procedure": KHAI_SINH, "procedure_name": "Đăng ký khai sinh",
            "received_at": "2026-12-01T08:00:00+07:00", "due_at": "2026-12-03T16:00:00+07:00",
            "applicant": {"name": "Nguyễn Thị Hồng Nhung", "phone": "0912345678"},
            "values": {"requester_residence": "Thôn Đông Xá, xã Dương Xá"}, "timeline": []}
    base.update(extra)
    return base


def test_words_as_written_on_the_forms():
    assert day_words(date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert day_words(None) == "ngày ..... tháng ..... năm ........"
    assert time_words(datetime(2026, 12, 1, 10, 5, tzinfo=TZ)) == "10 giờ 05 phút, ngày 01 tháng 12 năm 2026"


def test_papers_that_apply():
    names = [f.name for f in available(dossier(), TZ)]
    assert names == ["to-khai", "mau-01", "mau-06"]
    same_day = dossier(due_at="2026-12-01T16:00:00+07:00", purged=True,
                       timeline=[{"action": "refuse", "at": "2026-12-01T09:00:00+07:00", "reason": "thiếu giấy"}])
    assert [f.name for f in available(same_day, TZ)] == ["mau-03", "mau-06"]
    assert set(FORMS) == {"to-khai", "mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06"}


def test_a_paper_that_does_not_apply_says_why_in_vietnamese():
    procedure = CATALOG.get(KHAI_SINH)
    with pytest.raises(NotPrintable, match="đã được xóa"):
        context("to-khai", dossier(purged=True, values=None), procedure, TZ)
    with pytest.raises(NotPrintable, match="trong ngày"):
        context("mau-01", dossier(due_at="2026-12-01T16:00:00+07:00"), procedure, TZ)
    with pytest.raises(NotPrintable, match="chưa có yêu cầu bổ sung"):
        context("mau-02", dossier(), procedure, TZ)
    assert issubclass(NotPrintable, MotcuaError)


def test_declaration_context_from_sample_values():
    procedure = CATALOG.get(KHAI_SINH)
    values = sample_values(procedure, date(2026, 12, 1))
    clean, errors, _warnings = CATALOG.validate(KHAI_SINH, values, today=date(2026, 12, 1))
    assert errors == {}
    ctx = context("to-khai", dossier(values=clean), procedure, TZ)
    assert ctx["title"] == declaration_title(procedure) == "TỜ KHAI " + procedure.name.upper()
    labels = [row[0] for _left, _right, rows in ctx["sections"] for row in rows]
    assert "copies" not in labels and ctx["seq"] == "000123"
    assert ctx["received"] == datetime(2026, 12, 1, 8, 0, tzinfo=TZ)


def test_logbook_row_and_residence():
    assert residence({"mother_residence": "Xã A", "requester_residence": "Xã B"}) == "Xã B"
    assert residence({"mother_residence": "Xã A"}) == "Xã A" and residence({}) == ""
    item = dict(dossier(), state_label="Đã trả kết quả", channel="buu_chinh", channel_label="Bưu chính")
    row = logbook_row(7, item, {"values": {"requester_residence": "Xã B"}}, TZ)
    assert row["stt"] == 7 and row["address"] == "Xã B" and row["received"] == "08:00 01/12/2026"
    assert row["note"] == "Đã trả kết quả; Bưu chính" and row["returned"] == ""
