"""Pairing screens: what a screen with no token shows, and how it goes live by itself.

``views`` the ``pairing`` blueprint under ``/pair`` (the screen's status and its collection of
the token), ``page`` the pairing screen that ``/display``, ``/kiosk`` and ``/mirror/N`` show
when no token is kept, ``qr`` the QR code drawn by the server (SVG, no CDN). The administrator's
side is ``appliance.web.admin.screens`` (Quản trị → Màn hình).
"""
from __future__ import annotations

from flask import Flask

from .page import pairing_page
from .views import bp

__all__ = ["pairing_page", "register"]


def register(app: Flask) -> None:
    from ..csrf import csrf
    # The screen proves itself with its pairing cookie (HttpOnly, SameSite=Lax: never sent on a
    # cross-site POST), not with a session; it has no form to carry a CSRF token.
    csrf.exempt(bp)
    app.register_blueprint(bp)
