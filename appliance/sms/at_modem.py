"""A USB GSM modem driven by AT commands over pyserial (3GPP TS 27.005 / 27.007).

On open: ``AT`` (the modem answers), ``ATE0`` (no echo), ``AT+CMEE=1`` (numeric errors),
``AT+CPIN?`` (SIM ready, or needs its PIN: ``[sms]`` URL ``?pin=1234``), ``AT+CMGF=1``,
``AT+CSCS="UCS2"``, ``AT+CSMP=49,167,0,8`` (status report asked, 24 h validity, UCS-2) and, when
delivery reports are on, ``AT+CNMI=2,1,0,1,0`` (reports come as unsolicited ``+CDS:`` lines).

A message of one part is sent in text mode: ``AT+CMGS="<number in UCS-2 hex>"``, the ``> ``
prompt, the text in UCS-2 hex and Ctrl-Z; the modem answers ``+CMGS: <ref>``. A longer message
is sent part by part in PDU mode (``AT+CMGF=0``, ``AT+CMGS=<octets>``, the PDU of
:mod:`appliance.sms.pdu`), then text mode again. Why both: see that module.

``AT+CSQ`` gives the signal (0–31, 99 none), ``AT+CREG?`` the network registration; both are read
for health between messages. Errors: ``+CME ERROR`` / ``+CMS ERROR`` codes that mean the SIM, the
network or the service centre is not there are link errors (the message waits); the others refuse
that message.

The port is opened lazily and reopened after an unplug; point the URL at the stable
``/dev/serial/by-id/…`` name (the udev rule also gives ``/dev/motcua-modem``).
"""
from __future__ import annotations

import logging
import re
import termios
import time

import serial

from . import pdu
from .transport import DeliveryReport, LinkState, Sent, SmsLinkError, SmsRejected, SmsTransport

# What a serial link raises when its device goes away mid-use: pyserial's own error, the OS's, and
# termios.error (not an OSError) from tcflush/tcsetattr on a port whose USB device was unplugged.
LINK_ERRORS = (serial.SerialException, OSError, termios.error)

log = logging.getLogger(__name__)
CTRL_Z = b"\x1a"
ESC = b"\x1b"
FINAL = re.compile(r"^(OK|ERROR|\+CM[ES] ERROR: ?(.*))$")
UNSOLICITED = ("+CDS:", "+CMTI:", "+CDSI:", "RING", "+CMT:", "^", "+CIEV:")
# +CME ERROR codes (TS 27.007 §9.2) meaning the SIM is not usable
CME_SIM = {10: "missing", 11: "pin", 12: "puk", 13: "failure", 14: "busy", 15: "wrong", 16: "password"}
# +CMS ERROR codes (TS 27.005 §3.2.5) that are the link's fault, not the message's
CMS_LINK = {38, 41, 42, 47, 310, 311, 312, 313, 314, 315, 316, 317, 318, 322, 330, 331, 332}
NETWORK = {0: "none", 1: "home", 2: "searching", 3: "denied", 4: "unknown", 5: "roaming"}
SIM_TEXT = {
    "missing": ("Modem không có thẻ SIM: tắt máy, lắp SIM vào modem rồi cắm lại",
                "The modem has no SIM card: insert one and replug the modem"),
    "pin": ("Thẻ SIM đang khóa mã PIN: thêm ?pin=MÃ vào [sms].url hoặc tắt mã PIN bằng điện thoại",
            "The SIM asks for its PIN: add ?pin=CODE to [sms].url or remove the PIN with a phone"),
    "puk": ("Thẻ SIM bị khóa PUK (nhập sai PIN nhiều lần): mở khóa bằng điện thoại",
            "The SIM is PUK-locked (wrong PIN too often): unlock it in a phone"),
    "failure": ("Thẻ SIM hỏng hoặc tiếp xúc kém: lau và lắp lại SIM", "The SIM failed: reseat or replace it"),
}


