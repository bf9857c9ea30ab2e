"""Postal return pages (issue 17), on the dossier blueprint:

* ``/dossiers/buu-chinh`` — the ready results the citizens asked to receive by post: the officer
  types (or scans) each item's tracking number and postage, names the postal unit and worker, and
  hands them over in one go (``appliance.services.postal``); the lists already handed over;
* ``/dossiers/buu-chinh/<id>`` (``.pdf``) — the handover list to print and sign, A4 landscape.

Thin: the rules are in ``appliance/domain/postal.py``, the work in the service.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, redirect, render_template, request, url_for

from ...domain import dossier_form as layout
from ...domain import dossier_papers as papers
from ...domain.dossiers import FormInvalid
from ...domain.errors import DomainError
from ..auth import appliance
from ..i18n import current_language
from ..login.access import page_requires
from .pages import _pdf_response, _render_print, bp, error_page, user_name


def _pending_view(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tz = appliance().tz
    for line in lines:
        line["ready_text"] = (datetime.fromtimestamp(line["ready_ts"], tz).strftime("%H:%M %d/%m/%Y")
                              if line["ready_ts"] else "")
    return lines


def _page(status: int = 200, errors: dict[str, str] | None = None, form: dict[str, Any] | None = None):
    service = appliance().postal
    return render_template("dossiers/postal.html", pending=_pending_view(service.pending()),
                           recent=service.recent(), units_used=service.units_used(),
                           errors=errors or {}, form=form or {}), status


@bp.get("/dossiers/buu-chinh")
@page_requires("counter")
def postal_list():
    return _page()


@bp.post("/dossiers/buu-chinh")
@page_requires("counter")
def postal_hand_over():
    picked = [c for c in request.form.getlist("pick") if c][:500]
    items = [{"code": code, "tracking_number": request.form.get(f"tracking-{code}", ""),
              "fee": request.form.get(f"fee-{code}", "")} for code in picked]
    data = {"postal_unit": request.form.get("postal_unit", ""), "postal_worker": request.form.get("postal_worker", ""),
            "note": request.form.get("note", ""), "items": items}
    try:
        handover_id = appliance().postal.hand_over(data, user_name())
    except FormInvalid as exc:
        lang = current_language()
        errors: dict[str, str] = {}
        for key, message in exc.errors.items():
            text = message.en if lang == "en" else str(message)
            parts = key.split(".")
            if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(picked):
                errors[f"{picked[int(parts[1])]}.{parts[2]}"] = text
            else:
                errors[parts[0]] = text
        form = {**data, "picked": picked,
                "values": {i["code"]: i for i in items}}
        return _page(422, errors, form)
    except DomainError as exc:
        return error_page(exc)
    return redirect(url_for("dossier_pages.postal_print", handover_id=handover_id, handed=1))


@bp.get("/dossiers/buu-chinh/<int:handover_id>")
@page_requires("dossier")
def postal_print(handover_id: int):
    return _postal_paper(handover_id, as_pdf=False)


@bp.get("/dossiers/buu-chinh/<int:handover_id>.pdf")
@page_requires("dossier")
def postal_print_pdf(handover_id: int):
    return _postal_paper(handover_id, as_pdf=True)


def _postal_paper(handover_id: int, as_pdf: bool):
    handover = appliance().postal.get(handover_id)
    if handover is None:
        abort(404)
    html = _render_print("print/postal_handover.html", as_pdf, h=handover, day_words=papers.day_words,
                         money=lambda amount: layout.money(amount, "vi"),
                         handed=request.args.get("handed") == "1",
                         back_url=url_for("dossier_pages.postal_list"),
                         pdf_url=None if as_pdf else url_for("dossier_pages.postal_print_pdf",
                                                             handover_id=handover_id))
    if as_pdf:
        return _pdf_response(html, f"ban-giao-buu-chinh-{handover['number'].replace('/', '-')}.pdf")
    return html

