"""Biểu số II.06a/VPCP/KSTT: the 13 numbered columns, computed once for the appliance and the hub. Pure.

"Tình hình, kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công"
(``/work/shared/domain.md``, "Statistics the upstream level asks for"). Unit of count: dossiers
("Đơn vị tính: số hồ sơ TTHC"). One row per unit (commune) with its total, then one row per field
(lĩnh vực) under it, and a grand total when there are several units.

The columns, numbered as printed on the form:

====  ==================================================================
(1)   TT (row number: ``1``, ``1.1`` …)
(2)   Đơn vị / lĩnh vực
(3)   Tiếp nhận: tổng số = (4) + (5) + (6)
(4)   … trong kỳ, trực tuyến (toàn trình or một phần)
(5)   … trong kỳ, trực tiếp và qua bưu chính công ích
(6)   … từ kỳ trước chuyển sang (received before the period, not resolved when it began)
(7)   Đã giải quyết: tổng số = (8) + (9) + (10)
(8)   … trước hạn
(9)   … đúng hạn
(10)  … quá hạn
(11)  Đang giải quyết: tổng số = (12) + (13)  (not resolved at the end of the period)
(12)  … trong hạn
(13)  … quá hạn
====  ==================================================================

Rules (all against the LEGAL due time, never the model day's 2-hour target, which is a service goal
reported apart):

- A dossier is *resolved* at ``resolved_at``: when its result was ready (``ready``), or when it was
  closed without one (refused, stopped, withdrawn). Early / on time / late is its recorded outcome,
  measured against the legal due time (the appliance sets it at return; see
  ``appliance/domain/counting.py``); a dossier with a result but no recorded outcome is measured here
  (late when resolved after ``due_at``).
- Refused, stopped and withdrawn dossiers count as the counting rules say
  (``appliance/catalog/counting_rules.toml``: on time by provincial practice, or ``excluded``: left out
  of every column). Pass ``closing`` to apply the rules in force now; without it the outcome recorded
  when the dossier closed is used (``None`` = excluded).
- A pending dossier is *quá hạn* when its legal due time is before the reference time (the end of the
  period, or ``as_of`` when the period has not ended yet), unless its clock is paused (a supplement,
  Mẫu 02, is awaited: ``clock_paused``).
- Online rate = (4) / ((4) + (5)); on-time rate = ((8) + (9)) / (7).

Both sides build :class:`Dossier` records from their own rows and call :func:`compute`; the page,
Excel and PDF of either side read :data:`COLUMNS`, :data:`HEADER_ROWS` and :func:`row_values`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

FORM_NUMBER = "Biểu số II.06a/VPCP/KSTT"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
TITLE_EN = "Administrative procedures received and resolved at the public administrative service centre"
UNIT_OF_COUNT = "Đơn vị tính: số hồ sơ TTHC"
UNIT_OF_COUNT_EN = "Unit of count: dossiers"

ONLINE_CHANNELS = frozenset({"truc_tuyen_toan_trinh", "truc_tuyen_mot_phan"})
CLOSING_STATES = frozenset({"refused", "stopped", "withdrawn"})
OUTCOMES = ("early", "on_time", "late")

# (number, Vietnamese heading, English heading) of the 13 columns, left to right.
COLUMNS: tuple[tuple[int, str, str], ...] = (
    (1, "TT", "No."),
    (2, "Đơn vị / Lĩnh vực", "Unit / field"),
    (3, "Tổng số", "Total"),
    (4, "Trực tuyến", "Online"),
    (5, "Trực tiếp và bưu chính công ích", "In person and by post"),
    (6, "Từ kỳ trước chuyển qua", "Carried over"),
    (7, "Tổng số", "Total"),
    (8, "Trước hạn", "Early"),
    (9, "Đúng hạn", "On time"),
    (10, "Quá hạn", "Late"),
    (11, "Tổng số", "Total"),
    (12, "Trong hạn", "Within the time limit"),
    (13, "Quá hạn", "Overdue"),
)


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the form's header: its text, first column (1-based, as numbered) and how many
    header rows and columns it spans."""
    text: str
    text_en: str
    column: int
    row: int
    rowspan: int = 1
    colspan: int = 1


