"""Appointments (``/appointments``): the officer's day (book on a phone call, check in, change,
cancel) and the administrator's slots (``/appointments/slots``); the kiosk's check-in and booking
for later today are in :mod:`appliance.web.kiosk`."""
from __future__ import annotations

from flask import Flask

from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
