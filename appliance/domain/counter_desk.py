"""The officer's own counter: its working state (open, "Tạm nghỉ", closed) and the undo of a step.

Pure: rules over values, no I/O. The commands are ``appliance.services.counter_desk`` (one unit of
work each); the SQL is ``appliance.store.counter_store``.

A counter's day::

    closed ──open──> open ──pause──> paused ──open──> open ──close──> closed
                       └──────────────close──────────────────────────┘

- Only an **open** counter is given tickets: "call next" (the console's G, the API, the GPIO call
  button) on a paused or closed counter is refused and changes nothing. A GPIO call button pressed
  on a paused counter calls nobody (someone passing by must not call a citizen to an empty desk);
  its refusal is shown on the devices page, and the officer opens the counter from the console.
- A counter with a ticket still at it (called or being served) cannot be paused or closed: finish
  (X), mark absent (V) or transfer (C) it first, so no citizen is left standing at a shut desk.
- Closing a counter lets go of the tickets transferred *to this counter*: they go back to their
  service's queue (any counter of the service calls them) instead of waiting for a desk that has
  shut for the day. Pausing keeps them: the officer is coming back.
- ``counters.active`` (the administrator's setting: the counter is in use at all) is separate: an
  inactive counter cannot be opened.

Undo: "V" (absent), and "G" or "X" when they close the current ticket, can be undone for
:data:`UNDO_WINDOW_S` seconds. The step's rows are kept as they were before it and as it left
them; an undo restores the "before" rows only while the rows are still exactly as the step left
them (nothing else happened at that counter or to those tickets), in one transaction.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Conflict, DomainError

STATES = ("open", "paused", "closed")
#: the command → the state it leads to
ACTIONS = {"open": "open", "pause": "paused", "close": "closed"}
STATE_LABELS = {"open": ("Đang mở", "Open"), "paused": ("Tạm nghỉ", "On a break"),
                "closed": ("Đã đóng", "Closed")}
ACTION_WORDS = {"pause": ("tạm nghỉ", "pause"), "close": ("đóng quầy", "close")}

#: how long a step may be undone, in seconds
UNDO_WINDOW_S = 10.0
#: the steps that can be undone (the console's V, and G/X when they close the current ticket)
UNDOABLE = ("no_show", "done", "call")
#: the ticket columns a step changes and an undo restores
UNDO_COLUMNS = ("state", "counter_id", "target_counter_id", "service_id", "called_ts", "serving_ts",
                "finished_ts", "recalls", "user_login")


def next_state(counter_id: int, current: str, action: str, ticket_number: str | None) -> str:
    """The state ``action`` (open, pause, close) leads to from ``current``, or the refusal.

    ``ticket_number`` is the ticket still at the counter (called or being served), if any."""
    target = ACTIONS.get(action)
    if target is None:
        raise DomainError("invalid", "action", detail=("thao tác quầy là open, pause hoặc close",
                                                       "a counter action is open, pause or close"))
    if current == target:
        raise Conflict("counter_already", "action", counter=counter_id, state=STATE_LABELS[target])
    if target != "open" and ticket_number is not None:
        raise Conflict("counter_has_ticket", "action", counter=counter_id, number=ticket_number,
                       action=ACTION_WORDS[action])
    return target


def check_may_call(counter_id: int, state: str) -> None:
    """Only an open counter is given the next ticket."""
    if state == "paused":
        raise Conflict("counter_paused", "counter", counter=counter_id)
    if state == "closed":
        raise Conflict("counter_closed", "counter", counter=counter_id)


#: ticket id (as text: the rows are kept as JSON) → the values of :data:`UNDO_COLUMNS`
Rows = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class UndoRecord:
    """The last undoable step of one counter."""
    counter_id: int
    token: str
    action: str                       # one of UNDOABLE
    ts: float                         # when the step was committed
    user_login: str | None
    summary: Mapping[str, Any]        # {"finished": "A015", "called": "A016", "absent": …} for the console
    before: Rows                      # the tickets the step changed, as they were
    after: Rows                       # the same tickets, as the step left them
    runs_before: tuple[int, int] | None = None   # the counter's (priority_run, normal_run) before a call

    def seconds_left(self, now: float, window: float = UNDO_WINDOW_S) -> float:
        return max(0.0, self.ts + window - now)


def ticket_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    """The values of :data:`UNDO_COLUMNS` of one ticket row."""
    return {c: row[c] for c in UNDO_COLUMNS}


def check_undo(record: UndoRecord | None, counter_id: int, token: str | None, now: float,
               current: Rows, window: float = UNDO_WINDOW_S) -> UndoRecord:
    """The record to undo, or the refusal: none kept, another step's token, too late, or the rows
    changed since (another step at the counter, a recall, a transfer…)."""
    if record is None or (token is not None and token != record.token):
        raise Conflict("nothing_to_undo", "token", counter=counter_id)
    if record.seconds_left(now, window) <= 0:
        raise Conflict("undo_expired", "token", counter=counter_id, seconds=int(window))
    if {k: dict(v) for k, v in current.items()} != {k: dict(v) for k, v in record.after.items()}:
        raise Conflict("undo_stale", "token", counter=counter_id)
    return record


def undone_events(action: str) -> Sequence[str]:
    """The events an undo of ``action`` takes back (named in ``ticket.undone``)."""
    return {"no_show": ("ticket.no_show",), "done": ("ticket.done",),
            "call": ("ticket.done", "ticket.called")}[action]
