"""The commune's own report (``/reports``): queue and dossier figures for a period, as tables. Pure.

Input is what ``appliance/store/report_store.py`` reads (grouped ticket counts, wait samples,
dossier rows, rating counts); output is :class:`Table` values that the page, the SVG charts, Excel
and CSV all render, so the four always show the same numbers.

Definitions:

- *waiting time*: from the ticket's issue to its call (for a transferred ticket, its last call);
  *service time*: from "serving" to "done". Median and 90th percentile (linear between the closest
  ranks, as spreadsheets' PERCENTILE.INC) per hour of the day the ticket was issued.
- *no-show*: marked absent ("V"); *transferred*: moved to another service or counter at least once.
- dossiers: the legal outcome and Biểu II.06a come from :mod:`appliance.domain.report_ii06a`; the model
  day's "trong 2 giờ" rate counts dossiers resolved in the period that had a 2-hour target, a service
  goal apart from the legal on-time rate.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from appliance.domain import report_ii06a

# column formats: text, int (count), pct (percent, 0-100), minutes (one decimal), id (text that must
# stay text: personal and phone numbers, codes with leading zeros)
FORMATS = ("text", "int", "pct", "minutes", "id")

LEVELS: dict[str, tuple[str, str]] = {
    "very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "satisfied": ("Hài lòng", "Satisfied"),
    "neutral": ("Bình thường", "Neutral"),
    "unsatisfied": ("Không hài lòng", "Unsatisfied"),
    "very_unsatisfied": ("Rất không hài lòng", "Very unsatisfied"),
}
FAMILIARITY: dict[str, tuple[str, str]] = {
    "thanh_thao": ("Thành thạo", "Confident"),
    "co_ban": ("Biết cơ bản", "Basic"),
    "chua_biet": ("Chưa biết (cầm tay chỉ việc)", "None (coached step by step)"),
    "": ("Chưa ghi nhận", "Not recorded"),
}
NO_OFFICER = ("(không ghi cán bộ)", "(no officer recorded)")
TOTAL = ("Tổng cộng", "Total")


def t(pair: tuple[str, str], lang: str) -> str:
    """The English of a (Vietnamese, English) pair when ``lang`` is ``en``."""
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class Column:
    vi: str
    en: str
    format: str = "int"

    def title(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Table:
    """One downloadable table: ``key`` names it in URLs, ``sheet`` is its Excel sheet name (≤ 31
    characters), ``chart`` how the page draws it (``None``: a table is enough)."""
    key: str
    title: str
    title_en: str
    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None = None
    note: str = ""
    note_en: str = ""
    chart: str | None = None

    def heading(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title

    def remark(self, lang: str) -> str:
        return self.note_en if lang == "en" else self.note

    @property
    def wide(self) -> bool:
        """Landscape when printed."""
        return len(self.columns) > 7


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) of sorted values, linear between closest ranks (PERCENTILE.INC)."""
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


# --- tickets ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TicketGroup:
    """Counts of the tickets issued in the period for one (service, counter, officer)."""
    service: str
    counter: str
    officer: str
    issued: int
    served: int
    no_show: int
    priority: int
    transferred: int
    waiting: int = 0


@dataclass(frozen=True)
class Sample:
    """One ticket's times in seconds (``None`` where it never got there), the local hour it was issued."""
    hour: int
    service: str
    wait_s: float | None
    service_s: float | None


_TICKET_COLUMNS = (Column("Số phiếu đã cấp", "Tickets issued"), Column("Đã phục vụ", "Served"),
                   Column("Vắng mặt", "No-shows"), Column("Tỷ lệ vắng mặt (%)", "No-show rate (%)", "pct"),
                   Column("Đã chuyển", "Transferred"), Column("Ưu tiên", "Priority"),
                   Column("Tỷ lệ ưu tiên (%)", "Priority share (%)", "pct"))


def _ticket_cells(issued: int, served: int, no_show: int, transferred: int, priority: int) -> tuple[Any, ...]:
    return (issued, served, no_show, rate(no_show, issued), transferred, priority, rate(priority, issued))


