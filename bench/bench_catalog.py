"""Catalog, validation and calendar figures: load/check time, JSON apply, validate, due times.

Run: .venv/bin/python -m bench.bench_catalog
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.stats import percentiles


def _samples(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    from appliance.catalog.loader import load_catalog, load_holidays
    from appliance.config import Office
    from appliance.domain.calendar import WorkCalendar
    from appliance.domain.catalog import catalog_from_json, compute_fee

    print("load_catalog (13 TOML files + lists, full check):", percentiles(_samples(load_catalog, 30)))
    catalog = load_catalog()
    text = catalog.as_json()
    print(f"catalog JSON: {len(text.encode()) / 1024:.0f} KiB")
    print("catalog_from_json (hub update, full check):", percentiles(_samples(lambda: catalog_from_json(text), 30)))

    values = {
        "requester_name": "nguyễn văn an", "requester_id_type": "CCCD", "requester_id_number": "001088012345",
        "requester_phone": "0912 345 678", "child_name": "nguyễn minh khôi", "child_dob": "5/2/2026",
        "child_sex": "nam", "child_ethnicity": "Kinh", "child_nationality": "Việt Nam",
        "child_birth_place": "Bệnh viện Gia Lâm", "mother_name": "trần thị bình", "mother_dob": "1990",
        "mother_residence": "Xã Gia Lâm", "father_name": "nguyễn văn an", "father_dob": "12/3/1988",
        "father_id_number": "001088012345", "copies_requested": "on", "copies": "2",
    }
    today = date(2026, 3, 3)
    print("validate khai sinh (40 fields):",
          percentiles(_samples(lambda: catalog.validate("1.001193", values, today), 500)))
    proc = catalog.get("2.000815")
    n = 20_000
    start = time.perf_counter()
    for i in range(n):
        compute_fee(proc, {"pages": i % 300 + 1, "copies": 2})
    t = time.perf_counter() - start
    print(f"compute_fee (per page): {n / t:,.0f}/s")

    cal = WorkCalendar.from_settings(Office(), load_holidays())
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    base = datetime(2026, 1, 5, 7, 0, tzinfo=tz)
    instants = [base + timedelta(minutes=37 * i) for i in range(5000)]
    for label, limit in (("2 hours", {"kind": "hours", "value": 2}), ("same day", {"kind": "same_day"}),
                         ("3 days", {"kind": "days", "value": 3}), ("12 days", {"kind": "days", "value": 12})):
        start = time.perf_counter()
        for dt in instants:
            cal.due_for(limit, dt, two_hour_model=True)
        t = time.perf_counter() - start
        print(f"due_for {label}: {len(instants) / t:,.0f}/s ({t / len(instants) * 1e6:.1f} µs each)")
    due = cal.due_for({"kind": "days", "value": 12}, base)
    start = time.perf_counter()
    for dt in instants[:2000]:
        cal.working_seconds_between(dt, due)
    t = time.perf_counter() - start
    print(f"working_seconds_between (countdown, ≤ 3 weeks): {2000 / t:,.0f}/s")


if __name__ == "__main__":
    main()
