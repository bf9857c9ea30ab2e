"""The commune's reports: read the period's rows (``store/report_store.py``), compute the tables
(``domain/report_local.py``) and Biểu II.06a (``domain/report_ii06a.py``). Reads only: no unit of
work, nothing is written or emitted."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..domain import report_ii06a, report_local
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

    def local(self, period: Period, lang: str = "vi", receiving_unit: str = "") -> LocalReport:
        tz = self.tz()
        start, end = bounds(period, tz)
        now = datetime.fromtimestamp(self.clock(), tz)
        as_of = min(end, now)
        offset = (start.utcoffset() or timedelta()).total_seconds()
        a, b = start.timestamp(), end.timestamp()
        with self.db.read() as conn:
            groups = report_store.ticket_groups(conn, a, b)
            samples = report_store.wait_samples(conn, a, b, offset)
            dossiers = report_store.dossier_rows(conn, a, b)
            ratings = report_store.rating_counts(conn, a, b)
            posted_rows = report_store.posted_by_field(conn, a, b)
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
        for r in groups:
            counter = label("counter", r["counter_id"]) if r["counter_id"] is not None else not_called
            tgroups.append(report_local.TicketGroup(
                label("service", r["service_id"]), counter, label("officer", r["officer"]), r["issued"],
                r["served"] or 0, r["no_show"] or 0, r["priority"] or 0, r["transferred"] or 0, r["waiting"] or 0))
        tsamples = [report_local.Sample(h, label("service", s), w, v) for h, s, w, v in samples]
        names, former = self.field_names(lang)
        rules = self.counting_rules()
        closing = {state: rules.closing_outcome(state) for state in CLOSING_STATES}
        moves = rules.extension_moves_due
        facts: list[report_local.DossierFacts] = []
        records: list[report_ii06a.Dossier] = []
        for (field, channel, state, received, due, new_due, ready, closed, outcome, target_met, portal, vneid,
             familiarity, return_by_post, returned_by_post) in dossiers:
            resolved = ready if ready is not None else closed
            record = report_ii06a.Dossier(
                former.get(field, field), channel, _utc(received), state,   # type: ignore[arg-type]
                _utc(new_due if moves and new_due is not None else due), _utc(resolved), outcome,
                state == "supplement_requested")
            records.append(record)
            facts.append(report_local.DossierFacts(
                record, a <= received < b, resolved is not None and a <= resolved < b, bool(portal), bool(vneid),
                familiarity, channel == "buu_chinh", bool(return_by_post), bool(returned_by_post),
                None if target_met is None else bool(target_met)))
        # handed to the postal service in the period (the handover's time, whenever the result was ready)
        posted: dict[str, int] = {}
        for field, count in posted_rows:
            key = former.get(field, field) or "KHAC"
            posted[key] = posted.get(key, 0) + count
        office = self.office()
        form = report_ii06a.compute(records, start, end, as_of, units={"": unit_name(office)},
                                    field_names=lambda c: names.get(c, c), closing=closing,
                                    reporting_unit=unit_name(office), receiving_unit=receiving_unit,
                                    first_day=period.first, last_day=period.last)
        if not form.rows:
            form.rows.append(report_ii06a.Row("1", unit_name(office), "unit"))
        tables = (
            report_local.ticket_table(tgroups, "service", lang=lang),
            report_local.ticket_table(tgroups, "counter", lang=lang),
            report_local.ticket_table(tgroups, "officer", lang=lang),
            report_local.hour_table(tsamples, lang=lang),
            report_local.timeliness_table(form, lang=lang),
            report_local.target_table(facts, names, lang=lang),
            report_local.channels_table(facts, names, lang=lang, posted=posted),
            report_local.familiarity_table(facts, lang=lang),
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
