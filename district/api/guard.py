"""The hub's edge: what no route should ever see is refused with 400 before any view runs.

* control characters (NUL and the other C0 codes but tab and line breaks, and DEL) in the path, the
  query string and form fields;
* form and query values longer than :data:`MAX_VALUE_CHARS`;
* a JSON body (other than an appliance's batch) that is not valid JSON, is nested deeper than
  :data:`~district.domain.storable.MAX_DEPTH`, or holds a value no database stores
  (:func:`district.domain.storable.problem`).

An appliance's batch (``POST /api/v1/devices/{id}/events:batch``) is not refused here: it is read
with its own limits (``district.api.body``), and an event no database can store is quarantined and
acknowledged (``district.domain.storable``), never answered with 400 or 500, which would stall that
device's sync at that event for good.
"""
from __future__ import annotations

import json
import re

from flask import Flask, render_template, request
from flask_babel import gettext

from district.domain import storable
from district.domain.errors import HubError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_VALUE_CHARS = 2000
OWN_READER = frozenset({"ingest.events_batch"})


def _values():
    """(field, its name in a message, value) of everything a request names outside its body."""
    yield "path", "đường dẫn", request.path
    for key, value in request.args.items(multi=True):
        yield key, f"'{key}'", key
        yield key, f"'{key}'", value
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            yield key, f"'{key}'", key
            yield key, f"'{key}'", value


def problem() -> tuple[str, str] | None:
    """(the field, what is wrong with it) for the first thing refused, or None."""
    for field, name, value in _values():
        if CONTROL.search(value):
            return field, f"{name} có ký tự điều khiển (ví dụ NUL), không được phép"
        if len(value) > MAX_VALUE_CHARS:
            return field, f"{name} dài quá {MAX_VALUE_CHARS} ký tự"
    if request.is_json and request.endpoint not in OWN_READER and request.content_length != 0:
        try:
            doc = json.loads(request.get_data(cache=True))
        except RecursionError:
            return "body", "nội dung JSON lồng nhau quá sâu"
        except ValueError:
            return None  # the view answers its own "not JSON" message
        why = storable.problem(doc)
        if why:
            return "body", "nội dung JSON " + why
    return None


def refuse(field: str, message: str):
    if request.path.startswith("/api/"):
        raise HubError("invalid_input", message + ".", field)
    text = gettext("Yêu cầu có giá trị không hợp lệ: %(what)s.", what=message)
    return render_template("error.html", code=400, message=text), 400


def init_app(app: Flask) -> None:
    @app.before_request
    def _edge():
        found = problem()
        return refuse(*found) if found else None
