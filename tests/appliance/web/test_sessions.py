"""Accounts: a session ends everywhere (copied cookies too) on logout, a password reset or a disabled
account; idle sessions expire; the login backs off without locking the officer out for 15 minutes,
and an administrator can unlock; weak passwords are refused."""
from __future__ import annotations

import pytest
from page_helpers import PASSWORD, csrf, log_in, make_user
from test_pages_login import demo_password, post_login

from appliance.domain.errors import DomainError
from appliance.services import accounts
from appliance.store import accounts as account_store


def copy_cookie(src, dst) -> None:
    dst.set_cookie("motcua_session", src.get_cookie("motcua_session").value)


def logged_in(client) -> bool:
    return client.get("/counter/1").status_code == 200


@pytest.fixture
def two_browsers(app, appliance):
    """canbo1 logged in through the form, and a second client holding a copy of that cookie."""
    first, thief = app.test_client(), app.test_client()
    assert post_login(first, "canbo1", demo_password(appliance, "canbo1")).status_code == 302
    copy_cookie(first, thief)
    assert logged_in(first) and logged_in(thief)
    return first, thief


def test_logout_ends_the_session_for_a_copied_cookie_too(two_browsers):
    first, thief = two_browsers
    first.post("/logout", data={"csrf_token": csrf(first, "/counter/1")})
    assert not logged_in(first)
    assert not logged_in(thief)
    assert thief.get("/api/v1/queue").status_code == 401


def test_a_password_reset_by_an_administrator_ends_every_session(two_browsers, admin_client, appliance):
    first, thief = two_browsers
    uid = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'canbo1'").fetchone()[0]
    r = admin_client.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf(admin_client)})
    assert r.status_code == 200
    assert not logged_in(first) and not logged_in(thief)


def test_disabling_an_account_ends_its_sessions(two_browsers, admin_client, appliance):
    first, thief = two_browsers
    uid = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'canbo1'").fetchone()[0]
    admin_client.post(f"/admin/users/{uid}/active", data={"csrf_token": csrf(admin_client), "active": "0"})
    assert not logged_in(thief)
    admin_client.post(f"/admin/users/{uid}/active", data={"csrf_token": csrf(admin_client), "active": "1"})
    assert not logged_in(thief)   # opening the account again does not bring old sessions back


def test_changing_ones_own_password_ends_the_other_sessions_only(app, appliance):
    here, elsewhere = app.test_client(), app.test_client()     # two logins of the same person
    old = demo_password(appliance, "canbo1")
    for client in (here, elsewhere):
        assert post_login(client, "canbo1", old).status_code == 302
    r = here.post("/account/password", data={"csrf_token": csrf(here, "/account/password"), "current": old,
                                             "new": "hoa-sen-no-som-42", "confirm": "hoa-sen-no-som-42"})
    assert r.status_code == 302
    assert logged_in(here) and not logged_in(elsewhere)


def test_a_session_expires_after_a_working_day_without_use(app, appliance, clock):
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo.thu", "officer"))
    for _ in range(12):             # used every hour: the session goes on past 10 hours
        clock.advance(3600)
        assert logged_in(client)
    clock.advance(appliance.settings.web.session_idle_hours * 3600 + 61)
    assert not logged_in(client)


def test_the_officer_at_their_counter_waits_seconds_not_a_quarter_hour(app, appliance):
    client = app.test_client()
    for _ in range(5):
        assert post_login(client, "canbo1", "sai-mat-khau").status_code == 401
    r = post_login(client, "canbo1", demo_password(appliance, "canbo1"))
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 30
    assert "giây" in r.get_data(as_text=True)


