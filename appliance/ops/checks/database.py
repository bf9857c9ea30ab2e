"""The database (present, intact, at the software's version, owned by the service user) and its backups."""
from __future__ import annotations

import pwd
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from ...config import Settings
from ..check import FAIL, OK, WARN, Check
from .common import SERVICE_USER, init_command
from .context import Context

BACKUP_MAX_AGE_DAYS = 7


def check_database(settings: Settings, now: Callable[[], float] = time.time) -> list[Check]:
    from ...store.db import latest_version
    path = Path(settings.storage.path)
    if not path.exists():
        return [Check("Cơ sở dữ liệu", FAIL, f"chưa có {path}",
                      "Chạy: sudo systemctl restart motcua-firstboot (tự khởi tạo lần đầu), "
                      f"hoặc: {init_command(settings)}")]
    checks = []
    owner = _owner_problem(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            result = "; ".join(r[0] for r in conn.execute("PRAGMA quick_check").fetchall())
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Check("Cơ sở dữ liệu", FAIL, f"không đọc được {path}: {exc}",
                      "Chạy lại bằng quyền quản trị: sudo motcua doctor; nếu vẫn lỗi, khôi phục "
                      "bản sao lưu gần nhất (xem hướng dẫn sao lưu)")]
    latest = latest_version()
    if result != "ok":
        checks.append(Check("Cơ sở dữ liệu", FAIL, f"{path} bị hỏng ({result[:200]})",
                            "Dừng dịch vụ (sudo systemctl stop motcua) và khôi phục bản sao lưu gần nhất"))
    elif version > latest:
        checks.append(Check("Cơ sở dữ liệu", FAIL,
                            f"phiên bản dữ liệu {version} mới hơn phần mềm ({latest})",
                            "Cài bản motcua mới hơn, hoặc khôi phục bản sao lưu tương ứng"))
    elif version < latest:
        checks.append(Check("Cơ sở dữ liệu", WARN, f"phiên bản dữ liệu {version}, cần nâng lên {latest}",
                            f"Chạy: {init_command(settings)} (nâng cấp dữ liệu, giữ nguyên số liệu)"))
    elif owner:
        checks.append(Check("Cơ sở dữ liệu", FAIL, owner,
                            f"Chạy: sudo chown -R {SERVICE_USER}:{SERVICE_USER} {path.parent}"))
    else:
        mode = "WAL" if journal.lower() == "wal" else journal
        checks.append(Check("Cơ sở dữ liệu", OK, f"{path} nguyên vẹn, phiên bản {version}, nhật ký {mode}"))
    checks.append(check_backups(path.parent / "backup", now))
    return checks


def _owner_problem(path: Path) -> str:
    try:
        expected = pwd.getpwnam(SERVICE_USER).pw_uid
    except KeyError:
        return ""  # development machine: no service user
    uid = path.stat().st_uid
    if uid != expected:
        try:
            name = pwd.getpwuid(uid).pw_name
        except KeyError:
            name = str(uid)
        return f"{path} thuộc người dùng '{name}', dịch vụ chạy bằng '{SERVICE_USER}' sẽ không ghi được"
    return ""


def check_backups(folder: Path, now: Callable[[], float] = time.time) -> Check:
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        files = []
    if not files:
        return Check("Sao lưu", WARN, f"chưa có bản sao lưu trong {folder}",
                     f"Chạy: sudo -u {SERVICE_USER} motcua backup {folder}/motcua-$(date +%F).db, "
                     "rồi chép ra USB hoặc máy khác")
    newest = max(files, key=lambda p: p.stat().st_mtime)
    age_days = (now() - newest.stat().st_mtime) / 86400
    if age_days > BACKUP_MAX_AGE_DAYS:
        return Check("Sao lưu", WARN, f"bản mới nhất {newest.name} đã {age_days:.0f} ngày",
                     "Sao lưu lại (motcua backup) và chép ra nơi khác")
    return Check("Sao lưu", OK, f"bản mới nhất {newest.name} ({age_days:.1f} ngày trước)")


def run(ctx: Context) -> list[Check]:
    return check_database(ctx.settings, ctx.now)
