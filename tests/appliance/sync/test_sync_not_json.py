"""A captive portal or a proxy answering an HTML page with 200: enrolment and sync say so in
Vietnamese, and the sync loop records the error and keeps going instead of dying."""
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from appliance.sync.client import SyncClient, SyncError, enroll, read_status
from appliance.sync.identity import EnrolmentError, Identity

PORTAL = "<html><body><h1>Đăng nhập Wi-Fi miễn phí</h1></body></html>".encode()


class PortalHandler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PORTAL)))
        self.end_headers()
        self.wfile.write(PORTAL)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def portal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PortalHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


class ZeroJitter(random.Random):
    def random(self):
        return 0.0


def client_for(appliance, base):
    ident = Identity(hub_url=base, device_id="xa-duong-xa", device_token="t" * 32)
    return SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir, ident,
                      sleep=lambda s: None, rng=ZeroJitter())


def test_enrolment_against_an_html_page_says_so(portal, appliance):
    with pytest.raises(EnrolmentError, match="không phải JSON.*đăng nhập qua trang web"):
        enroll(portal, "ma-ghi-danh", appliance.state_dir / "other")
    assert not (appliance.state_dir / "other" / "sync-identity.json").exists()


def test_push_and_pull_against_an_html_page_raise_sync_error(portal, appliance):
    appliance.engine.issue("HT")
    client = client_for(appliance, portal)
    with pytest.raises(SyncError, match="không phải JSON"):
        client.push_once()
    with pytest.raises(SyncError, match="không phải JSON"):
        client.pull_catalog()
    with pytest.raises(SyncError, match="không phải JSON"):
        client.pull_config()


def test_the_loop_survives_html_and_unexpected_errors(portal, appliance, monkeypatch, caplog):
    appliance.engine.issue("HT")
    client = client_for(appliance, portal)
    stop = threading.Event()
    seen = []

    def boom():
        raise KeyError("hub_name")

    def on_cycle():
        seen.append(read_status(appliance.db).get("last_error"))
        if len(seen) == 1:
            monkeypatch.setattr(client, "drain", lambda: 0)
            monkeypatch.setattr(client, "pull_catalog", lambda: False)
            monkeypatch.setattr(client, "pull_config", boom)
        if len(seen) == 2:
            monkeypatch.setattr(client, "pull_config", lambda: False)
        if len(seen) == 3:
            stop.set()

    runner = threading.Thread(target=client.run, args=(stop, on_cycle), daemon=True)
    runner.start()
    runner.join(timeout=20)
    assert not runner.is_alive()
    assert "không phải JSON" in seen[0]
    assert "KeyError" in seen[1] and "hub_name" in seen[1]
    assert seen[2] is None  # a good round clears the error
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