# The three header rows above the row of column numbers, as printed.
HEADER_ROWS: tuple[HeaderCell, ...] = (
    HeaderCell("TT", "No.", 1, 1, rowspan=3),
    HeaderCell("Đơn vị / Lĩnh vực", "Unit / field", 2, 1, rowspan=3),
    HeaderCell("Số hồ sơ tiếp nhận", "Dossiers received", 3, 1, colspan=4),
    HeaderCell("Số hồ sơ đã giải quyết", "Dossiers resolved", 7, 1, colspan=4),
    HeaderCell("Số hồ sơ đang giải quyết", "Dossiers being resolved", 11, 1, colspan=3),
    HeaderCell("Tổng số", "Total", 3, 2, rowspan=2),
    HeaderCell("Trong kỳ", "In the period", 4, 2, colspan=2),
    HeaderCell("Từ kỳ trước chuyển qua", "Carried over", 6, 2, rowspan=2),
    HeaderCell("Tổng số", "Total", 7, 2, rowspan=2),
    HeaderCell("Trước hạn", "Early", 8, 2, rowspan=2),
    HeaderCell("Đúng hạn", "On time", 9, 2, rowspan=2),
    HeaderCell("Quá hạn", "Late", 10, 2, rowspan=2),
    HeaderCell("Tổng số", "Total", 11, 2, rowspan=2),
    HeaderCell("Trong hạn", "Within the time limit", 12, 2, rowspan=2),
    HeaderCell("Quá hạn", "Overdue", 13, 2, rowspan=2),
    HeaderCell("Trực tuyến", "Online", 4, 3),
    HeaderCell("Trực tiếp và bưu chính công ích", "In person and by post", 5, 3),
)
HEADER_DEPTH = 3


@dataclass(frozen=True)
class Dossier:
    """What II.06a needs of one dossier, whichever side stored it.

    ``due_at`` is the legal due time the outcome is measured against (after the counting rules'
    choice about a Mẫu 04 extension); ``resolved_at`` when the result was ready or the dossier was
    closed without one; ``outcome`` the recorded early / on_time / late (``None`` for a closed dossier
    left out by the counting rules, or not yet resolved)."""
    field_code: str | None
    channel: str | None
    received_at: datetime
    state: str
    due_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None
    clock_paused: bool = False
    unit: str = ""


