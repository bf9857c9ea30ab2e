"""The API through waitress over real HTTP, including Server-Sent Events."""
import json
import queue
import threading
import time

import requests
from sse_client import sse_reader, wait_for
from waiting import DEADLINE


def test_issue_and_call_over_http_with_sse(live_server, auth, appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    out, stop = queue.Queue(), threading.Event()
    t = threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/events", auth("display"), out, stop),
                         daemon=True)
    t.start()
    assert out.get(timeout=DEADLINE) == ("status", 200)
    _, hello, _ = wait_for(out, lambda e: e.get("event") == "hello")
    assert hello["data"]["instance"] == appliance.bus.instance  # clients detect a restarted appliance
    r = requests.post(f"{live_server}/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk"), timeout=5)
    assert r.status_code == 201
    number = r.json()["number"]
    sent = time.perf_counter()
    r = requests.post(f"{live_server}/api/v1/counters/1/call-next", headers=auth("officer"), timeout=5)
    assert r.status_code == 200 and r.json()["number"] == number
    _, event, received = wait_for(out, lambda e: e.get("event") == "ticket.called")
    assert event["data"]["payload"]["ticket"]["number"] == number
    assert event["data"]["payload"]["counter_id"] == 1
    # waitress is told to send every write at once (send_bytes=1): no 1 s buffering
    assert received - sent < 0.9
    stop.set()


def test_sse_resumes_from_last_event_id(live_server, auth, appliance):
    first = appliance.bus.publish("ticket.issued", {"ticket": {"number": "A900"}})
    appliance.bus.publish("ticket.issued", {"ticket": {"number": "A901"}})
    out, stop = queue.Queue(), threading.Event()
    headers = {**auth("display"), "Last-Event-ID": str(first.id)}
    threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/events", headers, out, stop),
                     daemon=True).start()
    _, event, _ = wait_for(out, lambda e: e.get("event") == "ticket.issued")
    assert event["data"]["payload"]["ticket"]["number"] == "A901"
    stop.set()


def test_display_role_never_receives_personal_data(live_server, auth, appliance):
    out, stop = queue.Queue(), threading.Event()
    threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/events", auth("display"), out, stop),
                     daemon=True).start()
    wait_for(out, lambda e: e.get("event") == "hello")
    appliance.bus.publish("dossier.received", {"dossier": {"applicant": {"name": "NGUYỄN VĂN A"}},
                                               "code": "X-1"})
    _, event, _ = wait_for(out, lambda e: e.get("event") == "dossier.received")
    assert "NGUYỄN" not in json.dumps(event, ensure_ascii=False)
    stop.set()


def test_bad_requests_over_http(live_server, auth):
    r = requests.post(f"{live_server}/api/v1/tickets", data=b"\x00\xff{", headers={
        **auth("kiosk"), "Content-Type": "application/json"}, timeout=5)
    assert r.status_code == 400 and r.json()["error"]["message"]
    r = requests.post(f"{live_server}/api/v1/tickets", json={"service": "HT"}, timeout=5)
    assert r.status_code == 401
    r = requests.post(f"{live_server}/api/v1/counters/1/call-next", headers=auth("kiosk"), timeout=5)
    assert r.status_code == 403
