"""Physical buttons and lamps (gpiozero), each press turned into one domain command.

- entrance ticket buttons (one per service): ``engine.issue(service, channel="button")``;
- per counter: the call button calls the next number (finishing the current one) when released
  before ``hold_recall_s``, and recalls the current number when held that long; an optional
  separate recall button. On a paused ("Tạm nghỉ") or closed counter the call button calls nobody:
  the engine refuses (``counter_paused`` / ``counter_closed``), the queue is unchanged and the
  devices page shows the refusal as the button's last result; the officer opens the counter from
  the console (``appliance.domain.counter_desk``);
- per counter: three (or five) satisfaction buttons, attributed to the counter's current or last
  served ticket;
- a fault lamp, lit while the printer, the pager or the disk (full) reports an error; an optional buzzer that
  beeps once when a ticket is issued from a button.

Presses are handed to one worker thread, so a slow database never delays pin events, and each
button has its own :class:`Lockout` (MockPin ignores ``bounce_time``).

The same pin configured twice is a configuration mistake: :class:`ConfigError` at construction, so
``motcua serve`` stops with one line. A pin that cannot be opened at run time (held by another
program, no permission) only disables that button or lamp: the others and the worker keep running,
and the devices page says which pin failed, so the systemd watchdog is not starved into a restart loop.
"""
from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..config import ConfigError, Gpio
from ..domain.errors import DomainError, NotFound
from ..events import Event
from .lockout import Lockout

log = logging.getLogger(__name__)

RATING_LEVELS = {
    3: ("very_satisfied", "satisfied", "unsatisfied"),
    5: ("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied"),
}
LEVEL_NAMES = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "neutral": "Bình thường",
               "unsatisfied": "Không hài lòng", "very_unsatisfied": "Rất không hài lòng"}


def make_pin_factory(kind: str):
    """The gpiozero pin factory named in ``[gpio].factory`` (None for 'none')."""
    if kind == "none":
        return None
    if kind == "mock":
        from gpiozero.pins.mock import MockFactory
        return MockFactory()
    if kind == "lgpio":
        try:
            from gpiozero.pins.lgpio import LGPIOFactory
            return LGPIOFactory()
        except Exception as exc:
            raise ConfigError(f"Cấu hình sai [gpio].factory = 'lgpio': không mở được GPIO ({exc}). "
                              "Cài gói Debian python3-lgpio và chạy trên Raspberry Pi, "
                              "hoặc đặt factory = 'mock' để thử") from None
    from gpiozero import Device  # "auto": gpiozero's own choice (lgpio on a Pi)
    try:
        return Device._default_pin_factory()
    except Exception as exc:
        log.warning("no GPIO on this machine (%s); buttons disabled", exc)
        NO_GPIO[0] = str(exc)
        return None


NO_GPIO = [""]   # why "auto" found no GPIO on this machine (the status says it when buttons are configured)


def configured_buttons(settings: Gpio) -> int:
    """How many buttons the configuration declares (ticket, call, recall and rating buttons)."""
    return (len(settings.ticket_buttons) + len(settings.call_buttons) + len(settings.recall_buttons)
            + sum(len(pins) for pins in settings.rating_buttons.values()))


@dataclass
class ButtonInfo:
    name: str            # "ticket:HT", "call:1", "recall:1", "rating:1:satisfied"
    label: str           # Vietnamese, for the devices page
    pin: int
    presses: int = 0
    ignored: int = 0
    last_press: float | None = None
    last_result: str = ""
    device: Any = field(default=None, repr=False)
    lockout: Lockout | None = field(default=None, repr=False)


