"""Registers the panel features (counter, display, kiosk, dossiers, admin, …), one package each.

Panel-wide wiring lives here too: CSRF protection on every form, the session lifetime, the
device cookie of a hall TV or a kiosk, the forced password change, the language cookie and the
navigation shown in the staff layout.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask


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
    # Every panel feature, in registration order. Add new ones here.
    from . import (
        admin,
        appointments,
        certification,
        counter,
        display,
        dossiers,
        kiosk,
        public,
        reports,
        screens,
        setup,
        tls,
    )
    home.register(app)
    login.register(app)
    counter.register(app)
    display.register(app)
    kiosk.register(app)
    screens.register(app)
    setup.register(app)
    app.register_blueprint(audio.bp)
    dossiers.register(app)
    certification.register(app)
    appointments.register(app)
    reports.register(app)
    admin.register(app)
    public.register(app)
    tls.register(app)
