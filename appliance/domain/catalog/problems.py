"""Catalog mistakes: each one a (file, key, Vietnamese message), and the checker that collects them. Pure."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from appliance.errors import MotcuaError


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"tệp {self.file}, khóa {self.key}: {self.message}" if self.key else f"tệp {self.file}: {self.message}"


class CatalogError(MotcuaError):
    """The catalog has mistakes; ``problems`` lists each (file, key, Vietnamese message)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        head = f"Danh mục thủ tục có {len(self.problems)} lỗi" if len(self.problems) > 1 else "Danh mục thủ tục có lỗi"
        super().__init__(head + ": " + "; ".join(str(p) for p in self.problems))


class Checker:
    """Collects problems while reading nested tables."""

    TYPE_NAMES = {str: "chuỗi", bool: "true/false", int: "số nguyên", list: "danh sách", dict: "bảng"}

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, file: str, key: str, message: str) -> None:
        self.problems.append(Problem(file, key, message))

    def table(self, file: str, key: str, value: Any, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(file, key, "phải là một bảng khóa = giá trị")
            return {}
        allowed = tuple(allowed)
        for k in value:
            if k not in allowed:
                self.fail(file, f"{key}.{k}" if key else k,
                          f"khóa không hợp lệ; các khóa được phép: {', '.join(allowed)}")
        return value

    def get(self, file: str, key: str, table: dict[str, Any], name: str, kind: type, *, required: bool = False,
            default: Any = None, choices: Iterable[Any] | None = None) -> Any:
        where = f"{key}.{name}" if key else name
        if name not in table:
            if required:
                self.fail(file, where, "thiếu khóa bắt buộc")
            return default
        value = table[name]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.fail(file, where, f"phải là {self.TYPE_NAMES.get(kind, kind.__name__)}, đang là {value!r}")
            return default
        if kind is str and required and not value.strip():
            self.fail(file, where, "không được để trống")
        if choices is not None and value not in tuple(choices):
            self.fail(file, where, f"giá trị {value!r} không hợp lệ; chọn một trong: "
                      + ", ".join(str(c) for c in choices))
            return default
        return value