def test_an_attacker_elsewhere_does_not_lock_the_officer_out(app, appliance):
    attacker, officer = app.test_client(), app.test_client()
    for i in range(8):
        r = attacker.post("/login", data={"csrf_token": csrf(attacker, "/login"), "login": "canbo1",
                                          "password": f"sai-{i}"},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert r.status_code in (401, 429)
    assert post_login(officer, "canbo1", demo_password(appliance, "canbo1")).status_code == 302


def test_an_administrator_unlocks_the_login(app, appliance, admin_client):
    client = app.test_client()
    for _ in range(6):
        post_login(client, "canbo2", "sai-mat-khau")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Mở khóa đăng nhập" in page
    uid = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'canbo2'").fetchone()[0]
    r = admin_client.post(f"/admin/users/{uid}/unlock", data={"csrf_token": csrf(admin_client)})
    assert r.status_code == 302
    assert post_login(client, "canbo2", demo_password(appliance, "canbo2")).status_code == 302
    assert "user.unlock" in {r[0] for r in appliance.db.conn().execute("SELECT action FROM audit_log")}


@pytest.mark.parametrize("new, reason", [("12345678", "phổ biến"), ("aaaaaaaaaa", "lặp lại"),
                                         ("canbo.thu2026", "tên đăng nhập")])
def test_weak_new_passwords_are_refused(app, appliance, new, reason):
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo.thu", "officer"))
    r = client.post("/account/password", data={"csrf_token": csrf(client, "/account/password"), "current": PASSWORD,
                                               "new": new, "confirm": new})
    assert r.status_code == 400 and reason in r.get_data(as_text=True)


def test_the_office_name_is_refused_as_a_password(appliance):
    office = appliance.settings.office.name
    word = "".join(c for c in office.split()[-1] if c.isalpha()) or "duongxa"
    with appliance.units() as tx:
        uid = accounts.add_user(tx, "canbo.moi", "officer", "hoa-sen-no-som-42")
        with pytest.raises(DomainError):
            accounts.set_password(tx, uid, office + " 2026", office_name=office)
    assert word


def test_a_session_survives_when_last_seen_cannot_be_written(app, appliance, clock, monkeypatch):
    """A full card (or a busy writer) must not log everybody out: last_seen is best effort."""
    import sqlite3
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo.thu", "officer"))

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(account_store, "touch_session", full)
    clock.advance(120)
    assert logged_in(client)


def restarted(settings, clock):
    """The same database opened by a new appliance and app, as after a restart of the service."""
    from appliance.runtime import Appliance
    from appliance.web import create_app
    again = Appliance(settings, clock_fn=clock)
    return again, create_app(again, {"TESTING": True})


def test_a_restart_does_not_reset_the_backoff_and_an_unlock_is_kept(app, appliance, settings, clock):
    client = app.test_client()
    for _ in range(6):
        post_login(client, "canbo2", "sai-mat-khau")
    wait = int(post_login(client, "canbo2", demo_password(appliance, "canbo2")).headers["Retry-After"])
    assert wait >= 30
    appliance.stop()
    again, app2 = restarted(settings, clock)
    try:
        r = post_login(app2.test_client(), "canbo2", demo_password(again, "canbo2"))
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= wait
        admin = app2.test_client()
        log_in(admin, make_user(again, "quantri", "admin"))
        assert "canbo2" in admin.get("/admin/users").get_data(as_text=True)
        uid = again.db.conn().execute("SELECT id FROM users WHERE login = 'canbo2'").fetchone()[0]
        assert admin.post(f"/admin/users/{uid}/unlock", data={"csrf_token": csrf(admin)}).status_code == 302
    finally:
        again.stop()
    third, app3 = restarted(settings, clock)         # the unlock outlives a restart too
    try:
        assert post_login(app3.test_client(), "canbo2", demo_password(third, "canbo2")).status_code == 302
        assert third.db.conn().execute("SELECT count(*) FROM login_failures WHERE login = 'canbo2'").fetchone()[0] == 0
    finally:
        third.stop()


def test_kept_counts_older_than_an_hour_are_forgotten_at_start(app, appliance, settings, clock):
    client = app.test_client()
    for _ in range(6):
        post_login(client, "canbo2", "sai-mat-khau")
    assert appliance.db.conn().execute("SELECT count(*) FROM login_failures").fetchone()[0] == 3
    appliance.stop()
    clock.advance(3601)
    again, app2 = restarted(settings, clock)
    try:
        assert again.db.conn().execute("SELECT count(*) FROM login_failures").fetchone()[0] == 0
        assert post_login(app2.test_client(), "canbo2", demo_password(again, "canbo2")).status_code == 302
    finally:
        again.stop()
