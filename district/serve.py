"""``motcua-hub serve``: waitress, in one or several worker processes behind one address.

With ``--workers N`` (N > 1) this process only supervises: it starts N copies of itself, each
binding the same host and port with ``SO_REUSEPORT`` (the kernel spreads new connections over
them), restarts a copy that dies, and stops them all on SIGTERM/SIGINT. Each copy has its own
database pool and its own batch admission (``district.admission``), so ``ingest_concurrency``
counts per process.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any


def reuse_port_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


def die_with_parent() -> None:
    """A worker ends when its supervisor does, even one killed with SIGKILL (Linux prctl)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the supervisor was gone before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def serve_one(app: Any, host: str, port: int, threads: int, reuse_port: bool) -> None:
    import waitress
    options: dict[str, Any] = dict(threads=threads, ident="motcua-hub", channel_timeout=60,
                                   max_request_body_size=16 * 1024 * 1024, connection_limit=2000,
                                   asyncore_use_poll=True, backlog=1024)
    if reuse_port:
        die_with_parent()
        waitress.serve(app, sockets=[reuse_port_socket(host, port)], **options)
    else:
        waitress.serve(app, host=host, port=port, **options)


def supervise(argv: list[str], workers: int) -> int:
    """Run ``workers`` copies of ``motcua-hub <argv> --worker`` until SIGTERM/SIGINT."""
    stopping = threading.Event()
    command = [sys.executable, "-m", "district.cli", *argv, "--worker"]
    procs: list[subprocess.Popen] = [subprocess.Popen(command) for _ in range(workers)]

    def stop(signum, frame):  # noqa: ARG001
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping.is_set():
        for i, proc in enumerate(procs):
            if proc.poll() is not None and not stopping.is_set():
                print(f"motcua-hub: tiến trình {proc.pid} dừng (mã {proc.returncode}), chạy lại",
                      file=sys.stderr, flush=True)
                time.sleep(1)
                procs[i] = subprocess.Popen(command)
        stopping.wait(0.5)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0
