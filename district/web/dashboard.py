"""Dashboard across all communes, with drill-down to one commune."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from district.hub import current
from district.store import dashboard
from district.web.auth import login_required

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def overview():
    hub = current()
    with hub.engine.connect() as conn:
        rows = dashboard.communes(conn, hub.today(), hub.now(), hub.settings.tz)
    totals = {
        "tickets": sum(c["tickets"]["today"] for c in rows),
        "waiting": sum(c["tickets"]["waiting"] for c in rows),
        "served": sum(c["tickets"]["served"] for c in rows),
        "received": sum(c["dossiers"]["received_today"] for c in rows),
        "overdue": sum(c["dossiers"]["pending"]["overdue"] for c in rows),
    }
    return render_template("overview.html", communes=rows, totals=totals, today=hub.today(), now=hub.now())


@bp.get("/xa/<code>")
@login_required
def commune(code: str):
    hub = current()
    now, today = hub.now(), hub.today()
    with hub.engine.connect() as conn:
        rows = dashboard.communes(conn, today, now, hub.settings.tz, commune=code)
        if not rows:
            abort(404)
        ids = [d["id"] for d in rows[0]["devices"]]
        services = dashboard.ticket_services(conn, ids, today)
        dossier_rows = dashboard.dossier_list(conn, ids, now)
    return render_template("commune.html", c=rows[0], services=services, dossiers=dossier_rows, today=today,
                           now=now)