def ticket_table(groups: Iterable[TicketGroup], by: str, labels: Mapping[str, str] | None = None,
                 lang: str = "vi") -> Table:
    """Tickets per ``by`` (``service``, ``counter`` or ``officer``) with a total row."""
    labels = labels or {}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for g in groups:
        key = getattr(g, by)
        s = sums[key]
        s[0] += g.issued
        s[1] += g.served
        s[2] += g.no_show
        s[3] += g.transferred
        s[4] += g.priority
    names = {"service": ("Lĩnh vực", "Service", "Theo lĩnh vực", "By service"),
             "counter": ("Quầy", "Counter", "Theo quầy", "By counter"),
             "officer": ("Cán bộ", "Officer", "Theo cán bộ", "By officer")}[by]
    ordered = sorted(sums, key=lambda k: (labels.get(k, k) == "", labels.get(k, k)))
    rows = tuple((labels.get(k, k) or t(NO_OFFICER, lang), *_ticket_cells(*sums[k])) for k in ordered)
    total = [sum(s[i] for s in sums.values()) for i in range(5)]
    key = {"service": "phieu-theo-linh-vuc", "counter": "phieu-theo-quay", "officer": "phieu-theo-can-bo"}[by]
    return Table(key,
                 f"Số thứ tự đã cấp {names[2].lower()}", f"Tickets {names[3].lower()}",
                 f"Phiếu {names[2].lower()}", (Column(names[0], names[1], "text"), *_TICKET_COLUMNS),
                 rows, (t(TOTAL, lang), *_ticket_cells(*total)), chart="bars" if by != "officer" else None)


def hour_table(samples: Iterable[Sample], lang: str = "vi") -> Table:
    """Waiting and service time by the hour of issue: count, median, 90th percentile (minutes)."""
    waits: dict[int, list[float]] = defaultdict(list)
    services: dict[int, list[float]] = defaultdict(list)
    all_waits: list[float] = []
    all_services: list[float] = []
    for s in samples:
        if s.wait_s is not None:
            waits[s.hour].append(s.wait_s)
        if s.service_s is not None:
            services[s.hour].append(s.service_s)
    rows = []
    for hour in sorted(set(waits) | set(services)):
        w = sorted(waits[hour])
        v = sorted(services[hour])
        all_waits.extend(w)
        all_services.extend(v)
        rows.append((f"{hour:02d}:00–{hour + 1:02d}:00", len(w), _minutes(percentile(w, 0.5)),
                     _minutes(percentile(w, 0.9)), len(v), _minutes(percentile(v, 0.5)), _minutes(percentile(v, 0.9))))
    all_waits.sort()
    all_services.sort()
    total = (t(("Cả ngày", "All day"), lang), len(all_waits), _minutes(percentile(all_waits, 0.5)),
             _minutes(percentile(all_waits, 0.9)),
             len(all_services), _minutes(percentile(all_services, 0.5)), _minutes(percentile(all_services, 0.9)))
    return Table("thoi-gian-theo-gio", "Thời gian chờ và thời gian phục vụ theo giờ trong ngày (phút)",
                 "Waiting and service time by hour of day (minutes)", "Thời gian theo giờ", (
                     Column("Giờ lấy số", "Hour of issue", "text"), Column("Số lượt gọi", "Called"),
                     Column("Chờ: trung vị", "Wait: median", "minutes"), Column("Chờ: 90%", "Wait: p90", "minutes"),
                     Column("Số lượt phục vụ", "Served"),
                     Column("Phục vụ: trung vị", "Service: median", "minutes"),
                     Column("Phục vụ: 90%", "Service: p90", "minutes")),
                 tuple(rows), total,
                 "Chờ: từ lúc lấy số đến lúc được gọi; phục vụ: từ lúc bắt đầu đến lúc xong. 90%: chín phần mười "
                 "số lượt không quá thời gian này.",
                 "Wait: from issue to call; service: from start to done. p90: nine in ten took no longer.",
                 chart="hours")


# --- dossiers --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DossierFacts:
    """One dossier row for the local tables, beside its II.06a record."""
    record: report_ii06a.Dossier
    received_in: bool              # received in the period
    resolved_in: bool              # ready or closed in the period
    portal: bool                   # filed online on the portal with the officer's help (portal code)
    vneid_created: bool
    it_familiarity: str            # "" when not recorded
    by_post: bool                  # received by post
    return_by_post: bool           # registered for postal return
    returned_by_post: bool         # returned by post (closed in the period)
    target_met: bool | None        # None: no 2-hour target


