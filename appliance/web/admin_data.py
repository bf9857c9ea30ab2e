"""Admin: the database backup download and the audit log (who, when, what) with filters."""
from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import date, datetime, time, timedelta

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..store.db import StoreError
from .admin import audit, bp, render_admin
from .auth import appliance

BACKUP_DIR = "backup-downloads"
CHUNK = 256 * 1024
PAGE_SIZE = 100

ACTION_NAMES = {
    "login": _l("Đăng nhập"), "login_failed": _l("Đăng nhập sai"), "logout": _l("Đăng xuất"),
    "password_changed": _l("Đổi mật khẩu"), "device_enrolled": _l("Ghi danh thiết bị"),
    "service_created": _l("Tạo lĩnh vực"), "service_updated": _l("Sửa lĩnh vực"),
    "counter_created": _l("Tạo quầy"), "counter_updated": _l("Sửa quầy"), "counter_deleted": _l("Xóa quầy"),
    "user_created": _l("Tạo người dùng"), "user_deactivated": _l("Khóa người dùng"),
    "user_activated": _l("Mở lại người dùng"), "user_password_reset": _l("Đặt lại mật khẩu"),
    "user_role_changed": _l("Đổi vai trò"), "token_created": _l("Tạo mã truy cập"),
    "token_revoked": _l("Thu hồi mã truy cập"), "settings_changed": _l("Sửa cài đặt cơ quan"),
    "holidays_changed": _l("Sửa ngày nghỉ"), "printer_test": _l("In thử"), "printer_reprint": _l("In lại"),
    "pager_test": _l("Rung thử thẻ"), "gpio_test_press": _l("Bấm thử nút"),
    "backup_downloaded": _l("Tải bản sao lưu"),
}


def action_name(action: str) -> str:
    name = ACTION_NAMES.get(action)
    return str(name) if name is not None else action


# --- backup ---------------------------------------------------------------------------------
@bp.get("/backup")
def backup():
    db_path = appliance().db.path
    size = db_path.stat().st_size if db_path.exists() else 0
    return render_admin("admin/backup.html", db_path=str(db_path), size_mb=size / 1e6)


def _remove(target) -> None:
    """Delete the copy (an open handle still reads it) and its folder unless another is in it."""
    try:
        target.unlink(missing_ok=True)
        target.parent.rmdir()
    except OSError:  # not there, or another download is under way
        pass


def _stream(handle):
    try:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        handle.close()


@bp.post("/backup")
def backup_download():
    """A fresh ``VACUUM INTO`` copy, streamed as an attachment; the file is gone once it is open."""
    app_ = appliance()
    folder = app_.state_dir / BACKUP_DIR
    stamp = datetime.fromtimestamp(app_.clock(), app_.tz).strftime("%Y%m%d-%H%M")
    target = folder / f"motcua-{stamp}-{secrets.token_hex(4)}.db"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        app_.db.backup(target)
        handle = open(target, "rb")
    except (StoreError, sqlite3.Error, OSError) as exc:
        flash(_("Không tạo được bản sao lưu: %(why)s. Kiểm tra chỗ trống trên thẻ nhớ rồi thử lại.", why=exc),
              "error")
        return redirect(url_for("admin.backup"))
    finally:
        _remove(target)
    size = os.fstat(handle.fileno()).st_size
    audit("backup_downloaded", "database", f"{size} byte")
    name = f"motcua-{app_.settings.office.agency_code}-{stamp}.db"
    return Response(_stream(handle), mimetype="application/vnd.sqlite3", direct_passthrough=True, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(size),
        "Cache-Control": "no-store"})


# --- audit log ------------------------------------------------------------------------------
def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def query_audit(conn, *, user: str = "", action: str = "", since: date | None = None,
                until: date | None = None, text: str = "", tz=None, limit: int = PAGE_SIZE,
                offset: int = 0) -> tuple[list, int]:
    """Audit rows newest first matching the filters, and how many match in all."""
    where, args = [], []
    if user:
        where.append("user_login = ?")
        args.append(user)
    if action:
        where.append("action = ?")
        args.append(action)
    if since:
        where.append("ts >= ?")
        args.append(datetime.combine(since, time(0), tz).timestamp())
    if until:
        where.append("ts < ?")
        args.append(datetime.combine(until + timedelta(days=1), time(0), tz).timestamp())
    if text:
        where.append("(object LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')")
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        args += [like, like]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute("SELECT count(*) FROM audit_log" + clause, args).fetchone()[0]
    rows = conn.execute("SELECT * FROM audit_log" + clause + " ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?",
                        [*args, limit, offset]).fetchall()
    return rows, total


@bp.get("/audit")
def audit_log():
    app_ = appliance()
    conn = app_.db.conn()
    args = request.args
    filters = {"user": args.get("user", "").strip(), "action": args.get("action", "").strip(),
               "since": args.get("since", "").strip(), "until": args.get("until", "").strip(),
               "q": args.get("q", "").strip()}
    since, until = _day(filters["since"]), _day(filters["until"])
    errors = {}
    if filters["since"] and since is None:
        errors["since"] = _("Ngày không hợp lệ; chọn ngày trên lịch.")
    if filters["until"] and until is None:
        errors["until"] = _("Ngày không hợp lệ; chọn ngày trên lịch.")
    if since and until and until < since:
        errors["until"] = _("“Đến ngày” phải sau “Từ ngày”.")
    page = max(1, args.get("page", 1, type=int) or 1)
    rows, total = ([], 0) if errors else query_audit(
        conn, user=filters["user"], action=filters["action"], since=since, until=until, text=filters["q"],
        tz=app_.tz, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    users = [r[0] for r in conn.execute("SELECT DISTINCT user_login FROM audit_log WHERE user_login IS NOT NULL "
                                        "ORDER BY user_login")]
    actions = [r[0] for r in conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
    pages = max(1, -(-total // PAGE_SIZE))
    return render_admin("admin/audit.html", 400 if errors else 200, rows=rows, total=total, page=page,
                        pages=pages, filters=filters, errors=errors, users=users,
                        actions=[(a, action_name(a)) for a in actions], action_name=action_name)
