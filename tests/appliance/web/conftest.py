"""Fixtures for the page tests: test clients logged in as a person of a given role."""
from __future__ import annotations

import pytest
from page_helpers import log_in, make_user


@pytest.fixture
def admin_client(app, appliance):
    client = app.test_client()
    log_in(client, make_user(appliance, "quantri", "admin"))
    return client


@pytest.fixture
def role_client(app, appliance):
    def build(role: str):
        client = app.test_client()
        log_in(client, make_user(appliance, f"thu.{role}", role))
        return client
    return build
