"""Pairing screens instead of handing out tokens on the command line.

A screen opened with no token (``/display``, ``/kiosk``, ``/mirror/N``) asks :meth:`Screens.start`
for a pairing: a 6-character code to show and a long secret that only the screen holds (its
cookie). An administrator approves the code in the panel (:meth:`Screens.approve`), saying what
the screen is; the screen, polling with its secret, collects a token of that role
(:meth:`Screens.claim`) and keeps it in its device cookie. The token is made in the screen's own
request, so it never sits in the database or a log. Paired screens are the tokens of the screen
roles: the administrator renames and revokes them, and a revoked screen shows a new code.
Every approval, collection, rename and revocation is written to the audit log.
"""
from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from ..domain import screens as rules
from ..domain.accounts import token_hash
from ..domain.errors import Conflict, NotFound
from ..events import EventBus
from ..store import accounts
from ..store import screen_store as store
from ..store.db import Database
from . import accounts as account_service
from .uow import NoListeners, Units

FORGET_AFTER_S = 86400
REVOKED_EVENT = "device.screen_revoked"   # streamed to screens (``device.`` events): a TV re-checks its access


@dataclass(frozen=True)
class Pairing:
    id: int
    code: str
    state: str                   # pending | approved | claimed | expired
    expires_ts: float
    role: str | None = None
    name: str | None = None
    counter_id: int | None = None

    @property
    def shown_code(self) -> str:
        return rules.format_code(self.code)

    def home_path(self) -> str | None:
        return rules.home_path(self.role, self.counter_id) if self.role else None


def _pairing(row: sqlite3.Row, now: float) -> Pairing:
    return Pairing(row["id"], row["code"], rules.state_of(row["state"], row["expires_ts"], now), row["expires_ts"],
                   row["role"], row["name"], row["counter_id"])


def _not_found(code: str) -> NotFound:
    shown = rules.format_code(code)
    return NotFound("not_found", "code", what=(
        f"màn hình đang chờ với mã {shown} (mã đã hết hạn hoặc gõ sai: xem lại mã trên màn hình)",
        f"a screen waiting with code {shown} (expired or mistyped: check the code on the screen)"))


