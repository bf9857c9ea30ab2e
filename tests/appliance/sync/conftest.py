"""A real hub (`motcua-hub serve` in a subprocess) on its own PostgreSQL database, shared by the tests
of a module (creating, migrating and starting a hub costs seconds), and a fault proxy between the
appliance and the hub (cuts connections, answers 500/429).

The tests stay independent on the shared hub: each enrols its own device (``device``: a fresh code and
one-time token), so its events, sequence numbers and config are its own; a test that stops the hub
finds it started again by the next one (``hub``); the hub-wide state (the published catalog) is reset
by the test that needs it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass

import psycopg
import pytest
import requests
from waiting import DEADLINE

PG_SERVER = os.environ.get("MOTCUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
HUB = [sys.executable, "-m", "district.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, url: str, env: dict, port: int):
        self.db_url, self.env, self.port = url, env, port
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> str:
        r = subprocess.run(HUB + list(args), env=self.env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def start(self) -> None:
        if self.running():
            return  # the module's hub is already up
        self.proc = subprocess.Popen(HUB + ["serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + DEADLINE  # generous: a loaded machine starts Python slowly
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(f"{self.base}/api/v1/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise AssertionError(f"hub did not start (exit code {self.proc.poll()})")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def events(self, device_id: str) -> list[tuple]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute("SELECT seq, event_id, event_time, wall_time FROM events WHERE device_id = %s "
                                "ORDER BY seq", (device_id,)).fetchall()


    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def add_device(self, code: str, name: str) -> str:
        """Creates device ``code`` on the hub (what ``motcua-hub device add`` does); its one-time token."""
        from district.db.engine import make_engine
        from district.store import devices
        engine = make_engine(self.db_url, pool_size=1)
        try:
            with engine.begin() as conn:
                return devices.add_device(conn, code, name)
        finally:
            engine.dispose()

    def forget_catalogs(self) -> None:
        with psycopg.connect(self.db_url) as conn:
            conn.execute("DELETE FROM catalog_versions")


@pytest.fixture(scope="module")
def shared_hub():
    """One migrated hub database and one hub process for the module."""
    name = f"motcua_sync_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    env = {**os.environ, "MOTCUA_HUB_DATABASE_URL": url}
    hub = Hub(url, env, free_port())
    try:
        hub.cli("init")
        hub.start()
        yield hub
    finally:
        hub.stop()
        with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def hub(shared_hub):
    """The module's hub, running (started again if an earlier test stopped it)."""
    if not shared_hub.running():
        shared_hub.stop()
        shared_hub.start()
    return shared_hub


@dataclass(frozen=True)
class Device:
    code: str
    token: str  # the one-time enrolment token


@pytest.fixture
def device(hub):
    """A device of this test alone on the shared hub, not enrolled yet."""
    code = f"xa-duong-xa-{uuid.uuid4().hex[:8]}"
    return Device(code, hub.add_device(code, "UBND xã Dương Xá"))


class FaultProxy:
    """A TCP proxy in front of the hub. ``plan`` is a list of what to do with each new request
    connection: "pass", "cut-after-request" (forward the request, drop the reply: the hub stored
    the batch but the appliance never hears it), "500", "429:N", "503:N" (N: Retry-After)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.plan: list[str] = []
        self.seen: list[str] = []
        #: act as an older hub that refuses (422) any batch holding one of these seqs, naming its index
        self.refuse_seqs: set[int] = set()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            action = self.plan.pop(0) if self.plan else "pass"
            self.seen.append(action)
            threading.Thread(target=self._serve, args=(client, action), daemon=True).start()

    @staticmethod
    def _read_request(client: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        while len(body) < length:
            body += client.recv(65536)
        return head + b"\r\n\r\n" + body

    def _serve(self, client: socket.socket, action: str) -> None:
        with client:
            request = self._read_request(client)
            if action == "500":
                body = b'{"error": {"code": "boom", "message": "L\\u1ed7i", "field": null}}'
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                               b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                return
            if action.startswith(("429", "503")):
                code, wait = action.split(":")
                reason = b"Too Many Requests" if code == "429" else b"Service Unavailable"
                client.sendall(b"HTTP/1.1 " + code.encode() + b" " + reason + b"\r\nRetry-After: " +
                               wait.encode() + b"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                return
            refused = self._refused_index(request)
            if refused is not None:
                body = ('{"error": {"code": "invalid_field", "message": "ph\\u1ea3i l\\u00e0 s\\u1ed1 nguy\\u00ean", '
                        f'"field": "events[{refused}].payload.ticket.id"}}}}').encode()
                client.sendall(b"HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/json\r\n"
                               b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                return
            request = request.replace(b"Connection: keep-alive", b"Connection: close")
            with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
                upstream.sendall(request)
                reply = b""
                while True:
                    chunk = upstream.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
                    if action == "cut-after-request":
                        break  # the hub has the request; the appliance never gets the answer
            if action != "cut-after-request":
                client.sendall(reply)

    def _refused_index(self, request: bytes) -> int | None:
        if not self.refuse_seqs or b"events:batch" not in request.split(b"\r\n", 1)[0]:
            return None
        import gzip
        import json
        body = request.partition(b"\r\n\r\n")[2]
        doc = json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
        for i, e in enumerate(doc["events"]):
            if e["seq"] in self.refuse_seqs and e["type"] != "outbox.set_aside":   # a placeholder passes
                return i
        return None

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture
def proxy(hub):
    p = FaultProxy(hub.port)
    yield p
    p.close()
