"""Registers the panel blueprints (counter, display, kiosk, dossiers, admin, …) as they land.

Panel-wide wiring lives here too: CSRF protection on every form, the session lifetime, the
device cookie of a hall TV or a kiosk, the forced password change, the language cookie and the
navigation shown in the staff layout.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask


def _blueprints() -> list:
    """Every panel blueprint, in registration order. Add new ones to this list."""
    from ..audio.blueprint import bp as audio_bp
    from .admin import bp as admin_bp
    from .counter import bp as counter_bp
    from .dossier_api import bp as dossier_api_bp
    from .dossier_pages import bp as dossier_pages_bp
    from .display import bp as display_bp
    from .home import bp as home_bp
    from .kiosk import bp as kiosk_bp
    from .login import bp as login_bp
    from .public import bp as public_bp
    return [
        home_bp,
        login_bp,
        counter_bp,
        display_bp,
        kiosk_bp,
        audio_bp,
        dossier_api_bp,
        dossier_pages_bp,
        admin_bp,
        public_bp,
    ]


def register_panels(app: Flask) -> None:
    appliance = app.extensions["motcua"]
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    app.config.setdefault("SETTINGS", appliance.settings)  # read by the audio blueprint

    from . import csrf, home, login
    csrf.init_app(app)
    login.init_app(app)
    home.init_app(app)

    from ..audio import blueprint as audio
    audio.init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