class Screens:
    def __init__(self, db: Database, clock: Callable[[], float], bus: EventBus | None = None):
        self.db = db
        self.clock = clock
        self.bus = bus
        # every change, its audit row and its time in one unit of work (no hub facts here)
        self.units = Units(db, bus if bus is not None else NoListeners(), clock, lambda: False)

    # --- the screen's side ----------------------------------------------------------------
    def start(self, secret: str | None, address: str, page: str, user_agent: str = "") -> tuple[Pairing, str]:
        """The pairing this screen is waiting on (named by its cookie ``secret``) while it is open,
        else a new code. Returns the pairing and the secret to keep in the cookie."""
        now = self.clock()
        if secret:
            row = store.by_secret(self.db.conn(), token_hash(secret))
            if row is not None:
                pairing = _pairing(row, now)
                if pairing.state in ("pending", "approved"):
                    return pairing, secret
        secret = secrets.token_urlsafe(32)
        with self.units(now) as tx:
            conn = tx.conn
            store.expire(conn, now)
            store.forget_old(conn, now - FORGET_AFTER_S)
            rules.may_create(store.created_since(conn, address, now - rules.CREATE_WINDOW_S), store.open_count(conn))
            code = rules.new_code()
            while store.code_open(conn, code):  # 22^6 codes for at most MAX_PENDING open ones
                code = rules.new_code()
            expires = now + rules.PENDING_TTL_S
            pairing_id = store.insert(conn, code, token_hash(secret), address, page[:200],
                                      user_agent[:200], now, expires)
        return Pairing(pairing_id, code, "pending", expires), secret

    def status(self, secret: str) -> Pairing | None:
        row = store.by_secret(self.db.conn(), token_hash(secret)) if secret else None
        return _pairing(row, self.clock()) if row is not None else None

    def claim(self, secret: str) -> tuple[str, Pairing] | None:
        """An approved screen collects its token (shown once, for its cookie); None while the
        pairing is not approved (pending, expired, or already collected)."""
        now = self.clock()
        with self.units(now) as tx:
            conn = tx.conn
            row = store.by_secret(conn, token_hash(secret)) if secret else None
            if row is None or rules.state_of(row["state"], row["expires_ts"], now) != "approved":
                return None
            counters = rules.decode_counters(row["counters"])
            token = account_service.add_token(tx, row["name"], row["role"], counter_id=row["counter_id"],
                                              counters=counters)
            principal = accounts.token_principal(conn, token)
            if principal is None:   # the token was added just above
                raise NotFound("not_found", "token", what=("mã vừa tạo", "the new token"))
            token_id = principal.id
            store.claimed(conn, row["id"], token_id)
            approver = row["approved_by"]
            tx.audit(approver, "screen.paired", f"screen:{row['name']}",
                     f"{row['role']}; mã {rules.format_code(row['code'])}; {row['address']}")
        claimed = store.by_secret(self.db.conn(), token_hash(secret))
        if claimed is None:   # claimed above in this call
            return None
        return token, _pairing(claimed, now)

    # --- the administrator's side ---------------------------------------------------------
    def pending(self) -> list[Pairing]:
        now = self.clock()
        return [_pairing(r, now) for r in store.list_open(self.db.conn(), now)]

    def pending_rows(self) -> list[sqlite3.Row]:
        return store.list_open(self.db.conn(), self.clock())

    def approve(self, code_text: str, role: str, name: str, actor: str, counter_id: int | None = None,
                counters: list[int] | None = None) -> Pairing:
        code = rules.normalise_code(code_text)
        now = self.clock()
        with self.units(now) as tx:
            conn = tx.conn
            row = store.open_by_code(conn, code)
            if row is None or rules.state_of(row["state"], row["expires_ts"], now) == "expired":
                raise _not_found(code)
            if row["state"] != "pending":
                raise Conflict("code_approved", "code", shown=rules.format_code(code))
            approval = rules.approval(role, name, store.counter_ids(conn), counter_id=counter_id, counters=counters)
            store.approve(conn, row["id"], approval.role, approval.name, approval.counter_id,
                          rules.encode_counters(approval.counters), actor, now, now + rules.APPROVED_TTL_S)
            tx.audit(actor, "screen.approve", f"screen:{approval.name}",
                     f"{_scope(approval.role, approval.counter_id, approval.counters)}; "
                     f"mã {rules.format_code(code)}; {row['address']}")
            row = store.open_by_code(conn, code)
            if row is None:
                raise NotFound("not_found", "code", what=(f"mã {rules.format_code(code)}", f"code {code}"))
        return _pairing(row, now)

    def cancel(self, code_text: str, actor: str) -> None:
        """Refuse a waiting code (a screen the administrator does not know): it shows a new one."""
        code = rules.normalise_code(code_text)
        with self.units() as tx:
            conn = tx.conn
            row = store.open_by_code(conn, code)
            if row is None:
                raise _not_found(code)
            store.cancel(conn, row["id"])
            tx.audit(actor, "screen.refuse", f"screen:{rules.format_code(code)}", row["address"])

    def paired(self) -> list[sqlite3.Row]:
        return store.list_screens(self.db.conn())

    def rename(self, token_id: int, name: str, actor: str) -> None:
        with self.units() as tx:
            conn = tx.conn
            row = self._screen(conn, token_id)
            counters = rules.decode_counters(row["counters"])
            approval = rules.approval(row["role"], name, store.counter_ids(conn), counter_id=row["counter_id"],
                                      counters=counters)
            accounts.rename_token(conn, token_id, approval.name)
            tx.audit(actor, "screen.rename", f"screen:{approval.name}", f"trước đây: {row['name']}")

    def revoke(self, token_id: int, actor: str) -> None:
        """The screen loses its token at once: its next request (or the event below) takes it back
        to the pairing screen."""
        with self.units() as tx:
            row = self._screen(tx.conn, token_id)
            account_service.revoke_token(tx, token_id)
            tx.audit(actor, "screen.revoke", f"screen:{row['name']}", row["role"])
            tx.emit(REVOKED_EVENT, {"token_id": token_id})

    @staticmethod
    def _screen(conn: sqlite3.Connection, token_id: int) -> sqlite3.Row:
        row = store.screen_token(conn, token_id)
        if row is None or row["revoked"]:
            raise NotFound("not_found", "token", what=(f"màn hình {token_id}", f"screen {token_id}"))
        return row


def _scope(role: str, counter_id: int | None, counters: tuple[int, ...] | None) -> str:
    if role == "mirror":
        return f"mirror quầy {counter_id}"
    if role == "display" and counters:
        return "display quầy " + ", ".join(str(c) for c in counters)
    return role
