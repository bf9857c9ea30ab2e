"""Flask app factory of the hub (Flask tutorial style: ``create_app(test_config=None)``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from district import settings as hub_settings
from district.db.engine import make_engine
from district.db.migrate import current_revision, head_revision
from district.domain.errors import HubError
from district.hub import Hub
from district.store import meta


class NotInitialised(HubError):
    """The database has no schema or an old one: ``motcua-hub init`` has not been run."""

    def __init__(self, message: str):
        super().__init__("not_initialised", message)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """``test_config`` may hold hub settings (``database_url``, ``level``, ``name``, …) and Flask keys
    (upper case, e.g. ``TESTING``)."""
    test_config = dict(test_config or {})
    flask_keys = {k: v for k, v in test_config.items() if k.isupper()}
    hub_keys = {k: v for k, v in test_config.items() if not k.isupper()}
    s = hub_settings.load(overrides=hub_keys)
    engine = make_engine(s.database_url)
    if current_revision(engine) != head_revision(engine):
        raise NotInitialised("Cơ sở dữ liệu chưa được khởi tạo hoặc chưa nâng cấp: hãy chạy 'motcua-hub init' "
                             f"({engine.url.render_as_string(hide_password=True)})")

    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(
        SECRET_KEY=s.secret_key or meta.secret_key(engine),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=max(s.max_batch_bytes, 1024 * 1024),
    )
    app.config.update(flask_keys)
    json = DefaultJSONProvider(app)
    json.sort_keys = False
    app.json = json
    app.extensions["motcua_hub"] = Hub(s, engine)

    from district.api import init_app as init_api
    from district.web import init_app as init_web
    init_api(app)
    init_web(app)
    return app
