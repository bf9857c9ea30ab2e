"""What the hub's database cannot store, found before it tries (pure, no I/O).

PostgreSQL refuses some values that JSON and Python accept: a NUL character (``\\u0000``) in any
text or ``jsonb`` string, a lone UTF-16 surrogate (``\\ud800``), ``NaN`` and ``±Infinity`` (Python's
``json`` reads them, ``jsonb`` does not), and a document nested deeper than anyone needs. Integers
beyond SQLite's and PostgreSQL's ``BIGINT`` (±2⁶³) have no column to go into either.

A payload that :func:`problem` finds such a value in is *quarantined* rather than refused: the event
is stored as ``hub.quarantined`` with the reason and an ASCII-escaped copy of what was sent
(:func:`quarantined_payload`), and acknowledged. Refusing it (or answering 500) would stall the
device's sync for good at that event: its outbox sends events in order and never skips one.
"""
from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32                       # objects and arrays inside one another
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
QUARANTINED = "hub.quarantined"
MAX_RAW_CHARS = 64 * 1024            # the escaped copy kept of a quarantined payload


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored, or None."""
    if "\x00" in value:
        return "có ký tự NUL (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "có ký tự UTF-16 lẻ (surrogate), không phải Unicode hợp lệ"
    return None


def problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """The first reason (Vietnamese) why ``value`` (decoded JSON) cannot be stored, or None.

    Iterative, so a deep document cannot exhaust Python's stack here.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            why = text_problem(item)
        elif isinstance(item, bool) or item is None:
            why = None
        elif isinstance(item, int):
            why = None if INT_MIN <= item <= INT_MAX else "có số nguyên vượt giới hạn 64 bit (±2⁶³)"
        elif isinstance(item, float):
            why = None if math.isfinite(item) else "có giá trị NaN hoặc vô cực (Infinity), JSON chuẩn không có"
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                return f"lồng nhau quá {max_depth} tầng"
            children = list(item.items()) if isinstance(item, dict) else [(None, v) for v in item]
            for key, child in children:
                if key is not None and (why := text_problem(str(key))):
                    return "tên trường " + why
                stack.append((child, depth + 1))
            why = None
        else:
            why = f"có giá trị kiểu {type(item).__name__}, không phải JSON"
        if why:
            return why
    return None


def escaped_copy(value: Any) -> str:
    """An ASCII copy that any database stores: NUL and surrogates become ``\\u`` escapes, NaN stays
    ``NaN``; deeper than Python's own encoder goes, the text says so instead."""
    try:
        raw = json.dumps(value, ensure_ascii=True, allow_nan=True)
    except (RecursionError, TypeError, ValueError) as exc:
        raw = f"<không chép được: {type(exc).__name__}>"
    return raw if len(raw) <= MAX_RAW_CHARS else raw[:MAX_RAW_CHARS] + "…"


def quarantined_payload(original_type: str, reason: str, payload: Any) -> dict:
    """The payload stored in place of one that cannot be stored (see the module's docstring)."""
    return {"original_type": original_type, "reason": reason,
            "raw": escaped_copy(logged_payload(original_type, payload))}


def logged_payload(event_type: str, payload: Any) -> Any:
    """An event's payload as the hub's ``events`` log keeps it: without the public lookup's hashes
    (``lookup`` in ``dossier.received`` and ``dossier.lookup``). The appliance's hash of a phone
    is not keyed with the hub's secret, so a copy beside the code would let anyone who reads the
    log try a known phone against the 10,000 possible last four digits; the keys live only in
    ``lookup_keys``, keyed again, and go when the dossier is purged."""
    if not isinstance(payload, dict):
        return payload
    if event_type == "dossier.lookup" and "lookup" in payload:
        return {k: v for k, v in payload.items() if k != "lookup"}
    dossier = payload.get("dossier") if event_type == "dossier.received" else None
    if isinstance(dossier, dict) and "lookup" in dossier:
        return {**payload, "dossier": {k: v for k, v in dossier.items() if k != "lookup"}}
    return payload

