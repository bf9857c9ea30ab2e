"""Every device adapter the appliance runs, behind one small interface.

A device owns one worker thread and a queue (callers enqueue and never block); it reports its
health as a dict ``{"state": "ok|warning|error|unknown|disabled", "message": "…", ...}``.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)
BAD_STATES = ("error",)


class Device(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def status(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=Device)


class DeviceRegistry:
    def __init__(self) -> None:
        self._devices: dict[str, Any] = {}

    def add(self, name: str, device: D) -> D:
        self._devices[name] = device
        return device

    def get(self, name: str) -> Any | None:
        return self._devices.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self._devices

    def names(self) -> list[str]:
        return list(self._devices)

    def start_all(self) -> None:
        for name, device in self._devices.items():
            try:
                device.start()
            except Exception:
                log.exception("device %s failed to start", name)

    def stop_all(self) -> None:
        for name, device in reversed(list(self._devices.items())):
            try:
                device.stop()
            except Exception:
                log.exception("device %s failed to stop", name)

    def status(self) -> dict[str, dict[str, Any]]:
        out = {}
        for name, device in self._devices.items():
            try:
                out[name] = device.status()
            except Exception as exc:  # a status call must never break /health
                out[name] = {"state": "error", "message": f"Không đọc được trạng thái: {exc}"}
        return out

    def faulty(self) -> list[str]:
        return [name for name, st in self.status().items() if st.get("state") in BAD_STATES]

    def alive(self) -> bool:
        """For the systemd watchdog: every worker thread that should run is running."""
        for device in self._devices.values():
            check = getattr(device, "alive", None)
            if check is not None and not check():
                return False
        return True
