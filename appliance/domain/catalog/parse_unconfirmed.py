"""Parsing of ``to_confirm`` lists: catalog items not yet checked against their legal text. Pure.

Each entry names what is uncertain (a citation, a code, a time limit) and why; the admin page lists
them all, and a citation still to be confirmed may not appear in a printed ``legal_basis``.
"""
from __future__ import annotations

from typing import Any

from .model import Unconfirmed
from .problems import Checker


def unconfirmed(ck: Checker, file: str, key: str, raw: Any, scope: str) -> tuple[Unconfirmed, ...]:
    if not isinstance(raw, list):
        ck.fail(file, key, "phải là danh sách các bảng { what = …, note = … }")
        return ()
    out = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        item = ck.table(file, where, item, ("what", "note"))
        what = ck.get(file, where, item, "what", str, required=True, default="")
        out.append(Unconfirmed(what, ck.get(file, where, item, "note", str, default=""), scope))
    return tuple(out)


def check_not_printed(ck: Checker, file: str, legal_basis: str, items: tuple[Unconfirmed, ...]) -> None:
    """A citation still to be confirmed is never printed as law: it may not be in ``legal_basis``."""
    for item in items:
        if item.what and item.what in legal_basis:
            ck.fail(file, "legal_basis", f"'{item.what}' còn chờ xác nhận (to_confirm): không ghi vào căn cứ "
                    "pháp lý được in")
