"""The pager service on a real EventBus: paging on events, repeats (injectable clock), de-duplication,
cancellation, health events, unplug/replug of a pty transmitter, and ``page_once``."""
from __future__ import annotations

import time

import pytest
import waiting
from waiting import DEADLINE

from appliance.config import ConfigError, Pager, Settings
from appliance.events import EventBus
from appliance.pager import PagerService, page_once
from appliance.pager.fake_transmitter import FakeTransmitter, waveware_responder
from appliance.pager.sim_transport import SimTransport


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def bus():
    return EventBus()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def statuses(bus):
    seen = []
    bus.subscribe(lambda e: seen.append((e.payload["state"], e.payload["message"])), ["device.status"])
    return seen


@pytest.fixture
def service_factory(tmp_path, bus, clock):
    made = []

    def make(url=None, protocol="jtech-j1901", repeat_after_s=120.0, repeat_max=2, **options):
        options.setdefault("backoff_max_s", 0.05)
        settings = Pager(url=url if url is not None else f"sim://{tmp_path}/pager", protocol=protocol,
                         system_id=10, repeat_after_s=repeat_after_s, repeat_max=repeat_max, options=options)
        svc = PagerService(settings, bus, clock, poll_s=0.01, backoff_initial_s=0.01)
        made.append(svc)
        svc.start()
        return svc

    yield make
    for svc in made:
        svc.stop()


def sent(svc) -> list[int]:
    assert isinstance(svc.transport, SimTransport)
    return [r["pager"] for r in svc.transport.records()]


def ticket(pager, number="A015"):
    return {"ticket": {"id": 17, "number": number, "pager": pager, "state": "called"}, "counter_id": 2}


def test_ticket_called_with_a_pager_pages_it(service_factory, bus):
    svc = service_factory()
    bus.publish("ticket.called", ticket(7))
    bus.publish("ticket.called", ticket(None, "A016"))       # no pager: nothing to do
    assert svc.flush()
    assert sent(svc) == [7]
    assert svc.recent()[0]["result"] == "sent" and svc.recent()[0]["reason"] == "gọi số"
    assert svc.status()["last_page"]["pager"] == 7


def test_dossier_ready_pages_its_pager(service_factory, bus):
    svc = service_factory()
    bus.publish("dossier.ready", {"code": "000.00.06.H56-261123-0001", "pager": 12, "counter_id": 1})
    assert svc.flush()
    assert sent(svc) == [12]


def test_repeats_every_repeat_after_s_at_most_repeat_max_times(service_factory, bus, clock):
    svc = service_factory(repeat_after_s=120, repeat_max=2)
    bus.publish("ticket.called", ticket(7))
    assert svc.flush() and sent(svc) == [7]
    clock.advance(119)
    assert svc.flush() and sent(svc) == [7]
    clock.advance(1)
    assert svc.flush() and sent(svc) == [7, 7]
    assert "nhắc lại lần 1" in svc.recent()[0]["reason"]
    clock.advance(120)
    assert svc.flush() and sent(svc) == [7, 7, 7]
    clock.advance(120)
    assert svc.flush() and sent(svc) == [7, 7, 7]
    assert svc.status()["repeats"] == 0


@pytest.mark.parametrize("event,payload", [
    ("pager.returned", {"pager": 7, "ticket_id": 17}),
    ("pager.lost", {"pager": 7, "ticket_id": 17}),
    ("ticket.done", {**ticket(7), "wait_s": 60, "service_s": 300}),
    ("ticket.serving", ticket(7)),
])
def test_collecting_the_pager_cancels_the_repeats(service_factory, bus, clock, event, payload):
    svc = service_factory()
    bus.publish("ticket.called", ticket(7))
    assert svc.flush()
    bus.publish(event, payload)
    clock.advance(500)
    assert svc.flush() and sent(svc) == [7]
    assert svc.recent()[0]["result"] == "cancelled"


def test_dossier_returned_cancels_by_dossier_code(service_factory, bus, clock):
    svc = service_factory()
    bus.publish("dossier.ready", {"code": "X-1", "pager": 4, "counter_id": 1})
    bus.publish("dossier.ready", {"code": "X-2", "pager": 5, "counter_id": 1})
    assert svc.flush()
    bus.publish("dossier.returned", {"code": "X-1", "outcome": "on_time", "by_post": False})
    clock.advance(120)
    assert svc.flush()
    assert sorted(sent(svc)) == [4, 5, 5]


def test_the_same_pager_twice_within_seconds_sends_once(service_factory, bus, clock):
    svc = service_factory(dedup_s=5)
    bus.publish("ticket.called", ticket(3))
    bus.publish("ticket.recalled", {**ticket(3), "recalls": 1})
    svc.page(3)
    assert svc.flush()
    clock.advance(2)
    svc.page(3)
    assert svc.flush()
    assert sent(svc) == [3]
    assert any(r["result"] == "skipped" for r in svc.recent())
    clock.advance(5)
    svc.page(3)
    assert svc.flush() and sent(svc) == [3, 3]


def test_a_recall_restarts_the_repeat_schedule(service_factory, bus, clock):
    svc = service_factory(repeat_after_s=120, repeat_max=1)
    bus.publish("ticket.called", ticket(8))
    assert svc.flush()
    clock.advance(100)
    bus.publish("ticket.recalled", {**ticket(8), "recalls": 1})
    assert svc.flush()
    clock.advance(20)                              # 120 s after the call, only 20 after the recall
    assert svc.flush() and sent(svc) == [8, 8]
    clock.advance(100)
    assert svc.flush() and sent(svc) == [8, 8, 8]


