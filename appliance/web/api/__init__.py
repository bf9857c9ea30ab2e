"""The JSON API under ``/api/v1`` (the ``api`` blueprint): the queue, counters and pagers in
``queue``; procedures, printer jobs and pager history in ``office``; request bodies in ``body``,
the event stream in ``sse``, the document in ``openapi``.
The dossier endpoints are the dossiers feature's (``appliance.web.dossiers.api``).
"""
from __future__ import annotations

from flask import Flask

from . import (
    counter_desk,  # noqa: F401  (registers the counter open/pause/close/undo routes on bp)
    office,  # noqa: F401 (procedures, printer jobs, pager history: routes on the same blueprint)
)
from .queue import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
