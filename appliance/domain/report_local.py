"""The commune's own report (``/reports``): queue and dossier figures for a period, as tables. Pure.

Input is a :class:`Totals`: counts grouped as ``appliance/store/report_store.py`` reads them, from
the daily summaries (migration 0021) or from the raw rows (today, and the check that both agree),
plus the raw dossiers open when the period began and when it ended. Output is :class:`Table` values
that the page, the SVG charts, Excel and CSV all render, so the four always show the same numbers.

Definitions:

- *waiting time*: from the ticket's issue to its call (for a transferred ticket, its last call);
  *service time*: from "serving" to "done". Both counted in steps of 6 s (a tenth of a minute, as
  shown). Median and 90th percentile (linear between the closest ranks, as spreadsheets'
  PERCENTILE.INC) per hour of the day the ticket was issued.
- *no-show*: marked absent ("V"); *transferred*: moved to another service or counter at least once.
- dossiers: the legal outcome and Biểu II.06a come from :mod:`appliance.domain.report_ii06a`; the model
  day's "trong 2 giờ" rate counts dossiers resolved in the period that had a 2-hour target, a service
  goal apart from the legal on-time rate.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


STEP_S = 6      # times are counted in steps of 6 s: a tenth of a minute, the precision shown


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


def counted_percentile(counts: Mapping[int, int], q: float) -> float | None:
    """:func:`percentile` of a multiset given as value → how many times (the summaries' form)."""
    total = sum(counts.values())
    if total <= 0:
        return None
    pos = (total - 1) * q
    lo_rank = math.floor(pos)
    hi_rank = min(lo_rank + 1, total - 1)
    lo = hi = None
    seen = 0
    for value in sorted(k for k, n in counts.items() if n > 0):
        seen += counts[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            hi = value
            break
    assert lo is not None and hi is not None
    return lo + (hi - lo) * (pos - lo_rank)


def _step_minutes(steps: float | None) -> float | None:
    return None if steps is None else _minutes(steps * STEP_S)


def hour_table(times: Mapping[tuple[int, str], Mapping[int, int]], lang: str = "vi") -> Table:
    """Waiting and service time by the local hour of issue: count, median, 90th percentile (minutes).
    ``times``: (hour, ``wait`` | ``service``) → {time in steps of :data:`STEP_S`: tickets}."""
    rows = []
    every: dict[str, dict[int, int]] = {"wait": defaultdict(int), "service": defaultdict(int)}
    hours = sorted({h for (h, kind), c in times.items() if any(n > 0 for n in c.values())})
    for hour in hours:
        cells: list[Any] = [f"{hour:02d}:00–{hour + 1:02d}:00"]
        for kind in ("wait", "service"):
            c = times.get((hour, kind), {})
            for k, n in c.items():
                every[kind][k] += n
            cells += [sum(c.values()), _step_minutes(counted_percentile(c, 0.5)),
                      _step_minutes(counted_percentile(c, 0.9))]
        rows.append(tuple(cells))
    total: list[Any] = [t(("Cả ngày", "All day"), lang)]
    for kind in ("wait", "service"):
        c = every[kind]
        total += [sum(c.values()), _step_minutes(counted_percentile(c, 0.5)), _step_minutes(counted_percentile(c, 0.9))]
    return Table("thoi-gian-theo-gio", "Thời gian chờ và thời gian phục vụ theo giờ trong ngày (phút)",
                 "Waiting and service time by hour of day (minutes)", "Thời gian theo giờ", (
                     Column("Giờ lấy số", "Hour of issue", "text"), Column("Số lượt gọi", "Called"),
                     Column("Chờ: trung vị", "Wait: median", "minutes"), Column("Chờ: 90%", "Wait: p90", "minutes"),
                     Column("Số lượt phục vụ", "Served"),
                     Column("Phục vụ: trung vị", "Service: median", "minutes"),
                     Column("Phục vụ: 90%", "Service: p90", "minutes")),
                 tuple(rows), tuple(total),
                 "Chờ: từ lúc lấy số đến lúc được gọi; phục vụ: từ lúc bắt đầu đến lúc xong. 90%: chín phần mười "
                 "số lượt không quá thời gian này.",
                 "Wait: from issue to call; service: from start to done. p90: nine in ten took no longer.",
                 chart="hours")


# --- what a period adds up to ----------------------------------------------------------------------

@dataclass
class Totals:
    """A period's counts, grouped as the daily summaries keep them; :meth:`add` sums two parts (the
    summaries' whole days and today's raw rows).

    - ``tickets``: (service id, counter id or ``None``, officer login or "") → [issued, served,
      no-shows, priority, transferred, still waiting];
    - ``times``: (local hour of issue, ``wait`` | ``service``) → {steps of 6 s: tickets};
    - ``ratings``: (level, officer login or "") → ballots;
    - ``received``: (field, channel, class, portal, vneid, familiarity, return by post) → dossiers
      received in the period; class is ``refused`` / ``stopped`` / ``withdrawn`` or "";
    - ``resolved``: (field, class, outcome against the due time, outcome against the extended due
      time, 2-hour target 1 / 0 / -1 for none) → dossiers resolved in the period;
    - ``posted``: field → results handed to the postal service in the period;
    - ``carried``: the II.06a records of the dossiers open when the period began (received before
      it, resolved in it or later), ``pending`` of those open when it ended: raw rows, always few.
    """
    tickets: dict[tuple[Any, ...], list[int]] = field(default_factory=dict)
    times: dict[tuple[int, str], dict[int, int]] = field(default_factory=dict)
    ratings: dict[tuple[str, str], int] = field(default_factory=dict)
    received: dict[tuple[Any, ...], int] = field(default_factory=dict)
    resolved: dict[tuple[Any, ...], int] = field(default_factory=dict)
    posted: dict[str, int] = field(default_factory=dict)
    carried: list[report_ii06a.Dossier] = field(default_factory=list)
    pending: list[report_ii06a.Dossier] = field(default_factory=list)

    def add(self, other: Totals) -> Totals:
        for key, counts in other.tickets.items():
            mine = self.tickets.setdefault(key, [0] * len(counts))
            for i, n in enumerate(counts):
                mine[i] += n
        for key, steps in other.times.items():
            into = self.times.setdefault(key, {})
            for step, n in steps.items():
                into[step] = into.get(step, 0) + n
        for name in ("ratings", "received", "resolved", "posted"):
            into2: dict[Any, int] = getattr(self, name)
            for key, n in getattr(other, name).items():
                into2[key] = into2.get(key, 0) + n
        self.carried.extend(other.carried)
        self.pending.extend(other.pending)
        return self


def ii06a_rows(totals: Totals, start: Any, end: Any, as_of: Any, closing: Mapping[str, str | None],
               moves_due: bool, field_names: Any = None, unit: str = "") -> dict[str, dict[str, report_ii06a.Row]]:
    """Biểu II.06a's rows per field from a period's totals: (4)/(5) from the dossiers received in it,
    (6) from those open when it began, (8)–(10) from those resolved in it, (12)/(13) from those open
    when it ended; refused, stopped and withdrawn ones as ``closing`` says (``None``: left out)."""
    per: dict[str, dict[str, report_ii06a.Row]] = {unit: {}}

    def row(code: str) -> report_ii06a.Row:
        return report_ii06a.field_row(per, unit, code, field_names)
    for (code, channel, cls, *_rest), n in totals.received.items():
        if n and (not cls or closing.get(cls) is not None):
            r = row(code)
            if channel in report_ii06a.ONLINE_CHANNELS:
                r.online += n
            else:
                r.direct_postal += n
    for (code, cls, by_due, by_new_due, *_rest), n in totals.resolved.items():
        if not n:
            continue
        outcome = closing.get(cls) if cls else (by_new_due if moves_due else by_due)
        if outcome is not None:
            r = row(code)
            setattr(r, outcome, getattr(r, outcome) + n)
    for d in totals.carried:
        received, _second = report_ii06a.classify(d, start, end, as_of, closing)
        if received == "carried_over":
            row(d.field_code or "KHAC").carried_over += 1
    for d in totals.pending:
        received, second = report_ii06a.classify(d, start, end, as_of, closing)
        if received is not None and second in ("within_deadline", "overdue"):
            r = row(d.field_code or "KHAC")
            setattr(r, second, getattr(r, second) + 1)
    if not per[unit]:
        del per[unit]
    return per


# --- dossiers --------------------------------------------------------------------------------------

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


def target_table(totals: Totals, names: Mapping[str, str], lang: str = "vi") -> Table:
    """The model day's goal: dossiers resolved in the period that had a 2-hour target, and how many met it."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (code, _cls, _d, _nd, target), n in totals.resolved.items():
        if n and target in (0, 1):
            s = per[code or "KHAC"]
            s[0] += n
            s[1] += n * target
    rows = tuple((names.get(k, k), per[k][0], per[k][1], rate(per[k][1], per[k][0])) for k in _field_rows(per, names))
    n, m = sum(v[0] for v in per.values()), sum(v[1] for v in per.values())
    return Table("trong-2-gio", "Có kết quả trong 2 giờ làm việc (ngày “không viết, không giấy hẹn”)",
                 "Result within 2 working hours (model days)", "Trong 2 giờ", (
                     Column("Lĩnh vực", "Field", "text"), Column("Hồ sơ có mục tiêu 2 giờ", "Dossiers with the target"),
                     Column("Có kết quả trong 2 giờ", "Within 2 hours"), Column("Tỷ lệ (%)", "Rate (%)", "pct")),
                 rows, (t(TOTAL, lang), n, m, rate(m, n)),
                 "Mục tiêu phục vụ của mô hình, không thay cho thời hạn giải quyết; trễ mục tiêu không phải quá hạn.",
                 "A service goal of the model day, not the legal time limit: missing it is not late.")


def channels_table(totals: Totals, names: Mapping[str, str], lang: str = "vi") -> Table:
    """Received in the period: online with the officer's help, VNeID accounts created, postal; and
    the results handed to the postal service in the period (by the handover's time, whenever they
    were ready)."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for (code, channel, _cls, portal, vneid, _fam, return_by_post), n in totals.received.items():
        s = per[code or "KHAC"]
        s[0] += n
        s[1] += n * int(portal)
        s[2] += n * int(vneid)
        s[3] += n * int(channel == "buu_chinh")
        s[4] += n * int(return_by_post)
    for code, n in totals.posted.items():
        per[code or "KHAC"][5] += n
    keys = [k for k in _field_rows(per, names) if any(per[k])]
    rows = tuple((names.get(k, k), *per[k][:2], rate(per[k][1], per[k][0]), *per[k][2:]) for k in keys)
    sums = [sum(per[k][i] for k in keys) for i in range(6)]
    return Table("truc-tuyen-buu-chinh", "Nộp trực tuyến có hỗ trợ, tài khoản VNeID, bưu chính công ích",
                 "Assisted online filing, VNeID accounts, public postal service", "Trực tuyến và bưu chính", (
                     Column("Lĩnh vực", "Field", "text"), Column("Hồ sơ tiếp nhận", "Received"),
                     Column("Nộp trực tuyến có hỗ trợ", "Filed online with help"),
                     Column("Tỷ lệ trực tuyến (%)", "Online share (%)", "pct"),
                     Column("Tạo tài khoản VNeID", "VNeID accounts created"),
                     Column("Tiếp nhận qua bưu chính", "Received by post"),
                     Column("Đăng ký trả qua bưu chính", "Registered for postal return"),
                     Column("Đã trả qua bưu chính", "Returned by post")),
                 rows, (t(TOTAL, lang), sums[0], sums[1], rate(sums[1], sums[0]), *sums[2:]))


def familiarity_table(totals: Totals, lang: str = "vi") -> Table:
    counts: dict[str, int] = defaultdict(int)
    for (_code, _channel, _cls, _portal, _vneid, familiarity, _post), n in totals.received.items():
        counts[familiarity if familiarity in FAMILIARITY else ""] += n
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
