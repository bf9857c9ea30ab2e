"""The JSON body of an API request: parsed, type-checked field by field, errors in the asker's language."""
from __future__ import annotations

from typing import Any

from flask import request

from ...domain.errors import DomainError
from ..errors import UnsupportedMediaType


def body() -> dict[str, Any]:
    """The JSON object sent, or a 400/415 with a message in the asker's language; an empty body is {}."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise UnsupportedMediaType("invalid", None, detail=("cần gửi JSON với Content-Type: application/json",
                                                            "send JSON with Content-Type: application/json"))
    data = request.get_json(silent=True)
    if data is None:
        raise DomainError("invalid", None, detail=("JSON không đúng cú pháp", "the JSON is malformed"))
    if not isinstance(data, dict):
        raise DomainError("invalid", None, detail=("JSON phải là một đối tượng {…}", "the JSON must be an object {…}"))
    return data


def field(data: dict[str, Any], name: str, kind: type | tuple, required: bool = False, default=None):
    value = data.get(name, default)
    if value is None:
        if required:
            raise DomainError("required", name, name=name)
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise DomainError("invalid", name, detail=(f"'{name}' sai kiểu dữ liệu", f"'{name}' has the wrong type"))
    if not isinstance(value, kinds):
        raise DomainError("invalid", name, detail=(f"'{name}' sai kiểu dữ liệu", f"'{name}' has the wrong type"))
    return value
