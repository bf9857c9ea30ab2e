"""Dashboard across all communes, with drill-down to one commune."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from district.hub import current
from district.store import dashboard
from district.web.auth import login_required

bp = Blueprint("dashboard", __name__)
PAGE_SIZE = 50      # dossiers per page of a commune


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
        try:
            page = max(1, min(100_000, int(request.args.get("trang") or 1)))
        except ValueError:
            page = 1
        dossier_rows, total = dashboard.dossier_list(conn, ids, now, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    from district.web.reports import commune_trends
    return render_template("commune.html", c=rows[0], services=services, dossiers=dossier_rows, today=today,
                           now=now, page=page, pages=pages, total=total, **commune_trends(code))
