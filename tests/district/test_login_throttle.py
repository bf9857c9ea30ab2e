"""The dashboard login is throttled: 5 wrong passwords per login name or 20 per address in 15
minutes, then 429 with Retry-After and a Vietnamese message; only failures count."""
from __future__ import annotations

from district.store import staff

PASSWORD = "mat-khau-du-dai"
MESSAGE = "Đăng nhập sai quá nhiều lần"


def csrf_of(client) -> str:
    client.get("/dang-nhap")
    with client.session_transaction() as s:
        return s["csrf_token"]


def attempt(client, name, password, address="10.0.0.5"):
    return client.post("/dang-nhap", data={"name": name, "password": password, "csrf_token": csrf_of(client)},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_for_one_name_are_throttled(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    codes = [attempt(hub_client, "truongphong", f"sai-{i}").status_code for i in range(25)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    r = attempt(hub_client, " TruongPhong ", PASSWORD)  # even the right password waits now
    assert r.status_code == 429
    assert 0 < int(r.headers["Retry-After"]) <= 15 * 60
    assert MESSAGE in r.get_data(as_text=True)
    # another name from another address is not affected
    with engine.begin() as conn:
        staff.add_user(conn, "chuyenvien", PASSWORD)
    assert attempt(hub_client, "chuyenvien", PASSWORD, address="10.0.0.6").status_code == 302


def test_many_names_from_one_address_are_throttled(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    codes = [attempt(hub_client, f"nguoi-{i}", "sai").status_code for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429
    assert attempt(hub_client, "truongphong", PASSWORD).status_code == 429
    assert attempt(hub_client, "truongphong", PASSWORD, address="10.0.0.7").status_code == 302


def test_successful_logins_are_not_counted(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    for _ in range(8):
        assert attempt(hub_client, "truongphong", PASSWORD).status_code == 302
        hub_client.post("/dang-xuat", data={"csrf_token": csrf_of(hub_client)})
    assert attempt(hub_client, "truongphong", "sai").status_code == 401


def test_english_message_on_request(hub_client, engine):
    hub_client.get("/dang-nhap?lang=en")
    for _ in range(6):
        r = attempt(hub_client, "ai-do", "sai")
    assert r.status_code == 429 and "Too many failed logins" in r.get_data(as_text=True)