def test_manual_pages_do_not_repeat(service_factory, clock):
    svc = service_factory()
    svc.page(9)
    clock.advance(1000)
    assert svc.flush() and sent(svc) == [9]


def test_pager_out_of_protocol_range_is_reported_not_raised(service_factory):
    svc = service_factory()
    svc.page(10000)
    svc.page(0)
    assert svc.flush()
    results = [(r["pager"], r["result"]) for r in svc.recent()]
    assert (10000, "failed") in results and (0, "failed") in results
    assert "phạm vi" in svc.status()["last_error"]


def test_status_and_health_events(service_factory, statuses):
    svc = service_factory()
    assert wait_until(lambda: svc.status()["state"] == "ok")
    st = svc.status()
    assert st["state"] == "ok" and st["protocol"] == "jtech-j1901" and st["queue"] == 0
    assert set(st) >= {"state", "message", "protocol", "last_page", "queue", "last_error"}
    assert statuses and statuses[-1][0] == "ok"


def test_disabled_when_no_url(service_factory, statuses):
    svc = service_factory(url="")
    assert svc.status()["state"] == "disabled" and "[pager].url" in svc.status()["message"]
    assert statuses == [("disabled", svc.status()["message"])]
    svc.page(1)
    assert svc.recent()[0]["result"] == "failed" and svc.alive()


def test_bad_options_fail_at_start_up(bus):
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.nope"):
        PagerService(Pager(url="sim://x", options={"nope": 1}), bus)
    with pytest.raises(ConfigError, match=r"\[pager\]\.url"):
        PagerService(Pager(url="gpio://17", protocol="waveware"), bus)


def test_nak_turns_health_to_warning_and_ack_back_to_ok(service_factory, bus, statuses):
    with FakeTransmitter(waveware_responder(ack=False)) as fake:
        svc = service_factory(url=fake.url, protocol="waveware", capcode_base=1000)
        svc.page(1)
        assert svc.flush()
        assert svc.status()["state"] == "warning" and "lỗi 03" in svc.status()["message"]
        assert svc.recent()[0]["result"] == "rejected"
        fake.responder = waveware_responder(ack=True)
        svc.page(2)
        assert svc.flush()
        assert svc.status()["state"] == "ok"
        assert [s for s, _ in statuses] == ["ok", "warning", "ok"]


def wait_until(predicate, timeout=None):
    return waiting.wait_until(predicate, timeout, 0.01)


def test_unplug_goes_to_error_and_a_page_waits_for_the_replug(tmp_path, service_factory, statuses):
    link = tmp_path / "by-id" / "usb-JTECH-if00"
    with FakeTransmitter(link=link) as fake:
        svc = service_factory(url=fake.url)
        assert wait_until(lambda: svc.status()["state"] == "ok")
        fake.unplug()
        assert wait_until(lambda: svc.status()["state"] == "error")        # noticed while idle
        assert "Không thấy bộ phát" in svc.status()["message"]
        started = time.perf_counter()
        for n in range(1, 40):
            svc.page(n)                                                     # never blocks
        assert time.perf_counter() - started < 0.5
        assert svc.status()["queue"] == 39
        fake.replug()
        data = fake.wait_for(39 * 13, timeout=DEADLINE)
        assert data[:13] == bytes.fromhex("FF FF FF 01 30 31 30 30 30 30 31 03 0D")
        assert len(data) == 39 * 13
        assert svc.flush() and svc.status()["state"] == "ok"
        states = [s for s, _ in statuses]
        assert states[0] == "ok" and "error" in states and states[-1] == "ok"


def test_a_page_is_dropped_after_max_delay(tmp_path, service_factory, clock):
    svc = service_factory(url=f"serial://{tmp_path}/missing", max_delay_s=10)
    svc.page(4)
    time.sleep(0.05)
    clock.advance(11)
    assert svc.flush()
    assert svc.recent()[0]["result"] == "failed" and "Không thấy" in svc.recent()[0]["message"]
    assert svc.status()["state"] == "error"


def test_event_to_bytes_on_the_pty(service_factory, bus):
    with FakeTransmitter() as fake:
        svc = service_factory(url=fake.url)
        bus.publish("ticket.called", ticket(1))
        assert fake.wait_for(13, timeout=DEADLINE) == bytes.fromhex("FF FF FF 01 30 31 30 30 30 30 31 03 0D")
        assert svc.flush()


def test_page_once_reports_in_vietnamese(tmp_path):
    with FakeTransmitter(waveware_responder()) as fake:
        ok, text = page_once(Settings().replace(pager={"url": fake.url, "protocol": "waveware",
                                                       "options": {"capcode_base": 145677}}), 1)
        assert ok and "Thẻ rung số 1" in text and "đã nhận lệnh" in text
        assert fake.wait_for(12, timeout=DEADLINE) == b"\x013,1,145678\x04"
    ok, text = page_once(Settings(), 1)
    assert not ok and "[pager].url" in text
    ok, text = page_once(Settings().replace(pager={"url": f"serial://{tmp_path}/none"}), 1)
    assert not ok and "kiểm tra cáp USB" in text
    ok, text = page_once(Settings().replace(pager={"url": "sim://x", "options": {"bad": 1}}), 1)
    assert not ok and "[pager].options.bad" in text
    ok, text = page_once(Settings().replace(pager={"url": f"sim://{tmp_path}/s"}), 10000)
    assert not ok and "phạm vi" in text
