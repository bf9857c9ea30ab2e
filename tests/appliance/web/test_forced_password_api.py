"""A person whose password was generated may not use the JSON API with their session until they
have chosen their own: 403 ``password_change_required``. Bearer tokens are not concerned."""
from __future__ import annotations

from page_helpers import csrf, log_in, make_user

from appliance.store import accounts


def test_session_api_calls_wait_for_the_password_change(app, appliance, auth):
    uid = make_user(appliance, "moi.api", "officer", "tam-thoi-123", must_change=True)
    person = app.test_client()
    log_in(person, uid)
    for method, path, body in (("get", "/api/v1/queue", None), ("get", "/api/v1/dossiers", None),
                               ("post", "/api/v1/counters/1/call-next", {})):
        r = getattr(person, method)(path, json=body)
        assert r.status_code == 403, path
        assert r.get_json() == {"error": {"code": "password_change_required", "field": None,
                                          "message": "Hãy đổi mật khẩu trước khi tiếp tục (trang Đổi mật khẩu)."}}
    assert appliance.db.conn().execute("SELECT count(*) FROM tickets WHERE state = 'called'").fetchone()[0] == 0
    english = person.get("/api/v1/queue", headers={"Accept-Language": "en"})
    assert english.status_code == 403
    assert english.get_json()["error"]["message"].startswith("Change your password")
    # a bearer token has no password to change
    assert app.test_client().get("/api/v1/queue", headers=auth("officer")).status_code == 200
    # once changed, the same session works
    token = csrf(person, "/account/password")
    changed = person.post("/account/password", data={"csrf_token": token, "current": "tam-thoi-123",
                                                     "new": "mat-khau-moi", "confirm": "mat-khau-moi"})
    assert changed.status_code == 302
    assert person.get("/api/v1/queue").status_code == 200
    assert accounts.user_by_id(appliance.db.conn(), uid).must_change_password is False