def _field_rows(keys: Iterable[str], names: Mapping[str, str]) -> list[str]:
    return sorted(set(keys), key=lambda k: (names.get(k, k), k))


def timeliness_table(report: report_ii06a.Report, lang: str = "vi") -> Table:
    """The II.06a rows with the on-time and online rates, for the page (the form itself is its own file)."""
    rows = [r for r in report.rows if r.kind == "field"]
    total = report.rows[0] if report.rows else report_ii06a.Row("", "Tổng cộng", "unit")
    cols = (Column("Lĩnh vực", "Field", "text"), Column("Tiếp nhận", "Received"),
            Column("Trong kỳ: trực tuyến", "New: online"),
            Column("Trong kỳ: trực tiếp, bưu chính", "New: in person, post"),
            Column("Kỳ trước chuyển qua", "Carried over"), Column("Đã giải quyết", "Resolved"),
            Column("Trước hạn", "Early"), Column("Đúng hạn", "On time"), Column("Quá hạn", "Late"),
            Column("Đang giải quyết: trong hạn", "Pending: in time"),
            Column("Đang giải quyết: quá hạn", "Pending: overdue"),
            Column("Tỷ lệ đúng hạn (%)", "On-time rate (%)", "pct"))

    def cells(r: report_ii06a.Row, label: str) -> tuple[Any, ...]:
        return (label, r.received, r.online, r.direct_postal, r.carried_over, r.resolved, r.early, r.on_time,
                r.late, r.within_deadline, r.overdue, r.on_time_rate)
    return Table("ho-so-dung-han", "Hồ sơ tiếp nhận và giải quyết (so với thời hạn giải quyết theo quy định)",
                 "Dossiers received and resolved (against the legal time limit)", "Hồ sơ theo thời hạn",
                 cols, tuple(cells(r, r.label) for r in rows), cells(total, t(TOTAL, lang)),
                 "Trước hạn / đúng hạn / quá hạn tính theo thời hạn pháp định (không phải mục tiêu 2 giờ). Hồ sơ từ "
                 "chối, rút, dừng tính theo quy tắc đếm của tỉnh.",
                 "Early / on time / late against the legal time limit (not the 2-hour goal). Refused, withdrawn "
                 "and stopped dossiers follow the province's counting rules.", chart="stack")


def target_table(facts: Iterable[DossierFacts], names: Mapping[str, str], lang: str = "vi") -> Table:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in facts:
        if f.resolved_in and f.target_met is not None:
            s = per[f.record.field_code or "KHAC"]
            s[0] += 1
            s[1] += int(f.target_met)
    rows = tuple((names.get(k, k), per[k][0], per[k][1], rate(per[k][1], per[k][0])) for k in _field_rows(per, names))
    n, m = sum(v[0] for v in per.values()), sum(v[1] for v in per.values())
    return Table("trong-2-gio", "Có kết quả trong 2 giờ làm việc (ngày “không viết, không giấy hẹn”)",
                 "Result within 2 working hours (model days)", "Trong 2 giờ", (
                     Column("Lĩnh vực", "Field", "text"), Column("Hồ sơ có mục tiêu 2 giờ", "Dossiers with the target"),
                     Column("Có kết quả trong 2 giờ", "Within 2 hours"), Column("Tỷ lệ (%)", "Rate (%)", "pct")),
                 rows, (t(TOTAL, lang), n, m, rate(m, n)),
                 "Mục tiêu phục vụ của mô hình, không thay cho thời hạn giải quyết; trễ mục tiêu không phải quá hạn.",
                 "A service goal of the model day, not the legal time limit: missing it is not late.")


