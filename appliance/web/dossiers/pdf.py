"""HTML → PDF with one headless Chromium kept warm, the browser the kiosk already runs.

Starting a browser per PDF took 1.0 s on a quiet machine and 4 s on a busy one (far more on a
Pi). Instead one headless Chromium is started on the first PDF (or by :func:`warm_up` when the
server starts) and kept: each paper is written to a private temporary folder, opened from
``file://`` (no network, no login needed) and printed through the DevTools protocol's
``Page.printToPDF`` with the A4 size and margins its print CSS sets (``@page``).

The protocol runs over ``--remote-debugging-pipe``: Chromium reads commands from its file
descriptor 3 and writes answers to 4, each message a JSON text ended by a NUL byte. The two pipes
are put on exactly those numbers in the child with ``posix_spawn`` file actions (``pass_fds``
alone keeps the parent's numbers, and Chromium then finds fd 3 closed and quits: "the pipe
closed"). A browser that dies or hangs is killed and started again on the next paper. One
rendering at a time: a Raspberry Pi has little memory to spare.
"""
from __future__ import annotations

import atexit
import base64
import itertools
import json
import logging
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ...errors import MotcuaError

log = logging.getLogger(__name__)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT_S = 60.0
_LOCK = threading.Lock()


class PdfError(MotcuaError):
    """Printing to PDF failed; the message says what to do, in Vietnamese (``str``) and in English
    (:meth:`text` ``("en")``)."""

    def __init__(self, message: str, english: str | None = None):
        super().__init__(message)
        self.english = english or message

    def text(self, lang: str) -> str:
        """The message in the page's language."""
        return self.english if lang == "en" else str(self)


def find_chromium(explicit: str | None = None) -> str:
    """The Chromium program: ``explicit`` (a path or a name) or the first found on PATH."""
    for name in ((explicit,) if explicit else CANDIDATES):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError("Không tìm thấy trình duyệt Chromium để xuất PDF. Cài gói 'chromium' "
                   "(sudo apt-get install chromium) hoặc dùng nút In (Ctrl+P) của trình duyệt để in/lưu PDF.",
                   "No Chromium browser found to make the PDF. Install the 'chromium' package "
                   "(sudo apt-get install chromium) or use the browser's Print button (Ctrl+P) to print or save a PDF.")


FOLDER_PREFIX = "motcua-pdf-"


