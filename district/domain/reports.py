"""The periodic report tables the upstream level asks for (shared/domain.md, "Statistics").

Per field (lĩnh vực), for a period ``[start, end)``:

- received = online + in person/postal (new in the period) + carried over (received before the
  period, not yet resolved when it began);
- resolved = early + on time + late (returned during the period, by its recorded outcome, measured
  by the appliance against the legal due time, never the 2-hour target);
- pending = within deadline + overdue (not resolved at the end of the period, or now if the period
  has not ended: ``as_of``);
- on-time rate = (early + on time) / resolved; online rate = online / newly received (the carried
  over ones were counted in their own period, as in the QĐ 766 index).

Dossiers refused, stopped, withdrawn or cancelled count as resolved, at the time they closed, with
the outcome the appliance's counting rules gave them (``appliance/catalog/counting_rules.toml``:
on time by provincial practice); without an outcome they leave the tables. The model day's "within 2
hours" figures are a table of their own (:func:`target_report`). Pure functions over plain records.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime

from appliance.domain import report_ii06a
from district.domain.projections import CLOSED_WITHOUT_RESULT

ONLINE_CHANNELS = ("truc_tuyen_toan_trinh", "truc_tuyen_mot_phan")
RATING_LABELS = {
    "very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "neutral": "Bình thường",
    "unsatisfied": "Không hài lòng", "very_unsatisfied": "Rất không hài lòng",
}
# Field names when the hub's catalog does not name a code: the appliances' national MX1X2-LV codes
# (G05-HT …, from the 2026.2 catalog) and the short codes of older dossiers.
FIELD_NAMES = {"G05-HT": "Hộ tịch", "G05-CT": "Chứng thực", "G18-BTXH": "Bảo trợ xã hội",
               "HT": "Hộ tịch", "CT": "Chứng thực", "LDTBXH": "Lao động - Thương binh và Xã hội",
               "BTXH": "Bảo trợ xã hội", "XH": "Bảo trợ xã hội", "DD": "Đất đai", "XD": "Xây dựng"}
TOTAL = "TONG"


@dataclass(frozen=True)
class DossierRecord:
    code: str
    field_code: str | None
    channel: str | None
    received_at: datetime | None
    due_at: datetime | None
    state: str
    return_by_post: bool | None = None
    returned_at: datetime | None = None
    outcome: str | None = None
    returned_by_post: bool | None = None
    closed_at: datetime | None = None
    target_due_at: datetime | None = None
    target_met: bool | None = None
    ready_at: datetime | None = None

    @property
    def finished_at(self) -> datetime | None:
        """When it was resolved: returned, or closed without a result."""
        return self.returned_at if self.returned_at is not None else self.closed_at

    @property
    def counted(self) -> bool:
        """In the tables: not closed without a result, or closed with an outcome."""
        return self.state not in CLOSED_WITHOUT_RESULT or self.outcome is not None


@dataclass(frozen=True)
class RatingRecord:
    level: str
    officer: str | None


def _rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


@dataclass
class FieldRow:
    field_code: str
    field_name: str
    online: int = 0
    direct_postal: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_deadline: int = 0
    overdue: int = 0

    @property
    def new(self) -> int:
        return self.online + self.direct_postal

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
    def on_time_rate(self) -> float | None:
        return _rate(self.early + self.on_time, self.resolved)

    @property
    def online_rate(self) -> float | None:
        return _rate(self.online, self.new)

    def add(self, other: FieldRow) -> None:
        for f in fields(self)[2:]:
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class PostalRow:
    field_code: str
    field_name: str
    received_by_post: int = 0
    registered_post_return: int = 0
    returned_by_post: int = 0


@dataclass
class LevelCount:
    level: str
    label: str
    count: int
    percent: float | None


@dataclass
class OfficerRow:
    officer: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied_rate(self) -> float | None:
        return _rate(self.counts.get("very_satisfied", 0) + self.counts.get("satisfied", 0), self.total)


def field_name(code: str | None, names: Mapping[str, str]) -> str:
    code = code or "KHAC"
    return names.get(code) or FIELD_NAMES.get(code) or ("Khác" if code == "KHAC" else code)


def outcome_of(r: DossierRecord) -> str:
    if r.outcome:
        return r.outcome
    if r.due_at is not None and r.returned_at is not None and r.returned_at > r.due_at:
        return "late"
    return "on_time"


def field_report(records: Iterable[DossierRecord], start: datetime, end: datetime, as_of: datetime,
                 names: Mapping[str, str] | None = None) -> list[FieldRow]:
    """Rows per field, sorted by code, then a total row (``field_code == TOTAL``): each dossier placed
    by Biểu II.06a's own rule (:func:`appliance.domain.report_ii06a.classify`, the hub's closing rule:
    the outcome recorded when it closed, none → left out), resolved when its result was ready, else
    returned or closed — what ``district/store/province.py`` counts in SQL."""
    names = names or {}
    rows: dict[str, FieldRow] = {}
    for r in records:
        if r.received_at is None:
            continue
        found = r.ready_at or r.returned_at or r.closed_at
        resolved = None if found is None else max(found, r.received_at)
        d = report_ii06a.Dossier(r.field_code, r.channel, r.received_at, r.state, r.due_at, resolved, r.outcome,
                                 r.state == "supplement_requested")
        received, second = report_ii06a.classify(d, start, end, as_of, None)
        if received is None or second is None:
            continue
        code = r.field_code or "KHAC"
        row = rows.setdefault(code, FieldRow(code, field_name(code, names)))
        setattr(row, received, getattr(row, received) + 1)
        setattr(row, second, getattr(row, second) + 1)
    ordered = [rows[k] for k in sorted(rows)]
    total = FieldRow(TOTAL, "Tổng cộng")
    for row in ordered:
        total.add(row)
    return ordered + [total]


@dataclass
class TargetRow:
    field_code: str
    field_name: str
    with_target: int = 0          # resolved in the period with a 2-hour target (model day)
    within_target: int = 0

    @property
    def rate(self) -> float | None:
        return _rate(self.within_target, self.with_target)


def target_report(records: Iterable[DossierRecord], start: datetime, end: datetime,
                  names: Mapping[str, str] | None = None) -> list[TargetRow]:
    """The model day's "trong 2 giờ" figures: dossiers resolved in the period that had a 2-hour target,
    and how many were ready within it. A service goal, apart from the legal on-time rate."""
    names = names or {}
    rows: dict[str, TargetRow] = {}
    for r in records:
        if r.target_met is None or r.returned_at is None or not start <= r.returned_at < end:
            continue
        code = r.field_code or "KHAC"
        row = rows.setdefault(code, TargetRow(code, field_name(code, names)))
        row.with_target += 1
        row.within_target += int(r.target_met)
    ordered = [rows[k] for k in sorted(rows)]
    total = TargetRow(TOTAL, "Tổng cộng")
    for row in ordered:
        total.with_target += row.with_target
        total.within_target += row.within_target
    return ordered + [total]


def postal_report(records: Iterable[DossierRecord], start: datetime, end: datetime,
                  names: Mapping[str, str] | None = None) -> list[PostalRow]:
    names = names or {}
    rows: dict[str, PostalRow] = {}
    for r in records:
        code = r.field_code or "KHAC"
        received_now = r.received_at is not None and start <= r.received_at < end
        returned_now = r.returned_at is not None and start <= r.returned_at < end
        if not (received_now or returned_now) or r.state in CLOSED_WITHOUT_RESULT:
            continue
        row = rows.setdefault(code, PostalRow(code, field_name(code, names)))
        if received_now and r.channel == "buu_chinh":
            row.received_by_post += 1
        if received_now and r.return_by_post:
            row.registered_post_return += 1
        if returned_now and r.returned_by_post:
            row.returned_by_post += 1
    ordered = [rows[k] for k in sorted(rows)]
    total = PostalRow(TOTAL, "Tổng cộng")
    for row in ordered:
        total.received_by_post += row.received_by_post
        total.registered_post_return += row.registered_post_return
        total.returned_by_post += row.returned_by_post
    return ordered + [total]


def satisfaction_levels(ratings: Iterable[RatingRecord]) -> list[LevelCount]:
    counts = Counter(r.level for r in ratings)
    total = sum(counts.values())
    return [LevelCount(level, label, counts.get(level, 0), _rate(counts.get(level, 0), total))
            for level, label in RATING_LABELS.items()]


def satisfaction_by_officer(ratings: Iterable[RatingRecord]) -> list[OfficerRow]:
    per: dict[str, Counter] = defaultdict(Counter)
    for r in ratings:
        per[r.officer or "(không ghi cán bộ)"][r.level] += 1
    return [OfficerRow(name, dict(per[name])) for name in sorted(per)]


# --- the same tables from counts grouped in the database (district/store/province.py) --------------

def fields_from_counts(counts: Iterable[tuple[str, str, str, str, int]],
                       names: Mapping[str, str] | None = None) -> list[FieldRow]:
    """:func:`field_report`'s rows from (commune, field, received column, second column, dossiers)."""
    names = names or {}
    rows: dict[str, FieldRow] = {}
    for _commune, code, received, second, n in counts:
        row = rows.setdefault(code, FieldRow(code, field_name(code, names)))
        setattr(row, received, getattr(row, received) + n)
        setattr(row, second, getattr(row, second) + n)
    ordered = [rows[k] for k in sorted(rows)]
    total = FieldRow(TOTAL, "Tổng cộng")
    for row in ordered:
        total.add(row)
    return ordered + [total]


