"""Runs the panel on waitress with the devices started, until SIGTERM/SIGINT."""
from __future__ import annotations

import gc
import logging
import signal
import threading
import warnings
from collections.abc import Callable
from typing import Any, cast

from waitress import wasyncore
from waitress.server import create_server

from .netinfo import panel_urls
from .runtime import Appliance

log = logging.getLogger(__name__)


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread its own malloc arena; with 24 server threads the freed memory
    kept in them doubles RSS on a 1 GB Pi. Two arenas are plenty for an I/O-bound server."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def freeze_startup_objects() -> None:
    """Move everything built at start (the Flask app, templates, the catalog, fonts, the devices:
    ~90,000 objects) out of the garbage collector's sight (``gc.freeze``). A full collection then
    walks only what requests made since, instead of holding the interpreter for all of it: 40 ms
    pauses were measured with 200 event streams open, each one delaying every stream and request."""
    gc.collect()
    gc.freeze()


def make_server(appliance: Appliance, host: str | None = None, port: int | None = None):
    """Waitress for pages and the API, and the event server for every event stream, on one port:
    waitress reads each request on its loop and hands a stream request's socket to the event
    server (``appliance.live``), so a stream never holds one of its threads."""
    from .live.event_server import EventServer
    from .live.handoff import install
    from .web import create_app
    from .web.streaming import stream_matcher
    web = appliance.settings.web
    app = create_app(appliance)
    # send_bytes=1: every write wakes waitress' loop at once, so responses leave immediately
    # instead of waiting for its 1 s select timeout. poll(): no 1024-descriptor ceiling of select()
    # for the idle and slow connections waitress holds without threads.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # send_bytes: still the way to flush now
        server = create_server(app, host=host or web.host, port=web.port if port is None else port,
                               threads=web.threads, send_bytes=1, channel_timeout=120,
                               connection_limit=web.connection_limit, asyncore_use_poll=True,
                               ident="motcua")
    events = EventServer(app, appliance.bus, limit=web.stream_limit,
                         retry_after_s=web.stream_retry_after_s).start()
    install(server, events, stream_matcher(app))
    cast(Any, server).motcua_events = events   # the event server, stopped with the WSGI server
    return server


def stop_streams(server) -> None:
    events = getattr(server, "motcua_events", None)
    if events is not None:
        events.stop()


def shutdown(server, appliance: Appliance) -> None:
    """Stop a server running in another thread: end SSE streams, then let the server's own loop
    close the listener and every connection (closing them under its feet breaks its select())."""
    appliance.stopping.set()
    stop_streams(server)
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    server.task_dispatcher.shutdown(timeout=5)


def use_tls(appliance: Appliance) -> int | None:
    """HTTPS on (``motcua tls enable``): the port, with Secure cookies and the HTTP→HTTPS redirect
    switched on for the panel; None when off."""
    from .tls.state import enabled_port
    port = enabled_port(appliance.state_dir)
    appliance.tls_port = port
    if port:
        appliance.apply_settings(appliance.settings)   # Secure cookies from now on (runtime keeps them)
    return port


def run(appliance: Appliance, host: str | None = None, port: int | None = None,
        on_ready: Callable[[list[str]], None] | None = None, start_devices: bool = True) -> None:
    limit_malloc_arenas()
    tls_port = use_tls(appliance)
    server = make_server(appliance, host, port)
    bound_port = server.effective_port
    urls = panel_urls(host or appliance.settings.web.host, bound_port)
    front = None
    if tls_port:
        from .tls.front import TlsFront
        from .tls.state import files
        f = files(appliance.state_dir)
        front = TlsFront(f.cert, f.key, tls_port, bound_port).start()
        urls = [u.replace("http://", "https://").rsplit(":", 1)[0] + f":{front.port}" for u in urls]
    if start_devices:
        appliance.attach_devices()
        appliance.start()
    from .web.dossiers import pdf
    if appliance.settings.web.pdf_warm:
        # the PDF browser starts now, off the request path: the first paper is as fast as the next
        threading.Thread(target=pdf.warm_up, name="pdf-warm-up", daemon=True).start()
    stop = threading.Event()

    def on_signal(signum, frame):  # noqa: ARG001
        log.info("signal %s: stopping", signum)
        stop.set()
        appliance.stopping.set()
        server.close()
        wasyncore.close_all(server._map)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if on_ready:
        on_ready(urls)
    from .services.firstboot import shown_setup_code
    appliance.bus.publish("appliance.ready", {"urls": urls, "setup_code": shown_setup_code(appliance.db)})
    from .ops.watchdog import SystemdNotifier
    notifier = SystemdNotifier({"thiết bị": appliance.devices.alive,
                                "cơ sở dữ liệu": lambda: appliance.health()["database"]["state"] == "ok"})
    notifier.start()
    freeze_startup_objects()
    try:
        server.run()
    except (OSError, ValueError):
        if not stop.is_set():
            raise
    finally:
        notifier.stop()
        if front is not None:
            front.stop()
        stop_streams(server)
        server.task_dispatcher.shutdown(timeout=5)
        pdf.shutdown()
        appliance.stop()
