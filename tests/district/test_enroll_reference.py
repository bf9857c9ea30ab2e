"""Enrolment (one-time, hashed at rest, expiring), revocation, catalog and device config with ETag."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from district.db.schema import devices
from district.store import catalog
from district.store import devices as device_store
from district.store.clock import utcnow


def test_enrolment_token_is_one_time_and_hashed(hub_client, engine):
    with engine.begin() as conn:
        one_time = device_store.add_device(conn, "xa-duong-xa", "Xã Dương Xá")
    with engine.connect() as conn:
        row = conn.execute(select(devices)).one()
    assert one_time not in json.dumps([str(v) for v in row])
    r = hub_client.post("/api/v1/enroll", json={"token": one_time})
    assert r.status_code == 200
    assert r.json["device_id"] == "xa-duong-xa" and r.json["hub_name"] == "Tỉnh Bắc Ninh"
    assert r.json["device_token"].startswith("mcd_")
    with engine.connect() as conn:
        row = conn.execute(select(devices)).one()
    assert row.enrol_token_hash is None and r.json["device_token"] not in str(row.token_hash)
    again = hub_client.post("/api/v1/enroll", json={"token": one_time})
    assert again.status_code == 401 and "mã mới" in again.json["error"]["message"]


def test_expired_and_missing_enrolment_tokens(hub_client, engine):
    with engine.begin() as conn:
        one_time = device_store.add_device(conn, "xa-a")
        conn.execute(update(devices).values(enrol_expires_at=utcnow() - timedelta(minutes=1)))
    r = hub_client.post("/api/v1/enroll", json={"token": one_time})
    assert r.status_code == 401 and r.json["error"]["code"] == "expired_enrolment"
    r = hub_client.post("/api/v1/enroll", json={})
    assert r.status_code == 400 and r.json["error"]["field"] == "token"


def test_device_codes_and_reenrolment_rules(engine):
    import pytest

    from district.domain.errors import HubError
    with engine.begin() as conn:
        with pytest.raises(HubError, match="chữ thường không dấu"):
            device_store.add_device(conn, "Xã Dương Xá")
        device_store.add_device(conn, "xa-a")
        device_store.add_device(conn, "xa-a")          # not enrolled yet: a new one-time token
        device_store.revoke(conn, "xa-a")
        with pytest.raises(HubError, match="mã mới"):
            device_store.add_device(conn, "xa-a")


def test_catalog_with_etag(hub_client, engine, enrol, staff_token):
    token = enrol("xa-a")
    auth = {"Authorization": f"Bearer {token}"}
    assert hub_client.get("/api/v1/catalog").status_code == 401
    assert hub_client.get("/api/v1/catalog", headers=auth).status_code == 404
    content = {"fields": [{"code": "HT", "name": "Hộ tịch"}], "procedures": [{"code": "1.001193"}]}
    with engine.begin() as conn:
        assert catalog.publish(conn, content) == 1
        assert catalog.publish(conn, content) == 1            # unchanged content: same version
    r = hub_client.get("/api/v1/catalog", headers=auth)
    assert r.status_code == 200 and r.json["version"] == 1 and r.json["catalog"] == content
    etag = r.headers["ETag"]
    cached = hub_client.get("/api/v1/catalog", headers={**auth, "If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b"" and cached.headers["ETag"] == etag
    with engine.begin() as conn:
        assert catalog.publish(conn, {**content, "procedures": []}) == 2
    fresh = hub_client.get("/api/v1/catalog", headers={**auth, "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.json["version"] == 2 and fresh.headers["ETag"] != etag
    staff = hub_client.get("/api/v1/catalog", headers={"Authorization": f"Bearer {staff_token}"})
    assert staff.status_code == 200


def test_device_config_with_etag(hub_client, engine, enrol):
    token_a = enrol("xa-a")
    token_b = enrol("xa-b")
    auth = {"Authorization": f"Bearer {token_a}"}
    r = hub_client.get("/api/v1/devices/xa-a/config", headers=auth)
    assert r.status_code == 200
    assert r.json["device_id"] == "xa-a" and r.json["hub_level"] == "province" and r.json["settings"] == {}
    etag = r.headers["ETag"]
    assert hub_client.get("/api/v1/devices/xa-a/config", headers={**auth, "If-None-Match": etag}).status_code == 304
    with engine.begin() as conn:
        device_store.set_config(conn, "xa-a", {"sync": {"interval_s": 30}})
    r = hub_client.get("/api/v1/devices/xa-a/config", headers={**auth, "If-None-Match": etag})
    assert r.status_code == 200 and r.json["settings"] == {"sync": {"interval_s": 30}}
    r = hub_client.get("/api/v1/devices/xa-a/config", headers={"Authorization": f"Bearer {token_b}"})
    assert r.status_code == 403


def test_openapi_lists_exactly_the_api_routes(hub_app, hub_client):
    doc = hub_client.get("/api/v1/openapi.json").json
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = set()
    for rule in hub_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    health = hub_client.get("/api/v1/health")
    assert health.status_code == 200 and health.json["status"] == "ok"
