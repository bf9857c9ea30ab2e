"""Operations on the Pi: ``motcua doctor``, ``motcua support-bundle`` and the systemd watchdog.

    from appliance.ops import run_doctor, format_report, exit_status, write_support_bundle
    from appliance.ops.watchdog import SystemdNotifier
"""
from .check import Check, exit_status, format_report
from .doctor import run_doctor
from .support_bundle import write_support_bundle

__all__ = ["Check", "exit_status", "format_report", "run_doctor", "write_support_bundle"]
