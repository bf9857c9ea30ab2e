"""The backup download (a fresh VACUUM INTO copy, deleted once sent) and the audit log page."""
from __future__ import annotations

import sqlite3

from page_helpers import audit_rows, post_form, text


def test_the_backup_is_a_complete_sqlite_copy_streamed_and_then_gone(admin_client, appliance, tmp_path):
    assert "Tải bản sao lưu" in text(admin_client.get("/admin/backup"))
    response = post_form(admin_client, "/admin/backup", page="/admin/backup")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="motcua-000.00.00.H00-') and disposition.endswith('.db"')
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data) and data.startswith(b"SQLite format 3\x00")
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == \
            appliance.db.conn().execute("SELECT count(*) FROM users").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 5
    assert not (appliance.state_dir / "backup-downloads").exists()
    assert not list(appliance.state_dir.glob("**/motcua-*.db"))
    [entry] = audit_rows(appliance, "backup.download")
    assert entry["user_login"] == "quantri" and entry["detail"] == f"{len(data)} byte"


def test_a_backup_that_cannot_be_written_says_why(admin_client, appliance):
    folder = appliance.state_dir / "backup-downloads"
    folder.write_text("một tệp chắn chỗ thư mục")  # mkdir fails: a file has its name
    try:
        response = post_form(admin_client, "/admin/backup", page="/admin/backup", follow_redirects=True)
    except FileExistsError:
        raise AssertionError("the error reached the user as a 500") from None
    finally:
        folder.unlink()
    assert "Không tạo được bản sao lưu" in text(response)


def seed_log(appliance, start: float):
    rows = [(start, "quantri", "user_created", "user:hoa", "vai trò officer"),
            (start + 86400, "canbo1", "login", "", "127.0.0.1"),
            (start + 86401, "quantri", "token_revoked", "token:TV sảnh", "")]
    with appliance.db.write() as conn:
        conn.executemany("INSERT INTO audit_log (ts, user_login, action, object, detail) VALUES (?, ?, ?, ?, ?)",
                         rows)


def test_the_audit_log_lists_who_when_what_newest_first(admin_client, appliance, clock):
    seed_log(appliance, clock())  # Monday 30/11/2026 08:00 in the office
    body = text(admin_client.get("/admin/audit"))
    table = body[body.index("<tbody>"):]
    assert table.index("Thu hồi mã truy cập") < table.index("Đăng nhập") < table.index("Tạo người dùng")
    assert "01/12/2026 08:00:01" in table and "30/11/2026 08:00:00" in table
    body = text(admin_client.get("/admin/audit?user=canbo1"))
    assert "Đăng nhập" in body and "Tạo người dùng</td>" not in body
    body = text(admin_client.get("/admin/audit?action=user_created"))
    assert "người dùng hoa" in body and "mã truy cập TV sảnh" not in body
    body = text(admin_client.get("/admin/audit?since=2026-12-01&until=2026-12-01"))
    assert "mã truy cập TV sảnh" in body and "người dùng hoa" not in body
    body = text(admin_client.get("/admin/audit?q=TV%20s%E1%BA%A3nh"))
    assert "mã truy cập TV sảnh" in body and "người dùng hoa" not in body
    body = text(admin_client.get("/admin/audit?q=100%25"))
    assert "Không có dòng nào khớp bộ lọc." in body


def test_wrong_filter_dates_are_shown_next_to_the_filter(admin_client):
    response = admin_client.get("/admin/audit?since=2026-12-05&until=2026-12-01")
    assert response.status_code == 400 and "“Đến ngày” phải sau “Từ ngày”." in text(response)
    response = admin_client.get("/admin/audit?since=hôm-qua")
    assert response.status_code == 400 and "Ngày không hợp lệ" in text(response)


def test_the_audit_log_pages_by_one_hundred(admin_client, appliance):
    with appliance.units() as tx:
        for i in range(130):
            tx.audit("may", "pager.test", f"device:pager:{i}")
    body = text(admin_client.get("/admin/audit?action=pager.test"))
    assert "130 dòng" in body and "trang 1/2" in body and "device:pager:129" in body
    body = text(admin_client.get("/admin/audit?action=pager.test&page=2"))
    assert "device:pager:0<" in body and "device:pager:129" not in body


def test_the_overview_shows_devices_counts_and_recent_changes(admin_client, appliance):
    post_form(admin_client, "/admin/tokens", {"name": "Máy lấy số", "role": "kiosk"})
    body = text(admin_client.get("/admin"))
    assert "Không cấu hình" in body and "Tạo mã truy cập" in body and "mã truy cập Máy lấy số" in body
