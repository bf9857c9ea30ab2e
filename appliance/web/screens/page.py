"""The pairing screen: a short code and a QR code for the administrator, and, while the office
has no administrator yet, the first setup's code and address."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from ...domain.errors import DomainError
from ...netinfo import LOOPBACK_HOSTS, mdns_name
from ...services import firstboot
from ...services.screens import Screens
from ..auth import appliance
from ..i18n import current_language
from .qr import qr_svg

PAIRING_COOKIE = "motcua_pairing"
PAIRING_COOKIE_S = 86400
POLL_MS = 3000
RETRY_AFTER_THROTTLE_S = 120


def screens() -> Screens:
    app_ = appliance()
    return Screens(app_.db, app_.clock, app_.bus)


def panel_base() -> str:
    """The panel's address as another computer or a phone reaches it: the request's own host,
    unless the screen opened it on this machine (``localhost``: the kiosk browser on the Pi), then
    this machine's ``.local`` name."""
    host = urlsplit(request.host_url)
    if (host.hostname or "") in LOOPBACK_HOSTS:
        port = host.port or appliance().settings.web.port
        return f"http://{mdns_name()}" + ("" if port == 80 else f":{port}")
    return request.host_url.rstrip("/")


def pairing_page(page: str):
    """The response for a screen with no token at ``page``: its pairing code (kept while it is
    open, so a reload shows the same one), waiting for an administrator (status 401)."""
    secret = request.cookies.get(PAIRING_COOKIE)
    try:
        pairing, secret = screens().start(secret, request.remote_addr or "?", page,
                                          request.headers.get("User-Agent", ""))
    except DomainError as exc:
        response = current_app.make_response((render_template(
            "layout/message.html", title=_("Chưa ghép nối được màn hình"),
            message=exc.message(current_language()), status=429), 429))
        # nobody may be there to reload: the screen asks again by itself once the window has passed
        response.headers["Retry-After"] = response.headers["Refresh"] = str(RETRY_AFTER_THROTTLE_S)
        return response
    base = panel_base()
    approve_url = base + url_for("admin.screens", code=pairing.code)
    setup_code = firstboot.shown_setup_code(appliance().db)
    response = current_app.make_response((render_template(
        "screens/pairing.html", pairing=pairing, approve_url=approve_url, admin_url=base + url_for("admin.screens"),
        qr=qr_svg(approve_url, _("Mã QR mở trang duyệt màn hình")), setup_code=setup_code,
        setup_url=base + "/setup", page=page, poll_ms=POLL_MS), 401))
    response.set_cookie(PAIRING_COOKIE, secret, max_age=PAIRING_COOKIE_S, httponly=True, samesite="Lax",
                        secure=appliance().settings.web.secure_cookies)
    response.headers["Cache-Control"] = "no-store"
    return response
