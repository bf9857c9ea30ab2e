"""Waiting on events in tests: a condition polled until it holds, with one generous deadline.

A test waits for what it expects to happen (a byte on the wire, a page showing a number, a server
answering), never for a fixed time: on a loaded machine everything is slower, and a short deadline
turns slowness into a failure. The deadline only bounds a test that is going to fail anyway, so it
is long (``DEADLINE`` seconds; ``MOTCUA_TEST_DEADLINE_S`` changes it, e.g. on a very slow emulator).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DEADLINE = float(os.environ.get("MOTCUA_TEST_DEADLINE_S", "60"))


def wait_until(predicate: Callable[[], T], timeout: float | None = None, interval: float = 0.02,
               message: str = "điều kiện", ignore: tuple[type[BaseException], ...] = ()) -> T:
    """The first truthy value of ``predicate()``, polled every ``interval`` seconds; AssertionError
    naming ``message`` after ``timeout`` (default ``DEADLINE``). Exceptions in ``ignore`` count as
    "not yet" (e.g. a page element missing while the page navigates)."""
    timeout = DEADLINE if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except ignore:
            value = None  # type: ignore[assignment]
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {message}")
        time.sleep(interval)
