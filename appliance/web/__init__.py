"""Flask app factory for the LAN panel and the JSON API."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from .. import config as config_mod
from ..files import write_private
from ..runtime import Appliance


def _secret_key(appliance: Appliance) -> str:
    """A per-installation key kept 0600 in the state directory (sessions survive restarts)."""
    path = appliance.state_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    write_private(path, key)  # 0600 from its first byte: never world-readable, not even for a moment
    return key


def create_app(appliance: Appliance | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    if appliance is None:
        appliance = Appliance(config_mod.load())
    app = Flask(__name__)
    settings = appliance.settings
    app.config.update(
        SECRET_KEY=_secret_key(appliance),
        MAX_CONTENT_LENGTH=settings.web.max_body_kb * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookies,
        SESSION_COOKIE_NAME="motcua_session",
    )
    json = DefaultJSONProvider(app)
    json.ensure_ascii = False
    json.sort_keys = False
    app.json = json
    if test_config:
        app.config.update(test_config)
    app.extensions["motcua"] = appliance
    # Each request hands its SQLite connection back for the next request on any thread.
    app.teardown_request(lambda exc: appliance.db.release())

    from . import edge, i18n, training
    edge.init_app(app)
    i18n.init_app(app)
    training.init_app(app)
    from . import api
    from .errors import register_error_handlers
    api.register(app)
    register_error_handlers(app)
    from .panels import register_panels
    register_panels(app)
    return app
