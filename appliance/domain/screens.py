"""Pairing a screen (hall TV, ticket kiosk, a counter's citizen mirror): the pure rules.

A screen with no token shows a short pairing code. An administrator types (or scans) it in the
panel, says what the screen is and names it; the screen then collects a token of that role by
itself. These are the rules for the code (6 characters from an alphabet with no look-alikes), how
long a code waits, how many a screen address may ask for, and what an approval must say. No I/O:
``appliance.services.screens`` applies them to the store.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import DomainError, TooManyRequests

# No 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G: a code read across a hall is typed right the first time.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
PENDING_TTL_S = 10 * 60          # a code waits this long for an administrator, then a new one is shown
APPROVED_TTL_S = 10 * 60         # an approved code the screen has not collected is dropped after this
CREATE_WINDOW_S = 10 * 60        # codes one address may ask for: at most CREATE_PER_ADDRESS ...
CREATE_PER_ADDRESS = 10          # ... in CREATE_WINDOW_S (a TV asks for one every PENDING_TTL_S)
MAX_PENDING = 50                 # codes waiting at once, across all addresses
MAX_NAME = 60

SCREEN_ROLES = ("display", "kiosk", "mirror")
# Where a paired screen goes: the page of its role
HOME_PATHS = {"display": "/display", "kiosk": "/kiosk", "mirror": "/mirror/{counter}"}


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ACD479`` as it is shown and read aloud: ``ACD-479``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(text: str) -> str:
    """What an administrator typed (``acd 479``, ``ACD-479``) as the stored code, or a clear error."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -_.\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise DomainError("invalid", "code", detail=(
            f"mã ghép nối gồm {CODE_LENGTH} ký tự đang hiện trên màn hình, ví dụ ACD-479",
            f"the pairing code is the {CODE_LENGTH} characters shown on the screen, e.g. ACD-479"))
    return code


@dataclass(frozen=True)
class Approval:
    """What an administrator says a screen is."""
    role: str                             # display | kiosk | mirror
    name: str
    counter_id: int | None = None         # a mirror: its counter
    counters: tuple[int, ...] | None = None  # a hall display: the counters it shows (None: all)

    def home_path(self) -> str:
        return home_path(self.role, self.counter_id)


def home_path(role: str, counter_id: int | None) -> str:
    return HOME_PATHS[role].format(counter=counter_id)


def approval(role: str, name: str, known_counters: Iterable[int], counter_id: int | None = None,
             counters: Iterable[int] | None = None) -> Approval:
    """Check what the administrator chose against the office's counters (``known_counters``)."""
    known = set(known_counters)
    if role not in SCREEN_ROLES:
        raise DomainError("invalid", "role", detail=(
            "chọn màn hình sảnh, máy lấy số hoặc màn hình công dân của một quầy",
            "choose a hall display, a ticket kiosk or a counter's citizen screen"))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("required", "name", name="name")
    if len(name) > MAX_NAME:
        raise DomainError("invalid", "name", detail=(f"tên tối đa {MAX_NAME} ký tự", f"at most {MAX_NAME} characters"))
    if role == "mirror":
        if counter_id is None:
            raise DomainError("invalid", "counter_id", detail=(
                "màn hình công dân thuộc một quầy: hãy chọn quầy",
                "a citizen screen belongs to one counter: choose the counter"))
        if counter_id not in known:
            raise DomainError("unknown_counter", "counter_id", counter=counter_id)
        return Approval(role, name, counter_id=counter_id)
    if counter_id is not None:
        raise DomainError("invalid", "counter_id", detail=(
            "chỉ màn hình công dân gắn với một quầy", "only a citizen screen belongs to one counter"))
    chosen: tuple[int, ...] | None = None
    if role == "display" and counters is not None:
        chosen = tuple(sorted(set(counters)))
        for c in chosen:
            if c not in known:
                raise DomainError("unknown_counter", "counters", counter=c)
        if not chosen or set(chosen) == known:
            chosen = None  # every counter: new counters appear on it too
    elif counters is not None and list(counters):
        raise DomainError("invalid", "counters", detail=(
            "chỉ màn hình sảnh chọn các quầy hiển thị", "only a hall display shows chosen counters"))
    return Approval(role, name, counters=chosen)


def encode_counters(counters: tuple[int, ...] | None) -> str | None:
    return None if counters is None else ",".join(str(c) for c in counters)


def decode_counters(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    return tuple(int(part) for part in text.split(",") if part.strip())


def may_create(recent_from_address: int, pending_total: int) -> None:
    """Refuse a new code when this address asked for too many lately, or too many wait at once."""
    if recent_from_address >= CREATE_PER_ADDRESS or pending_total >= MAX_PENDING:
        raise TooManyRequests("too_many_codes", None, minutes=CREATE_WINDOW_S // 60)


def state_of(state: str, expires_ts: float, now: float) -> str:
    """A pairing's state as the screen sees it: pending / approved / claimed / expired."""
    if state in ("pending", "approved") and now >= expires_ts:
        return "expired"
    return state
