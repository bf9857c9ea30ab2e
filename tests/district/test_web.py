"""Dashboard: login with hashed passwords, CSRF on forms, overview across communes, drill-down,
English on request."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from district.db.schema import staff_users
from district.simulate import SimulatedCommune
from district.store import staff
from tests.district.conftest import post_batch

PASSWORD = "mat-khau-du-dai"


def csrf_of(client) -> str:
    client.get("/dang-nhap")
    with client.session_transaction() as s:
        return s["csrf_token"]


def login(client, engine, name="truongphong"):
    with engine.begin() as conn:
        staff.add_user(conn, name, PASSWORD)
    r = client.post("/dang-nhap", data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(client),
                                        "next": "/xa/xa-duong-xa"})
    return r


# The hub's clock is fixed to the evening of a Tuesday: the whole simulated office day is in the past,
# whatever time the tests run.
EVENING = datetime(2026, 11, 24, 21, 0, tzinfo=timezone(timedelta(hours=7)))


@pytest.fixture
def evening(monkeypatch):
    monkeypatch.setattr("district.hub.utcnow", lambda: EVENING.astimezone(UTC))
    return EVENING


def seed_today(hub_client, enrol, hub_app):
    today = hub_app.extensions["motcua_hub"].today()
    assert today == EVENING.date()
    for code, name, agency, seed in (("xa-duong-xa", "Xã Dương Xá", "000.00.06.H56", 1),
                                     ("xa-long-son", "Xã Long Sơn", "000.00.07.H56", 2)):
        token = enrol(code, name)
        sim = SimulatedCommune(code, agency, seed=seed)
        for doc in sim.batches(sim.day_events(today, tickets=25)):
            assert post_batch(hub_client, code, token, doc).status_code == 200
    return today


def test_pages_need_a_login(hub_client):
    r = hub_client.get("/")
    assert r.status_code == 302 and "/dang-nhap" in r.headers["Location"]
    assert hub_client.get("/bao-cao/excel").status_code == 302


def test_passwords_are_stored_hashed(hub_client, engine):
    login(hub_client, engine)
    with engine.connect() as conn:
        stored = conn.execute(select(staff_users.c.password_hash)).scalar()
    assert PASSWORD not in stored and stored.startswith("pbkdf2:")


def test_wrong_password_is_refused_in_vietnamese(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    r = hub_client.post("/dang-nhap", data={"name": "truongphong", "password": "sai-mat-khau",
                                            "csrf_token": csrf_of(hub_client)})
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in r.get_data(as_text=True)


def test_forms_without_the_csrf_token_are_refused(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    r = hub_client.post("/dang-nhap", data={"name": "truongphong", "password": PASSWORD})
    assert r.status_code == 400 and "Hãy tải lại trang" in r.get_data(as_text=True)
    r = hub_client.post("/dang-nhap", data={"name": "truongphong", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 400
    assert login(hub_client, engine).status_code == 302
    assert hub_client.post("/dang-xuat").status_code == 400          # logout is a form too
    assert hub_client.get("/").status_code == 200


def test_overview_and_drill_down(hub_client, hub_app, enrol, engine, evening):
    seed_today(hub_client, enrol, hub_app)
    r = login(hub_client, engine)
    assert r.status_code == 302 and r.headers["Location"] == "/xa/xa-duong-xa"
    html = hub_client.get("/").get_data(as_text=True)
    assert "Bảng điều hành các xã" in html and "Xã Dương Xá" in html and "Xã Long Sơn" in html
    assert html.index("Xã Dương Xá") < html.index("Xã Long Sơn")
    detail = hub_client.get("/xa/xa-duong-xa").get_data(as_text=True)
    assert "Lấy số theo dịch vụ hôm nay" in detail and "Hộ tịch" in detail and "000.00.06.H56-" in detail
    assert "000.00.07.H56-" not in detail
    assert hub_client.get("/xa/khong-co").status_code == 404


def test_english_on_request(hub_client, engine):
    login(hub_client, engine)
    html = hub_client.get("/?lang=en").get_data(as_text=True)
    assert "Communes dashboard" in html and 'lang="en"' in html
    assert "Communes dashboard" in hub_client.get("/").get_data(as_text=True)   # remembered
    assert "Bảng điều hành các xã" in hub_client.get("/?lang=vi").get_data(as_text=True)


def test_communes_api_counts(hub_client, hub_app, enrol, staff_token, evening):
    today = seed_today(hub_client, enrol, hub_app)
    assert hub_client.get("/api/v1/communes").status_code == 401
    r = hub_client.get("/api/v1/communes", headers={"Authorization": f"Bearer {staff_token}"})
    assert r.status_code == 200
    doc = r.json
    assert doc["hub"] == {"name": "Tỉnh Bắc Ninh", "level": "province"} and doc["day"] == today.isoformat()
    duong_xa = next(c for c in doc["communes"] if c["code"] == "xa-duong-xa")
    sim = SimulatedCommune("xa-duong-xa", "000.00.06.H56", seed=1)
    expected = sim.day_events(today, tickets=25)
    assert duong_xa["events_received"] == len(expected)
    assert duong_xa["tickets"]["today"] == 25
    issued = sum(e["type"] == "ticket.issued" for e in expected)
    done = sum(e["type"] == "ticket.done" for e in expected)
    assert (issued, done) == (25, duong_xa["tickets"]["served"])
    received = sum(e["type"] == "dossier.received" for e in expected)
    by_state = duong_xa["dossiers"]["by_state"]
    assert sum(by_state.values()) == received == duong_xa["dossiers"]["received_today"]
    resolved = duong_xa["dossiers"]["resolved_today"]
    assert sum(resolved.values()) == sum(e["type"] == "dossier.returned" for e in expected)
    assert datetime.fromisoformat(duong_xa["last_sync_at"]).utcoffset() == timedelta(hours=7)
    assert duong_xa["backlog"] == 0 and duong_xa["devices"][0]["acked_through"] == len(expected)
