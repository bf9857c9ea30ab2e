"""Waitress hands a stream request's socket to the event server.

Waitress reads requests on its own loop (no thread is used while a client is slow or idle); a
complete request is given to a worker thread by ``server.add_task(channel)``. :func:`install`
wraps that call: when the request is a ``GET`` for a stream URL (``is_stream(path)``), the
channel leaves waitress's socket map, its socket and the request's WSGI environ (built by
waitress itself, so addresses and headers are exactly what a page sees) go to the event server,
and no worker thread is used. Every other request goes on to a worker thread as before.

This relies on waitress's channel (``requests``, ``socket``, ``del_channel``) and its task's
``get_environment``, stable since waitress 1.0; ``pyproject.toml`` pins the version and
``tests/appliance/live`` checks the behaviour.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from waitress.task import WSGITask

from .event_server import EventServer

log = logging.getLogger(__name__)


def install(server: Any, events: EventServer, is_stream: Callable[[str], bool]) -> None:
    """Make ``server`` (a waitress server) hand stream requests to ``events``."""
    to_thread = server.add_task

    def add_task(channel: Any) -> None:
        request = channel.requests[0] if channel.requests else None
        # A request waitress could not parse carries its error and may have no method or path at
        # all: waitress's own thread answers it (400, 431, …).
        if (request is None or request.error is not None or getattr(request, "command", None) != "GET"
                or not is_stream(getattr(request, "path", ""))):
            to_thread(channel)
            return
        environ = dict(WSGITask(channel, request).get_environment())
        environ["wsgi.input"] = io.BytesIO(b"")
        sock = channel.socket
        channel.del_channel()      # waitress forgets the connection: the socket stays open
        channel.connected = False  # ... and never writes to it again
        channel.socket = None
        events.adopt(sock, environ)

    server.add_task = add_task
