"""The appliance's edge: every request is checked against ``appliance.domain.limits`` before any
view runs, and what no view should see is a 400 with a message in the asker's language.

* paths: an ``<int:…>`` beyond SQLite's range (±2⁶³) does not match (404, :class:`BoundedInt`);
  a control character in the path is a 400;
* query strings and form fields: control characters, texts over their limit;
* JSON bodies: not parseable because nested too deep (Python's parser would raise RecursionError,
  a 500), nested more than 32 levels, integers beyond ±2⁶³, NaN/Infinity, control characters and
  overlong texts in strings.

A request body is read at most once more here (``get_data(cache=True)``), within
``MAX_CONTENT_LENGTH``.
"""
from __future__ import annotations

import ipaddress
import json

from flask import Flask, current_app, redirect, request
from werkzeug.routing import IntegerConverter

from ..domain import limits
from ..domain.errors import DomainError

SKIP_ENDPOINTS = frozenset({"static"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BoundedInt(IntegerConverter):
    """``<int:…>`` limited to what SQLite stores: a larger number names nothing (404), never a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=limits.INT_MIN if min is None else min,
                         max=limits.INT_MAX if max is None else max, signed=signed)


def _problem() -> limits.Problem | None:
    found = limits.text_problem("path", request.path, lines_allowed=False)
    if found:
        return found
    for key, value in request.args.items(multi=True):
        found = limits.name_problem(key) or limits.text_problem(key, value, False)
        if found:
            return found
    if request.mimetype in FORM_TYPES:
        request.get_data(cache=True)   # the form is parsed from this copy: a view may still read the raw body
        for key, value in request.form.items(multi=True):
            found = limits.name_problem(key) or limits.text_problem(key, value)
            if found:
                return found
    if request.is_json:
        raw = request.get_data(cache=True)
        if raw:
            try:
                doc = json.loads(raw)
            except RecursionError:
                return "body", (f"dữ liệu JSON lồng nhau quá {limits.MAX_DEPTH} tầng",
                                f"the JSON is nested more than {limits.MAX_DEPTH} levels deep")
            except ValueError:
                return None   # the view answers its own "malformed JSON"
            return limits.json_problem(doc)
    return None


def check_request() -> None:
    if request.endpoint in SKIP_ENDPOINTS:
        return
    found = _problem()
    if found:
        field, detail = found
        raise DomainError("invalid", field, detail=detail)


class FrontClient:
    """WSGI middleware: a request the TLS front (``appliance.tls.front``) passed on over loopback is
    from the address it names in ``X-Motcua-Client``, over https. Believed only when the socket's
    peer is loopback: a machine on the LAN cannot pose as another, or as the appliance itself."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        client = environ.pop("HTTP_X_MOTCUA_CLIENT", None)
        if client and is_loopback(environ.get("REMOTE_ADDR")):
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(client.strip()))
                environ["wsgi.url_scheme"] = "https"
            except ValueError:
                pass
        return self.wsgi_app(environ, start_response)


def https_redirect():
    """HTTPS on (``motcua tls enable``): plain HTTP from another machine goes to the HTTPS port.
    The Pi's own kiosk and ``doctor`` (loopback) keep plain HTTP."""
    port = getattr(current_app.extensions["motcua"], "tls_port", None)
    if not port or request.scheme == "https" or is_loopback(request.remote_addr):
        return None
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return redirect(f"https://{host}:{port}{request.full_path.rstrip('?')}", 308)


def is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered (the converter applies to routes added after it)."""
    app.url_map.converters["int"] = BoundedInt
    app.wsgi_app = FrontClient(app.wsgi_app)  # type: ignore[method-assign]
    app.before_request(https_redirect)
    app.before_request(check_request)
