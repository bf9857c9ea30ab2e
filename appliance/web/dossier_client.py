"""The dossier pages read and change dossiers only through the JSON API (``dossier_api``).

A page view calls :func:`api` which runs the API request in process, with the caller's own
credentials (session cookie or bearer token): the same roles, the same audit log entries and the
same Vietnamese errors as a browser calling the API. Nothing here touches the database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request

FORWARDED_HEADERS = ("Cookie", "Authorization", "Accept-Language", "X-Forwarded-For")


@dataclass
class ApiError(Exception):
    """The API said no: its HTTP status and its Vietnamese message (and the field, if any)."""
    status: int
    message: str
    field: str | None = None
    errors: dict | None = None

    def __str__(self) -> str:
        return self.message


def api(method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
    """Call ``/api/v1<path>`` in process as the current user; the parsed JSON, or :class:`ApiError`."""
    query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    url = "/api/v1" + path + ("?" + urlencode(query) if query else "")
    headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
    if "lang" in request.args:
        headers["Accept-Language"] = "en" if request.args["lang"] == "en" else "vi"
    client = current_app.test_client(use_cookies=False)
    kwargs: dict[str, Any] = {"headers": headers, "environ_base": {"REMOTE_ADDR": request.remote_addr or ""}}
    if body is not None:
        kwargs["data"] = json.dumps(body, ensure_ascii=False)
        kwargs["content_type"] = "application/json"
    response = client.open(url, method=method, **kwargs)
    try:
        data = json.loads(response.get_data(as_text=True) or "null")
    except ValueError:
        data = None
    if response.status_code >= 400:
        error = (data or {}).get("error", {}) if isinstance(data, dict) else {}
        message = error.get("message") or f"Lỗi {response.status_code} khi gọi {path}"
        raise ApiError(response.status_code, message, error.get("field"), error.get("errors"))
    return data


def get(path: str, **params: Any) -> Any:
    return api("GET", path, params)
