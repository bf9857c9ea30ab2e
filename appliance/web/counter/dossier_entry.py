""""Nhập hồ sơ cho số này": the counter console opens dossier entry for the ticket it serves.

``POST /counter/<n>/dossier`` (ticket, procedure): a ticket still being called starts being served
(the citizen is at the desk), then the dossier service makes an empty draft bound to the ticket
and the counter and publishes it, so the counter's citizen mirror shows the form at once; the
officer lands on the form (``/dossiers/new?…&draft=…``), which resumes that draft. Works without
JavaScript (a plain form and a redirect). The console lists what was done for the ticket (its
dossiers, its drafts not yet submitted), each a link.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from ...domain.errors import DomainError
from ...store import queue_store
from ..auth import appliance, signed_in
from ..i18n import current_language
from ..login.access import page_requires
from .views import bp


@bp.post("/<int:counter_id>/dossier")
@page_requires("counter")
def start_dossier(counter_id: int):
    app_ = appliance()
    ticket_id = request.form.get("ticket", type=int)
    procedure = request.form.get("procedure", "").strip()
    console = url_for("counter.console", counter_id=counter_id)
    if not ticket_id or not procedure:
        flash(dossier_form_error(), "error")
        return redirect(console)
    login = signed_in().name
    try:
        ticket = queue_store.get_ticket(app_.db, ticket_id)
        if ticket is not None and ticket.state == "called" and ticket.counter_id == counter_id:
            app_.engine.serve(counter_id, ticket_id)      # the citizen is at the desk
        started = app_.dossiers.start_for_ticket(counter_id, ticket_id, procedure, user=login)
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
        return redirect(console)
    return redirect(url_for("dossier_pages.dossier_new", procedure=started["procedure"], counter=counter_id,
                            ticket=ticket_id, draft=started["draft_id"]), 303)


def dossier_form_error() -> str:
    from flask_babel import gettext as _
    return _("Hãy chọn thủ tục cho số đang phục vụ rồi bấm “Nhập hồ sơ cho số này”.")