def postal_from_counts(counts: Iterable[tuple[str, int, int, int]],
                       names: Mapping[str, str] | None = None) -> list[PostalRow]:
    names = names or {}
    ordered = [PostalRow(code, field_name(code, names), a, b, c) for code, a, b, c in sorted(counts)]
    total = PostalRow(TOTAL, "Tổng cộng", sum(r.received_by_post for r in ordered),
                      sum(r.registered_post_return for r in ordered), sum(r.returned_by_post for r in ordered))
    return ordered + [total]


def targets_from_counts(counts: Iterable[tuple[str, int, int]],
                        names: Mapping[str, str] | None = None) -> list[TargetRow]:
    names = names or {}
    ordered = [TargetRow(code, field_name(code, names), n, m) for code, n, m in sorted(counts)]
    return ordered + [TargetRow(TOTAL, "Tổng cộng", sum(r.with_target for r in ordered),
                                sum(r.within_target for r in ordered))]


def levels_from_counts(counts: Iterable[tuple[str, str | None, int]]) -> list[LevelCount]:
    per: Counter[str] = Counter()
    for level, _officer, n in counts:
        per[level] += n
    total = sum(per.values())
    return [LevelCount(level, label, per.get(level, 0), _rate(per.get(level, 0), total))
            for level, label in RATING_LABELS.items()]


def officers_from_counts(counts: Iterable[tuple[str, str | None, int]]) -> list[OfficerRow]:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for level, officer, n in counts:
        per[officer or "(không ghi cán bộ)"][level] += n
    return [OfficerRow(name, dict(per[name])) for name in sorted(per)]
