"""A transferred ticket keeps the number the citizen holds on paper (and its pager), through the
real API: the hall display and the pager go on showing it, and the new service's own numbers are
neither taken by it nor skipped because of it."""
import pytest


@pytest.fixture(autouse=True)
def empty_queue(appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")


def post(client, url, headers, payload=None):
    return client.post(url, headers=headers, json=payload) if payload is not None else \
        client.post(url, headers=headers)


def issue(client, auth, service):
    r = post(client, "/api/v1/tickets", auth("kiosk"), {"service": service})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_transfer_onto_a_service_that_issued_the_same_sequence_number(client, auth, appliance):
    """HT's 4th ticket goes to CT, which has issued its own 4th ticket: no 500, the number stays."""
    ht = issue(client, auth, "HT")
    while issue(client, auth, "CT")["seq"] < ht["seq"]:
        pass
    called = post(client, "/api/v1/counters/1/call-next", auth("officer")).get_json()
    assert called["id"] == ht["id"]
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT", "ticket": ht["id"]})
    assert r.status_code == 200, r.get_json()
    moved = r.get_json()
    assert moved["number"] == ht["number"] and moved["service"] == "CT" and moved["state"] == "waiting"
    # the pager and the hall display still know it by the number printed on it
    snap = client.get("/api/v1/queue", headers=auth("display")).get_json()
    assert {s["code"]: s["waiting"] for s in snap["services"]}["CT"] >= 1


def test_new_service_numbers_are_neither_taken_nor_skipped(client, auth):
    ht = issue(client, auth, "HT")
    ct_before = issue(client, auth, "CT")
    post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT"}).status_code == 200
    ct_after = issue(client, auth, "CT")
    assert ct_after["seq"] == ct_before["seq"] + 1     # CT's sequence goes on where it was
    ht_after = issue(client, auth, "HT")
    assert ht_after["seq"] == ht["seq"] + 1            # and HT never hands out the same number twice
    assert ht_after["number"] != ht["number"]


def test_transfer_and_back_and_again(client, auth):
    """Transferred twice (there and back), then served: the same number throughout."""
    ht = issue(client, auth, "HT")
    while issue(client, auth, "CT")["seq"] < ht["seq"] + 1:
        pass
    post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT"}).status_code == 200
    # counter 2 serves CT and HT; it takes the earliest arrival: the transferred ticket
    called = post(client, "/api/v1/counters/2/call-next", auth("officer")).get_json()
    assert called["id"] == ht["id"] and called["number"] == ht["number"]
    r = post(client, "/api/v1/counters/2/transfer", auth("officer"), {"service": "HT"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["number"] == ht["number"] and r.get_json()["service"] == "HT"
    called = post(client, "/api/v1/counters/1/call-next", auth("officer")).get_json()
    assert called["id"] == ht["id"]
    assert post(client, "/api/v1/counters/1/done", auth("officer")).get_json()["number"] == ht["number"]


def test_a_failing_transfer_is_never_a_500_over_the_live_server(live_server, tokens, appliance):
    """The same collision over waitress (the real server the hall and the counters talk to)."""
    import requests
    h = {"Authorization": f"Bearer {tokens['officer']}"}
    k = {"Authorization": f"Bearer {tokens['kiosk']}"}
    ht = requests.post(f"{live_server}/api/v1/tickets", headers=k, json={"service": "HT"}, timeout=30).json()
    while requests.post(f"{live_server}/api/v1/tickets", headers=k, json={"service": "CT"},
                        timeout=30).json()["seq"] < ht["seq"]:
        pass
    requests.post(f"{live_server}/api/v1/counters/1/call-next", headers=h, timeout=30)
    r = requests.post(f"{live_server}/api/v1/counters/1/transfer", headers=h, json={"service": "CT"}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["number"] == ht["number"]
