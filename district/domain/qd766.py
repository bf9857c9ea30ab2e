"""The components of the index a province tracks under QĐ 766/QĐ-TTg, per commune and per reporting
month (15th–14th), with the month-over-month change. Pure.

- *timeliness* (tiến độ giải quyết): resolved early or on time / resolved in the month, against the
  legal due time (the same rule as Biểu II.06a's columns (8)–(10));
- *online* (dịch vụ trực tuyến): received online (toàn trình or một phần) / received in the month;
- *digitisation* (số hóa hồ sơ): dossiers whose papers were scanned at receipt / received;
- *satisfaction* (mức độ hài lòng): "rất hài lòng" or "hài lòng" ballots / ballots pressed.

Every figure is a percentage with its numerator and denominator kept, ``None`` when the month has no
denominator (nothing resolved, nothing received, no ballot): a month without data is not 0 %.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# key, Vietnamese name, English name, numerator, denominator
COMPONENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("timeliness", "Tiến độ giải quyết (đúng hạn)", "Timeliness (on time)", "on_time", "resolved"),
    ("online", "Dịch vụ trực tuyến", "Online service", "online", "received"),
    ("digitisation", "Số hóa hồ sơ", "Digitisation", "digitised", "received"),
    ("satisfaction", "Mức độ hài lòng", "Satisfaction", "satisfied", "ballots"),
)
# how each rate is made, as the sheets and the page say it
FORMULAS = {
    "timeliness": "hồ sơ giải quyết trước hạn và đúng hạn / hồ sơ đã giải quyết trong tháng",
    "online": "hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận trong tháng",
    "digitisation": "hồ sơ được số hóa khi tiếp nhận / hồ sơ tiếp nhận trong tháng",
    "satisfaction": "phiếu rất hài lòng và hài lòng / số phiếu đánh giá trong tháng",
}
PROVINCE = ""      # the code of the row that adds every commune up


def rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


@dataclass
class Trend:
    """One commune (or the province, code ``""``): per component the monthly rates, oldest first."""
    code: str
    name: str
    months: tuple[str, ...]
    rates: dict[str, list[float | None]] = field(default_factory=dict)
    counts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def last(self, component: str) -> float | None:
        return self.rates[component][-1] if self.rates[component] else None

    def change(self, component: str) -> float | None:
        """Percentage points since the month before (``None`` when either month has no figure)."""
        values = self.rates[component]
        if len(values) < 2 or values[-1] is None or values[-2] is None:
            return None
        return round(values[-1] - values[-2], 2)


def trends(counts: Mapping[tuple[str, str], Mapping[str, int]], communes: Mapping[str, str],
           months: Sequence[str], province_name: str = "Toàn tỉnh") -> tuple[Trend, list[Trend]]:
    """(the province's trend, one per commune in ``communes``' order) from the per-(commune, month)
    counts of ``district.store.province.monthly_components``."""
    def build(code: str, name: str, cells: Mapping[str, Mapping[str, int]]) -> Trend:
        t = Trend(code, name, tuple(months))
        for key, _vi, _en, num, den in COMPONENTS:
            pairs = [(cells.get(m, {}).get(num, 0), cells.get(m, {}).get(den, 0)) for m in months]
            t.counts[key] = pairs
            t.rates[key] = [rate(a, b) for a, b in pairs]
        return t
    per: dict[str, dict[str, Mapping[str, int]]] = {}
    every: dict[str, dict[str, int]] = {}
    for (code, month), cell in counts.items():
        per.setdefault(code, {})[month] = cell
        into = every.setdefault(month, {})
        for name, n in cell.items():
            into[name] = into.get(name, 0) + n
    return build(PROVINCE, province_name, every), [build(code, name, per.get(code, {}))
                                                   for code, name in communes.items()]
