"""Admin: the database backup download and the audit log (who, when, what) with filters."""
from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import date, datetime

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _

from ...store.audit_store import PAGE_SIZE, audit_actions, audit_users, query_audit
from ...store.db import StoreError
from ..auth import appliance
from ..i18n import current_language
from .audit_labels import action_label, canonical, detail_text, object_text, spellings
from .blueprint import bp
from .helpers import audit, render_admin

BACKUP_DIR = "backup-downloads"
CHUNK = 256 * 1024


def object_name(obj: str | None) -> str:
    """The audit object (``dossier:…``) with its kind in the reader's language."""
    return object_text(obj, current_language())


def action_name(action: str) -> str:
    """The audit action in the reader's language (see :mod:`appliance.web.audit_labels`)."""
    return action_label(action, current_language())


def action_detail(action: str, detail: str | None) -> str:
    """The audit detail with a dossier's states named in the reader's language."""
    return detail_text(action, detail, current_language())


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
    audit("backup.download", "database", f"{size} byte")
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
        conn, user=filters["user"], action=spellings(filters["action"]) if filters["action"] else "",
        since=since, until=until, text=filters["q"], tz=app_.tz, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    actions = sorted({canonical(a) for a in audit_actions(conn)}, key=lambda a: action_name(a).casefold())
    pages = max(1, -(-total // PAGE_SIZE))
    return render_admin("admin/audit.html", 400 if errors else 200, rows=rows, total=total, page=page,
                        pages=pages, filters=filters, errors=errors, users=audit_users(conn),
                        actions=[(a, action_name(a)) for a in actions], action_name=action_name,
                        action_detail=action_detail, object_text=object_name)
