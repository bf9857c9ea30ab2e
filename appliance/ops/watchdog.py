"""systemd readiness and watchdog notifications, sent only while the workers are healthy.

``Type=notify`` units with ``WatchdogSec=`` expect ``READY=1`` once and then ``WATCHDOG=1`` more
often than the watchdog interval. A process whose main thread is fine but whose printer worker
is stuck must *stop* pinging so that systemd restarts it: so every ping first asks a list of
health callables, and sends nothing but a ``STATUS=`` line naming the failures when one of them
returns False (or raises).

The protocol is a datagram on the AF_UNIX socket named by ``$NOTIFY_SOCKET`` (a leading ``@``
means the abstract namespace); standard library only. Outside systemd (no ``$NOTIFY_SOCKET``)
every method is a cheap no-op, so ``motcua demo`` runs the same code.

    notifier = SystemdNotifier({"máy in": printer.alive, "thẻ rung": pager.alive})
    notifier.start()        # thread: READY=1 when healthy, then WATCHDOG=1 every interval/2
    ...
    notifier.stop()         # STOPPING=1
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping, Sequence

log = logging.getLogger(__name__)

HealthCheck = Callable[[], bool]

DEFAULT_INTERVAL_S = 10.0


def _named(checks: Mapping[str, HealthCheck] | Sequence[HealthCheck]) -> dict[str, HealthCheck]:
    if isinstance(checks, Mapping):
        return dict(checks)
    return {getattr(c, "__qualname__", None) or repr(c): c for c in checks}


class SystemdNotifier:
    """Talks to systemd's notify socket on behalf of one service process.

    ``health``: callables returning True while their part works (name -> callable, or a list).
    ``env``: where to read ``NOTIFY_SOCKET``, ``WATCHDOG_USEC`` and ``WATCHDOG_PID``
    (default ``os.environ``). ``interval_s``: ping period; default half of ``WATCHDOG_USEC``,
    as sd_watchdog_enabled(3) advises.
    """

    def __init__(self, health: Mapping[str, HealthCheck] | Sequence[HealthCheck] = (),
                 env: Mapping[str, str] | None = None, interval_s: float | None = None):
        env = os.environ if env is None else env
        self.health = _named(health)
        self.address = self._address(env.get("NOTIFY_SOCKET", ""))
        self.watchdog_usec = self._watchdog_usec(env)
        if interval_s is None:
            interval_s = (self.watchdog_usec / 2e6) if self.watchdog_usec else DEFAULT_INTERVAL_S
        self.interval_s = interval_s
        self.ready_sent = False
        self.last_failures: list[str] = []
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # environment ---------------------------------------------------------------------------
    @staticmethod
    def _address(raw: str) -> str | bytes | None:
        if not raw:
            return None
        if raw.startswith("@"):
            return b"\0" + raw[1:].encode()
        if raw.startswith("/"):
            return raw
        return None  # vsock:… and other transports are not used on the Pi

    @staticmethod
    def _watchdog_usec(env: Mapping[str, str]) -> int:
        try:
            usec = int(env.get("WATCHDOG_USEC", "0"))
        except ValueError:
            return 0
        pid = env.get("WATCHDOG_PID")
        if pid and pid != str(os.getpid()):
            return 0  # the watchdog is meant for another process (e.g. our parent)
        return max(usec, 0)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def watchdog_enabled(self) -> bool:
        return self.enabled and self.watchdog_usec > 0

    # sending -------------------------------------------------------------------------------
    def notify(self, *assignments: str) -> bool:
        """Send ``KEY=value`` lines in one datagram; False when not under systemd or on error."""
        if self.address is None:
            return False
        message = "\n".join(assignments).encode("utf-8")
        with self._lock:
            try:
                if self._sock is None:
                    self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._sock.sendto(message, self.address)
                return True
            except OSError as exc:
                log.warning("Không gửi được thông báo tới systemd (%s): %s", self.address, exc)
                self._close_socket()
                return False

    def status(self, text: str) -> bool:
        return self.notify("STATUS=" + text.replace("\n", " "))

    def failures(self) -> list[str]:
        """Names of the health checks that fail now (an exception counts as a failure)."""
        failed = []
        for name, check in self.health.items():
            try:
                ok = bool(check())
            except Exception:  # a broken probe means we cannot vouch for the worker
                log.exception("Kiểm tra tình trạng '%s' lỗi", name)
                ok = False
            if not ok:
                failed.append(name)
        return failed

    def tick(self) -> bool:
        """One round: READY=1 (first time) or WATCHDOG=1 if all healthy, else only STATUS=.

        Returns True when a ready/watchdog notification was sent.
        """
        failed = self.failures()
        changed = failed != self.last_failures
        self.last_failures = failed
        if failed:
            self.status("Không hoạt động: " + ", ".join(failed))
            return False
        if not self.ready_sent:
            self.ready_sent = self.notify("READY=1", "STATUS=Đang hoạt động")
            return self.ready_sent
        if changed:
            return self.notify("WATCHDOG=1", "STATUS=Đang hoạt động")
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1", "STATUS=Đang dừng")

    # background thread ---------------------------------------------------------------------
    def start(self) -> SystemdNotifier:
        """Tick now and then every ``interval_s`` in a daemon thread (no thread outside systemd)."""
        if not self.enabled or self._thread is not None:
            return self
        self._stop.clear()
        self.tick()
        self._thread = threading.Thread(target=self._run, name="systemd-notify", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.tick()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout=self.interval_s + 1)
            self.stopping()
        with self._lock:
            self._close_socket()

    def _close_socket(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> SystemdNotifier:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.address if self.enabled else "không có systemd"
        return (f"<SystemdNotifier {where!r} watchdog={self.watchdog_usec}us "
                f"checks={list(self.health)}>")
