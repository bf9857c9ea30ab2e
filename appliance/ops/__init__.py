"""Operations on the Pi: ``motcua doctor``, ``motcua support-bundle`` and the systemd watchdog.

    from appliance.ops import run_doctor, format_report, exit_status, write_support_bundle
    from appliance.ops.watchdog import SystemdNotifier

The names are loaded when first used (PEP 562): the serving process imports ``appliance.ops.disk``
and the watchdog, and must not carry the doctor's and the support bundle's modules (tarfile,
zipfile, csv) for that.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"Check": "check", "exit_status": "check", "format_report": "check", "run_doctor": "doctor",
          "write_support_bundle": "support_bundle"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
