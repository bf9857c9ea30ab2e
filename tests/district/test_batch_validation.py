"""Pure validation of batches: every refusal names its field in Vietnamese, nothing is half-accepted."""
from __future__ import annotations

from datetime import datetime

import pytest

from district.api.errors import http_status
from district.domain import storable
from district.domain.batch import validate_batch
from district.domain.errors import BatchError
from tests.district.conftest import VN, batch, event, ticket

T = datetime(2026, 11, 23, 8, 0, tzinfo=VN)


def good(n: int = 2) -> dict:
    events = [event(i, "ticket.issued", {"ticket": ticket(i, "2026-11-23", T)}, T) for i in range(1, n + 1)]
    return batch("xa-a", events, T)


def refuse(doc, field: str | None, status: int = 422, max_events: int = 500) -> BatchError:
    with pytest.raises(BatchError) as info:
        validate_batch(doc, "xa-a", max_events)
    assert info.value.field == field
    assert http_status(info.value) == status
    assert info.value.message and info.value.message == info.value.message.strip()
    return info.value


def test_a_good_batch_comes_back_sorted_by_seq():
    doc = good(3)
    doc["events"].reverse()
    b = validate_batch(doc, "xa-a")
    assert [e.seq for e in b.events] == [1, 2, 3]
    assert b.sent_at == T and b.backlog is None


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.update(device_id="xa-b"), "device_id"),
    (lambda d: d.update(sent_at="2026-11-23 08:00"), "sent_at"),
    (lambda d: d.update(sent_at="2026-11-23T08:00:00"), "sent_at"),     # no offset
    (lambda d: d.update(events={}), "events"),
    (lambda d: d["events"].append(5), "events[2]"),
    (lambda d: d["events"][0].update(seq=0), "events[0].seq"),
    (lambda d: d["events"][0].update(seq="1"), "events[0].seq"),
    (lambda d: d["events"][0].update(seq=True), "events[0].seq"),
    (lambda d: d["events"][1].update(seq=1), "events[1].seq"),
])
def test_wrong_values_of_the_whole_request_name_the_field(mutate, field):
    doc = good()
    mutate(doc)
    refuse(doc, field)


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["events"][0].update(event_id="not-a-uuid"), "events[0].event_id"),
    (lambda d: d["events"][0].update(type="Ticket Issued"), "events[0].type"),
    (lambda d: d["events"][0].update(clock_synced="yes"), "events[0].clock_synced"),
    (lambda d: d["events"][0].pop("boot_id"), "events[0].boot_id"),
    (lambda d: d["events"][0].update(payload=[]), "events[0].payload"),
    (lambda d: d["events"][0]["payload"]["ticket"].pop("id"), "events[0].payload.ticket.id"),
    (lambda d: d["events"][0]["payload"]["ticket"].update(day="23/11/2026"), "events[0].payload.ticket.day"),
])
def test_a_wrong_event_is_quarantined_with_its_field(mutate, field):
    doc = good()
    mutate(doc)
    first, second = validate_batch(doc, "xa-a").events
    assert first.type == storable.QUARANTINED and first.seq == 1
    assert first.payload["reason"].startswith(field + ": ") and first.payload["raw"].isascii()
    assert second.type == "ticket.issued"
    again = validate_batch(doc, "xa-a").events[0]
    assert again.event_id == first.event_id       # derived from device and seq when the sent one is unusable


def test_a_wrong_optional_head_is_ignored_and_a_wrong_sent_at_falls_back_to_the_arrival():
    doc = good()
    doc.update(backlog=-1, boot_id="", clock_synced="yes", sent_at="2026-11-23 08:00")
    arrived = datetime(2026, 11, 23, 8, 0, 5, tzinfo=VN)
    b = validate_batch(doc, "xa-a", received_at=arrived)
    assert (b.backlog, b.boot_id, b.clock_synced, b.sent_at) == (None, None, None, arrived)


def test_not_an_object_is_400():
    refuse([1, 2], None, status=400)


def test_too_many_events_is_413():
    err = refuse(good(4), "events", status=413, max_events=3)
    assert "tối đa 3" in err.message


def reason(doc) -> str:
    e = validate_batch(doc, "xa-a").events[0]
    assert e.type == storable.QUARANTINED
    return e.payload["reason"]


def test_dossier_payloads_are_checked():
    doc = batch("xa-a", [event(1, "dossier.received", {"dossier": {
        "code": "X-261123-0001", "procedure_code": "1.001193", "channel": "fax", "received_at": T.isoformat()}}, T)], T)
    assert reason(doc).startswith("events[0].payload.dossier.channel: ")
    doc = batch("xa-a", [event(1, "dossier.returned", {"code": "X-261123-0001", "at": T.isoformat(),
                                                         "outcome": "soon", "by_post": False}, T)], T)
    assert reason(doc).startswith("events[0].payload.outcome: ")
    doc = batch("xa-a", [event(1, "rating.given", {"level": "great"}, T)], T)
    assert reason(doc).startswith("events[0].payload.level: ")


def test_unknown_but_well_formed_types_are_kept_for_later():
    doc = batch("xa-a", [event(1, "counter.opened", {"counter_id": 1}, T)], T)
    assert validate_batch(doc, "xa-a").events[0].type == "counter.opened"