def _remove_leftovers() -> None:
    """Temporary folders of browsers whose server died (killed: nothing removed them)."""
    for folder in Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            owner = int((folder / "owner").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue                          # not ours, or being made right now
        try:
            os.kill(owner, 0)
            continue                          # its server still runs
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue                          # another user's live process


class _Closed(MotcuaError):
    """The browser's pipe closed (it exited or was killed)."""


class WarmChromium:
    """One headless Chromium driven over ``--remote-debugging-pipe``; :meth:`pdf` prints a page."""

    def __init__(self, program: str) -> None:
        self.program = program
        _remove_leftovers()
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        (self.folder / "owner").write_text(str(os.getpid()), encoding="ascii")
        self.pid: int | None = None
        self._write_fd: int | None = None
        self._ids = itertools.count(1)
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._replies_lock = threading.Lock()
        self._closed = threading.Event()
        self._session: str | None = None
        self._pages = itertools.count(1)
        self.started_s = 0.0

    # --- process -----------------------------------------------------------------------------

    def start(self, timeout_s: float = START_TIMEOUT_S) -> None:
        began = time.monotonic()
        to_child_r, to_child_w = os.pipe()       # we write commands → Chromium's fd 3
        from_child_r, from_child_w = os.pipe()   # Chromium's fd 4 → we read answers
        profile = self.folder / "profile"
        args = [self.program, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--mute-audio", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--metrics-recording-only",
                "--password-store=basic", "--use-mock-keychain", f"--user-data-dir={profile}", "about:blank"]
        env = {**os.environ, "HOME": str(self.folder)}
        stderr_path = str(self.folder / "chromium.log")
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                   (os.POSIX_SPAWN_DUP2, to_child_r, 3),
                   (os.POSIX_SPAWN_DUP2, from_child_w, 4)]
        try:
            self.pid = os.posix_spawn(self.program, args, env, file_actions=actions, setsid=True)
        except OSError as exc:
            for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
                os.close(fd)
            raise PdfError(f"Không chạy được Chromium ({self.program}): {exc.strerror}.",
                           f"Chromium ({self.program}) could not be run: {exc.strerror}.") from None
        os.close(to_child_r)
        os.close(from_child_w)
        self._write_fd = to_child_w
        threading.Thread(target=self._reader, args=(from_child_r,), name="pdf-chromium-reader",
                         daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"}, timeout_s=timeout_s)["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                  timeout_s=timeout_s)["sessionId"]
        self.call("Page.enable", session=True, timeout_s=timeout_s)
        self.started_s = time.monotonic() - began

    def alive(self) -> bool:
        return self.pid is not None and not self._closed.is_set()

    def close(self) -> None:
        if self._write_fd is not None:
            try:
                self._send({"id": next(self._ids), "method": "Browser.close"})
            except OSError:
                pass
        self._kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _kill(self) -> None:
        pid, self.pid = self.pid, None
        if self._write_fd is not None:
            try:
                os.close(self._write_fd)
            except OSError:
                pass
            self._write_fd = None
        if pid is None:
            return
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return
            if done:
                return
            time.sleep(0.05)
        try:
            os.killpg(pid, signal.SIGKILL)          # the browser and its renderers (setsid above)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass

    # --- protocol ----------------------------------------------------------------------------

    def _reader(self, fd: int) -> None:
        buffer = b""
        try:
            with os.fdopen(fd, "rb", buffering=0) as pipe:
                while True:
                    chunk = pipe.read(1 << 16)
                    if not chunk:
                        break
                    buffer += chunk
                    while b"\0" in buffer:
                        raw, buffer = buffer.split(b"\0", 1)
                        self._dispatch(json.loads(raw))
        except (OSError, ValueError) as exc:
            log.warning("PDF Chromium pipe: %s", exc)
        finally:
            self._closed.set()
            with self._replies_lock:
                for waiting in self._replies.values():
                    waiting.put({"closed": True})
            self._events.put({"closed": True})

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            with self._replies_lock:
                waiting = self._replies.get(message["id"])
            if waiting is not None:
                waiting.put(message)
        else:
            self._events.put(message)

    def _send(self, message: dict[str, Any]) -> None:
        if self._write_fd is None:
            raise _Closed()
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            written = os.write(self._write_fd, data)
            data = data[written:]

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False,
             timeout_s: float = 60.0) -> dict[str, Any]:
        if self._closed.is_set():
            raise _Closed()
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        waiting: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._replies_lock:
            self._replies[number] = waiting
        try:
            try:
                self._send(message)
            except OSError:
                raise _Closed() from None
            try:
                reply = waiting.get(timeout=timeout_s)
            except queue.Empty:
                raise TimeoutError(method) from None
        finally:
            with self._replies_lock:
                self._replies.pop(number, None)
        if reply.get("closed"):
            raise _Closed()
        if "error" in reply:
            detail = reply["error"].get("message", "")
            raise PdfError(f"Chromium báo lỗi khi xuất PDF ({method}): {detail}",
                           f"Chromium reported an error making the PDF ({method}): {detail}")
        return dict(reply.get("result") or {})

    def _wait_event(self, method: str, deadline: float) -> None:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(method)
            try:
                event = self._events.get(timeout=left)
            except queue.Empty:
                raise TimeoutError(method) from None
            if event.get("closed"):
                raise _Closed()
            if event.get("method") == method and event.get("sessionId") == self._session:
                return

    # --- printing ----------------------------------------------------------------------------

    def pdf(self, html: str, timeout_s: float = 60.0) -> bytes:
        """Open ``html`` (a complete document) from a private file and print it (A4 from ``@page``)."""
        deadline = time.monotonic() + timeout_s
        page = self.folder / f"page-{next(self._pages)}.html"
        page.write_text(html, encoding="utf-8")
        try:
            while not self._events.empty():        # a load event left over from an earlier page
                self._events.get_nowait()
            self.call("Page.navigate", {"url": page.as_uri()}, session=True, timeout_s=timeout_s)
            self._wait_event("Page.loadEventFired", deadline)
            # the fonts of the page (system fonts through fontconfig) before the layout is printed
            self.call("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)",
                                           "awaitPromise": True}, session=True,
                      timeout_s=max(deadline - time.monotonic(), 1.0))
            result = self.call("Page.printToPDF", {
                "preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
                "generateTaggedPDF": False}, session=True, timeout_s=max(deadline - time.monotonic(), 1.0))
        finally:
            page.unlink(missing_ok=True)
        return base64.b64decode(result["data"])


