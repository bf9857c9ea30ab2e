"""Event-stream views: marked with :func:`event_stream_view`, answered by :func:`stream_response`.

Behind the panel's server (``appliance.server``) a marked URL is served by the event server
(:mod:`appliance.live`): the view runs on its pool to authenticate and build the stream's
:class:`~appliance.live.streams.StreamSpec`, which the asyncio loop then serves without a request
thread. Anywhere else (the Flask test client, another WSGI server) the view streams from its own
thread as before.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request, stream_with_context
from werkzeug.exceptions import HTTPException

from ..live.event_server import ENVIRON_FLAG, ENVIRON_SPEC
from ..live.streams import StreamSpec, iterate
from .auth import appliance

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def event_stream_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as an event stream (put it right under the route decorator)."""
    view.event_stream = True  # type: ignore[attr-defined]  # a mark read by the stream dispatcher
    return view


def stream_response(spec: StreamSpec) -> Response:
    app_ = appliance()
    app_.db.release()  # a screen holds its stream for hours; it needs no connection
    if request.environ.get(ENVIRON_FLAG):
        request.environ[ENVIRON_SPEC] = spec
        return Response(b"", mimetype="text/event-stream", headers=HEADERS)
    return Response(stream_with_context(iterate(spec, app_.bus, app_.stopping)),
                    mimetype="text/event-stream", headers=HEADERS)


def stream_matcher(app: Flask) -> Callable[[str], bool]:
    """``is_stream(path)``: does a GET of ``path`` reach a view marked as an event stream?"""
    adapter = app.url_map.bind("localhost")

    def is_stream(path: str) -> bool:
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except HTTPException:
            return False
        return bool(getattr(app.view_functions.get(endpoint), "event_stream", False))
    return is_stream
