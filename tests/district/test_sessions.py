"""Dashboard sessions live on the server: logout or a new password ends them everywhere (a copied
cookie too), and a session unused for session_idle_hours ends (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from district.db.schema import staff_sessions
from district.store import staff
from district.store.clock import utcnow
from tests.district.test_login_throttle import PASSWORD, attempt, csrf_of


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def two_clients(hub_app, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    first, thief = hub_app.test_client(), hub_app.test_client()
    assert attempt(first, "truongphong", PASSWORD).status_code == 302
    thief.set_cookie("session", first.get_cookie("session").value)
    assert logged_in(first) and logged_in(thief)
    return first, thief


def test_logout_ends_a_copied_cookie_too(hub_app, engine):
    first, thief = two_clients(hub_app, engine)
    first.post("/dang-xuat", data={"csrf_token": csrf_of(first)})
    assert not logged_in(first) and not logged_in(thief)
    assert thief.get("/api/v1/communes").status_code == 401


def test_a_new_password_ends_every_session(hub_app, engine):
    first, thief = two_clients(hub_app, engine)
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", "mat-khau-moi-dai-hon")
    assert not logged_in(first) and not logged_in(thief)


def test_an_idle_session_ends(hub_app, engine):
    first, _thief = two_clients(hub_app, engine)
    hours = hub_app.extensions["motcua_hub"].settings.session_idle_hours
    with engine.begin() as conn:
        conn.execute(update(staff_sessions).values(last_seen_at=utcnow() - timedelta(hours=hours - 1)))
    assert logged_in(first)                      # used within the limit: goes on (and is touched)
    with engine.begin() as conn:
        conn.execute(update(staff_sessions).values(last_seen_at=utcnow() - timedelta(hours=hours, minutes=1)))
    assert not logged_in(first)
