"""The citizen mirror over real HTTP (waitress): only its own counter's draft, live."""
import queue
import threading
import time
import uuid

import requests
from sse_client import sse_reader, wait_for
from waiting import DEADLINE

from appliance.services import accounts


def put(base, headers, draft, counter, values, focus):
    r = requests.put(f"{base}/api/v1/drafts/{draft}", headers=headers, timeout=5,
                     json={"counter_id": counter, "procedure": "1.001193", "values": values, "focus": focus})
    assert r.status_code == 200, r.text


def mirror_stream(live_server, appliance, name: str):
    """Counter 1's mirror stream read in a thread with a mirror token of its own: (events, raw text, stop)."""
    out, raw, stop = queue.Queue(), [], threading.Event()
    with appliance.units() as tx:
        screen = {"Authorization": "Bearer " + accounts.add_token(tx, name, "mirror", counter_id=1)}
    threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/mirror/1/events", screen, out, stop, raw),
                     daemon=True).start()
    return out, raw, stop


def test_mirror_carries_only_its_counter_draft(live_server, auth, appliance):
    officer = auth("officer")
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    put(live_server, officer, mine, 1, {"child_name": "bé ánh"}, "child_name")  # before the screen opens
    out, raw, stop = mirror_stream(live_server, appliance, "quay-1")
    try:
        assert out.get(timeout=DEADLINE) == ("status", 200)
        wait_for(out, lambda e: e.get("event") == "hello")
        first = wait_for(out, lambda e: e.get("event") == "draft.changed")[1]["data"]["payload"]
        assert first["draft_id"] == mine and first["values"] == {"child_name": "bé ánh"}  # first paint
        put(live_server, officer, other, 2, {"child_name": "NGƯỜI KHÁC QUẦY HAI", "requester_phone": "0999888777"},
            "child_name")
        sent = time.perf_counter()
        put(live_server, officer, mine, 1, {"child_name": "bé ánh hồng"}, "child_dob")
        _, event, received = wait_for(out, lambda e: e.get("event") == "draft.changed")
        payload = event["data"]["payload"]
        assert payload == {"counter_id": 1, "draft_id": mine, "procedure": "1.001193",
                           "values": {"child_name": "bé ánh hồng"}, "focus": "child_dob"}
        assert received - sent < 0.3  # live within 300 ms
        # submitted: the screen is told (and can clear itself)
        requests.put(f"{live_server}/api/v1/drafts/{mine}", headers=officer, timeout=5, json={
            "counter_id": 1, "procedure": "2.000884", "values": {}})
        wait_for(out, lambda e: e["data"]["payload"].get("procedure") == "2.000884")
    finally:
        stop.set()
    text = "\n".join(raw)
    assert other not in text and "KHÁC QUẦY HAI" not in text and "0999888777" not in text
    assert '"counter_id":2' not in text


def test_mirror_refuses_the_kiosk_the_hall_display_another_counter_and_anonymous(live_server, auth, appliance):
    assert requests.get(f"{live_server}/api/v1/mirror/1/events", headers=auth("kiosk"), timeout=5).status_code == 403
    assert requests.get(f"{live_server}/api/v1/mirror/1/events", headers=auth("display"), timeout=5).status_code == 403
    with appliance.units() as tx:
        counter_2 = {"Authorization": "Bearer " + accounts.add_token(tx, "quay-2", "mirror", counter_id=2)}
    assert requests.get(f"{live_server}/api/v1/mirror/1/events", headers=counter_2, timeout=5).status_code == 403
    assert requests.get(f"{live_server}/api/v1/mirror/1/events", timeout=5).status_code == 401


def test_general_event_stream_never_carries_drafts(live_server, auth):
    out, raw, stop = queue.Queue(), [], threading.Event()
    t = threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/events", auth("officer"), out, stop, raw),
                         daemon=True)
    t.start()
    try:
        assert out.get(timeout=DEADLINE) == ("status", 200)
        wait_for(out, lambda e: e.get("event") == "hello")
        put(live_server, auth("officer"), str(uuid.uuid4()), 3, {"child_name": "BÍ MẬT"}, None)
        requests.post(f"{live_server}/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk"), timeout=5)
        wait_for(out, lambda e: e.get("event") == "ticket.issued")
    finally:
        stop.set()
    assert "BÍ MẬT" not in "\n".join(raw) and "draft." not in "\n".join(raw)


def test_the_mirror_is_told_when_its_counter_pauses_closes_and_opens(live_server, auth, appliance):
    """The citizen at counter 1 sees "Tạm nghỉ" (mirror.js): the stream opens with the counter's state and
    carries each change, reduced to the counter and its state (not who paused it, nor the tickets a
    closing released); another counter's change does not reach it."""
    out, raw, stop = mirror_stream(live_server, appliance, "quay-1-desk")
    admin = auth("admin")

    def desk(counter: int, action: str) -> None:
        r = requests.post(f"{live_server}/api/v1/counters/{counter}/{action}", headers=admin, json={}, timeout=5)
        assert r.status_code == 200, r.text

    try:
        assert out.get(timeout=DEADLINE) == ("status", 200)
        first = wait_for(out, lambda e: e.get("event") == "counter.state")[1]["data"]["payload"]
        assert first == {"counter_id": 1, "state": "open"}
        desk(2, "pause")
        desk(1, "pause")
        paused = wait_for(out, lambda e: e.get("event") == "counter.state")[1]["data"]["payload"]
        assert paused == {"counter_id": 1, "state": "paused"}
        desk(1, "close")
        assert wait_for(out, lambda e: e.get("event") == "counter.state")[1]["data"]["payload"]["state"] == "closed"
        desk(1, "open")
        assert wait_for(out, lambda e: e.get("event") == "counter.state")[1]["data"]["payload"]["state"] == "open"
    finally:
        stop.set()
        desk(2, "open")
    text = "\n".join(raw)
    assert '"counter_id":2' not in text and '"counter_id": 2' not in text and "released" not in text
