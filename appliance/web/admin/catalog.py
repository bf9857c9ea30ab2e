"""The catalog in force, for the administrator: its version, the fields of work with their
national codes, and every item still to be confirmed against its legal text (``to_confirm``:
uncertain citations, inferred codes, limits awaiting a decree) — shown here, never printed as law."""
from __future__ import annotations

from flask import render_template

from ...catalog.loader import load_form_versions
from ...domain.catalog import CatalogError
from ..auth import appliance
from .blueprint import bp


@bp.get("/catalog")
def catalog_page():
    try:
        catalog = appliance().catalog()
    except CatalogError as exc:
        return render_template("admin/catalog.html", catalog=None, error=str(exc)), 503
    groups = catalog.by_field()
    scopes = {code: proc.name for code, proc in catalog.procedures.items()}
    scopes.update({code: f.name for code, f in catalog.fields_of_work.items()})
    return render_template("admin/catalog.html", catalog=catalog, groups=groups, scopes=scopes,
                           unconfirmed=catalog.unconfirmed(), versions=load_form_versions())
