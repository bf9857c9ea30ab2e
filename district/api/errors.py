"""The HTTP status of each kind of hub error: the one place where a refusal becomes a status.

The domain and the store raise :class:`~district.domain.errors.HubError` kinds without statuses;
:func:`http_status` walks the error's classes to the nearest kind in :data:`STATUS`.
"""
from __future__ import annotations

from district.domain.errors import (
    BatchError,
    BatchNotJson,
    BatchTooLarge,
    BatchUnreadable,
    Conflict,
    Forbidden,
    HubError,
    NotFound,
    Overloaded,
    Unauthorised,
)

STATUS: dict[type[HubError], int] = {
    HubError: 400,
    Unauthorised: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    BatchError: 422,
    BatchUnreadable: 400,
    BatchTooLarge: 413,
    BatchNotJson: 415,
    Overloaded: 503,
}


def http_status(exc: HubError) -> int:
    """The status of the nearest kind of ``exc`` in :data:`STATUS` (every HubError has one)."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    raise TypeError(f"{type(exc).__name__} is not a HubError")
