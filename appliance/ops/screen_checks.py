"""``motcua doctor``'s lines about screens and the first setup: paired screens (hall TVs, kiosks,
citizen screens, with when each was last seen), codes waiting for approval, and an office that
has no administrator yet (the setup code is on the boot slip and the TV). Read-only SQL."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from ..domain.screens import format_code
from .check import OK, SKIP, WARN, Check

AREA = "Màn hình"
SETUP_AREA = "Cài đặt lần đầu"
ROLE_NAMES = {"display": "màn hình sảnh", "kiosk": "máy lấy số", "mirror": "màn hình công dân"}
STALE_S = 3600   # a paired screen not seen for this long is named


def _ago(ts: float | None, now: float) -> str:
    if not ts:
        return "chưa hoạt động"
    minutes = int((now - ts) // 60)
    if minutes < 1:
        return "vừa hoạt động"
    if minutes < 120:
        return f"hoạt động {minutes} phút trước"
    return f"hoạt động {minutes // 60} giờ trước"


def check_screens(db_path: str | Path, now: Callable[[], float] = time.time) -> list[Check]:
    path = Path(db_path)
    if not path.exists():
        return [Check(AREA, SKIP, "chưa có cơ sở dữ liệu")]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        conn.row_factory = sqlite3.Row
        try:
            admins = conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0]
            screens = conn.execute("SELECT name, role, counter_id, last_used_ts FROM api_tokens "
                                   "WHERE role IN ('display', 'kiosk', 'mirror') AND NOT revoked "
                                   "ORDER BY role, name").fetchall()
            pending = conn.execute("SELECT code, address, page FROM screen_pairings "
                                   "WHERE state = 'pending' AND expires_ts > ? ORDER BY created_ts",
                                   (now(),)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Check(AREA, SKIP, f"không đọc được danh sách màn hình ({exc})")]
    checks = []
    if admins == 0:
        checks.append(Check(SETUP_AREA, WARN, "chưa có tài khoản quản trị",
                            "Trên máy tính cùng mạng, mở http://<tên thiết bị>.local:8080/setup và nhập mã cài "
                            "đặt in trên phiếu khởi động (cũng hiện trên tivi sảnh)"))
    t = now()
    listed = "; ".join(
        f"{s['name']} ({ROLE_NAMES[s['role']]}{' quầy ' + str(s['counter_id']) if s['counter_id'] else ''}, "
        f"{_ago(s['last_used_ts'], t)})" for s in screens)
    if pending:
        waiting = ", ".join(f"{format_code(p['code'])} ({p['page']}, {p['address']})" for p in pending)
        checks.append(Check(AREA, WARN, f"{len(pending)} màn hình chờ duyệt: {waiting}"
                            + (f"; đã ghép nối: {listed}" if listed else ""),
                            "Quản trị → Màn hình: duyệt (hoặc từ chối) các mã đang hiện trên màn hình"))
    elif not screens:
        checks.append(Check(AREA, WARN, "chưa ghép nối màn hình nào",
                            "Bật tivi sảnh hoặc máy lấy số: nó hiện mã ghép nối; duyệt ở Quản trị → Màn hình"))
    else:
        stale = [s["name"] for s in screens if not s["last_used_ts"] or t - s["last_used_ts"] > STALE_S]
        checks.append(Check(AREA, WARN if stale else OK, f"{len(screens)} màn hình đã ghép nối: {listed}",
                            f"Kiểm tra nguồn và mạng của: {', '.join(stale)}" if stale else ""))
    return checks
