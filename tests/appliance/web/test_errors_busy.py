"""A database held by another writer answers 503 with Retry-After and a message an officer can act
on (JSON under /api, the error page elsewhere); other database faults stay a logged 500."""
import sqlite3

import pytest


@pytest.fixture
def locked(appliance):
    """Another process holds the write lock; our connection gives up after 50 ms."""
    appliance.db.conn().execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(appliance.db.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_busy_database_gives_503_json_with_retry_after(client, auth, locked):
    r = client.post("/api/v1/tickets", headers=auth("kiosk"), json={"service": "HT"})
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "2"
    error = r.get_json()["error"]
    assert error["code"] == "database_busy"
    assert error["message"] == "Cơ sở dữ liệu đang bận, hãy thử lại sau vài giây."


def test_busy_database_in_english_when_asked(client, auth, locked):
    r = client.post("/api/v1/tickets?lang=en", headers=auth("kiosk"), json={"service": "HT"})
    assert r.status_code == 503 and "busy" in r.get_json()["error"]["message"]


@pytest.fixture
def failing_routes(app):
    def busy():
        raise sqlite3.OperationalError("database table is locked")

    def broken():
        raise sqlite3.OperationalError("no such table: tickets_old")
    app.add_url_rule("/test-busy", "test_busy", busy)
    app.add_url_rule("/api/v1/test-broken", "test_broken", broken)
    app.add_url_rule("/test-broken", "test_broken_page", broken)
    return app


def test_busy_database_on_a_page_shows_the_error_page(failing_routes, client):
    r = client.get("/test-busy")
    assert r.status_code == 503 and r.headers["Retry-After"] == "2"
    assert "Cơ sở dữ liệu đang bận, hãy thử lại sau vài giây." in r.get_data(as_text=True)
    r = client.get("/test-busy?lang=en")
    assert "The database is busy" in r.get_data(as_text=True)


def test_other_database_errors_stay_a_logged_500(failing_routes, client, caplog):
    r = client.get("/api/v1/test-broken")
    assert r.status_code == 500 and "Retry-After" not in r.headers
    assert r.get_json()["error"]["code"] == "internal_server_error"
    assert client.get("/test-broken").status_code == 500
    assert any("no such table" in str(rec.exc_info[1]) for rec in caplog.records if rec.exc_info)
