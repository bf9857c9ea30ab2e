"""Every rule the API can refuse, asked in English, answers in English: no Vietnamese in the
message, detail included (``Invalid value: send JSON …``, not ``cần gửi JSON …``)."""
from __future__ import annotations

import re

import pytest

from appliance.domain.errors import MESSAGES, DomainError

VIETNAMESE = re.compile(r"[À-ɏḀ-ỿ]")  # letters with diacritics (đ, ă, ơ, ư, ệ …)


@pytest.fixture(autouse=True)
def empty_queue(appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")


def test_every_refusal_of_the_api_is_in_english_when_asked(client, auth):
    seen: dict[str, str] = {}

    def ask(method, url, role, payload=None, *, data=None, content_type=None, status=None):
        headers = {**auth(role), "Accept-Language": "en"}
        if content_type:
            headers["Content-Type"] = content_type
        kw = {"json": payload} if payload is not None else ({"data": data} if data is not None else {})
        r = getattr(client, method)(url, headers=headers, **kw)
        if status is not None:
            assert r.status_code == status, (url, payload, r.get_json())
        if r.status_code < 400:
            return r.get_json()
        error = r.get_json()["error"]
        assert not VIETNAMESE.search(error["message"]), (url, payload, error)
        vi = getattr(client, method)(url, headers=auth(role), **kw).get_json()["error"]["message"]
        assert vi != error["message"] and VIETNAMESE.search(vi), (vi, error["message"])
        seen[error["code"]] = error["message"]
        return error

    ask("post", "/api/v1/tickets", "kiosk", data="service=HT", content_type="text/plain", status=415)
    assert seen["invalid"] == "Invalid value: send JSON with Content-Type: application/json"
    ask("post", "/api/v1/tickets", "kiosk", data="{service: HT", content_type="application/json", status=400)
    ask("post", "/api/v1/tickets", "kiosk", data="[1, 2]", content_type="application/json", status=400)
    ask("post", "/api/v1/tickets", "kiosk", {}, status=400)
    ask("post", "/api/v1/tickets", "kiosk", {"service": 5}, status=400)
    assert seen["invalid"] == "Invalid value: 'service' has the wrong type"
    ask("post", "/api/v1/tickets", "kiosk", {"service": "HT", "priority": "yes"}, status=400)
    ask("post", "/api/v1/tickets", "kiosk", {"service": "HT", "pager": "seven"}, status=400)
    ask("post", "/api/v1/tickets", "kiosk", {"service": "ZZ"}, status=404)
    ask("post", "/api/v1/tickets", "kiosk", {"service": "HT", "pager": 99}, status=400)
    ask("get", "/api/v1/tickets/999999", "officer", status=404)
    ask("get", "/api/v1/counters/9/waiting", "officer", status=404)
    ask("post", "/api/v1/counters/9/call-next", "officer", status=404)
    ask("post", "/api/v1/counters/1/call-next", "officer", status=404)           # nobody waiting
    ask("post", "/api/v1/counters/1/done", "officer", status=409)                # idle
    ask("post", "/api/v1/counters/1/ratings", "kiosk", {"level": "good"}, status=400)
    ask("post", "/api/v1/counters/1/ratings", "kiosk", {"level": "satisfied"}, status=409)
    ticket = ask("post", "/api/v1/tickets", "kiosk", {"service": "HT", "pager": 3}, status=201)
    ask("post", "/api/v1/tickets", "kiosk", {"service": "HT", "pager": 3}, status=409)   # pager busy
    ask("post", "/api/v1/pagers/99/return", "kiosk", status=404)                 # not in the pool
    ask("post", "/api/v1/tickets", "kiosk", {"service": "HT"}, status=201)
    ask("post", "/api/v1/counters/1/call-next", "officer", status=200)
    ask("post", "/api/v1/counters/1/call-next", "officer", status=409)           # busy
    ask("post", "/api/v1/counters/1/done", "officer", {"ticket": ticket["id"] + 100}, status=409)
    ask("post", "/api/v1/counters/1/transfer", "officer", {}, status=400)
    ask("post", "/api/v1/counters/1/transfer", "officer", {"service": "HT"}, status=400)
    ask("post", "/api/v1/counters/1/serve", "officer", status=200)
    ask("post", "/api/v1/counters/1/recall", "officer", status=409)              # serving: cannot recall
    assert seen["bad_state"].endswith("cannot recall it.") and "'serving'" in seen["bad_state"]
    assert {"invalid", "required", "unknown_service", "pager_out_of_pool", "unknown_ticket", "unknown_counter",
            "nobody_waiting", "counter_idle", "bad_rating", "nothing_to_rate", "pager_busy",
            "counter_busy", "stale_ticket", "transfer_to_itself", "bad_state"} <= set(seen), sorted(seen)


def test_a_detail_in_both_languages_is_picked_and_a_plain_one_kept():
    error = DomainError("invalid", "code", detail=("mã sai", "bad code"))
    assert error.message("vi") == "Giá trị không hợp lệ: mã sai" and error.message("en") == "Invalid value: bad code"
    assert str(error) == "Giá trị không hợp lệ: mã sai"
    assert DomainError("duplicate", "login", value="hoa").message("en") == "'hoa' already exists."
    for _vi, en in MESSAGES.values():
        assert not VIETNAMESE.search(en), en
