"""Shared fixtures: an appliance over a SQLite file in a temporary directory, the Flask app,
its test client, tokens per role, and a real waitress server on a free port."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("MOTCUA_CLOCK_SYNCED", "1")

# The property tests draw the same examples on every run (CI is deterministic: a failure seen once
# is seen again), and keep no example database between runs. To explore new examples by hand:
# `MOTCUA_TEST_HYPOTHESIS=explore make test` (MOTCUA_TEST_* is never read as a setting).
hypothesis_settings.register_profile("motcua", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("MOTCUA_TEST_HYPOTHESIS", "motcua"))


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """scrypt costs ~0.1 s a user; tests create many users, so they use a cheap pbkdf2."""
    from appliance.services import accounts
    accounts.PASSWORD_METHOD = "pbkdf2:sha256:1000"
    yield


class FakeClock:
    """Wall-clock seconds that tests move by hand (08:00 local time on a Monday)."""

    def __init__(self, start: float = 1796000400.0):  # Monday 2026-11-30 08:00 +07:00
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def settings(tmp_path: Path):
    from appliance import config
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")},
        "web": {"host": "127.0.0.1", "port": 8080},
        "queue": {"pager_pool": 10},
    })


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def appliance(settings, clock):
    from appliance import demo
    from appliance.runtime import Appliance
    app_ = Appliance(settings, clock_fn=clock)
    demo.seed(app_)
    yield app_
    app_.stop()


@pytest.fixture
def empty_appliance(settings, clock):
    from appliance.runtime import Appliance
    app_ = Appliance(settings, clock_fn=clock)
    yield app_
    app_.stop()


@pytest.fixture
def app(appliance):
    from appliance.web import create_app
    return create_app(appliance, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tokens(appliance):
    """A bearer token for each role."""
    from appliance.services import accounts
    from appliance.store import accounts as account_store
    out = {}
    with appliance.units() as tx:
        for role in account_store.TOKEN_ROLES:
            out[role] = accounts.add_token(tx, f"test-{role}", role)
    return out


@pytest.fixture
def auth(tokens):
    def headers(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}
    return headers


@pytest.fixture
def live_server(appliance):
    """The real app on waitress on a free port, in a thread."""
    from appliance.server import make_server, shutdown
    server = make_server(appliance, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    shutdown(server, appliance)
    thread.join(timeout=5)
