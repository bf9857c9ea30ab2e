"""Every way a transfer can go wrong answers a clear Vietnamese 4xx (English on request), never a
500, and changes nothing: the same service, an unknown or stopped service, an unknown or closed
counter, a finished ticket, a ticket transferred already, two counters (or two clicks) transferring
the same ticket at once, a recall after the transfer."""
import threading

import pytest
import requests


@pytest.fixture(autouse=True)
def empty_queue(appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")


def post(client, url, headers, payload=None):
    return client.post(url, headers=headers, json=payload) if payload is not None else \
        client.post(url, headers=headers)


def called_at(client, auth, counter, service="HT"):
    ticket = post(client, "/api/v1/tickets", auth("kiosk"), {"service": service}).get_json()
    r = post(client, f"/api/v1/counters/{counter}/call-next", auth("officer"))
    assert r.status_code == 200 and r.get_json()["id"] == ticket["id"], r.get_json()
    return ticket


def tickets(appliance):
    return appliance.db.conn().execute("SELECT id, service_id, state, counter_id, target_counter_id, number, "
                                       "transfers FROM tickets ORDER BY id").fetchall()


def refused(client, auth, appliance, counter, payload, status, code, lang="vi"):
    before = [tuple(r) for r in tickets(appliance)]
    headers = {**auth("officer"), "Accept-Language": lang}
    r = post(client, f"/api/v1/counters/{counter}/transfer", headers, payload)
    assert r.status_code == status, r.get_json()
    err = r.get_json()["error"]
    assert err["code"] == code and err["message"] and not err["message"].startswith("Lỗi:")
    assert [tuple(r) for r in tickets(appliance)] == before
    return err


def test_to_the_same_service(client, auth, appliance):
    called_at(client, auth, 1)
    err = refused(client, auth, appliance, 1, {"service": "HT"}, 400, "transfer_to_itself")
    assert "chính lĩnh vực" in err["message"]


def test_to_an_unknown_service(client, auth, appliance):
    called_at(client, auth, 1)
    err = refused(client, auth, appliance, 1, {"service": "ZZ"}, 404, "unknown_service")
    assert err["message"] == "Không có lĩnh vực 'ZZ'."


def test_to_a_stopped_service(client, auth, appliance):
    called_at(client, auth, 1)
    with appliance.db.write() as conn:
        conn.execute("UPDATE services SET active = 0 WHERE code = 'CT'")
    err = refused(client, auth, appliance, 1, {"service": "CT"}, 409, "service_inactive")
    assert "tạm ngừng" in err["message"]
    err = refused(client, auth, appliance, 1, {"service": "CT"}, 409, "service_inactive", lang="en")
    assert err["message"] == "Service 'CT' is not taking tickets."


def test_to_an_unknown_or_closed_counter(client, auth, appliance):
    ticket = called_at(client, auth, 1)
    refused(client, auth, appliance, 1, {"counter": 9}, 404, "unknown_counter")
    refused(client, auth, appliance, 1, {"counter": 2**70}, 400, "invalid")   # too large a number, not a 500
    refused(client, auth, appliance, 1, {"counter": 3}, 400, "counter_not_serving")
    with appliance.db.write() as conn:
        conn.execute("UPDATE counters SET state = 'closed' WHERE id = 2")
    err = refused(client, auth, appliance, 1, {"counter": 2}, 409, "transfer_counter_closed")
    assert err["message"].startswith("Quầy số 2 đã đóng") and ticket["number"] in err["message"]
    err = refused(client, auth, appliance, 1, {"counter": 2}, 409, "transfer_counter_closed", lang="en")
    assert err["message"].startswith("Counter 2 is closed")
    with appliance.db.write() as conn:   # a paused counter takes it (the officer is back soon)
        conn.execute("UPDATE counters SET state = 'paused' WHERE id = 2")
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {"counter": 2})
    assert r.status_code == 200 and r.get_json()["target_counter_id"] == 2


def test_a_finished_ticket_and_a_ticket_transferred_already(client, auth, appliance):
    first = called_at(client, auth, 1)
    assert post(client, "/api/v1/counters/1/done", auth("officer")).status_code == 200
    refused(client, auth, appliance, 1, {"service": "CT", "ticket": first["id"]}, 409, "counter_idle")
    second = called_at(client, auth, 1)
    # the console still shows the finished one: the guard refuses it, the current one stays
    refused(client, auth, appliance, 1, {"service": "CT", "ticket": first["id"]}, 409, "stale_ticket")
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT", "ticket": second["id"]})
    assert r.status_code == 200
    refused(client, auth, appliance, 1, {"service": "XH", "ticket": second["id"]}, 409, "counter_idle")


def test_recall_serve_done_after_the_transfer(client, auth, appliance):
    ticket = called_at(client, auth, 1)
    assert post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT"}).status_code == 200
    for action in ("recall", "serve", "done", "no-show"):
        r = post(client, f"/api/v1/counters/1/{action}", auth("officer"), {"ticket": ticket["id"]})
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "counter_idle", action


def test_another_counter_cannot_transfer_a_ticket_it_does_not_hold(client, auth, appliance):
    ticket = called_at(client, auth, 1)
    refused(client, auth, appliance, 2, {"service": "XH", "ticket": ticket["id"]}, 409, "counter_idle")
    called_at(client, auth, 2, "CT")
    refused(client, auth, appliance, 2, {"service": "XH", "ticket": ticket["id"]}, 409, "stale_ticket")


def race(live_server, tokens, requests_):
    """Send the requests at the same moment (a barrier, not a sleep); their responses."""
    barrier = threading.Barrier(len(requests_))
    out = [None] * len(requests_)
    headers = {"Authorization": f"Bearer {tokens['officer']}"}

    def send(i, url, payload):
        barrier.wait()
        out[i] = requests.post(f"{live_server}{url}", headers=headers, json=payload, timeout=60)
    threads = [threading.Thread(target=send, args=(i, url, payload)) for i, (url, payload) in enumerate(requests_)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.parametrize("round_", range(3))
def test_two_counters_transfer_the_same_ticket_at_once(live_server, tokens, appliance, client, auth, round_):
    ticket = called_at(client, auth, 1)
    got = race(live_server, tokens, [
        ("/api/v1/counters/1/transfer", {"service": "CT", "ticket": ticket["id"]}),
        ("/api/v1/counters/2/transfer", {"service": "XH", "ticket": ticket["id"]}),
        ("/api/v1/counters/1/transfer", {"service": "XH", "ticket": ticket["id"]}),
    ])
    statuses = sorted(r.status_code for r in got)
    assert statuses == [200, 409, 409], [r.text for r in got]
    winner = next(r.json() for r in got if r.status_code == 200)
    assert winner["number"] == ticket["number"] and winner["state"] == "waiting"
    for r in got:
        if r.status_code == 409:
            assert r.json()["error"]["code"] in ("counter_idle", "stale_ticket") and r.json()["error"]["message"]
    row = appliance.db.conn().execute("SELECT service_id, transfers, state FROM tickets WHERE id = ?",
                                      (ticket["id"],)).fetchone()
    assert row["transfers"] == 1 and row["state"] == "waiting"
