"""The office itself: services (lĩnh vực) and counters to serve them, and its agency code.

A fresh office has neither services nor counters: the kiosk then cannot issue a ticket, so their
absence is an error. The agency code check is the law lane's (``domain.province_code``): the
placeholder is a warning, an error when the province delegated the code space."""
from __future__ import annotations

import sqlite3

from ...config import Settings
from ..check import FAIL, OK, WARN, Check
from .context import Context, has_table

AREA_SERVICES = "Lĩnh vực và quầy"
SETUP_HINT = "Vào Quản trị → Lĩnh vực và Quản trị → Quầy (hoặc trình hướng dẫn thiết lập lần đầu)"


def check_services_and_counters(conn: sqlite3.Connection) -> Check:
    if not (has_table(conn, "services") and has_table(conn, "counters")):
        return Check(AREA_SERVICES, FAIL, "cơ sở dữ liệu chưa được khởi tạo", "Chạy: motcua init")
    services = conn.execute("SELECT count(*) FROM services WHERE active").fetchone()[0]
    counters = conn.execute("SELECT count(*) FROM counters WHERE active").fetchone()[0]
    if not services:
        return Check(AREA_SERVICES, FAIL, "chưa có lĩnh vực nào: máy lấy số không phát được phiếu",
                     SETUP_HINT + " để thêm lĩnh vực")
    if not counters:
        return Check(AREA_SERVICES, FAIL, f"có {services} lĩnh vực nhưng chưa có quầy nào để gọi số",
                     SETUP_HINT + " để thêm quầy")
    orphans = [r[0] for r in conn.execute(
        "SELECT s.code FROM services s WHERE s.active AND NOT EXISTS (SELECT 1 FROM counter_services cs "
        "JOIN counters c ON c.id = cs.counter_id WHERE cs.service_id = s.id AND c.active) ORDER BY s.code")]
    if orphans:
        return Check(AREA_SERVICES, FAIL,
                     f"lĩnh vực {', '.join(orphans)} không có quầy nào phục vụ: "
                     "phiếu của lĩnh vực đó không bao giờ được gọi",
                     "Vào Quản trị → Quầy và giao lĩnh vực cho một quầy")
    return Check(AREA_SERVICES, OK, f"{services} lĩnh vực, {counters} quầy")


def check_agency(settings: Settings) -> Check:
    """The agency code in dossier codes: the placeholder is flagged, and refused when the province
    delegated the code space (the appliance's numbers would be official codes)."""
    from ...domain.province_code import agency_problem
    office = settings.office
    problem = agency_problem(office.agency_code)
    delegated = getattr(office, "code_space", "local") == "delegated"
    if problem is None:
        space = "tỉnh giao dải mã" if delegated else "số nội bộ; mã hồ sơ do hệ thống một cửa của tỉnh cấp"
        return Check("Mã cơ quan", OK, f"{office.agency_code} ({space})")
    fix = "sửa [office].agency_code trong /etc/motcua/config.toml hoặc trang Quản trị > Cài đặt"
    if delegated:
        return Check("Mã cơ quan", FAIL, f"{problem} Tỉnh đã giao dải mã nên không thể tiếp nhận hồ sơ.", fix)
    return Check("Mã cơ quan", WARN, str(problem), fix)


def run(ctx: Context) -> list[Check]:
    checks = []
    with ctx.database() as conn:
        if conn is not None:
            checks.append(check_services_and_counters(conn))
    checks.append(check_agency(ctx.settings))
    return checks
