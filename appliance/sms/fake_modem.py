"""A fake USB GSM modem on a pseudo-terminal that answers AT commands as a real one does, for
tests, benchmarks and bench-top trials (as ``appliance.pager.fake_transmitter`` does for pagers).

It echoes until ``ATE0``, answers ``AT+CPIN?`` (READY, or ``+CME ERROR: 10`` with no SIM, or
``SIM PIN``), ``AT+CSQ`` (the signal, 99 for none), ``AT+CREG?``, the text- and PDU-mode settings,
and ``AT+CMGS`` with the ``> `` prompt, in text mode (UCS-2 or GSM character set) and PDU mode. It
records every message as the phone would show it (the parts of a concatenated message joined),
gives each part a reference, and can push delivery reports (``+CDS``) like the network.
``unplug()`` / ``replug()`` make the device vanish and come back behind the same link.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from appliance.pager.fake_transmitter import FakeTransmitter

from . import pdu


@dataclass
class ModemMessage:
    number: str
    text: str
    parts: int
    references: list[int] = field(default_factory=list)
    mode: str = "text"


class FakeModem(FakeTransmitter):
    def __init__(self, link=None, *, sim: str = "ready", signal: int = 18, registered: bool = True,
                 pin: str = "1234"):
        super().__init__(responder=self._respond, link=link)
        self.sim = sim                  # ready, missing, pin
        self.signal = signal            # 0–31, 99 = none
        self.registered = registered
        self.pin = pin
        self.refuse_next: list[int] = []    # +CMS ERROR codes for the next AT+CMGS, in order
        self.messages: list[ModemMessage] = []
        self.commands: list[str] = []
        self._parts: dict[tuple[str, int], dict[int, str]] = {}
        self._part_refs: dict[tuple[str, int], list[int]] = {}
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.echo = True
        self.text_mode = True
        self.charset = "GSM"
        self.cnmi = ""
        self._prompt: str | None = None      # the AT+CMGS argument while waiting for the body
        self._next_ref = 1

    def replug(self) -> None:
        super().replug()
        self._reset()                         # a replugged modem starts from its power-on state

    # --- what a test asks ---------------------------------------------------------------------

    def wait_messages(self, count: int, timeout: float = 10.0) -> list[ModemMessage]:
        import time
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self.messages)

    def push_report(self, reference: int, status: int = 0, number: str = "+84912345678") -> None:
        """The network's delivery report for part ``reference`` (0 = delivered)."""
        if self.text_mode:
            line = (f'\r\n+CDS: 6,{reference},"{number}",145,"26/12/02,10:00:00+28",'
                    f'"26/12/02,10:00:05+28",{status}\r\n')
        else:
            digits = number.lstrip("+")
            semi = "".join((digits + "F")[i + 1] + (digits + "F")[i] for i in range(0, len(digits), 2))
            body = (f"06{reference:02X}{len(digits):02X}91{semi}" + "62202001000082" * 2 + f"{status:02X}")
            line = f"\r\n+CDS: {len(body) // 2}\r\n00{body}\r\n"
        os.write(self._master, line.encode("ascii"))

    # --- the modem ----------------------------------------------------------------------------

    def _respond(self, pending: bytes):
        if self._prompt is not None:
            end = pending.find(b"\x1a")
            esc = pending.find(b"\x1b")
            if esc >= 0 and (end < 0 or esc < end):
                self._prompt = None
                return b"\r\nOK\r\n", pending[esc + 1:]
            if end < 0:
                return None
            body, rest = pending[:end].decode("ascii", "replace").strip(), pending[end + 1:]
            argument, self._prompt = self._prompt, None
            return self._submit(argument, body), rest
        end = pending.find(b"\r")
        if end < 0:
            return None
        raw, rest = pending[:end], pending[end + 1:]
        line = raw.decode("ascii", "replace").strip()
        if rest.startswith(b"\n"):
            rest = rest[1:]
        if not line:
            return b"", rest
        echo = raw + b"\r" if self.echo else b""
        return echo + self._command(line), rest

    def _ok(self, *lines: str) -> bytes:
        return "".join(f"\r\n{line}\r\n" for line in lines).encode("ascii") + b"\r\nOK\r\n"

    @staticmethod
    def _error(code: str) -> bytes:
        return f"\r\n{code}\r\n".encode("ascii")

    def _command(self, line: str) -> bytes:
        self.commands.append(line)
        upper = line.upper()
        if upper in ("AT", "ATZ"):
            if upper == "ATZ":
                self._reset()
            return self._ok()
        if upper == "ATE0":
            self.echo = False
            return self._ok()
        if upper == "ATE1":
            self.echo = True
            return self._ok()
        if upper.startswith("AT+CMEE="):
            return self._ok()
        if upper == "AT+CPIN?":
            if self.sim == "missing":
                return self._error("+CME ERROR: 10")
            return self._ok("+CPIN: " + ("READY" if self.sim == "ready" else "SIM PIN"))
        if upper.startswith("AT+CPIN="):
            if self.sim == "pin" and line.split("=", 1)[1].strip('"') == self.pin:
                self.sim = "ready"
                return self._ok()
            return self._error("+CME ERROR: 16")
        if upper == "AT+CSQ":
            return self._ok(f"+CSQ: {self.signal},99")
        if upper == "AT+CREG?":
            return self._ok(f"+CREG: 0,{1 if self.registered and self.signal != 99 else 2}")
        if upper.startswith("AT+CMGF="):
            self.text_mode = upper.endswith("1")
            return self._ok()
        if upper.startswith("AT+CSCS="):
            self.charset = line.split("=", 1)[1].strip('"').upper()
            return self._ok()
        if upper.startswith("AT+CSMP="):
            return self._ok()
        if upper.startswith("AT+CNMI="):
            self.cnmi = line.split("=", 1)[1]
            return self._ok()
        if upper.startswith("AT+CMGS="):
            if self.sim != "ready":
                return self._error("+CMS ERROR: 310")
            self._prompt = line.split("=", 1)[1]
            return b"\r\n> "
        return self._error("ERROR")

    def _submit(self, argument: str, body: str) -> bytes:
        if self.signal == 99 or not self.registered:
            return self._error("+CMS ERROR: 331")
        if self.refuse_next:
            return self._error(f"+CMS ERROR: {self.refuse_next.pop(0)}")
        ref = self._next_ref
        self._next_ref = self._next_ref % 255 + 1
        try:
            if self.text_mode:
                number = argument.split(",")[0].strip('"')
                if self.charset == "UCS2":
                    number, text = pdu.from_ucs2_hex(number), pdu.from_ucs2_hex(body)
                else:
                    text = body
                self._record(ModemMessage(number, text, 1, [ref], "text"))
            else:
                part = pdu.decode_submit(body)
                if int(argument) != len(body) // 2 - 1 - int(body[:2], 16):
                    return self._error("+CMS ERROR: 304")
                self._part(part, ref)
        except ValueError:
            return self._error("+CMS ERROR: 304")
        return self._ok(f"+CMGS: {ref}")

    def _part(self, part: pdu.Submitted, ref: int) -> None:
        if part.total == 1 or part.reference is None:
            self._record(ModemMessage(part.number, part.text, 1, [ref], "pdu"))
            return
        key = (part.number, part.reference)
        with self._lock:
            got = self._parts.setdefault(key, {})
            got[part.seq] = part.text
            refs = self._part_refs.setdefault(key, [])
            refs.append(ref)
            if len(got) < part.total:
                return
            del self._parts[key], self._part_refs[key]
        text = "".join(got[i] for i in range(1, part.total + 1))
        self._record(ModemMessage(part.number, text, part.total, refs, "pdu"))

    def _record(self, message: ModemMessage) -> None:
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()
