"""The commune's reports: add the period up (``store/report_store.py``: the daily summaries of its
whole days, today's raw rows, the dossiers open at its two ends), compute the tables
(``domain/report_local.py``) and Biểu II.06a (``domain/report_ii06a.py``). Reads only: no unit of
work, nothing is written or emitted."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..domain import report_ii06a, report_local, report_periods
from ..domain.counting import CLOSING_STATES, CountingRules
from ..domain.forms import unit_name
from ..domain.report_periods import Period, bounds
from ..store import report_store
from ..store.db import Database


@dataclass(frozen=True)
class LocalReport:
    period: Period
    start: datetime
    end: datetime
    as_of: datetime
    tables: tuple[report_local.Table, ...]
    ii06a: report_ii06a.Report
    headline: dict[str, Any]

    def table(self, key: str) -> report_local.Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def figures(self) -> tuple[Any, ...]:
        """Everything the report shows (not when it was made): two reports of the same data compare equal."""
        return self.tables, self.ii06a, self.headline


def _merge(items: Any) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for key, n in items:
        out[key] = out.get(key, 0) + n
    return out


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class ReportService:
    def __init__(self, db: Database, tz: Callable[[], Any], clock: Callable[[], float],
                 catalog: Callable[[], Any], counting_rules: Callable[[], CountingRules],
                 office: Callable[[], Any]) -> None:
        self.db = db
        self.tz = tz
        self.clock = clock
        self.catalog = catalog
        self.counting_rules = counting_rules
        self.office = office
        #: read whole days from the daily summaries (False: every figure from the raw rows, as a check)
        self.use_summaries = True

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock(), self.tz()).date()

    def field_names(self, lang: str = "vi") -> tuple[dict[str, str], dict[str, str]]:
        """(code → name in ``lang``, former code → current code) from the catalog in force."""
        names: dict[str, str] = {}
        former: dict[str, str] = {}
        try:
            fields = self.catalog().fields_of_work.values()
        except Exception:   # noqa: BLE001 - a broken catalog must not take the reports down
            fields = ()
        for f in fields:
            names[f.code] = (f.name_en or f.name) if lang == "en" else f.name
            for old in f.former_codes:
                former[old] = f.code
        names.setdefault("KHAC", "Other" if lang == "en" else "Khác")
        return names, former

    def totals(self, period: Period, former: dict[str, str] | None = None) -> report_local.Totals:
        """What the period adds up to: the daily summaries for its whole days, today's raw rows
        (today is still being written), and the dossiers open when it began and when it ended.
        ``use_summaries = False`` (or a time zone not a whole number of hours from UTC) reads every
        figure from the raw rows instead: the same numbers, slower."""
        tz = self.tz()
        start, end = bounds(period, tz)
        offset = (start.utcoffset() or timedelta()).total_seconds()
        a, b = start.timestamp(), end.timestamp()
        today = self.today()
        whole_hours = offset % 3600 == 0 and ((end.utcoffset() or timedelta()).total_seconds()) == offset
        with self.db.read() as conn:
            if self.use_summaries and whole_hours:
                skip = today if period.first <= today <= period.last else None
                span = None
                if skip is not None:
                    t0, t1 = bounds(report_periods.day(skip), tz)
                    span = (t0.timestamp(), t1.timestamp())
                parts = [report_store.summaries(conn, period.first, period.last, skip, a, b, span, offset,
                                                report_periods.blocks(period.first, period.last, skip))]
                if skip is not None and span is not None:
                    parts.append(report_store.raw(conn, skip, skip, span[0], span[1], offset))
            else:
                parts = [report_store.raw(conn, period.first, period.last, a, b, offset)]
            carried = report_store.open_at(conn, a)
            pending = report_store.open_at(conn, b)
        former = former or {}

        def code(c: str | None) -> str:
            return former.get(c or "", c or "") or "KHAC"
        totals = report_local.Totals()
        for part in parts:
            totals.add(report_local.Totals(
                tickets=part["tickets"], times=part["times"], ratings=part["ratings"],
                received=_merge(((code(k[0]), *k[1:]), n) for k, n in part["received"].items()),
                resolved=_merge(((code(k[0]), *k[1:]), n) for k, n in part["resolved"].items()),
                posted=_merge((code(k), n) for k, n in part["posted"].items())))
        moves = self.counting_rules().extension_moves_due
        for rows, into in ((carried, totals.carried), (pending, totals.pending)):
            for field, channel, state, received, due, new_due, resolved, outcome in rows:
                into.append(report_ii06a.Dossier(
                    code(field), channel, _utc(received), state,   # type: ignore[arg-type]
                    _utc(new_due if moves and new_due is not None else due), _utc(resolved), outcome,
                    state == "supplement_requested"))
        return totals

    def local(self, period: Period, lang: str = "vi", receiving_unit: str = "") -> LocalReport:
        tz = self.tz()
        start, end = bounds(period, tz)
        now = datetime.fromtimestamp(self.clock(), tz)
        as_of = min(end, now)
        names, former = self.field_names(lang)
        totals = self.totals(period, former)
        with self.db.read() as conn:
            labels = report_store.names(conn)
        pick = 1 if lang == "en" else 0

        def label(kind: str, key: Any) -> str:
            found = labels[kind].get(key)
            if found:
                return found[pick]
            if kind == "counter" and key is not None:
                return f"Quầy {key}" if lang != "en" else f"Counter {key}"
            return "" if kind == "officer" else str(key or "—")

        not_called = "(not called yet)" if lang == "en" else "(chưa được gọi)"
        tgroups = []
        for (service_id, counter_id, officer), (issued, served, no_show, priority, transferred, waiting) in sorted(
                totals.tickets.items(), key=lambda kv: repr(kv[0])):
            counter = label("counter", counter_id) if counter_id is not None else not_called
            tgroups.append(report_local.TicketGroup(label("service", service_id), counter, label("officer", officer),
                                                    issued, served, no_show, priority, transferred, waiting))
        rules = self.counting_rules()
        closing = {state: rules.closing_outcome(state) for state in CLOSING_STATES}
        per_field = report_local.ii06a_rows(totals, start, end, as_of, closing, rules.extension_moves_due,
                                            field_names=lambda c: names.get(c, c))
        ratings = [(level, label("officer", login) or login, n) for (level, login), n in totals.ratings.items()]
        office = self.office()
        form = report_ii06a.assemble(per_field, start, end, units={"": unit_name(office)},
                                     reporting_unit=unit_name(office), receiving_unit=receiving_unit,
                                     first_day=period.first, last_day=period.last)
        if not form.rows:
            form.rows.append(report_ii06a.Row("1", unit_name(office), "unit"))
        tables = (
            report_local.ticket_table(tgroups, "service", lang=lang),
            report_local.ticket_table(tgroups, "counter", lang=lang),
            report_local.ticket_table(tgroups, "officer", lang=lang),
            report_local.hour_table(totals.times, lang=lang),
            report_local.timeliness_table(form, lang=lang),
            report_local.target_table(totals, names, lang=lang),
            report_local.channels_table(totals, names, lang=lang),
            report_local.familiarity_table(totals, lang=lang),
            report_local.satisfaction_table([report_local.RatingCount(*r) for r in ratings], lang=lang),
            report_local.officer_satisfaction_table([report_local.RatingCount(*r) for r in ratings], lang=lang),
        )
        issued = sum(g.issued for g in tgroups)
        total = form.rows[0]
        satisfied = tables[8]
        ballots = satisfied.total[1] if satisfied.total else 0
        headline = {
            "issued": issued, "served": sum(g.served for g in tgroups), "no_show": sum(g.no_show for g in tgroups),
            "priority_share": report_local.rate(sum(g.priority for g in tgroups), issued),
            "wait_median": tables[3].total[2] if tables[3].total else None,
            "received": total.new, "resolved": total.resolved, "on_time_rate": total.on_time_rate,
            "overdue": total.overdue, "target_rate": tables[5].total[3] if tables[5].total else None,
            "ballots": ballots,
            "satisfied_rate": report_local.rate(sum(r[2] for r in ratings if r[0] in ("very_satisfied", "satisfied")),
                                                ballots),
        }
        return LocalReport(period, start, end, as_of, tables, form, headline)
