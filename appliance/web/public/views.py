"""The public procedure list at ``/thu-tuc``: the catalog as posted in the office (name,
documents, time limit, fee), readable on a phone, no login needed.

The catalog is the one the dossier service holds (the hub may have pushed a newer one). A
search box finds procedures with or without Vietnamese diacritics ("khai sinh", "dang ky").
"""
from __future__ import annotations

import unicodedata
from typing import Any

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _

from ...domain.catalog import Catalog, Fee, Procedure
from ...domain.errors import DomainError
from ..auth import appliance
from ..i18n import current_language

bp = Blueprint("public", __name__)

ONLINE_LEVELS = {"toan_trinh": ("Dịch vụ công trực tuyến toàn trình", "Fully online"),
                 "mot_phan": ("Dịch vụ công trực tuyến một phần", "Partly online"),
                 "khong": ("Nộp trực tiếp hoặc qua bưu chính", "In person or by post")}


# --- words (pure) ---------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case without diacritics: 'Đăng ký' → 'dang ky'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def money(amount: int, lang: str = "vi") -> str:
    """``25000`` → ``25.000 đồng`` (``25,000 VND`` in English)."""
    if lang == "en":
        return f"{amount:,} VND"
    return f"{amount:,}".replace(",", ".") + " đồng"


def _fee_amount(fee: Fee, lang: str) -> str:
    en = lang == "en"
    if fee.kind == "free":
        return "Free of charge" if en else "Miễn phí, lệ phí"
    if fee.kind == "fixed":
        text = money(fee.amount, lang) + (" per case" if en else "/trường hợp")
    elif fee.kind == "per_copy":
        text = money(fee.amount, lang) + (" per copy" if en else "/bản")
    else:  # per_page
        parts = []
        for i, (start, amount) in enumerate(fee.tiers):
            end = fee.tiers[i + 1][0] - 1 if i + 1 < len(fee.tiers) else None
            price = money(amount, lang) + (" per page" if en else "/trang")
            if end is None and i == 0:
                parts.append(price)
            elif end is None:
                parts.append(f"from page {start}: {price}" if en else f"từ trang thứ {start}: {price}")
            elif start == end:
                parts.append(f"page {start}: {price}" if en else f"trang {start}: {price}")
            else:
                parts.append(f"pages {start}–{end}: {price}" if en else f"trang {start}–{end}: {price}")
        text = "; ".join(parts)
        text = text[:1].upper() + text[1:]
    if fee.cap_per_copy:
        text += (f"; at most {money(fee.cap_per_copy, lang)} per copy" if en
                 else f"; tối đa {money(fee.cap_per_copy, lang)}/bản")
    return text


def fee_lines(fee: Fee, lang: str = "vi") -> list[str]:
    """The fee as posted: the amount, who is exempt, what extra copies cost."""
    en = lang == "en"
    main = _fee_amount(fee, lang)
    if fee.kind == "free" and fee.note and not en:
        main = fee.note
    if fee.province_set:
        main += " (amount set by the province)" if en else " (mức do tỉnh quy định)"
    lines = [main]
    for exemption in fee.exemptions:
        lines.append(exemption.reason_en if en and exemption.reason_en else exemption.reason)
    for extra in fee.extras:
        label = (extra.label_en if en and extra.label_en else extra.label) or ("Extra" if en else "Thêm")
        lines.append(f"{label}: {_fee_amount(extra, lang)}")
    return lines


def procedure_view(proc: Procedure, lang: str = "vi") -> dict[str, Any]:
    en = lang == "en"
    documents = []
    for d in proc.documents:
        name = d.name_en if en and d.name_en else d.name
        # "nếu có" once: no tag when the name already says it ("… (nếu có)", "… if any")
        says_optional = any(w in name.casefold() for w in ("nếu có", "if any", "if applicable"))
        documents.append({"name": name, "show": d.mode == "show", "required": d.required, "note": d.note,
                          "says_optional": says_optional})
    time_limit = proc.time_limit.describe(lang)
    if proc.time_limit.extended_value:
        time_limit += (f" ({proc.time_limit.extended_value} working days if checks are needed)" if en
                       else f" ({proc.time_limit.extended_value} ngày làm việc nếu phải xác minh)")
    online_vi, online_en = ONLINE_LEVELS.get(proc.online, (proc.online, proc.online))
    return {"code": proc.code, "name": proc.name_en if en and proc.name_en else proc.name,
            "time_limit": time_limit, "fee": fee_lines(proc.fee, lang), "documents": documents,
            "legal_basis": proc.legal_basis, "two_hour_model": proc.two_hour_model,
            "declaration": proc.declaration, "online": online_en if en else online_vi,
            "search": fold(f"{proc.name} {proc.name_en} {proc.code}")}


