"""Mirror tokens: the citizen screen of ONE counter. Staff see any counter's mirror, a mirror token
only its own counter's; a hall display or a kiosk never sees a form being typed."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from page_helpers import post_form, text

from appliance.domain.errors import DomainError
from appliance.services import accounts
from appliance.store import accounts as account_store

SECRET = re.compile(r'<code id="secret-value">([^<]+)</code>')
MIRROR_PATHS = ("/api/v1/counters/{n}/draft", "/api/v1/mirror/{n}/events")


def add_mirror(appliance, counter_id: int) -> str:
    with appliance.units() as tx:
        return accounts.add_token(tx, f"quay-{counter_id}-{uuid.uuid4().hex[:6]}", "mirror",
                                  counter_id=counter_id)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def status(client, path: str, headers=None) -> int:
    """The status of a GET (an event stream is closed without reading it)."""
    response = client.get(path, headers=headers or {})
    code = response.status_code
    response.close()
    return code


# --- the store -------------------------------------------------------------------------------

def test_a_mirror_token_is_bound_to_one_existing_counter(appliance):
    token = add_mirror(appliance, 2)
    principal = account_store.token_principal(appliance.db.conn(), token)
    assert principal.role == "mirror" and principal.counter_id == 2
    with appliance.units() as tx:
        display = account_store.token_principal(tx.conn, accounts.add_token(tx, "tv", "display"))
    assert display.counter_id is None
    with pytest.raises(DomainError) as missing, appliance.units() as tx:
        accounts.add_token(tx, "màn hình", "mirror")
    assert missing.value.field == "counter_id" and "phải gắn với một quầy" in missing.value.message()
    with pytest.raises(DomainError) as unknown, appliance.units() as tx:
        accounts.add_token(tx, "màn hình", "mirror", counter_id=42)
    assert unknown.value.message() == "Không có quầy số 42."
    with pytest.raises(DomainError) as extra, appliance.units() as tx:
        accounts.add_token(tx, "tv", "display", counter_id=1)
    assert "chỉ mã vai trò mirror gắn với một quầy" in extra.value.message()
    assert "only a mirror token" in extra.value.message("en")


def test_the_database_refuses_a_mirror_row_without_a_counter(appliance):
    import sqlite3
    with pytest.raises(sqlite3.IntegrityError):
        appliance.db.conn().execute("INSERT INTO api_tokens (name, role, token_hash, created_ts) "
                                    "VALUES ('x', 'mirror', 'h', 0)")


# --- who may see a counter's draft ---------------------------------------------------------

@pytest.mark.parametrize("path", MIRROR_PATHS)
def test_hall_display_and_kiosk_never_read_a_counter_draft(client, auth, path):
    for role in ("display", "kiosk"):
        assert status(client, path.format(n=1), auth(role)) == 403, role


@pytest.mark.parametrize("path", MIRROR_PATHS)
def test_a_mirror_token_reads_only_its_own_counter(client, appliance, path):
    headers = bearer(add_mirror(appliance, 1))
    assert status(client, path.format(n=1), headers) == 200
    assert status(client, path.format(n=2), headers) == 403
    assert status(client, "/api/v1/queue", headers) == 403             # nothing else of the office
    assert status(client, "/api/v1/dossiers", headers) == 403


@pytest.mark.parametrize("path", MIRROR_PATHS)
def test_staff_read_every_counter(client, auth, role_client, path):
    for role in ("admin", "officer", "volunteer"):
        assert status(client, path.format(n=2), auth(role)) == 200, role
    assert status(role_client("volunteer"), path.format(n=3)) == 200    # a logged-in session too


def test_mirror_pages_refuse_display_tokens_and_other_counters(client, auth, tokens, appliance):
    refused = client.get(f"/mirror/1?token={tokens['display']}")
    assert refused.status_code == 403 and "set-cookie" not in {k.lower() for k in refused.headers.keys()}
    assert client.get("/mirror/1", headers=auth("display")).status_code == 403
    own = add_mirror(appliance, 1)
    wrong = client.get(f"/mirror/2?token={own}")
    assert wrong.status_code == 403 and "quầy 1, không phải quầy 2" in wrong.get_data(as_text=True)
    assert client.get("/mirror/2", headers=bearer(own)).status_code == 403


def test_a_mirror_cookie_counts_only_on_its_counter_mirror(app, appliance):
    device = app.test_client()
    token = add_mirror(appliance, 1)
    enrolled = device.get(f"/mirror/1?token={token}")
    assert enrolled.status_code == 302 and enrolled.headers["Location"].endswith("/mirror/1")
    assert device.get("/mirror/1").status_code == 200
    assert status(device, "/api/v1/counters/1/draft") == 200
    assert status(device, "/api/v1/mirror/1/events") == 200
    # anywhere else the screen is anonymous
    assert device.get("/mirror/2").status_code == 401
    assert status(device, "/api/v1/counters/2/draft") == 401
    assert status(device, "/api/v1/queue") == 401
    assert device.get("/display").status_code in (302, 401)
    assert device.get("/dossiers").status_code == 302                  # to the login page


def test_a_display_cookie_no_longer_opens_the_mirror(app, tokens):
    tv = app.test_client()
    assert tv.get(f"/display?token={tokens['display']}").status_code == 302
    assert tv.get("/display").status_code == 200
    assert tv.get("/mirror/1").status_code == 403
    assert status(tv, "/api/v1/counters/1/draft") == 403


# --- the admin page ------------------------------------------------------------------------

def test_admin_creates_a_mirror_token_for_a_counter_with_its_address(client, admin_client, appliance):
    response = post_form(admin_client, "/admin/tokens", {"name": "Quầy 2 – màn hình công dân", "role": "mirror",
                                                         "counter": "2"})
    assert response.status_code == 200
    body = text(response)
    token = SECRET.search(body).group(1)
    assert "/mirror/2?token=" + token in body
    row = appliance.db.conn().execute("SELECT * FROM api_tokens WHERE name = ?",
                                      ("Quầy 2 – màn hình công dân",)).fetchone()
    assert row["role"] == "mirror" and row["counter_id"] == 2
    listing = text(admin_client.get("/admin/tokens"))
    tr = re.search(r'<tr data-token="Quầy 2 – màn hình công dân">.*?</tr>', listing, re.S).group(0)
    assert "Màn hình công dân tại quầy" in tr and "quầy 2" in tr
    assert client.get("/api/v1/counters/2/draft", headers=bearer(token)).status_code == 200
    assert [r["detail"] for r in appliance.db.conn().execute(
        "SELECT detail FROM audit_log WHERE object = 'token:Quầy 2 – màn hình công dân'")] \
        == ["vai trò mirror, quầy 2"]


def test_admin_form_explains_a_missing_or_needless_counter(admin_client, appliance):
    missing = post_form(admin_client, "/admin/tokens", {"name": "màn hình", "role": "mirror", "counter": ""})
    assert missing.status_code == 400 and "phải gắn với một quầy" in text(missing)
    needless = post_form(admin_client, "/admin/tokens", {"name": "tv", "role": "display", "counter": "1"})
    assert needless.status_code == 400 and "đừng chọn quầy" in text(needless)
    assert appliance.db.conn().execute("SELECT count(*) FROM api_tokens WHERE name IN ('màn hình', 'tv')"
                                       ).fetchone()[0] == 0


# --- the command line ----------------------------------------------------------------------

def test_cli_token_add_mirror_needs_its_counter(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{tmp_path / "motcua.db"}"\n[gpio]\nfactory = "none"\n', encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}, "MOTCUA_CONFIG": str(cfg)}

    def motcua(*args):
        return subprocess.run([sys.executable, "-m", "appliance.cli", *args], env=env, capture_output=True,
                              text=True, timeout=60)
    assert motcua("service", "add", "HT", "Hộ tịch").returncode == 0
    assert motcua("counter", "add", "1", "Quầy 1", "--services", "HT").returncode == 0
    ok = motcua("token", "add", "Quầy 1 – màn hình công dân", "--role", "mirror", "--counter", "1")
    assert ok.returncode == 0 and ok.stdout.strip().startswith("mc_"), ok.stderr
    missing = motcua("token", "add", "màn hình", "--role", "mirror")
    assert missing.returncode == 1 and "phải gắn với một quầy" in missing.stderr
    needless = motcua("token", "add", "tv", "--role", "display", "--counter", "1")
    assert needless.returncode == 1 and "đừng chọn quầy" in needless.stderr
    import sqlite3
    rows = sqlite3.connect(tmp_path / "motcua.db").execute("SELECT role, counter_id FROM api_tokens").fetchall()
    assert rows == [("mirror", 1)]
