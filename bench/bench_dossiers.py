"""Dossier list search and draft autosave, timed through the JSON API (Flask test client, real
SQLite file with WAL and synchronous=FULL, audit rows written as in production).

Targets: search p95 ≤ 100 ms with 100,000 dossiers; form save (PUT draft) p95 ≤ 50 ms.
Run: ``.venv/bin/python -m bench.bench_dossiers [N]`` (prints figures; never fails on time).
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

SURNAMES = ["NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI", "ĐỖ", "HỒ",
            "NGÔ", "DƯƠNG", "LÝ"]
MIDDLES = ["VĂN", "THỊ", "HỮU", "ĐỨC", "MINH", "THU", "NGỌC", "QUANG", "XUÂN", "THANH", "KIM", "BẢO"]
GIVEN = ["AN", "BÌNH", "CƯỜNG", "DŨNG", "GIANG", "HÀ", "HẢI", "HOA", "HÙNG", "HƯƠNG", "KHÁNH", "LAN", "LINH",
         "LONG", "MAI", "NAM", "NGA", "PHONG", "PHƯƠNG", "QUÂN", "SƠN", "TÂM", "THẢO", "TRANG", "TUẤN", "VY", "YẾN"]
STATES = ["returned"] * 90 + ["received"] * 3 + ["processing"] * 3 + ["ready"] * 2 + ["refused"] * 2


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def figures(name: str, samples_s: list[float]) -> str:
    ms = [s * 1000 for s in samples_s]
    return (f"{name:<34} n={len(ms):>4}  p50={statistics.median(ms):7.2f} ms  p95={percentile(ms, 95):7.2f} ms  "
            f"max={max(ms):7.2f} ms")


def person(rng: random.Random) -> tuple[str, str, str]:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"
    phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
    number = "0" + f"{rng.randint(1, 96):02d}" + rng.choice("0123") + f"{rng.randint(0, 99):02d}" + \
        "".join(rng.choice("0123456789") for _ in range(6))
    return name, phone, number


def fill(appliance, n: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """n dossiers over the past two years, straight into the tables (as the service writes them)."""
    from appliance.domain import dossiers as rules
    from appliance.domain.fields import fold

    catalog = appliance.dossiers.catalog
    procedures = list(catalog.procedures.values())
    now = appliance.clock()
    agency = appliance.settings.office.agency_code
    people = []
    seq_by_day: dict[str, int] = {}
    rows, index = [], []
    for i in range(1, n + 1):
        proc = rng.choice(procedures)
        name, phone, number = person(rng)
        received = now - (n - i) * (2 * 365 * 86400 / n) - 3600
        day = time.strftime("%Y-%m-%d", time.localtime(received))
        seq_by_day[day] = seq_by_day.get(day, 0) + 1
        code = f"{agency}-{day[2:4]}{day[5:7]}{day[8:10]}-{seq_by_day[day]:04d}"
        state = rng.choice(STATES) if received < now - 10 * 86400 else rng.choice(["received", "processing", "ready"])
        closed = received + 3 * 3600 if state in rules.CLOSED_STATES else None
        values = {"requester_name": name, "requester_phone": phone, "requester_id_number": number,
                  "requester_residence": "Thôn Đông, xã Dương Xá"}
        rows.append((i, code, day, seq_by_day[day], proc.code, proc.name, proc.field_of_work, catalog.version, state,
                     "truc_tiep", 1, received, received + 3 * 86400, closed if state == "returned" else None, closed,
                     "on_time" if state == "returned" else None, name, phone, number,
                     json.dumps(values, ensure_ascii=False), i))
        index.append((i, code.replace("-", " "), fold(name), f"{phone} {number}"))
        if i % 997 == 0:
            people.append((code, name, phone, number))
    with appliance.db.write() as conn:
        conn.executemany(
            "INSERT INTO dossiers (id, code, day, day_seq, procedure, procedure_name, field_code, catalog_version, "
            "state, channel, counter_id, received_ts, due_ts, returned_ts, closed_ts, outcome, applicant_name, "
            "applicant_phone, applicant_id, values_json, last_outbox_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO dossier_search (rowid, code, names, numbers) VALUES (?, ?, ?, ?)", index)
    with appliance.db.write() as conn:
        conn.execute("INSERT INTO dossier_search (dossier_search) VALUES ('optimize')")
    appliance.db.conn().execute("ANALYZE")
    return people


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 100_000
    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.services import accounts
    from appliance.web import create_app

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = config.load(env={}, default_path=Path(tmp) / "none.toml",
                               overrides={"storage": {"path": str(Path(tmp) / "motcua.db")}})
        appliance = Appliance(settings)
        demo.seed(appliance)
        with appliance.units() as tx:
            token = accounts.add_token(tx, "bench", "officer")
        headers = {"Authorization": f"Bearer {token}"}
        client = create_app(appliance, {"TESTING": True}).test_client()

        started = time.perf_counter()
        people = fill(appliance, n, rng)
        print(f"motcua dossier benchmark: {n:,} dossiers inserted in {time.perf_counter() - started:.1f} s "
              f"(database {Path(settings.storage.path).stat().st_size / 1e6:.0f} MB)")

        queries = []
        for code, name, phone, number in people:
            surname, middle, given = name.split(" ")
            queries += [("name (surname only, worst case)", {"q": surname.lower()}),
                        ("full name without diacritics", {"q": " ".join(w for w in (surname, middle, given))}),
                        ("phone", {"q": phone}), ("phone prefix", {"q": phone[:6]}),
                        ("personal number", {"q": number}), ("dossier code", {"q": code}),
                        ("state filter", {"state": rng.choice(["received", "processing", "ready"])}),
                        ("procedure + name", {"q": given, "procedure": "1.001193"}),
                        ("overdue", {"overdue": "1"}), ("no filter, page 3", {"offset": "100"})]
        rng.shuffle(queries)
        by_kind: dict[str, list[float]] = {}
        every = []
        for _ in range(2):  # warm the page cache like a panel that has been open a while
            client.get("/api/v1/dossiers", query_string={"q": "nguyen"}, headers=headers)
        for kind, params in queries:
            t0 = time.perf_counter()
            r = client.get("/api/v1/dossiers", query_string=params, headers=headers)
            elapsed = time.perf_counter() - t0
            assert r.status_code == 200, r.get_json()
            by_kind.setdefault(kind, []).append(elapsed)
            every.append(elapsed)
        print(figures("search GET /api/v1/dossiers (all)", every), "  target p95 ≤ 100 ms")
        for kind, samples in sorted(by_kind.items()):
            print("  " + figures(kind, samples))

        saves = []
        values = {"requester_name": "", "child_name": ""}
        draft = str(uuid.uuid4())
        text = "NGUYỄN THỊ KHÁNH LINH"
        for i in range(300):
            if i % 60 == 0:
                draft = str(uuid.uuid4())
            values = {**values, "requester_name": text[: (i % len(text)) + 1],
                      "requester_phone": "0912345678"[: i % 11],
                      "child_dob": "12/03/2026"[: i % 11]}
            t0 = time.perf_counter()
            r = client.put(f"/api/v1/drafts/{draft}", headers=headers,
                           json={"counter_id": 1, "procedure": "1.001193", "values": values, "focus": "child_dob"})
            saves.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.get_json()
        print(figures("form save PUT /api/v1/drafts/{id}", saves), "  target p95 ≤ 50 ms")
        appliance.stop()


if __name__ == "__main__":
    main()
