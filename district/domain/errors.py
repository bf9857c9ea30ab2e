"""Errors the API turns into ``{"error": {"code", "message", "field"}}`` answers."""
from __future__ import annotations


class HubError(Exception):
    """A refusal with an HTTP status, a stable code and a Vietnamese message an officer can act on."""

    status = 400

    def __init__(self, code: str, message: str, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class BatchError(HubError):
    """The batch is malformed (400), too large (413) or has wrong values (422); nothing is stored."""

    status = 422
