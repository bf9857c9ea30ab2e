"""The hub's public lookup page: state and due date only, no login, no personal data.

``/tra-cuu`` (and ``/thu-tuc/tra-cuu``, the path the appliances' QR codes use, so that an office
whose ``[web].public_url`` is the hub's address prints codes that open here):

* ``?ma=CODE`` — by the dossier's code (the appliance's or the province's);
* POST phone + last 4 digits of the personal number (POST: the numbers stay out of the address bar
  and the logs);
* ``?ho-so=CODE&k=…`` (Mẫu 01) or ``?so=TICKET&k=…`` (the ticket) — a QR link.

Misses of a phone lookup (and wrong QR links) are throttled as on the appliance's LAN page, per
phone from this address, per phone and per address, with back-off up to 15 minutes (429 with
``Retry-After``); the counts are in the database, shared by every hub process.
"""
from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.domain import lookup as lookup_rules
from district.api.lookup import by_link, by_phone, status_of
from district.domain.errors import HubError
from district.hub import current
from district.web import throttle

bp = Blueprint("public", __name__)


def _wait_text(wait: int) -> str:
    return _("%(n)s giây", n=wait) if wait < 90 else _("%(n)s phút", n=round(wait / 60))


@bp.route("/tra-cuu", methods=["GET", "POST"])
@bp.route("/thu-tuc/tra-cuu", methods=["GET", "POST"], endpoint="lookup_qr")
def lookup():
    code = request.args.get("ma", "").strip()[:80]
    found, message, status = None, None, 200
    answers: list[dict] | None = None
    errors: dict[str, str] = {}
    wait = 0
    address = throttle.address()
    if request.method == "POST":
        query, problems = lookup_rules.parse(request.form.get("phone"), request.form.get("last4"))
        lang = str(get_locale() or "vi")[:2]
        errors = {name: (m.en if lang == "en" else str(m)) for name, m in problems.items()}
        if query is not None:
            engine = current().engine
            with engine.connect() as conn:
                wait = throttle.retry_after(conn, query.phone, address, scope="lookup")
            if not wait:
                answers = by_phone(query)
                if not answers:
                    with engine.begin() as conn:
                        throttle.failed(conn, query.phone, address, scope="lookup")
        status = 429 if wait else (422 if errors else 200)
    elif request.args.get("ho-so") or request.args.get("so"):
        kind, value = (("dossier", request.args["ho-so"]) if request.args.get("ho-so")
                       else ("ticket", request.args["so"]))
        engine = current().engine
        with engine.connect() as conn:
            wait = throttle.retry_after(conn, "qr", address, scope="lookup")
        if not wait:
            answers = by_link(kind, value.strip()[:64], request.args.get("k", "").strip()[:64])
            if not answers:
                with engine.begin() as conn:
                    throttle.failed(conn, "qr", address, scope="lookup")
        status = 429 if wait else 200
    elif code:
        try:
            found = status_of(code)
        except HubError:
            message = _("Mã hồ sơ không đúng dạng, ví dụ 000.00.06.H56-261123-0001.")
        else:
            if found is None:
                message = _("Không tìm thấy hồ sơ với mã này. Kiểm tra lại mã; "
                            "hồ sơ mới tiếp nhận có thể chưa được đồng bộ.")
        status = 404 if found is None and message else 200
    response = make_response(render_template(
        "lookup.html", code=code, found=found, message=message, answers=answers, errors=errors,
        wait_text=_wait_text(wait) if wait else "", via="phone" if request.method == "POST" else "qr",
        phone=request.form.get("phone", "")[:20] if errors else ""), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response
