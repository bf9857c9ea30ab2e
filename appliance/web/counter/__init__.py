"""The counter console under ``/counter`` (the ``counter`` blueprint, views in ``views``; the
"Nhập hồ sơ cho số này" step in ``dossier_entry``)."""
from __future__ import annotations

from flask import Flask

from . import dossier_entry  # noqa: F401  (registers POST /counter/<n>/dossier on the blueprint)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