def channels_table(facts: Iterable[DossierFacts], names: Mapping[str, str], lang: str = "vi",
                   posted: Mapping[str, int] | None = None) -> Table:
    """Received in the period: online with the officer's help, VNeID accounts created, postal.
    ``posted``: per field, the results handed to the postal service in the period (by the handover's
    time, whenever they were ready); without it, returned by post among those resolved in it."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for f in facts:
        s = per[f.record.field_code or "KHAC"]
        if f.received_in:
            s[0] += 1
            s[1] += int(f.portal)
            s[2] += int(f.vneid_created)
            s[3] += int(f.by_post)
            s[4] += int(f.return_by_post)
        if posted is None and f.resolved_in and f.returned_by_post:
            s[5] += 1
    for key, count in (posted or {}).items():      # handed to the postal service in the period
        per[key or "KHAC"][5] += count
    keys = [k for k in _field_rows(per, names) if any(per[k])]
    rows = tuple((names.get(k, k), *per[k][:2], rate(per[k][1], per[k][0]), *per[k][2:]) for k in keys)
    n = [sum(per[k][i] for k in keys) for i in range(6)]
    return Table("truc-tuyen-buu-chinh", "Nộp trực tuyến có hỗ trợ, tài khoản VNeID, bưu chính công ích",
                 "Assisted online filing, VNeID accounts, public postal service", "Trực tuyến và bưu chính", (
                     Column("Lĩnh vực", "Field", "text"), Column("Hồ sơ tiếp nhận", "Received"),
                     Column("Nộp trực tuyến có hỗ trợ", "Filed online with help"),
                     Column("Tỷ lệ trực tuyến (%)", "Online share (%)", "pct"),
                     Column("Tạo tài khoản VNeID", "VNeID accounts created"),
                     Column("Tiếp nhận qua bưu chính", "Received by post"),
                     Column("Đăng ký trả qua bưu chính", "Registered for postal return"),
                     Column("Đã trả qua bưu chính", "Returned by post")),
                 rows, (t(TOTAL, lang), n[0], n[1], rate(n[1], n[0]), *n[2:]))


def familiarity_table(facts: Iterable[DossierFacts], lang: str = "vi") -> Table:
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        if f.received_in:
            counts[f.it_familiarity if f.it_familiarity in FAMILIARITY else ""] += 1
    total = sum(counts.values())
    rows = tuple((t(FAMILIARITY[k], lang), counts.get(k, 0), rate(counts.get(k, 0), total)) for k in FAMILIARITY)
    return Table("muc-do-cntt", "Người nộp theo mức độ sử dụng công nghệ thông tin", "Applicants by IT familiarity",
                 "Mức độ CNTT", (Column("Nhóm", "Group", "text"), Column("Số hồ sơ", "Dossiers"),
                                 Column("Tỷ lệ (%)", "Share (%)", "pct")),
                 rows, (t(TOTAL, lang), total, 100.0 if total else None), chart="bars")


# --- satisfaction ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RatingCount:
    level: str
    officer: str          # the officer's full name ("" when none was recorded)
    count: int


def satisfaction_table(counts: Iterable[RatingCount], lang: str = "vi") -> Table:
    per: dict[str, int] = defaultdict(int)
    for c in counts:
        per[c.level] += c.count
    total = sum(per.values())
    rows = tuple((t(LEVELS[k], lang), per.get(k, 0), rate(per.get(k, 0), total)) for k in LEVELS)
    return Table("hai-long", "Mức độ hài lòng của người dân", "Citizen satisfaction", "Mức độ hài lòng",
                 (Column("Mức độ", "Level", "text"), Column("Số phiếu", "Ballots"),
                  Column("Tỷ lệ (%)", "Share (%)", "pct")),
                 rows, (t(("Tổng số phiếu", "All ballots"), lang), total, 100.0 if total else None), chart="bars")


def officer_satisfaction_table(counts: Iterable[RatingCount], lang: str = "vi") -> Table:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        per[c.officer][c.level] += c.count
    def cells(levels: Mapping[str, int]) -> tuple[Any, ...]:
        n = sum(levels.values())
        return (*(levels.get(k, 0) for k in LEVELS), n,
                rate(levels.get("very_satisfied", 0) + levels.get("satisfied", 0), n))
    ordered = sorted(per, key=lambda k: (k == "", k))
    every: dict[str, int] = defaultdict(int)
    for levels in per.values():
        for k, v in levels.items():
            every[k] += v
    return Table("hai-long-can-bo", "Mức độ hài lòng theo cán bộ", "Satisfaction by officer", "Hài lòng theo cán bộ",
                 (Column("Cán bộ", "Officer", "text"), *(Column(vi, en) for vi, en in LEVELS.values()),
                  Column("Tổng số phiếu", "Ballots"), Column("Tỷ lệ hài lòng (%)", "Satisfied (%)", "pct")),
                 tuple((k or t(NO_OFFICER, lang), *cells(per[k])) for k in ordered), (t(TOTAL, lang), *cells(every)))
