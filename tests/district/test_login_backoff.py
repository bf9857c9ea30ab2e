"""The dashboard login backs off (seconds, never a 15-minute lock for the real person), the counts
are shared by every worker process (they live in the database), and a name can be unlocked."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from district.db.schema import login_failures
from district.store import staff
from district.store.clock import utcnow
from district.web import throttle
from tests.district.test_login_throttle import PASSWORD, attempt


def test_five_wrong_passwords_cost_thirty_seconds_not_a_quarter_hour(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    for i in range(5):
        assert attempt(hub_client, "truongphong", f"sai-{i}").status_code == 401
    r = attempt(hub_client, "truongphong", PASSWORD)
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 30
    assert "giây" in r.get_data(as_text=True)
    with engine.begin() as conn:     # the wait is over: the right password goes through at once
        conn.execute(update(login_failures).values(last_at=utcnow() - timedelta(seconds=31)))
    assert attempt(hub_client, "truongphong", PASSWORD).status_code == 302


def test_every_worker_process_sees_the_same_counts(db_url, engine, hub_client):
    from district.app import create_app
    other_worker = create_app({"database_url": db_url, "name": "Tỉnh Bắc Ninh", "TESTING": True}).test_client()
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    for i in range(5):
        attempt(hub_client, "truongphong", f"sai-{i}")
    assert attempt(other_worker, "truongphong", PASSWORD).status_code == 429


def test_unlock_clears_a_name_at_once(hub_client, engine):
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    for i in range(7):
        attempt(hub_client, "truongphong", f"sai-{i}")
    with engine.begin() as conn:
        assert throttle.unlock(conn, "TruongPhong") == 2
    assert attempt(hub_client, "truongphong", PASSWORD).status_code == 302


def test_the_backoff_rules():
    pair = throttle.RULES["pair"]
    assert [pair.wait_s(n) for n in (4, 5, 6, 7, 10)] == [0, 30, 60, 120, 300]
    assert throttle.RULES["account"].wait_s(30) == 60 and throttle.RULES["address"].wait_s(40) == 900


def test_weak_staff_passwords_are_refused():
    import pytest

    from district.domain.errors import HubError
    from district.store import staff as staff_store
    for weak, why in (("123456789012", "dãy"), ("Password2026!", "phổ biến"), ("aaaaaaaaaaaa", "lặp lại"),
                      ("abcdefghijkl", "dãy"), ("truongphong99", "tên đăng nhập"), ("ngắn", "ít nhất 10")):
        with pytest.raises(HubError) as info:
            staff_store.add_user(None, "truongphong", weak)
        assert why in info.value.message, weak


def test_the_hub_ships_the_same_list_as_the_appliance():
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    words = [sorted(w for w in (root / p).read_text(encoding="utf-8").splitlines() if w and not w.startswith("#"))
             for p in ("appliance/domain/common_passwords.txt", "district/domain/common_passwords.txt")]
    assert words[0] == words[1] and len(words[0]) > 100
