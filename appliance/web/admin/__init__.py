"""The administration pages under ``/admin`` (the ``admin`` blueprint), one module per topic.

``blueprint`` holds the blueprint, its gate (administrators only) and template filters; ``helpers``
what the views share (audit line, form errors); the views register themselves on the blueprint
when imported here: ``overview``, ``office``, ``accounts``, ``settings`` (+ ``holidays``),
``devices`` and ``data`` (backup, audit log; ``audit_labels`` names its actions).
"""
from __future__ import annotations

from flask import Flask

from . import accounts, catalog, data, devices, office, overview, screens, settings, voice  # noqa: F401  (the views register on bp)
from .blueprint import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
