"""The general event stream over real HTTP: a hall display (or kiosk) gets an allow-listed payload
per event family, never free text or personal data; staff get every payload whole."""
from __future__ import annotations

import json
import queue
import threading

from sse_client import sse_reader, wait_for
from waiting import DEADLINE

from appliance.web.api.sse import redact

SECRETS = ("người khuyết tật", "người cao tuổi", "NGUYỄN VĂN BÍ MẬT", "thiếu giấy khai sinh bản gốc",
           "0912345678", "canbo1")


def open_stream(live_server, headers) -> tuple[queue.Queue, threading.Event]:
    out, stop = queue.Queue(), threading.Event()
    threading.Thread(target=sse_reader, args=(f"{live_server}/api/v1/events", headers, out, stop),
                     daemon=True).start()
    assert out.get(timeout=DEADLINE) == ("status", 200)
    wait_for(out, lambda e: e.get("event") == "hello")
    return out, stop


def collect(out) -> dict[str, dict]:
    """Payloads by event type until the sentinel announce.sentinel."""
    seen: dict[str, dict] = {}

    def keep(event) -> bool:
        if event.get("event") not in (None, "hello"):
            seen[event["event"]] = event["data"]["payload"]
        return event.get("event") == "announce.sentinel"
    wait_for(out, keep)
    return seen


def publish_everything(appliance) -> None:
    """Real queue events (a priority ticket, issued and called) and what the other services publish."""
    issued = appliance.engine.issue("HT", priority=True, priority_reason="người khuyết tật", channel="api")
    ticket = issued.ticket
    appliance.engine.call_next(1)
    bus = appliance.bus
    bus.publish("dossier.state", {"code": "X-261130-0001", "state": "supplement_requested", "action": "supplement",
                                  "at": "2026-11-30T08:10:00+07:00", "by": "canbo1",
                                  "note": "NGUYỄN VĂN BÍ MẬT", "reason": "thiếu giấy khai sinh bản gốc",
                                  "from": "canbo1", "to": "0912345678", "counter_id": 1})
    bus.publish("dossier.ready", {"code": "X-261130-0001", "pager": 4, "counter_id": 1,
                                  "at": "2026-11-30T08:20:00+07:00", "applicant": {"name": "NGUYỄN VĂN BÍ MẬT"}})
    bus.publish("device.status", {"device": "printer", "state": "warning", "message": "Sắp hết giấy",
                                  "detail": "0912345678"})
    bus.publish("pager.assigned", {"pager": 4, "ticket_id": ticket.id, "dossier_code": "X-261130-0001"})
    bus.publish("rating.given", {"counter_id": 1, "ticket_id": ticket.id, "level": "satisfied",
                                 "officer": "canbo1"})
    bus.publish("queue.changed", {})
    bus.publish("announce.sentinel", {"text": "A001 mời đến quầy 1"})


def test_display_receives_only_allow_listed_keys(live_server, auth, appliance):
    out, stop = open_stream(live_server, auth("display"))
    try:
        publish_everything(appliance)
        seen = collect(out)
    finally:
        stop.set()
    text = json.dumps(seen, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text, secret
    issued, called = seen["ticket.issued"], seen["ticket.called"]
    assert set(issued) == {"ticket", "ahead", "estimated_wait_min"}
    assert "priority_reason" not in issued["ticket"] and issued["ticket"]["priority"] is True
    assert {"id", "number", "service", "service_name", "state", "counter_id", "recalls", "issued_at"} \
        <= set(called["ticket"])
    assert called["counter_id"] == 1 and called["ticket"]["state"] == "called"
    assert seen["dossier.state"] == {"code": "X-261130-0001", "state": "supplement_requested",
                                     "at": "2026-11-30T08:10:00+07:00", "counter_id": 1}
    assert seen["dossier.ready"] == {"code": "X-261130-0001", "pager": 4, "counter_id": 1,
                                     "at": "2026-11-30T08:20:00+07:00"}
    assert seen["device.status"] == {"device": "printer", "state": "warning", "message": "Sắp hết giấy"}
    assert seen["pager.assigned"] == {"pager": 4}
    assert seen["rating.given"] == {}
    assert seen["queue.changed"] == {}
    assert seen["announce.sentinel"] == {"text": "A001 mời đến quầy 1"}


def test_staff_receive_whole_payloads(live_server, auth, appliance):
    out, stop = open_stream(live_server, auth("officer"))
    try:
        publish_everything(appliance)
        seen = collect(out)
    finally:
        stop.set()
    assert seen["ticket.issued"]["ticket"]["priority_reason"] == "người khuyết tật"
    assert seen["dossier.state"]["reason"] == "thiếu giấy khai sinh bản gốc"
    assert seen["rating.given"]["officer"] == "canbo1"


def test_redact_prefixes_are_whole_families():
    payload = {"ticket": {"number": "A1", "priority_reason": "x"}, "note": "y"}
    assert redact("ticketing.other", payload, "kiosk") == {}          # not the ticket. family
    assert redact("queue.changed.extra", {"a": 1}, "display") == {}   # only queue.changed as is
    assert redact("ticket.done", {**payload, "wait_s": 3}, "kiosk") == {"ticket": {"number": "A1"}}
    assert redact("dossier.state", {"note": "y", "code": "C"}, "admin") == {"note": "y", "code": "C"}
