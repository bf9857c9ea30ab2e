"""Chứng thực (certified copies and signatures): the JSON API (``api``, blueprint
``certification_api``) and the pages (``pages``, blueprint ``certification_pages``: record a
document, its lời chứng, the printable Sổ chứng thực). Rules in
:mod:`appliance.domain.certification`, the service in :mod:`appliance.services.certification`.
"""
from __future__ import annotations

from flask import Flask

from .api import bp as api_bp
from .pages import bp as pages_bp


def register(app: Flask) -> None:
    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
