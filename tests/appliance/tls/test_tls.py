"""HTTPS on the LAN: the authority and certificate (names, addresses, chain), enable/disable, the
TLS front over a real panel (Secure cookies, the redirect from plain HTTP), the CA download."""
from __future__ import annotations

import ssl
import subprocess
import sys
import threading

import pytest
import requests

from appliance.tls import certs, state


def test_the_certificate_names_the_device_and_chains_to_the_office_authority(tmp_path):
    f = state.enable(tmp_path, "UBND xã Dương Xá", addresses=["192.168.1.20"], names=["motcua.local",
                                                                                     "motcua-b9c1.local", "localhost"])
    names, ips = certs.names_in(f.cert.read_bytes())
    assert names == ["motcua.local", "motcua-b9c1.local", "localhost"]
    assert ips == ["127.0.0.1", "192.168.1.20"]
    assert f.key.stat().st_mode & 0o077 == 0 and f.ca_key.stat().st_mode & 0o077 == 0
    ctx = ssl.create_default_context(cafile=str(f.ca))     # the chain verifies with only the authority
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(f.cert), str(f.key))
    assert ctx and server
    assert state.enabled_port(tmp_path) == 8443


def test_enabling_again_keeps_the_authority_and_disable_keeps_it_too(tmp_path):
    first = state.enable(tmp_path, "Xã A", addresses=[]).ca.read_bytes()
    assert state.disable(tmp_path) and state.enabled_port(tmp_path) is None
    assert not state.disable(tmp_path)
    again = state.enable(tmp_path, "Xã A", addresses=["10.0.0.2"], port=9443)
    assert again.ca.read_bytes() == first and state.enabled_port(tmp_path) == 9443


def test_off_by_default(tmp_path):
    assert state.enabled_port(tmp_path) is None


@pytest.fixture
def https_panel(appliance):
    """The real panel on waitress with HTTPS on: (https base, http base, CA file)."""
    from appliance.server import make_server, shutdown, use_tls
    from appliance.tls.front import TlsFront
    f = state.enable(appliance.state_dir, appliance.settings.office.name, addresses=[])
    assert use_tls(appliance) == 8443 and appliance.settings.web.secure_cookies
    server = make_server(appliance, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    front = TlsFront(f.cert, f.key, 0, server.effective_port, host="127.0.0.1").start()
    appliance.tls_port = front.port   # the redirect's target: the free port the front took
    yield f"https://localhost:{front.port}", f"http://127.0.0.1:{server.effective_port}", f.ca
    front.stop()
    shutdown(server, appliance)
    thread.join(timeout=5)


def test_the_panel_over_https_with_secure_cookies(https_panel, appliance):
    https, _http, ca = https_panel
    r = requests.get(f"{https}/api/v1/health", verify=str(ca), timeout=30)
    assert r.status_code == 200 and r.json()["status"] in ("up", "ok")
    r = requests.get(f"{https}/login", verify=str(ca), timeout=30)
    assert r.status_code == 200
    cookie = r.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie
    with pytest.raises(requests.exceptions.SSLError):      # without the office's authority: not trusted
        requests.get(f"{https}/login", timeout=30)


def test_plain_http_from_the_lan_is_redirected_and_loopback_is_served(app, appliance):
    appliance.tls_port = 8443
    client = app.test_client()
    r = client.get("/counter/1?x=1", base_url="http://motcua.local:8080", environ_base={"REMOTE_ADDR": "192.168.1.50"})
    assert r.status_code == 308 and r.headers["Location"] == "https://motcua.local:8443/counter/1?x=1"
    assert client.get("/login").status_code == 200       # loopback: the front, the kiosk, doctor


def test_the_authority_is_offered_for_download_with_instructions(client, appliance):
    assert client.get("/tls/ca.crt").status_code == 404     # never enabled
    assert "sudo motcua tls enable" in client.get("/tls").get_data(as_text=True)
    f = state.enable(appliance.state_dir, appliance.settings.office.name, addresses=[])
    r = client.get("/tls/ca.crt")
    assert r.status_code == 200 and r.data == f.ca.read_bytes()
    assert r.headers["Content-Type"] == "application/x-x509-ca-cert"
    page = client.get("/tls").get_data(as_text=True)
    assert "Windows" in page and "Android" in page and certs.fingerprint(f.ca.read_bytes()) in page
    assert "Install Certificate" in client.get("/tls?lang=en").get_data(as_text=True)


def test_the_command_line(settings, tmp_path):
    from appliance import config  # noqa: F401 (the settings fixture wrote nothing: pass the db path)
    env_db = settings.storage.path
    cfg = tmp_path / "motcua.toml"
    cfg.write_text(f'[storage]\npath = "{env_db}"\n', encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "appliance.cli", "--config", str(cfg), "tls", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
    assert "tắt" in run("status").stdout
    out = run("enable", "--port", "9443")
    assert out.returncode == 0, out.stderr
    assert "motcua.local" in out.stdout and "SHA-256" in out.stdout
    assert "bật, cổng 9443" in run("status").stdout
    assert run("disable").returncode == 0 and "tắt" in run("status").stdout


def test_through_the_front_the_panel_sees_the_lan_client_not_loopback(https_panel, appliance):
    """Health says only up/down to a machine on the LAN, over HTTPS too (the front names the client)."""
    https, _http, ca = https_panel
    r = requests.get(f"{https}/api/v1/health", verify=str(ca), timeout=30)
    # the test client is on loopback itself: the front names 127.0.0.1, full health; the header is
    # what carries the address, checked below with a LAN address
    assert r.status_code == 200
    from appliance.tls.front import tell_client
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Motcua-Client: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
    told = tell_client(head, "192.168.1.50")
    assert told.count(b"X-Motcua-Client") == 1 and b"X-Motcua-Client: 192.168.1.50" in told
    assert b"Connection: close" in told and b"keep-alive" not in told


def test_only_loopback_may_name_the_client(app, appliance):
    client = app.test_client()
    lan = client.get("/api/v1/health", headers={"X-Motcua-Client": "192.168.1.50"})
    assert lan.get_json() == {"status": "up"}          # from the front: a LAN machine, up/down only
    spoof = client.get("/api/v1/health", headers={"X-Motcua-Client": "127.0.0.1"},
                       environ_base={"REMOTE_ADDR": "192.168.1.77"})
    assert spoof.get_json() == {"status": "up"}        # a LAN machine cannot pose as the appliance
    appliance.tls_port = 8443
    via_front = client.get("/login", headers={"X-Motcua-Client": "192.168.1.50"})
    assert via_front.status_code == 200                 # over https already: no redirect
