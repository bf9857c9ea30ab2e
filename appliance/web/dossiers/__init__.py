"""Dossiers (hồ sơ): the JSON API (``api``, blueprint ``dossier_api``) and the pages (``pages``,
blueprint ``dossier_pages``: the book, the intake form, the citizen mirror, printing).

``postal`` the postal return pages (the handover list); ``forms_api`` lists a dossier's printable
papers for the API; ``forms`` the catalog and autocomplete lists a form uses, ``logbook`` pages the
logbook through
the dossier service, ``pdf`` renders through Chromium and ``mirror_stream`` feeds the citizen
mirror. The pure rules behind them are in ``appliance/domain/``: ``dossier_form`` (widgets,
sections, values as on paper), ``dossier_papers`` (what each printed paper shows),
``dossier_timing`` (time left) and ``dossier_samples`` (sample declarations).
"""
from __future__ import annotations

from flask import Flask

from . import (
    forms_api,  # noqa: F401 (GET /api/v1/dossiers/<code>/forms, on the same blueprint)
    postal,  # noqa: F401  (the postal return pages, on the pages' blueprint)
)
from .api import bp as api_bp
from .pages import bp as pages_bp


def register(app: Flask) -> None:
    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
