"""Admin: the first page — device health, what the office has set up, the latest changes."""
from __future__ import annotations

from ...store import accounts, office_store, outbox, screen_store
from ...store.audit_store import query_audit
from ..auth import appliance
from .blueprint import bp
from .data import action_name, object_name
from .devices import _status
from .helpers import render_admin

DEVICE_NAMES = ("printer", "pager", "gpio", "disk")


@bp.get("")
@bp.get("/")
def index():
    app_ = appliance()
    conn = app_.db.conn()
    devices = {name: _status(app_.devices.get(name)) for name in DEVICE_NAMES}
    users = accounts.list_users(conn)
    counts = {
        "services": sum(1 for r in office_store.list_services(conn) if r["active"]),
        "counters": sum(1 for c in office_store.list_counters(conn) if c["active"]),
        "users": sum(1 for u in users if u["active"]),
        "tokens": sum(1 for t in accounts.list_tokens(conn) if not t["revoked"]),
    }
    counts["screens"] = len(screen_store.list_screens(conn))
    waiting_screens = screen_store.list_open(conn, app_.clock())
    recent, _total = query_audit(conn, limit=8, tz=app_.tz)
    return render_admin("admin/index.html", devices=devices, counts=counts, recent=recent,
                        action_name=action_name, object_text=object_name, settings=app_.settings,
                        catalog_rejected=outbox.catalog_rejected(conn),
                        uncertain_rules=app_.dossiers.counting_rules.uncertain(),
                        waiting_screens=[w for w in waiting_screens if w["state"] == "pending"])