_BROWSER: WarmChromium | None = None


def _browser(chromium: str | None, timeout_s: float) -> WarmChromium:
    """The warm browser (started when missing, dead or another program is asked for); under _LOCK."""
    global _BROWSER
    program = find_chromium(chromium)
    if _BROWSER is not None and (not _BROWSER.alive() or _BROWSER.program != program):
        _BROWSER.close()
        _BROWSER = None
    if _BROWSER is None:
        browser = WarmChromium(program)
        try:
            browser.start(timeout_s)
        except (_Closed, TimeoutError):
            detail = _log_tail(browser)
            browser.close()
            raise PdfError("Chromium không khởi động được để xuất PDF; thử lại, hoặc in trực tiếp từ trình "
                           f"duyệt (Ctrl+P). {detail}".strip(),
                           "Chromium did not start to make the PDF; try again, or print from the browser "
                           f"(Ctrl+P). {detail}".strip()) from None
        except BaseException:
            browser.close()
            raise
        log.info("PDF: headless Chromium started in %.2f s (pid %s)", browser.started_s, browser.pid)
        _BROWSER = browser
    return _BROWSER


def _log_tail(browser: WarmChromium) -> str:
    try:
        lines = (browser.folder / "chromium.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


def html_to_pdf(html: str, *, chromium: str | None = None, timeout_s: float = 60.0,
                keep_warm: bool = True) -> bytes:
    """Render a complete HTML document (UTF-8, styles inline or ``file://``) to PDF bytes.

    ``keep_warm`` False ([web].pdf_warm = false): the browser is closed after this paper."""
    global _BROWSER
    with _LOCK:
        for attempt in (1, 2):                      # a browser that died since the last paper: once more
            browser = _browser(chromium, timeout_s)
            try:
                data = browser.pdf(html, timeout_s)
                if not keep_warm:
                    browser.close()
                    _BROWSER = None
            except _Closed:
                browser.close()
                _BROWSER = None
                if attempt == 2:
                    raise PdfError("Chromium dừng giữa chừng khi xuất PDF; thử lại, hoặc in trực tiếp từ "
                                   "trình duyệt (Ctrl+P).",
                                   "Chromium stopped while making the PDF; try again, or print from the browser "
                                   "(Ctrl+P).") from None
                continue
            except TimeoutError:
                browser.close()
                _BROWSER = None
                raise PdfError(f"Chromium không xuất xong PDF sau {timeout_s:g} giây; thử lại, hoặc in "
                               "trực tiếp từ trình duyệt (Ctrl+P).",
                               f"Chromium did not finish the PDF in {timeout_s:g} seconds; try again, or print "
                               "from the browser (Ctrl+P).") from None
            if not data.startswith(b"%PDF-"):
                raise PdfError("Chromium không tạo được tệp PDF.", "Chromium did not make a PDF file.")
            return data
    raise AssertionError("unreachable")


def warm_up(chromium: str | None = None) -> bool:
    """Start the browser now (the server calls it at start, off the request path); False when
    there is no Chromium or it did not start (the first PDF then says why)."""
    try:
        with _LOCK:
            _browser(chromium, START_TIMEOUT_S)
        return True
    except PdfError as exc:
        log.info("PDF: no warm Chromium (%s)", exc)
        return False


def shutdown() -> None:
    """Close the warm browser (at exit, and in tests)."""
    global _BROWSER
    with _LOCK:
        if _BROWSER is not None:
            _BROWSER.close()
            _BROWSER = None


def browser_pid() -> int | None:
    """The warm browser's process id (None when none runs): for the health page and the tests."""
    return _BROWSER.pid if _BROWSER is not None and _BROWSER.alive() else None


atexit.register(shutdown)
