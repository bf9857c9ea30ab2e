"""schemathesis over every operation of the hub's API against the real hub (waitress on PostgreSQL),
as a staff token and as a device token (its own device_id in the paths): 0 server errors, 0 schema
violations."""
from __future__ import annotations

import threading

import pytest
from schemathesis_run import assert_clean, operations, run
from sqlalchemy import text

from district.store import devices, staff


@pytest.fixture
def hub_server(pg_database):
    from district.app import create_app
    from district.db.engine import make_engine
    from tests.district.conftest import TABLES
    engine = make_engine(pg_database)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"))
    engine.dispose()
    app = create_app({"database_url": pg_database, "name": "Tỉnh Bắc Ninh", "level": "province"})
    import waitress
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=30)
    app.extensions["motcua_hub"].engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("who", ["staff", "device"])
def test_every_hub_operation(hub_server, tmp_path, who):
    app, base = hub_server
    engine = app.extensions["motcua_hub"].engine
    with engine.begin() as conn:
        one_time = devices.add_device(conn, "xa-a", "Xã A")
        staff_token = staff.add_token(conn, "bao-cao")
    device_token = app.test_client().post("/api/v1/enroll", json={"token": one_time}).json["device_token"]
    token = staff_token if who == "staff" else device_token
    schema = f"{base}/api/v1/openapi.json"
    result = run(schema, tmp_path, token, parameters={"path.device_id": "xa-a"}, coverage=who == "staff")
    assert_clean(result, operations(schema))