class ButtonBoard:
    """Owns every gpiozero device of the appliance; a device in the registry ("gpio")."""

    def __init__(self, settings: Gpio, engine, bus, pin_factory=None,
                 clock: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time):
        self.settings = settings
        self.engine = engine
        self.bus = bus
        self.factory = pin_factory
        self.clock = clock
        self.wall = wall
        self.buttons: dict[str, ButtonInfo] = {}
        self.fault_led = None
        self.buzzer = None
        self._faults: dict[str, str] = {}
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._error: str | None = None
        #: device name -> (label, pin, Vietnamese reason) for pins that could not be opened
        self.pin_errors: dict[str, tuple[str, int, str]] = {}
        self._check_pins()

    def _check_pins(self) -> None:
        """Raise :class:`ConfigError` (one line) when two buttons or lamps share a pin."""
        s = self.settings
        pins = [(f"ticket:{c}", p) for c, p in s.ticket_buttons.items()]
        pins += [(f"call:{c}", p) for c, p in s.call_buttons.items()]
        pins += [(f"recall:{c}", p) for c, p in s.recall_buttons.items()]
        pins += [(f"rating:{c}:{lv}", p) for c, ps in s.rating_buttons.items()
                 for lv, p in zip(RATING_LEVELS[len(ps)], ps, strict=True)]
        pins += [(name, p) for name, p in (("fault_led", s.fault_led), ("buzzer", s.buzzer)) if p >= 0]
        used: dict[int, str] = {}
        for name, pin in pins:
            if pin in used:
                raise ConfigError(f"Cấu hình sai [gpio]: chân {pin} dùng cho cả '{used[pin]}' và '{name}'")
            used[pin] = name

    # --- building ---------------------------------------------------------------------------
    def _add(self, name: str, label: str, pin: int, lockout_s: float, on_press=None, on_release=None,
             on_hold=None, hold_s: float = 1.0) -> ButtonInfo:
        from gpiozero import Button
        used = {b.pin: b.name for b in self.buttons.values()}
        if pin in used:
            raise ConfigError(f"Cấu hình sai [gpio]: chân {pin} dùng cho cả '{used[pin]}' và '{name}'")
        info = ButtonInfo(name, label, pin, lockout=Lockout(lockout_s, self.clock))
        device = Button(pin, pull_up=True, hold_time=hold_s, pin_factory=self.factory)
        info.device = device
        held = {"flag": False}

        def pressed():
            held["flag"] = False
            if on_press:
                self._accept(info, on_press)

        def released():
            if on_release and not held["flag"]:
                self._accept(info, on_release)

        def was_held():
            held["flag"] = True
            if on_hold:
                self._accept(info, on_hold, check_lockout=False)

        device.when_pressed = pressed
        device.when_released = released
        device.when_held = was_held
        self.buttons[name] = info
        return info

    def _accept(self, info: ButtonInfo, action: Callable[[], str], check_lockout: bool = True) -> None:
        if check_lockout and info.lockout is not None and not info.lockout.allow():
            info.ignored += 1
            return
        info.presses += 1
        info.last_press = self.wall()
        self._jobs.put((info, action))

    def _open(self, name: str, label: str, pin: int, make: Callable[[], Any]) -> Any:
        """``make()``, or None with the reason recorded when the pin cannot be opened."""
        try:
            return make()
        except ConfigError:
            raise
        except Exception as exc:  # GPIOPinInUse, PinInvalidPin, lgpio.error, OSError, ...
            reason = (f"Không mở được chân {pin} cho {label}: {str(exc) or type(exc).__name__}. Kiểm tra chân có đang "
                      "bị chương trình khác dùng không, rồi khởi động lại: sudo systemctl restart motcua")
            log.error("GPIO %s (pin %s) disabled: %s", name, pin, exc)
            self.pin_errors[name] = (label, pin, reason)
            return None

    def start(self) -> None:
        if self.factory is None:
            return
        s = self.settings
        self.pin_errors.clear()
        specs: list[tuple[str, str, int, float, dict]] = []
        for code, pin in s.ticket_buttons.items():
            specs.append((f"ticket:{code}", f"Nút lấy số {code}", pin, s.ticket_lockout_s,
                          {"on_press": lambda code=code: self._issue(code)}))
        for counter, pin in s.call_buttons.items():
            specs.append((f"call:{counter}", f"Nút gọi số quầy {counter} (giữ {s.hold_recall_s:g} s để gọi lại)",
                          pin, s.call_lockout_s, {"on_release": lambda c=int(counter): self._call(c),
                                                  "on_hold": lambda c=int(counter): self._recall(c),
                                                  "hold_s": s.hold_recall_s}))
        for counter, pin in s.recall_buttons.items():
            specs.append((f"recall:{counter}", f"Nút gọi lại quầy {counter}", pin, s.call_lockout_s,
                          {"on_press": lambda c=int(counter): self._recall(c)}))
        for counter, pins in s.rating_buttons.items():
            for level, pin in zip(RATING_LEVELS[len(pins)], pins, strict=True):
                specs.append((f"rating:{counter}:{level}", f"Quầy {counter}: {LEVEL_NAMES[level]}", pin,
                              s.call_lockout_s, {"on_press": lambda c=int(counter), lv=level: self._rate(c, lv)}))
        for name, label, pin, lockout_s, handlers in specs:
            self._open(name, label, pin, functools.partial(self._add, name, label, pin, lockout_s, **handlers))
        from gpiozero import LED, Buzzer
        if s.fault_led >= 0:
            self.fault_led = self._open("fault_led", "đèn báo lỗi", s.fault_led,
                                        lambda: LED(s.fault_led, pin_factory=self.factory))
        if s.buzzer >= 0:
            self.buzzer = self._open("buzzer", "còi", s.buzzer,
                                     lambda: Buzzer(s.buzzer, pin_factory=self.factory))
        self._unsubscribe = self.bus.subscribe(self._on_device_status, ["device.status"])
        self._thread = threading.Thread(target=self._work, name="gpio-buttons", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
        if self._thread:
            self._jobs.put(None)
            self._thread.join(timeout=5)
            self._thread = None
        for info in self.buttons.values():
            info.device.close()
        for dev in (self.fault_led, self.buzzer):
            if dev is not None:
                dev.close()

    def alive(self) -> bool:
        """For the watchdog: the worker answers, if it was started (a failed pin never stops it)."""
        return self._thread is None or self._thread.is_alive()

    # --- the worker ---------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            info, action = job
            try:
                info.last_result = action()
                self._error = None
            except DomainError as exc:
                info.last_result = exc.message()
            except Exception as exc:  # keep serving the other buttons
                log.exception("button %s failed", info.name)
                info.last_result = f"Lỗi: {exc}"
                self._error = info.last_result
            finally:
                self._jobs.task_done()

    def wait_idle(self) -> None:
        """Block until every accepted press has been handled (tests, the admin 'press' button)."""
        self._jobs.join()

    def _issue(self, code: str) -> str:
        issued = self.engine.issue(code, channel="button")
        if self.buzzer is not None:
            self.buzzer.beep(on_time=0.08, off_time=0.05, n=1)
        return f"Đã cấp số {issued.ticket.number}"

    def _call(self, counter: int) -> str:
        return f"Đã gọi số {self.engine.call_next(counter, finish_current=True).number}"

    def _recall(self, counter: int) -> str:
        return f"Đã gọi lại số {self.engine.recall(counter).number}"

    def _rate(self, counter: int, level: str) -> str:
        self.engine.rate(counter, level, source="button")
        return f"Đã ghi: {LEVEL_NAMES[level]}"

    # --- the fault lamp -----------------------------------------------------------------------
    def _on_device_status(self, event: Event) -> None:
        device = event.payload.get("device")
        if device not in ("printer", "pager", "disk"):
            return
        if event.payload.get("state") == "error":
            self._faults[device] = event.payload.get("message", "")
        else:
            self._faults.pop(device, None)
        if self.fault_led is not None:
            if self._faults:
                self.fault_led.blink(on_time=0.5, off_time=0.5)
            else:
                self.fault_led.off()

    # --- the devices page ---------------------------------------------------------------------
    def simulate_press(self, name: str, hold: bool = False) -> None:
        """Drive a mock pin as a finger would (demo and tests only)."""
        from gpiozero.pins.mock import MockFactory
        if not isinstance(self.factory, MockFactory):
            raise DomainError("invalid", "button", detail=("chỉ bấm thử được khi GPIO là mô phỏng (mock)",
                                                              "a test press works only with simulated (mock) GPIO"))
        info = self.buttons.get(name)
        if info is None:
            raise NotFound("not_found", "button", what=(f"nút '{name}'", f"button '{name}'"))
        pin = self.factory.pin(info.pin)
        pin.drive_low()
        if hold:
            deadline = time.monotonic() + self.settings.hold_recall_s + 1
            while not info.device.is_held and time.monotonic() < deadline:
                time.sleep(0.02)
        pin.drive_high()
        self.wait_idle()

    def _status_without_gpio(self) -> dict[str, Any]:
        """No pin factory: say so truthfully when buttons are declared (never "not used" then)."""
        declared = configured_buttons(self.settings)
        if not declared:
            return {"state": "disabled", "message": "Không dùng nút bấm GPIO",
                    "message_en": "GPIO buttons are not used", "buttons": []}
        if self.settings.factory == "none":
            return {"state": "disabled", "buttons": [], "declared": declared,
                    "message": f"GPIO đã tắt ([gpio].factory = 'none'): {declared} nút khai báo trong [gpio] "
                               "không hoạt động.",
                    "message_en": f"GPIO is switched off ([gpio].factory = 'none'): the {declared} buttons "
                                  "declared in [gpio] do not work."}
        why = NO_GPIO[0] or "không tìm thấy chân GPIO"
        return {"state": "error", "buttons": [], "declared": declared,
                "message": f"Đã khai báo {declared} nút trong [gpio] nhưng máy này không có GPIO ({why}): "
                           "các nút không hoạt động. Chạy trên Raspberry Pi, đặt factory = 'mock' để thử, "
                           "hoặc bỏ các nút khỏi tệp cấu hình.",
                "message_en": f"{declared} buttons are declared in [gpio] but this machine has no GPIO ({why}): "
                              "the buttons do not work. Run on a Raspberry Pi, set factory = 'mock' to try them, "
                              "or remove the buttons from the configuration."}

    def status(self) -> dict[str, Any]:
        if self.factory is None:
            return self._status_without_gpio()
        buttons = [{"name": b.name, "label": b.label, "pin": b.pin, "presses": b.presses, "ignored": b.ignored,
                    "last_press": datetime.fromtimestamp(b.last_press, UTC).isoformat(timespec="seconds")
                    if b.last_press else None, "last_result": b.last_result} for b in self.buttons.values()]
        broken: list[dict[str, Any]] = [{"name": name, "label": label, "pin": pin, "message": reason}
                  for name, (label, pin, reason) in self.pin_errors.items()]
        working_vi, working_en = f"{len(buttons)} nút đang hoạt động", f"{len(buttons)} buttons working"
        if broken:
            message = " ".join(b["message"] for b in broken) + f" Còn {working_vi}."
            message_en = (f"{len(broken)} GPIO pin(s) could not be opened (pins "
                          f"{', '.join(str(b['pin']) for b in broken)}); {working_en}")
        elif self._error:
            message, message_en = self._error, "A button action failed: see its result below"
        else:
            message, message_en = working_vi, working_en
        state = "error" if broken or self._error else "ok"
        return {"state": state, "message": message, "message_en": message_en,
                "factory": type(self.factory).__name__, "buttons": buttons, "pin_errors": broken,
                "fault_lamp": bool(self.fault_led and self.fault_led.is_lit), "faults": dict(self._faults)}