def explain(exc: BaseException, target: str) -> tuple[str, str]:
    text = str(exc)
    if "No such file" in text or "could not open port" in text and "No such" in text:
        return (f"Không thấy modem GSM ở {target}: kiểm tra cáp USB (nên dùng /dev/serial/by-id/…)",
                f"No GSM modem at {target}: check its USB cable")
    if "Permission denied" in text:
        return (f"Không có quyền mở {target}: thêm người dùng dịch vụ vào nhóm dialout",
                f"No permission to open {target}: add the service user to the dialout group")
    if "busy" in text.lower() or "lock" in text.lower():
        return (f"Cổng {target} đang được chương trình khác dùng (ModemManager?): tắt ModemManager",
                f"{target} is used by another program (ModemManager?): disable it")
    return (f"Mất kết nối với modem GSM ở {target}: {text}", f"Lost the GSM modem at {target}: {text}")


def parse_cds_text(line: str) -> DeliveryReport | None:
    """``+CDS: 6,12,"…",145,"26/12/02,10:00:00+28","26/12/02,10:00:05+28",0`` (text mode)."""
    body = line.split(":", 1)[1].strip()
    fields = [f.strip().strip('"') for f in re.findall(r'"[^"]*"|[^,]+', body)]
    if len(fields) < 3 or not fields[1].isdigit() or not fields[-1].isdigit():
        return None
    status = int(fields[-1])
    return DeliveryReport(fields[1], pdu.delivery_state(status), status, line)


def parse_cds_pdu(data: str) -> DeliveryReport | None:
    """An SMS-STATUS-REPORT PDU (PDU mode's ``+CDS: <len>`` then this line)."""
    try:
        raw = bytes.fromhex(data.strip())
        pos = 1 + raw[0]                      # skip the SMSC part
        pos += 1                              # first octet
        reference = raw[pos]
        pos += 1
        ra_len = raw[pos]
        pos += 2 + (ra_len + 1) // 2          # length, type, digits
        pos += 14                             # service centre time stamp, discharge time
        status = raw[pos]
    except (ValueError, IndexError):
        return None
    return DeliveryReport(str(reference), pdu.delivery_state(status), status, data)


