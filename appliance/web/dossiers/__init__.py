"""Dossiers (hồ sơ): the JSON API (``api``, blueprint ``dossier_api``) and the pages (``pages``,
blueprint ``dossier_pages``: the book, the intake form, the citizen mirror, printing).

``forms`` builds a procedure's form, ``printing`` fills the printed forms, ``samples`` the
sample values, ``timing`` the deadline classes, ``pdf`` renders through Chromium and
``mirror_stream`` feeds the citizen mirror.
"""
from __future__ import annotations

from flask import Flask

from .api import bp as api_bp
from .pages import bp as pages_bp


def register(app: Flask) -> None:
    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
