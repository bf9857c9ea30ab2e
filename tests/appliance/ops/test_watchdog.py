"""SystemdNotifier against a real AF_UNIX datagram socket standing in for systemd."""
from __future__ import annotations

import os
import socket
import time

import pytest

from appliance.ops.watchdog import SystemdNotifier


@pytest.fixture
def systemd_socket(tmp_path):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    yield str(path), sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    return sock.recv(4096).decode("utf-8").split("\n")


def nothing_waiting(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        sock.recv(4096)
    except BlockingIOError:
        return True
    finally:
        sock.settimeout(2)
    return False


def env(path: str, **extra: str) -> dict[str, str]:
    return {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid()),
            **extra}


def test_ready_then_watchdog_while_healthy(systemd_socket):
    path, sock = systemd_socket
    n = SystemdNotifier({"máy in": lambda: True}, env=env(path))
    assert n.enabled and n.watchdog_enabled and n.interval_s == 1.0
    assert n.tick() is True
    assert received(sock) == ["READY=1", "STATUS=Đang hoạt động"]
    assert n.tick() is True
    assert received(sock) == ["WATCHDOG=1"]


def test_no_ping_while_a_worker_is_dead(systemd_socket):
    path, sock = systemd_socket
    alive = {"printer": True, "pager": True}
    n = SystemdNotifier({"máy in": lambda: alive["printer"], "thẻ rung": lambda: alive["pager"]},
                        env=env(path))
    n.tick()
    received(sock)
    alive["pager"] = False
    assert n.tick() is False
    assert received(sock) == ["STATUS=Không hoạt động: thẻ rung"]
    assert nothing_waiting(sock)
    alive["pager"] = True
    assert n.tick() is True
    assert received(sock) == ["WATCHDOG=1", "STATUS=Đang hoạt động"]


def test_ready_waits_for_health_and_exceptions_count_as_failure(systemd_socket):
    path, sock = systemd_socket

    def broken() -> bool:
        raise RuntimeError("probe crashed")

    n = SystemdNotifier([broken], env=env(path))
    assert n.tick() is False
    message = received(sock)
    assert message[0].startswith("STATUS=Không hoạt động: ") and "broken" in message[0]
    assert not n.ready_sent


def test_background_thread_pings_and_stop_says_stopping(systemd_socket):
    path, sock = systemd_socket
    with SystemdNotifier({"web": lambda: True}, env=env(path), interval_s=0.05):
        assert received(sock)[0] == "READY=1"
        assert received(sock) == ["WATCHDOG=1"]
        assert received(sock) == ["WATCHDOG=1"]
    deadline = time.monotonic() + 2
    while True:
        lines = received(sock)
        if lines[0] == "STOPPING=1" or time.monotonic() > deadline:
            break
    assert lines == ["STOPPING=1", "STATUS=Đang dừng"]


def test_abstract_namespace_socket():
    name = f"motcua-test-{os.getpid()}-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    try:
        n = SystemdNotifier(env={"NOTIFY_SOCKET": "@" + name})
        assert n.status("xin chào")
        assert received(sock) == ["STATUS=xin chào"]
    finally:
        sock.close()


def test_outside_systemd_everything_is_a_no_op():
    n = SystemdNotifier({"x": lambda: True}, env={})
    assert not n.enabled and not n.watchdog_enabled
    assert n.tick() is False and n.notify("READY=1") is False
    n.start()
    assert n._thread is None
    n.stop()


def test_watchdog_meant_for_another_process_is_ignored(tmp_path):
    n = SystemdNotifier(env={"NOTIFY_SOCKET": str(tmp_path / "s"), "WATCHDOG_USEC": "4000000",
                             "WATCHDOG_PID": "1"})
    assert n.enabled and not n.watchdog_enabled
    assert n.interval_s == 10.0


def test_vanished_socket_is_reported_not_raised(tmp_path):
    n = SystemdNotifier(env={"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert n.notify("READY=1") is False
