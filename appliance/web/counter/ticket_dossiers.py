"""What the console shows about dossiers for the ticket being served: the procedures to choose from
(its service's first) and what was already done for it (dossiers received, drafts not submitted)."""
from __future__ import annotations

from typing import Any

from ...domain import dossier_form
from ...domain.errors import DomainError
from ...domain.queue import Ticket
from ..auth import appliance
from ..i18n import current_language


def dossier_choices(ticket: Ticket) -> tuple[list, dict[str, Any]]:
    """(the procedure menu for this ticket's service, the ticket's dossiers and open drafts)."""
    app_ = appliance()
    try:
        catalog = app_.dossiers.catalog
    except DomainError:
        return [], {}
    menu = dossier_form.ticket_menu(catalog, ticket.service_code, current_language())
    work = app_.dossiers.ticket_work(ticket.id)
    names = {code: (p.name_en or p.name) if current_language() == "en" else p.name
             for code, p in catalog.procedures.items()}
    for d in work["drafts"]:
        d["procedure_name"] = names.get(d["procedure"], d["procedure"])
    return menu, work
