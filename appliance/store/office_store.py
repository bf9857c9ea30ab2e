"""Services and counters: the office's set-up, edited by the administrator (and each counter's
place in the priority ratio, kept by the queue engine). The pager pool is ``pager_store``'s."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from ..domain.errors import Conflict, DomainError, NotFound


def _check_service(code: str, name: str, prefix: str, range_start: int, range_end: int) -> None:
    if not re.fullmatch(r"[A-Z0-9]{1,8}", code or ""):
        raise DomainError("invalid", "code", detail=("mã lĩnh vực gồm 1–8 chữ in hoa hoặc số, ví dụ HT",
                                                          "a service code is 1–8 capital letters or digits, e.g. HT"))
    if not (name or "").strip():
        raise DomainError("required", "name", name="name")
    if not re.fullmatch(r"[A-Z]{0,2}", prefix or ""):
        raise DomainError("invalid", "prefix", detail=("chữ đầu số gồm 0–2 chữ in hoa, ví dụ A",
                                                            "the number prefix is 0–2 capital letters, e.g. A"))
    if not (0 <= range_start < range_end <= 9999):
        raise DomainError("invalid", "range_end", detail=("dải số phải là 0 ≤ đầu < cuối ≤ 9999",
                                                               "the number range must be 0 ≤ start < end ≤ 9999"))


def upsert_service(conn: sqlite3.Connection, code: str, name: str, prefix: str = "",
                   range_start: int = 1, range_end: int = 999, name_en: str = "", sort: int = 0,
                   active: bool = True) -> int:
    _check_service(code, name, prefix, range_start, range_end)
    conn.execute(
        "INSERT INTO services (code, name, name_en, prefix, range_start, range_end, sort, active) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
        "name_en = excluded.name_en, prefix = excluded.prefix, range_start = excluded.range_start, "
        "range_end = excluded.range_end, sort = excluded.sort, active = excluded.active",
        (code, name.strip(), name_en, prefix, range_start, range_end, sort, int(active)))
    return conn.execute("SELECT id FROM services WHERE code = ?", (code,)).fetchone()[0]


def list_services(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM services ORDER BY sort, code").fetchall()


def upsert_counter(conn: sqlite3.Connection, counter_id: int, name: str, service_codes: Iterable[str],
                   active: bool = True, name_en: str | None = None) -> int:
    """Create or change a counter; ``name_en`` None keeps its English name as it is."""
    if not isinstance(counter_id, int) or not 1 <= counter_id <= 99:
        raise DomainError("invalid", "id", detail=("số quầy từ 1 đến 99", "a counter number is 1 to 99"))
    if not (name or "").strip():
        raise DomainError("required", "name", name="name")
    codes = list(service_codes)
    ids = []
    for code in codes:
        row = conn.execute("SELECT id FROM services WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound("unknown_service", "services", service=code)
        ids.append(row[0])
    conn.execute("INSERT INTO counters (id, name, active) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                 "SET name = excluded.name, active = excluded.active", (counter_id, name.strip(), int(active)))
    if name_en is not None:
        conn.execute("UPDATE counters SET name_en = ? WHERE id = ?", (name_en.strip(), counter_id))
    conn.execute("DELETE FROM counter_services WHERE counter_id = ?", (counter_id,))
    conn.executemany("INSERT INTO counter_services (counter_id, service_id) VALUES (?, ?)",
                     [(counter_id, i) for i in ids])
    return counter_id


def delete_counter(conn: sqlite3.Connection, counter_id: int) -> None:
    if conn.execute("SELECT 1 FROM tickets WHERE counter_id = ? OR target_counter_id = ? LIMIT 1",
                    (counter_id, counter_id)).fetchone():
        raise Conflict("invalid", "id", detail=("quầy đã có lịch sử phục vụ; hãy đóng quầy thay vì xóa",
                                                   "the counter has served tickets; close it instead of deleting it"))
    conn.execute("DELETE FROM counters WHERE id = ?", (counter_id,))


def list_counters(conn: sqlite3.Connection) -> list[dict]:
    out = []
    for row in conn.execute("SELECT * FROM counters ORDER BY id").fetchall():
        codes = [r[0] for r in conn.execute(
            "SELECT s.code FROM counter_services cs JOIN services s ON s.id = cs.service_id "
            "WHERE cs.counter_id = ? ORDER BY s.sort, s.code", (row["id"],))]
        out.append({"id": row["id"], "name": row["name"], "name_en": row["name_en"], "active": bool(row["active"]),
                    "state": row["state"], "services": codes})
    return out


def set_counter_runs(conn: sqlite3.Connection, counter_id: int, priority_run: int, normal_run: int,
                     appointment_run: int | None = None) -> None:
    """The counter's place in the priority ratio (how many priority and normal calls in a row) and
    in the appointments' (how many appointment calls in a row while walk-ins waited)."""
    conn.execute("UPDATE counters SET priority_run = ?, normal_run = ?, "
                 "appointment_run = coalesce(?, appointment_run) WHERE id = ?",
                 (priority_run, normal_run, appointment_run, counter_id))
