"""Errors of the hub: a stable code, a Vietnamese message an officer can act on, the offending field.

:class:`HubError` is the root of every hub error and itself derives from
:class:`appliance.errors.MotcuaError`: one wheel ships ``appliance`` and ``district`` together, and
``appliance.errors`` imports nothing, so the hub gains one root without depending on appliance code.
The class says what kind of refusal it is; the API turns it into ``{"error": {"code", "message",
"field"}}`` with the HTTP status of its kind (``district.api.errors.STATUS``).
"""
from __future__ import annotations

from appliance.errors import MotcuaError


class HubError(MotcuaError):
    """A refusal: the input is not acceptable; nothing was changed."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class Unauthorised(HubError):
    """No valid credential: a missing or wrong bearer token, an unknown or expired enrolment token."""


class Overloaded(HubError):
    """The hub is too busy to take this now; nothing was stored, come back after Retry-After."""


class Forbidden(HubError):
    """The credential is valid but may not do this (a device token used for another device)."""


class NotFound(HubError):
    """What the request names does not exist (a dossier code, the published catalog)."""


class Conflict(HubError):
    """The request is valid but contradicts what the hub holds (a device already enrolled, a seq reused)."""


class BatchError(HubError):
    """A pushed batch has wrong values; nothing of it is stored."""


class BatchUnreadable(BatchError):
    """The batch cannot be read at all: bad gzip, an unknown encoding, not a JSON object."""


class BatchTooLarge(BatchError):
    """The batch is larger than the hub accepts (bytes, inflated bytes or events)."""


class BatchNotJson(BatchError):
    """The batch was not sent as ``Content-Type: application/json``."""