class AtModem(SmsTransport):
    kind = "modem"

    def __init__(self, target: str, *, baudrate: int = 115200, pin: str = "", delivery_reports: bool = True,
                 command_timeout_s: float = 5.0, send_timeout_s: float = 60.0, url: str | None = None):
        self.target = target
        self.url = url or target
        self.baudrate = baudrate
        self.pin = pin
        self.delivery_reports = delivery_reports
        self.command_timeout_s = command_timeout_s
        self.send_timeout_s = send_timeout_s
        self._port: serial.Serial | None = None
        self._buffer = b""
        self._reports: list[DeliveryReport] = []
        self._reference = int(time.time()) % 256
        self._pdu_cds_pending = False

    # --- the link -----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._port is not None and self._port.is_open

    def open(self) -> None:
        if self.is_open:
            return
        kwargs: dict = dict(baudrate=self.baudrate, timeout=0.05, write_timeout=5)
        if "://" not in self.target:
            kwargs["exclusive"] = True
        try:
            self._port = serial.serial_for_url(self.target, **kwargs)
        except (*LINK_ERRORS, ValueError) as exc:
            self._port = None
            raise SmsLinkError(*explain(exc, self.target)) from exc
        self._buffer = b""
        try:
            self._init()
        except SmsLinkError:
            self.close()
            raise
        except SmsRejected as exc:
            self.close()
            raise SmsLinkError(f"Modem ở {self.target} không nhận lệnh khởi tạo: {exc.message}",
                               f"The modem at {self.target} refused its set-up: {exc.message_en}") from exc
        log.info("GSM modem open: %s", self.target)

    def _init(self) -> None:
        for attempt in range(3):
            try:
                self._command("AT", timeout=1.0)
                break
            except SmsLinkError:
                if attempt == 2:
                    raise
        self._command("ATE0")
        self._command("AT+CMEE=1")
        sim = self._sim_state()
        if sim == "pin" and self.pin:
            self._command(f'AT+CPIN="{self.pin}"')
            sim = self._sim_state()
        if sim != "ready":
            vi, en = SIM_TEXT.get(sim, ("Thẻ SIM chưa sẵn sàng", "The SIM is not ready"))
            raise SmsLinkError(vi, en, sim=sim)
        self._text_mode()
        if self.delivery_reports:
            try:
                self._command("AT+CNMI=2,1,0,1,0")
            except SmsRejected:     # a modem without reports: send anyway, state stays "sent"
                log.warning("modem %s gives no delivery reports (AT+CNMI refused)", self.target)
                self.delivery_reports = False

    def _text_mode(self) -> None:
        self._command("AT+CMGF=1")
        self._command('AT+CSCS="UCS2"')
        self._command(f"AT+CSMP={49 if self.delivery_reports else 17},{pdu.VP_24H},0,{pdu.DCS_UCS2}")

    def _sim_state(self) -> str:
        try:
            lines = self._command("AT+CPIN?")
        except SmsLinkError as exc:
            return exc.sim or "unknown"
        answer = " ".join(lines)
        if "READY" in answer:
            return "ready"
        if "SIM PUK" in answer:
            return "puk"
        if "SIM PIN" in answer:
            return "pin"
        return "unknown"

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except LINK_ERRORS:
                pass

    # --- commands -----------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        port = self._port
        if port is None:
            raise SmsLinkError(f"Chưa mở được modem ở {self.target}", f"The modem at {self.target} is not open")
        try:
            port.write(data)
        except LINK_ERRORS as exc:
            self.close()
            raise SmsLinkError(*explain(exc, self.target)) from exc

    def _read_some(self) -> bytes:
        port = self._port
        if port is None:
            raise SmsLinkError(f"Chưa mở được modem ở {self.target}", f"The modem at {self.target} is not open")
        try:
            return port.read(max(1, port.in_waiting))
        except (*LINK_ERRORS, TypeError) as exc:
            self.close()
            raise SmsLinkError(*explain(exc, self.target)) from exc

    def _lines(self) -> list[str]:
        """Complete lines in the buffer (unsolicited ones are kept aside)."""
        out = []
        while b"\n" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\n", 1)
            line = raw.decode("ascii", "replace").strip()
            if not line:
                continue
            if self._pdu_cds_pending:
                self._pdu_cds_pending = False
                report = parse_cds_pdu(line)
                if report:
                    self._reports.append(report)
                continue
            if line.startswith("+CDS:"):
                if re.fullmatch(r"\+CDS: ?\d+", line):
                    self._pdu_cds_pending = True
                else:
                    report = parse_cds_text(line)
                    if report:
                        self._reports.append(report)
                continue
            if line.startswith(UNSOLICITED):
                continue
            out.append(line)
        return out

    def _command(self, command: str, timeout: float | None = None, *, prompt_body: bytes | None = None
                 ) -> list[str]:
        """Send ``command``; return the lines before OK. ``prompt_body``: wait for ``> `` and send it
        followed by Ctrl-Z (AT+CMGS)."""
        self._write(command.encode("ascii") + b"\r")
        deadline = time.monotonic() + (timeout or self.command_timeout_s)
        answer: list[str] = []
        body_sent = prompt_body is None
        while time.monotonic() < deadline:
            self._buffer += self._read_some()
            if not body_sent and b">" in self._buffer:
                head, _, self._buffer = self._buffer.partition(b">")
                self._buffer = head + self._buffer.lstrip(b" ")
                self._write((prompt_body or b"") + CTRL_Z)
                body_sent = True
                deadline = time.monotonic() + self.send_timeout_s
            for line in self._lines():
                final = FINAL.match(line)
                if not final:
                    answer.append(line)
                    continue
                if final.group(1) == "OK":
                    return answer
                self._raise(command, line, final.group(2))
        if not body_sent:
            self._write(ESC)
        raise SmsLinkError(f"Modem ở {self.target} không trả lời lệnh {command.split('=')[0]} sau "
                           f"{timeout or self.command_timeout_s:g} giây",
                           f"The modem at {self.target} did not answer {command.split('=')[0]}")

    def _raise(self, command: str, line: str, code_text: str | None) -> None:
        code = int(code_text) if code_text and code_text.strip().isdigit() else None
        name = command.split("=")[0].split("?")[0]
        if line.startswith("+CME") and code in CME_SIM:
            state = CME_SIM[code]
            vi, en = SIM_TEXT.get(state, (f"Thẻ SIM lỗi ({line})", f"SIM error ({line})"))
            raise SmsLinkError(vi, en, sim=state)
        if line.startswith("+CMS") and code in CMS_LINK:
            raise SmsLinkError(f"Mạng di động chưa gửi được tin ({line}): kiểm tra sóng và thẻ SIM",
                               f"The mobile network cannot send now ({line}): check signal and SIM")
        raise SmsRejected(f"Modem từ chối lệnh {name}: {line}", f"The modem refused {name}: {line}")

    # --- the interface ------------------------------------------------------------------------

    def send(self, number: str, text: str) -> Sent:
        self.open()
        try:
            full = pdu.international(number)
        except ValueError:
            raise SmsRejected(f"Số điện thoại không hợp lệ: {number!r}", f"Not a phone number: {number!r}") from None
        parts = pdu.split_parts(text)
        if len(parts) == 1:
            lines = self._command(f'AT+CMGS="{pdu.ucs2_hex(full)}"', timeout=self.send_timeout_s,
                                  prompt_body=pdu.ucs2_hex(text).encode("ascii"))
            return Sent([self._reference_of(lines)], 1, f"Modem đã nhận tin ({len(text)} ký tự)")
        self._reference = (self._reference + 1) % 256
        pdus = pdu.submit_pdus(full, text, self._reference, status_report=self.delivery_reports)
        references = []
        self._command("AT+CMGF=0")
        try:
            for item in pdus:
                lines = self._command(f"AT+CMGS={item.tpdu_length}", timeout=self.send_timeout_s,
                                      prompt_body=item.hex.encode("ascii"))
                references.append(self._reference_of(lines))
        finally:
            if self.is_open:
                self._command("AT+CMGF=1")
        return Sent(references, len(pdus), f"Modem đã nhận tin {len(pdus)} phần")

    @staticmethod
    def _reference_of(lines: list[str]) -> str:
        for line in lines:
            m = re.match(r"\+CMGS: ?(\d+)", line)
            if m:
                return m.group(1)
        return ""

    def link(self) -> LinkState:
        try:
            self.open()
            sim = self._sim_state()
            signal = None
            for line in self._command("AT+CSQ"):
                m = re.match(r"\+CSQ: ?(\d+),", line)
                if m and int(m.group(1)) != 99:
                    signal = min(int(m.group(1)), 31)
            network = "unknown"
            for line in self._command("AT+CREG?"):
                m = re.match(r"\+CREG: ?\d+,(\d+)", line)
                if m:
                    network = NETWORK.get(int(m.group(1)), "unknown")
        except SmsLinkError as exc:
            return LinkState(False, sim=exc.sim or "unknown", message=exc.message,
                             message_en=exc.message_en)
        except SmsRejected as exc:
            return LinkState(False, message=exc.message, message_en=exc.message_en)
        if sim != "ready":
            vi, en = SIM_TEXT.get(sim, ("Thẻ SIM chưa sẵn sàng", "The SIM is not ready"))
            return LinkState(False, sim=sim, signal=signal, network=network, message=vi, message_en=en)
        if signal is None:
            return LinkState(False, sim=sim, signal=None, network=network,
                             message="Modem không bắt được sóng di động: đặt modem gần cửa sổ hoặc dùng cáp nối dài",
                             message_en="The modem has no mobile signal: move it near a window or use a USB extension")
        if network not in ("home", "roaming"):
            return LinkState(False, sim=sim, signal=signal, network=network,
                             message="Modem chưa đăng ký được vào mạng di động (kiểm tra SIM còn hạn)",
                             message_en="The modem is not registered on the mobile network (is the SIM active?)")
        dbm = -113 + 2 * signal
        return LinkState(True, sim=sim, signal=signal, network=network,
                         message=f"Modem GSM sẵn sàng, sóng {signal}/31 ({dbm} dBm)",
                         message_en=f"GSM modem ready, signal {signal}/31 ({dbm} dBm)")

    def reports(self) -> list[DeliveryReport]:
        if self.is_open:
            try:
                self._buffer += self._read_some()
                while True:
                    chunk = self._read_some()
                    if not chunk:
                        break
                    self._buffer += chunk
                rest = self._lines()
                if rest:
                    log.debug("modem said, unasked: %s", rest)
            except SmsLinkError:
                pass
        out, self._reports = self._reports, []
        return out
