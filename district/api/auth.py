"""Bearer tokens on the API: device tokens (one device each) and hub staff tokens."""
from __future__ import annotations

from flask import request, session

from district.domain.errors import Forbidden, HubError, Unauthorised
from district.hub import current
from district.store import devices, staff


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthorised(what: str) -> HubError:
    return Unauthorised("unauthorized", f"Thiếu hoặc sai mã truy cập ({what}) trong tiêu đề "
                        "'Authorization: Bearer …'", "Authorization")


def require_device(device_id: str) -> None:
    """The bearer must be the token of ``device_id``: 401 if unknown or revoked, 403 if another device's."""
    token = bearer()
    if token is None:
        raise _unauthorised("mã thiết bị")
    with current().engine.connect() as conn:
        owner = devices.device_for_token(conn, token)
    if owner is None:
        raise _unauthorised("mã thiết bị")
    if owner != device_id:
        raise Forbidden("forbidden", f"Mã truy cập này thuộc thiết bị {owner}, không phải {device_id}",
                        "device_id")


def require_staff() -> str:
    """A hub staff token (``motcua-hub token add``) or a logged-in dashboard session."""
    if session.get("user"):
        return session["user"]
    token = bearer()
    if token is not None:
        with current().engine.connect() as conn:
            name = staff.staff_for_token(conn, token)
        if name:
            return name
    raise _unauthorised("mã cán bộ của trung tâm")


def require_device_or_staff() -> str:
    token = bearer()
    if token is not None:
        with current().engine.connect() as conn:
            owner = devices.device_for_token(conn, token)
            if owner:
                return owner
    return require_staff()