@dataclass
class Row:
    """One printed row. ``kind``: ``unit`` (a commune's total), ``field`` (one field of a unit) or
    ``total`` (every unit)."""
    tt: str
    label: str
    kind: str
    unit: str = ""
    field_code: str = ""
    online: int = 0
    direct_postal: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_deadline: int = 0
    overdue: int = 0

    @property
    def received(self) -> int:
        return self.online + self.direct_postal + self.carried_over

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        return self.within_deadline + self.overdue

    @property
    def new(self) -> int:
        return self.online + self.direct_postal

    @property
    def on_time_rate(self) -> float | None:
        """((8) + (9)) / (7), in percent."""
        return _rate(self.early + self.on_time, self.resolved)

    @property
    def online_rate(self) -> float | None:
        """(4) / ((4) + (5)), in percent: the carried-over dossiers were counted in their own period."""
        return _rate(self.online, self.new)

    def counts(self) -> tuple[int, ...]:
        """Columns (3) to (13)."""
        return (self.received, self.online, self.direct_postal, self.carried_over, self.resolved,
                self.early, self.on_time, self.late, self.pending, self.within_deadline, self.overdue)

    def add(self, other: Row) -> None:
        for name in ("online", "direct_postal", "carried_over", "early", "on_time", "late",
                     "within_deadline", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    """The form's content: the reporting and the receiving unit, the period (inclusive days) and the
    rows in print order."""
    reporting_unit: str
    receiving_unit: str
    first_day: date
    last_day: date
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Row:
        return self.rows[-1] if self.rows[-1].kind == "total" else self.rows[0]

    @property
    def period_line(self) -> str:
        return f"Kỳ báo cáo: từ ngày {self.first_day:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y}"

    @property
    def period_line_en(self) -> str:
        return f"Reporting period: {self.first_day:%d/%m/%Y} to {self.last_day:%d/%m/%Y}"


def _rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


def row_values(row: Row) -> tuple[str | int, ...]:
    """The 13 cells of a row, left to right."""
    return (row.tt, row.label, *row.counts())


def classify(d: Dossier, start: datetime, end: datetime, as_of: datetime,
             closing: Mapping[str, str | None] | None = None) -> tuple[str | None, str | None]:
    """Where one dossier goes for ``[start, end)``: (received column, resolved or pending column),
    each ``None`` when it is not in that group. Received: ``online`` / ``direct_postal`` /
    ``carried_over``; then ``early`` / ``on_time`` / ``late`` / ``within_deadline`` / ``overdue``.
    ``(None, None)``: not in the form (received after the period, resolved before it, or left out)."""
    if d.received_at >= end:
        return None, None
    outcome = d.outcome
    if d.state in CLOSING_STATES:
        if closing is not None:
            outcome = closing.get(d.state)
        if outcome is None:
            return None, None  # the counting rules leave it out
    resolved = d.resolved_at
    if resolved is not None and resolved < start:
        return None, None
    if d.received_at < start:
        received = "carried_over"
    elif d.channel in ONLINE_CHANNELS:
        received = "online"
    else:
        received = "direct_postal"
    if resolved is not None and resolved < end:
        if outcome not in OUTCOMES:
            outcome = "late" if d.due_at is not None and resolved > d.due_at else "on_time"
        return received, outcome
    reference = min(end, as_of)
    if d.clock_paused or d.due_at is None or d.due_at >= reference:
        return received, "within_deadline"
    return received, "overdue"


def _add(row: Row, received: str, second: str) -> None:
    setattr(row, received, getattr(row, received) + 1)
    setattr(row, second, getattr(row, second) + 1)


def compute(dossiers: Iterable[Dossier], start: datetime, end: datetime, as_of: datetime, *,
            units: Mapping[str, str] | None = None, field_names: Callable[[str], str] | None = None,
            closing: Mapping[str, str | None] | None = None, reporting_unit: str = "",
            receiving_unit: str = "", first_day: date | None = None, last_day: date | None = None,
            all_units: Iterable[str] = ()) -> Report:
    """The form for ``[start, end)``: per unit (``Dossier.unit``; ``units`` names them, in the order
    given, then any others by name) its total row then a row per field sorted by code; a grand total
    row last when there is more than one unit. ``all_units`` lists units that get a row even with no
    dossier (a province lists every commune). ``first_day``/``last_day`` default to the days of
    ``start`` and the day before ``end``."""
    units = dict(units or {})
    name_of = field_names or (lambda code: code)
    per_field: dict[str, dict[str, Row]] = {}
    for key in all_units:
        per_field.setdefault(key, {})
    for d in dossiers:
        received, second = classify(d, start, end, as_of, closing)
        if received is None or second is None:
            continue
        _add(field_row(per_field, d.unit, d.field_code, name_of), received, second)
    return assemble(per_field, start, end, units=units, reporting_unit=reporting_unit,
                    receiving_unit=receiving_unit, first_day=first_day, last_day=last_day)


def field_row(per_field: dict[str, dict[str, Row]], unit: str, code: str | None,
              field_names: Callable[[str], str] | None = None) -> Row:
    """The row of one unit's field in ``per_field``, made (empty) when missing."""
    code = code or "KHAC"
    rows = per_field.setdefault(unit, {})
    row = rows.get(code)
    if row is None:
        row = rows[code] = Row("", (field_names or (lambda c: c))(code), "field", unit=unit, field_code=code)
    return row


def assemble(per_field: dict[str, dict[str, Row]], start: datetime, end: datetime, *,
             units: Mapping[str, str] | None = None, reporting_unit: str = "", receiving_unit: str = "",
             first_day: date | None = None, last_day: date | None = None) -> Report:
    """The form from rows already counted per unit and field (:func:`compute` counts them from
    dossiers; the appliance adds its daily summaries' counts into the same rows)."""
    units = dict(units or {})
    order = [u for u in units if u in per_field] + sorted(
        (u for u in per_field if u not in units), key=lambda u: (units.get(u, u), u))
    out: list[Row] = []
    grand = Row("", "Tổng cộng", "total")
    for n, unit in enumerate(order, start=1):
        head = Row(str(n), units.get(unit, unit) or reporting_unit, "unit", unit=unit)
        fields_ = [per_field[unit][k] for k in sorted(per_field[unit])]
        for m, row in enumerate(fields_, start=1):
            row.tt = f"{n}.{m}"
            head.add(row)
        grand.add(head)
        out.append(head)
        out.extend(fields_)
    if len(order) != 1:
        out.append(grand)
    first = first_day or start.date()
    last = last_day or _day_before(end)
    return Report(reporting_unit, receiving_unit, first, last, out)


def _day_before(end: datetime) -> date:
    return (end - timedelta(microseconds=1)).date()


def signature_block(place: str, on: date, reporter: str = "", head_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
                    ) -> tuple[tuple[str, str], tuple[str, str], tuple[str, str]]:
    """The two signature columns under the table: (left, right) lines: titles, the signing note,
    names. Left: the person who made the report; right: the head of the unit, with the place and date."""
    return (
        ("NGƯỜI LẬP BIỂU", f"{place}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"),
        ("(Ký, ghi rõ họ tên)", f"{head_title}\n(Ký, ghi rõ họ tên, đóng dấu)"),
        (reporter, ""),
    )
