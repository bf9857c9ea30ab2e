"""The landing page and the staff layout's shared parts (the ``home`` blueprint, views in ``views``)."""
from __future__ import annotations

from flask import Flask

from .views import bp, init_app

__all__ = ["bp", "init_app", "register"]


def register(app: Flask) -> None:
    app.register_blueprint(bp)
