"""Dossiers (hồ sơ) at the counter: drafts, submission, states, the list, the purge.

``DossierService`` (``appliance.dossiers``) is the one writer of dossier facts; the JSON API
(``appliance/web/dossier_api.py``) and the pages call it. Rules live in ``appliance.domain.dossiers``,
SQL in ``appliance.store.dossier_store``.
"""
from .purge import purge_personal_data
from .service import DossierService

__all__ = ["DossierService", "purge_personal_data"]
