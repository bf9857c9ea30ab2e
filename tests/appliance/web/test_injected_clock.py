"""Every stored business timestamp comes from the appliance's injected clock (appliance/clock.py
and ``Appliance(clock_fn=…)``), never from the wall clock: ratings, pager changes, audit rows,
accounts and tokens. The test clock stands two days before the machine's real date, so a row
stamped with ``time.time()`` would not match."""
from __future__ import annotations

import time

from page_helpers import make_user

from appliance.services import accounts


def test_ratings_pagers_audit_accounts_and_tokens_use_the_injected_clock(appliance, client, clock, monkeypatch):
    from appliance.web import auth
    monkeypatch.setattr(auth, "_TOUCHED", {})  # token ids of earlier tests' databases were touched already
    assert abs(time.time() - clock.now) > 3600  # the fixed clock is not the wall clock
    conn = appliance.db.conn()

    clock.advance(60)
    with appliance.units() as tx:
        token = accounts.add_token(tx, "may-quay", "officer")
    assert conn.execute("SELECT created_ts FROM api_tokens WHERE name = 'may-quay'").fetchone()[0] == clock.now

    clock.advance(60)
    headers = {"Authorization": f"Bearer {token}"}
    issued = client.post("/api/v1/tickets", headers=headers, json={"service": "HT", "pager": 4})
    assert issued.status_code == 201
    assert conn.execute("SELECT changed_ts FROM pagers WHERE number = 4").fetchone()[0] == clock.now
    # the token's first use was recorded at the same moment
    assert conn.execute("SELECT last_used_ts FROM api_tokens WHERE name = 'may-quay'").fetchone()[0] == clock.now

    clock.advance(60)
    client.post("/api/v1/counters/1/call-next", headers=headers, json={})
    client.post("/api/v1/counters/1/done", headers=headers, json={})
    clock.advance(60)
    assert client.post("/api/v1/counters/1/ratings", headers=headers, json={"level": "satisfied"}).status_code == 201
    assert conn.execute("SELECT ts FROM ratings ORDER BY id DESC LIMIT 1").fetchone()[0] == clock.now

    clock.advance(60)
    assert client.post("/api/v1/pagers/4/return", headers=headers).status_code == 200
    assert conn.execute("SELECT changed_ts FROM pagers WHERE number = 4").fetchone()[0] == clock.now

    clock.advance(60)
    user_id = make_user(appliance, "canbo.moi", "officer")
    assert conn.execute("SELECT created_ts FROM users WHERE id = ?", (user_id,)).fetchone()[0] == clock.now

    clock.advance(60)
    with appliance.units() as tx:
        tx.audit("canbo.moi", "user.password", "user:canbo.moi")
    assert tuple(conn.execute("SELECT ts, action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()) \
        == (clock.now, "user.password")

    clock.advance(60)
    r = client.get("/api/v1/dossiers?q=", headers=headers)
    assert r.status_code == 200
    assert tuple(conn.execute("SELECT ts, action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()) \
        == (clock.now, "dossier.list")
    wall = [r[0] for r in conn.execute("SELECT ts FROM audit_log") if abs(r[0] - time.time()) < 3600]
    assert wall == []
