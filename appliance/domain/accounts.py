"""Who may use the panel and the API: the roles, who is asking, and the rules a new login name,
role or access token must follow. Pure: the store answers the questions (does counter N exist?).

The commands (create a user, change a password, make or revoke a token) are
``appliance.services.accounts``; the SQL is ``appliance.store.accounts``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from . import passwords
from .errors import DomainError

USER_ROLES: tuple[str, ...] = ("admin", "officer", "volunteer")
#: tokens for the whole office
TOKEN_ROLES: tuple[str, ...] = ("admin", "officer", "volunteer", "kiosk", "display")
#: tokens bound to one counter: the screen facing its citizen
COUNTER_TOKEN_ROLES: tuple[str, ...] = ("mirror",)
ALL_TOKEN_ROLES: tuple[str, ...] = TOKEN_ROLES + COUNTER_TOKEN_ROLES
MIN_PASSWORD = passwords.MIN_LENGTH


@dataclass(frozen=True)
class Principal:
    """Who is asking: a logged-in person or an API token."""
    kind: str            # "user" | "token"
    id: int
    name: str
    role: str
    full_name: str = ""
    must_change_password: bool = False
    counter_id: int | None = None   # a mirror token: the one counter it may show
    counters: tuple[int, ...] | None = None  # a hall display token: the counters it shows (None: all)


#: What each role may do. The names of the capabilities are used by views and the OpenAPI document.
CAN: dict[str, tuple[str, ...]] = {
    "issue": ("admin", "officer", "volunteer", "kiosk"),
    "counter": ("admin", "officer"),
    "view": ("admin", "officer", "volunteer", "kiosk", "display"),
    "dossier": ("admin", "officer", "volunteer"),
    # chứng thực: an officer records and signs; a volunteer never certifies
    "certify": ("admin", "officer"),
    # the office's reports (/reports, Biểu II.06a): officers and the administrator
    "reports": ("admin", "officer"),
    "admin": ("admin",),
    # the citizen mirror (/mirror/<counter>: the form being typed, personal data): staff for any
    # counter, a mirror token for its own counter only (see may_mirror); never a hall TV or a kiosk
    "mirror": ("admin", "officer", "volunteer", "mirror"),
}


def may_mirror(principal: Principal | None, counter_id: int) -> bool:
    """May ``principal`` see what is typed at counter ``counter_id`` (the citizen mirror)?"""
    if principal is None or principal.role not in CAN["mirror"]:
        return False
    return principal.role != "mirror" or principal.counter_id == counter_id


def token_hash(token: str) -> str:
    """What is stored of a bearer token (the token itself is shown once, never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str, login: str = "", office_name: str = "") -> None:
    """The rules of :mod:`appliance.domain.passwords` (common, trivial, the login, the office)."""
    passwords.check(password, login, office_name)


def normal_login(login: str) -> str:
    """The login name as stored (trimmed, lowercase); ``invalid`` unless letters, digits, dots, dashes."""
    login = login.strip().lower()
    if not login or not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise DomainError("invalid", "login", detail=("tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch",
                                                       "a login name has only letters, digits, dots and dashes"))
    return login


def check_user_role(role: str) -> None:
    if role not in USER_ROLES:
        raise DomainError("invalid", "role", detail=("vai trò là một trong " + ", ".join(USER_ROLES),
                                                      "the role is one of " + ", ".join(USER_ROLES)))


def check_token(name: str, role: str, counter_id: int | None, counters: tuple[int, ...] | None,
                counter_exists: Callable[[int], bool]) -> None:
    """A token's role and what it is bound to.

    A ``mirror`` token is bound to one counter (``counter_id``, which must exist); no other role
    takes a counter. A ``display`` token may show only some counters (``counters``; None: all)."""
    if role not in ALL_TOKEN_ROLES:
        raise DomainError("invalid", "role", detail=("vai trò là một trong " + ", ".join(ALL_TOKEN_ROLES),
                                                    "the role is one of " + ", ".join(ALL_TOKEN_ROLES)))
    if not name.strip():
        raise DomainError("required", "name", name="name")
    if role in COUNTER_TOKEN_ROLES:
        if counter_id is None:
            raise DomainError("invalid", "counter_id", detail=(
                "mã vai trò mirror phải gắn với một quầy: chọn số quầy có màn hình công dân này",
                "a mirror token belongs to one counter: choose the counter of this citizen screen"))
        if isinstance(counter_id, bool) or not isinstance(counter_id, int) or not counter_exists(counter_id):
            raise DomainError("unknown_counter", "counter_id", counter=counter_id)
    elif counter_id is not None:
        raise DomainError("invalid", "counter_id", detail=(
            f"chỉ mã vai trò mirror gắn với một quầy; mã vai trò {role} dùng cho cả cơ quan, đừng chọn quầy",
            f"only a mirror token belongs to a counter; a {role} token is for the whole office, "
            "choose no counter"))
    if counters is not None and role != "display":
        raise DomainError("invalid", "counters", detail=(
            "chỉ màn hình sảnh chọn các quầy hiển thị", "only a hall display shows chosen counters"))
    for c in counters or ():
        if not counter_exists(c):
            raise DomainError("unknown_counter", "counters", counter=c)
