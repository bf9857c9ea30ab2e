"""Biểu II.06a against a hand-computed fixture: every column, refused / withdrawn / stopped counting,
the legal deadline (never the 2-hour target), carried-over and pending dossiers."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from appliance.domain import report_ii06a as f

TZ = timezone(timedelta(hours=7))
START = datetime(2026, 2, 15, tzinfo=TZ)     # kỳ tháng 3/2026: 15/02 → 14/03
END = datetime(2026, 3, 15, tzinfo=TZ)


def at(day: int, month: int = 3, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def d(field: str, received: datetime, state: str = "returned", channel: str = "truc_tiep",
      due: datetime | None = None, resolved: datetime | None = None, outcome: str | None = None,
      paused: bool = False, unit: str = "") -> f.Dossier:
    return f.Dossier(field, channel, received, state, due, resolved, outcome, paused, unit)


FIXTURE = [
    # Hộ tịch (G05-HT)
    d("G05-HT", at(2), channel="truc_tuyen_toan_trinh", due=at(2, hour=17), resolved=at(2, hour=10), outcome="early"),
    d("G05-HT", at(3), channel="truc_tuyen_mot_phan", due=at(5), resolved=at(5), outcome="on_time"),
    d("G05-HT", at(4), due=at(6), resolved=at(9), outcome="late"),
    d("G05-HT", at(10, 2), due=at(12, 2), resolved=at(20, 2), outcome="late"),      # carried over, late
    d("G05-HT", at(10, 2), due=at(12, 2), resolved=at(13, 2), outcome="on_time"),   # resolved before: out
    d("G05-HT", at(12), state="processing", due=at(20)),                            # pending, within (due after end)
    d("G05-HT", at(5), state="processing", due=at(10)),                             # pending, overdue
    d("G05-HT", at(6), state="supplement_requested", due=at(7), paused=True),       # clock paused: within
    d("G05-HT", at(7), state="refused", resolved=at(7, hour=10), outcome="on_time"),   # refused: on time
    d("G05-HT", at(15), due=at(15, hour=17)),                                       # received after: out
    # Chứng thực (G05-CT): 2-hour target missed but on time against the legal due time
    d("G05-CT", at(9), channel="buu_chinh", due=at(9, hour=17), resolved=at(9, hour=15), outcome="on_time"),
    d("G05-CT", at(9), state="withdrawn", resolved=at(9, hour=11), outcome="on_time"),
    d("G05-CT", at(9), state="stopped", resolved=at(9, hour=11), outcome=None),   # excluded by the rules
    d("G05-CT", at(14, hour=16), state="processing", due=at(16)),                     # pending at end, within
    d("G05-CT", at(1, 2), state="received", due=at(3, 2)),                           # carried over, overdue
]


def cells(report: f.Report) -> list[tuple]:
    return [f.row_values(r) for r in report.rows]


def test_every_column_hand_computed() -> None:
    names = {"G05-HT": "Hộ tịch", "G05-CT": "Chứng thực"}
    report = f.compute(FIXTURE, START, END, as_of=datetime(2026, 4, 1, tzinfo=TZ),
                       units={"": "Xã Gia Lâm"}, field_names=names.__getitem__, reporting_unit="Xã Gia Lâm")
    #            TT     label           (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    assert cells(report) == [
        ("1", "Xã Gia Lâm",             12,  2,  8,  2,  7,  1,  4,  2,  5,  3,  2),
        ("1.1", "Chứng thực",            4,  0,  3,  1,  2,  0,  2,  0,  2,  1,  1),
        ("1.2", "Hộ tịch",               8,  2,  5,  1,  5,  1,  2,  2,  3,  2,  1),
    ]
    total = report.total
    assert total.received == total.new + total.carried_over == 12
    assert total.resolved + total.pending == total.received
    assert total.on_time_rate == round(100 * 5 / 7, 2)
    assert total.online_rate == 20.0
    assert report.period_line == "Kỳ báo cáo: từ ngày 15/02/2026 đến ngày 14/03/2026"


def test_closing_rules_applied_now() -> None:
    """With the rules passed in, refused / withdrawn / stopped follow them, whatever was recorded."""
    excluded = f.compute(FIXTURE, START, END, as_of=END,
                         closing={"refused": None, "withdrawn": None, "stopped": None})
    counted = f.compute(FIXTURE, START, END, as_of=END,
                        closing={"refused": "on_time", "withdrawn": "on_time", "stopped": "on_time"})
    assert excluded.total.resolved == 5 and excluded.total.on_time == 2
    assert counted.total.resolved == 8 and counted.total.on_time == 5
    assert counted.total.received - excluded.total.received == 3


def test_pending_measured_at_as_of_while_period_runs() -> None:
    """A period still running: a pending dossier is overdue only once its due time has passed now."""
    one = [d("G05-HT", at(5), state="processing", due=at(10))]
    before = f.compute(one, START, END, as_of=at(9))
    after = f.compute(one, START, END, as_of=at(11))
    assert (before.total.within_deadline, before.total.overdue) == (1, 0)
    assert (after.total.within_deadline, after.total.overdue) == (0, 1)


def test_outcome_measured_when_not_recorded() -> None:
    late = d("G05-HT", at(2), due=at(3), resolved=at(4))
    on_time = d("G05-HT", at(2), due=at(3), resolved=at(3))
    assert f.classify(late, START, END, END) == ("direct_postal", "late")
    assert f.classify(on_time, START, END, END) == ("direct_postal", "on_time")


def test_boundaries_are_half_open() -> None:
    """Received at 00:00 on the 15th belongs to the next period; resolved at that instant too."""
    edge = d("G05-HT", END, due=END + timedelta(hours=8), resolved=END + timedelta(hours=1), outcome="early")
    last = d("G05-HT", END - timedelta(seconds=1), state="processing", due=END + timedelta(days=1))
    resolved_at_end = d("G05-HT", at(14), due=at(16), resolved=END, outcome="early")
    assert f.classify(edge, START, END, END) == (None, None)
    assert f.classify(last, START, END, END) == ("direct_postal", "within_deadline")
    assert f.classify(resolved_at_end, START, END, END) == ("direct_postal", "within_deadline")
    assert f.classify(resolved_at_end, END, END + timedelta(days=28), END) == ("carried_over", "early")


def test_several_units_and_a_grand_total() -> None:
    rows = [d("G05-HT", at(2), unit="b", due=at(3), resolved=at(2), outcome="early"),
            d("G05-HT", at(2), unit="a", state="processing", due=at(20)),
            d("G05-CT", at(2), unit="a", due=at(3), resolved=at(2), outcome="on_time")]
    report = f.compute(rows, START, END, END, units={"a": "Xã An", "b": "Xã Bình"},
                       all_units=["a", "b", "c"])
    assert [(r.tt, r.label, r.kind) for r in report.rows] == [
        ("1", "Xã An", "unit"), ("1.1", "G05-CT", "field"), ("1.2", "G05-HT", "field"),
        ("2", "Xã Bình", "unit"), ("2.1", "G05-HT", "field"), ("3", "c", "unit"),
        ("", "Tổng cộng", "total")]
    assert report.total.counts() == (3, 0, 3, 0, 2, 1, 1, 0, 1, 1, 0)


def test_layout_has_thirteen_numbered_columns() -> None:
    assert [c[0] for c in f.COLUMNS] == list(range(1, 14))
    covered = {(r, c) for h in f.HEADER_ROWS for r in range(h.row, h.row + h.rowspan)
               for c in range(h.column, h.column + h.colspan)}
    assert covered == {(r, c) for r in range(1, f.HEADER_DEPTH + 1) for c in range(1, 14)}
    assert sum(h.rowspan * h.colspan for h in f.HEADER_ROWS) == 3 * 13   # no overlap
    sig = f.signature_block("Gia Lâm", date(2026, 3, 15), "Nguyễn Thị An")
    assert sig[0][1] == "Gia Lâm, ngày 15 tháng 03 năm 2026" and sig[2][0] == "Nguyễn Thị An"
