"""The event server over real sockets: streams hold no waitress thread, a cap answers 503 with
Retry-After, a closed client is noticed without waiting for a heartbeat, idle and slow sockets do
not block a ticket issue, a stream opened on a reused keep-alive connection is handed over too."""
from __future__ import annotations

import json
import socket
import threading

import pytest
import requests
from sse_client import start_reader, wait_for
from waiting import DEADLINE, wait_until


@pytest.fixture
def tight_settings(tmp_path):
    from appliance import config
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")},
        "web": {"host": "127.0.0.1", "port": 8080, "threads": 2, "stream_limit": 30},
        "queue": {"pager_pool": 10},
    })


@pytest.fixture
def server(tight_settings, clock):
    """The panel's server with 2 waitress threads and room for 30 streams."""
    from appliance import demo
    from appliance.runtime import Appliance
    from appliance.server import make_server, shutdown
    appliance = Appliance(tight_settings, clock_fn=clock)
    demo.seed(appliance)
    srv = make_server(appliance, "127.0.0.1", 0)
    srv.motcua_events.heartbeat_s = 3600.0  # a disconnect must be noticed without a heartbeat
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield appliance, srv, f"http://127.0.0.1:{srv.effective_port}"
    shutdown(srv, appliance)
    thread.join(timeout=DEADLINE)
    appliance.stop()


@pytest.fixture
def headers(server):
    from appliance.services import accounts
    appliance = server[0]
    with appliance.units() as tx:
        kiosk = accounts.add_token(tx, "kiosk", "kiosk")
        officer = accounts.add_token(tx, "officer", "officer")
        display = accounts.add_token(tx, "display", "display")
    return {role: {"Authorization": f"Bearer {tok}"}
            for role, tok in (("kiosk", kiosk), ("officer", officer), ("display", display))}


def open_streams(base, header, n):
    readers = [start_reader(f"{base}/api/v1/events", header) for _ in range(n)]
    for out, _ in readers:
        assert out.get(timeout=DEADLINE) == ("status", 200)
        wait_for(out, lambda e: e.get("event") == "hello")
    return readers


def test_streams_hold_no_request_thread(server, headers):
    appliance, srv, base = server
    readers = open_streams(base, headers["display"], 20)  # ten times waitress's 2 threads
    try:
        assert srv.motcua_events.count() == 20
        r = requests.post(f"{base}/api/v1/tickets", json={"service": "HT"}, headers=headers["kiosk"],
                          timeout=DEADLINE)
        assert r.status_code == 201, r.text
        number = r.json()["number"]
        for out, _ in readers:
            event = wait_for(out, lambda e: e.get("event") == "ticket.issued")[1]
            assert event["data"]["payload"]["ticket"]["number"] == number
        assert requests.get(f"{base}/api/v1/queue", headers=headers["kiosk"], timeout=DEADLINE).status_code == 200
    finally:
        for _, stop in readers:
            stop.set()


def test_over_the_cap_a_clear_503_with_retry_after(server, headers):
    appliance, srv, base = server
    srv.motcua_events.limit = 3
    readers = open_streams(base, headers["display"], 3)
    try:
        r = requests.get(f"{base}/api/v1/events", headers=headers["display"], timeout=DEADLINE)
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "10"
        error = r.json()["error"]
        assert error["code"] == "too_many_streams" and "quá nhiều màn hình" in error["message"]
        r = requests.get(f"{base}/api/v1/events", headers={**headers["display"], "Accept-Language": "en"},
                         timeout=DEADLINE)
        assert r.status_code == 503 and "Too many live streams" in r.json()["error"]["message"]
        # the API itself is not capped
        assert requests.get(f"{base}/api/v1/queue", headers=headers["kiosk"], timeout=DEADLINE).status_code == 200
        readers[0][1].set()
        readers[0][0].queue.clear()
    finally:
        for _, stop in readers:
            stop.set()


def test_a_closed_client_is_noticed_without_a_heartbeat(server, headers):
    appliance, srv, base = server
    token = headers["display"]["Authorization"]
    sock = socket.create_connection(("127.0.0.1", srv.effective_port), timeout=DEADLINE)
    sock.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n\r\n".encode())
    head = b""
    while b"event: hello" not in head:
        head += sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200")
    wait_until(lambda: srv.motcua_events.count() == 1, message="the stream registered")
    sock.close()
    wait_until(lambda: srv.motcua_events.count() == 0, message="the closed stream noticed")


def test_refused_stream_gets_the_apps_own_error(server, headers):
    appliance, srv, base = server
    r = requests.get(f"{base}/api/v1/events", timeout=DEADLINE)
    assert r.status_code == 401 and r.json()["error"]["code"]
    r = requests.get(f"{base}/api/v1/mirror/1/events", headers=headers["kiosk"], timeout=DEADLINE)
    assert r.status_code == 403
    assert srv.motcua_events.count() == 0


def test_a_stream_on_a_reused_keep_alive_connection_is_handed_over(server, headers):
    appliance, srv, base = server
    session = requests.Session()
    assert session.get(f"{base}/api/v1/health", timeout=DEADLINE).status_code == 200
    with session.get(f"{base}/api/v1/events", headers=headers["display"], stream=True, timeout=DEADLINE) as r:
        assert r.status_code == 200
        lines = r.iter_lines(chunk_size=1, decode_unicode=True)
        assert next(line for line in lines if line.startswith("event:")) == "event: hello"
        assert srv.motcua_events.count() == 1
        requests.post(f"{base}/api/v1/tickets", json={"service": "HT"}, headers=headers["kiosk"], timeout=DEADLINE)
        data = next(line for line in lines if line.startswith("data:") and "ticket.issued" in line)
        assert json.loads(data[6:])["type"] == "ticket.issued"


def test_idle_and_slow_sockets_do_not_block_a_ticket_issue(server, headers):
    appliance, srv, base = server
    socks = []
    try:
        for i in range(250):
            s = socket.create_connection(("127.0.0.1", srv.effective_port), timeout=DEADLINE)
            if i % 2:  # a slow client: half a request, then nothing
                s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        r = requests.post(f"{base}/api/v1/tickets", json={"service": "HT"}, headers=headers["kiosk"],
                          timeout=DEADLINE)
        assert r.status_code == 201, r.text
        readers = open_streams(base, headers["display"], 2)
        for _, stop in readers:
            stop.set()
    finally:
        for s in socks:
            s.close()


def test_a_request_waitress_cannot_parse_gets_its_400(server):
    """A request line waitress cannot read has no method: the hand-off must pass it on to waitress
    (which answers 400), not fail on it and drop the connection with nothing said."""
    appliance, srv, base = server
    with socket.create_connection(("127.0.0.1", srv.effective_port), timeout=DEADLINE) as sock:
        sock.sendall(b"NOT-A-REQUEST-LINE\r\nHost: x\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.") and b" 400 " in status_line, answer
    assert requests.get(f"{base}/api/v1/health", timeout=DEADLINE).ok
