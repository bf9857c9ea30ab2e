"""The hall display ``/display``: a full-screen board for the TV in the waiting hall.

One tile per counter with the number it calls, the recent calls, how many wait per service, the
ready results of citizens who hold no pager ("Hồ sơ có kết quả": the dossier's number, the ticket
they hold, the counter), the clock, and a ticker of the publicly posted procedures. Numbers only,
never names. A ``dossier.call`` flashes its line, shows "Mời công dân có hồ sơ số … nhận kết quả
tại quầy số …" and is announced. ``display.js``
listens to ``/api/v1/events``: a call flashes its tile, shows "Mời số … đến quầy số …" and is
announced through ``announcer.js`` (one announcement at a time); everything else refreshes the
board from ``/display/board``. It reconnects by itself and says when it is offline.

Who may open it: a logged-in person (any role that may view the queue), or a TV with nobody to
log in: with no token it shows a pairing code and a QR code (:mod:`appliance.web.screens`); an
administrator approves it in Quản trị → Màn hình (choosing which counters it shows) and the TV
collects a ``display`` token into its device cookie by itself. A token made on the command line
still works once in the URL (``/display?token=…``, see :mod:`appliance.web.login.access`). The
token does not expire with a login session; an administrator can revoke it, and the TV then
shows a new pairing code.
"""
from __future__ import annotations

import math

from flask import Blueprint, current_app, render_template

from ...store import queue_store
from ..auth import appliance, current_principal
from ..i18n import current_language
from ..login.access import accept_device_token, page_requires
from ..screens import pairing_page

bp = Blueprint("display", __name__, url_prefix="/display")

RECENT_SHOWN = 4   # what fits at the size read from the back of the hall (tests/browser/test_display_5m.py)
READY_SHOWN = 4


def ticker_items(lang: str = "vi") -> list[str]:
    """Names of the publicly posted procedures (the catalog in force), else of the services;
    in English (``name_en`` where there is one) when ``lang`` is ``en``."""
    english = lang == "en"
    names: list[str] = []
    try:  # the catalog in force (the hub's or the shipped one)
        names = [p.name_en if english and p.name_en else p.name for p in appliance().catalog().procedures.values()]
    except Exception:  # a broken catalog must not blank the TV: the services still say something
        current_app.logger.warning("display ticker: catalog unavailable, showing services", exc_info=True)
    if not names:
        from ...store import office_store
        names = [r["name_en"] if english and r["name_en"] else r["name"]
                 for r in office_store.list_services(appliance().db.conn()) if r["active"]]
    return names


def grid_shape(n: int) -> tuple[int, int]:
    """Columns and rows for n counter tiles beside the side panel. Tiles are wide (the counter's
    name beside its number), so the number can be as tall as its row: up to 3 counters one above
    the other, 4 → 2×2, 5–8 → 2 columns, then 3 or more. Up to 6 counters a 43" TV at 1080p shows
    every called number at least 5 cm tall; a hall with more pairs a second TV with the others."""
    if n <= 3:
        return 1, max(1, n)
    if n <= 8:
        return 2, math.ceil(n / 2)
    cols = max(3, math.ceil(math.sqrt(n)))
    return cols, math.ceil(n / cols)


def shown_counters() -> tuple[int, ...] | None:
    """The counters this hall display shows: those its pairing chose, None for every counter."""
    principal = current_principal()
    return principal.counters if principal is not None and principal.role == "display" else None


def ready_calls(only: tuple[int, ...] | None, today: str) -> list[dict]:
    """"Hồ sơ có kết quả": ready results whose citizen holds no pager, by the dossier's number of
    the day (with the day when it is not today) and the ticket the citizen holds; never a name."""
    from ...services.reminders import day_start
    from ...store import dossier_store
    app_ = appliance()
    with app_.db.read() as conn:
        rows = dossier_store.ready_without_pager(conn, day_start(app_.clock(), app_.tz), READY_SHOWN)
    return [{"code": r["code"], "number": r["day_seq"], "ticket_number": r["ticket_number"],
             "counter_id": r["counter_id"], "day": None if r["day"] == today else r["day"][8:10] + "/" + r["day"][5:7]}
            for r in rows if only is None or r["counter_id"] is None or r["counter_id"] in only]


def board_context() -> dict:
    app_ = appliance()
    snap = queue_store.snapshot(app_.db, app_.today())
    only = shown_counters()
    counters = [c for c in snap["counters"] if (c["active"] or c["ticket"] is not None)
                and (only is None or c["id"] in only)]
    recent = [t for t in snap["recent"] if only is None or t.counter_id in only]
    services = {s["code"]: s for s in snap["services"]}
    cols, rows = grid_shape(len(counters))
    return {"counters": counters, "recent": recent[:RECENT_SHOWN], "ready": ready_calls(only, app_.today()),
            "services": [s for s in snap["services"] if s["active"]], "service_by_code": services,
            "cols": cols, "rows": rows, "server_now": app_.clock(),
            "clock_rate": app_.settings.training.speed if app_.training else 1,
            "only_counters": ",".join(str(c) for c in only) if only else ""}


def _setup_page():
    return pairing_page("/display")


@bp.get("")
def board():
    enrolled = accept_device_token(("display",))
    if enrolled is not None:
        return enrolled
    return _board()


@page_requires("view", anonymous=_setup_page)
def _board():
    settings = appliance().settings
    return render_template("display/board.html", ticker=ticker_items(current_language()),
                           timezone=settings.office.timezone, **board_context())


@bp.get("/board")
@page_requires("view", anonymous=lambda: ("", 401))
def board_fragment():
    return render_template("display/_board.html", **board_context())