def catalog_view(catalog: Catalog, lang: str = "vi", query: str = "", field: str = "") -> list[dict]:
    """Fields of work with their procedures, filtered by a folded search and a field code."""
    words = fold(query).split()
    out = []
    for code, procedures in catalog.by_field().items():
        if field and code != field:
            continue
        fow = catalog.fields_of_work[code]
        items = [procedure_view(p, lang) for p in sorted(procedures, key=lambda p: p.order)]
        items = [i for i in items if all(w in i["search"] for w in words)]
        if items:
            out.append({"code": code, "name": fow.name_en if lang == "en" and fow.name_en else fow.name,
                        "procedures": items})
    return out


# --- the page -------------------------------------------------------------------------------
@bp.get("/thu-tuc")
def procedures():
    app_ = appliance()
    lang = current_language()
    query = request.args.get("q", "").strip()[:100]
    field = request.args.get("linh-vuc", "").strip()
    try:
        catalog = app_.dossiers.catalog
    except DomainError as exc:
        return render_template("public/unavailable.html", message=exc.message(lang)), 503
    groups = catalog_view(catalog, lang, query, field)
    office = app_.settings.office
    fields = [(c, f.name_en if lang == "en" and f.name_en else f.name) for c, f in catalog.fields_of_work.items()]
    return render_template("public/procedures.html", groups=groups, query=query, field=field, fields=fields,
                           office=office, catalog=catalog, total=sum(len(g["procedures"]) for g in groups),
                           weekdays=_weekdays(office))


def _weekdays(office) -> dict[str, str]:
    names = {"mon": _("Thứ Hai"), "tue": _("Thứ Ba"), "wed": _("Thứ Tư"), "thu": _("Thứ Năm"),
             "fri": _("Thứ Sáu"), "sat": _("Thứ Bảy"), "sun": _("Chủ nhật")}
    model = ", ".join(names[d] for d in office.model_days)
    if set(office.model_days) == set(office.working_days):
        model = _("mọi ngày làm việc")
    return {"working": ", ".join(names[d] for d in office.working_days), "model": model}


# --- looking a dossier up without its code (issue 17) ------------------------------------------
@bp.route("/thu-tuc/tra-cuu", methods=["GET", "POST"])
def lookup():
    """By phone + the last 4 digits of the personal number (POST: the numbers stay out of the
    address bar and the logs), or by the QR of the ticket (``?so=…&k=…``) or of Mẫu 01
    (``?ho-so=…&k=…``). State and due time only; misses are throttled (429 + Retry-After)."""
    from ...services.lookup import Outcome
    app_ = appliance()
    lang = current_language()
    outcome, via = Outcome(), ""
    if request.method == "POST":
        outcome = app_.lookup.by_phone(request.form.get("phone", ""), request.form.get("last4", ""),
                                       request.remote_addr or "?", lang)
        via = "phone"
    elif request.args.get("ho-so"):
        outcome = app_.lookup.by_dossier_link(request.args["ho-so"].strip()[:64], request.args.get("k"), lang)
        via = "qr"
    elif request.args.get("so"):
        outcome = app_.lookup.by_ticket_link(request.args["so"].strip()[:12], request.args.get("k"), lang)
        via = "qr"
    status = 429 if outcome.retry_after else (422 if outcome.errors else 200)
    errors = {name: (m.en if lang == "en" else str(m)) for name, m in outcome.errors.items()}
    wait = outcome.retry_after
    wait_text = ""
    if wait:
        wait_text = (_("%(n)s giây", n=wait) if wait < 90 else _("%(n)s phút", n=round(wait / 60)))
    response = make_response(render_template(
        "public/lookup.html", outcome=outcome, errors=errors, via=via, office=app_.settings.office,
        wait_text=wait_text, phone=request.form.get("phone", "")[:20] if errors else ""), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response
