"""Nobody left uncalled for want of a pager (issue 12).

A dossier is always received: "auto" takes the pager whose number follows the dossier's, else a
free one, else none; a ready result with no pager is called on the hall display and by the
announcer (``dossier.call``) and by SMS; the repeats of every ready result are a schedule on disk
that the reminder worker gives (``pager.remind`` → the pager service buzzes the simulated pager
again) and that stops when the result is handed over or the pager comes back.
"""
from __future__ import annotations

import json

import pytest
from waiting import wait_until

from appliance.domain.pagers import choose_dossier_pager, dossier_pager_number
from appliance.pager import PagerService
from appliance.pager.reminders import ReminderWorker
from appliance.services.pagers import pool_status
from appliance.services.reminders import ReminderQueue
from appliance.store import reminder_store, sms_store


def pool(appliance):
    with appliance.db.read() as conn:
        return pool_status(conn, appliance.settings.queue.pager_pool, appliance.today())


def reminders(appliance):
    with appliance.db.read() as conn:
        return [dict(r) for r in reminder_store.list_all(conn)]


def heard(appliance, *types):
    got = []
    appliance.bus.subscribe(got.append, list(types))
    return got


# --- which pager ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("seq", "pool_size", "expected"), [
    (1, 40, 1), (40, 40, 40), (41, 40, 1), (45, 40, 5), (112, 100, 12), (7, 0, None)])
def test_the_pager_follows_the_dossier_number_round_the_pool(seq, pool_size, expected):
    assert dossier_pager_number(seq, pool_size) == expected


def test_auto_prefers_the_matching_pager_then_any_free_then_none():
    states = {1: "free", 2: "assigned", 3: "free"}
    first_free = lambda: min((n for n, s in states.items() if s == "free"), default=None)  # noqa: E731
    assert choose_dossier_pager("auto", 3, 3, first_free, states.get) == 3        # matches
    assert choose_dossier_pager("auto", 3, 5, first_free, states.get) == 1        # 5 → 2 busy → lowest free
    states.update({1: "assigned", 3: "lost"})
    assert choose_dossier_pager("auto", 3, 6, first_free, states.get) is None     # none free: no error
    assert choose_dossier_pager(None, 3, 6, first_free, states.get) is None


def test_every_dossier_is_received_when_the_pool_runs_out(appliance, make_dossier):
    assert pool(appliance)["free"] == 10 and pool(appliance)["next_pager"] == 1
    made = [make_dossier(pager="auto") for _ in range(10)]
    assert [d["pager"] for d in made] == list(range(1, 11))          # pager N for the N-th dossier
    state = pool(appliance)
    assert (state["free"], state["in_use"], state["empty"], state["next_pager"]) == (0, 10, True, None)

    eleventh = make_dossier(pager="auto")                              # no 409 after the whole form
    assert eleventh["state"] == "received" and eleventh["pager"] is None
    with appliance.db.read() as conn:
        detail = conn.execute("SELECT detail FROM audit_log WHERE action = 'dossier.create' AND object = ?",
                              (f"dossier:{eleventh['code']}",)).fetchone()[0]
    assert "hết thẻ rung trống" in detail

    # two results handed over: the next dossier (the 12th) takes pager 2, its number round the pool
    for d in made[1:3]:
        appliance.dossiers.act(d["code"], "ready", user="canbo1")
        appliance.dossiers.act(d["code"], "return", user="canbo1")
    state = pool(appliance)
    assert (state["free"], state["next_dossier_number"], state["next_pager"], state["next_pager_matches"]) \
        == (2, 12, 2, True)
    assert make_dossier(pager="auto")["pager"] == 2
    assert make_dossier(pager="auto")["pager"] == 3                    # 13 → 3, free


def test_a_typed_pager_in_use_is_still_refused_with_a_clear_message(appliance, make_dossier):
    from appliance.domain.errors import Conflict
    make_dossier(pager=4)
    with pytest.raises(Conflict) as err:
        make_dossier(pager=4)
    assert err.value.code == "pager_busy" and "4" in err.value.message()


# --- a ready result without a pager ------------------------------------------------------------

def test_a_result_without_a_pager_is_called_on_the_display_and_by_sms(appliance, make_dossier, tmp_path):
    appliance.settings = appliance.settings.replace(sms={"url": f"sim://{tmp_path}/sms"})
    calls = heard(appliance, "dossier.call", "dossier.ready")
    dossier = make_dossier(pager=None)
    ready = appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert ready["called_by"] == "display" and "hồ sơ số" in ready["calling"]
    seq = int(dossier["code"].rsplit("-", 1)[1])
    [call] = [e for e in calls if e.type == "dossier.call"]
    assert call.payload == {"code": dossier["code"], "number": seq, "day": appliance.today(), "ticket_number": None,
                            "counter_id": 1, "repeat": 0, "at": call.payload["at"]}
    assert [r["kind"] for r in reminders(appliance)] == ["call"]
    with appliance.db.read() as conn:
        assert [m["kind"] for m in sms_store.for_dossier(conn, dossier["code"])] == ["result_ready"]
    appliance.dossiers.act(dossier["code"], "return", user="canbo1")
    assert reminders(appliance) == []


def test_the_reminder_worker_calls_again_until_the_result_is_handed_over(appliance, make_dossier, clock):
    appliance.settings = appliance.settings.replace(pager={"repeat_after_s": 60.0, "repeat_max": 2})
    calls = heard(appliance, "dossier.call")
    queue = ReminderQueue(appliance.units, appliance.db, appliance.tz)
    dossier = make_dossier(pager=None)
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert queue.fire_due() == 0                       # not due yet
    clock.advance(61)
    assert queue.fire_due() == 1
    clock.advance(3600)                                # an outage: the missed one is given once
    assert queue.fire_due() == 1
    clock.advance(3600)
    assert queue.fire_due() == 0                       # repeat_max reached: nothing more due
    assert [e.payload["repeat"] for e in calls] == [0, 1, 2]
    assert [(r["kind"], r["left"], r["done"]) for r in reminders(appliance)] == [("call", 0, 2)]
    assert queue.pending() == [] and queue.next_due() is None


# --- a ready result with a pager: the schedule on disk, the simulated pager --------------------

@pytest.fixture
def sim_pager(appliance, tmp_path, clock):
    appliance.settings = appliance.settings.replace(pager={"url": f"sim://{tmp_path}/pager", "protocol": "jtech-j1901",
                                                           "repeat_after_s": 60.0, "repeat_max": 3})
    service = PagerService(appliance.settings.pager, appliance.bus, clock, poll_s=0.01)   # dedup on the test clock
    service.start()
    yield service, tmp_path / "pager" / "pages.jsonl"
    service.stop()


def pages(path):
    if not path.exists():
        return []
    return [json.loads(line)["pager"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_pager_repeats_come_from_the_schedule_on_disk_and_stop_at_return(appliance, make_dossier, clock, sim_pager):
    service, record = sim_pager
    queue = ReminderQueue(appliance.units, appliance.db, appliance.tz)
    dossier = make_dossier(pager="auto")
    assert dossier["pager"] == 1
    ready = appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert ready["called_by"] == "pager" and ready["reminders_left"] == 3
    wait_until(lambda: pages(record) == [1], message="the first buzz")
    assert service.status()["repeats"] == 0            # not in memory: on disk
    [row] = reminders(appliance)
    assert (row["kind"], row["pager"], row["left"], row["due_ts"]) == ("pager", 1, 3, clock.now + 60)

    clock.advance(61)
    assert queue.fire_due() == 1
    wait_until(lambda: pages(record) == [1, 1], message="the first repeat on the simulated pager")
    assert service.recent()[0]["reason"] == "hồ sơ có kết quả – nhắc lại lần 1"
    assert reminders(appliance)[0]["left"] == 2

    appliance.dossiers.act(dossier["code"], "return", user="canbo1")
    assert reminders(appliance) == []
    clock.advance(600)
    assert queue.fire_due() == 0


def test_a_pager_handed_back_stops_and_a_lost_one_turns_into_a_display_call(appliance, make_dossier, clock):
    first, second = make_dossier(pager="auto"), make_dossier(pager="auto")
    for d in (first, second):
        appliance.dossiers.act(d["code"], "ready", user="canbo1")
    assert sorted((r["kind"], r["pager"]) for r in reminders(appliance)) == [("pager", 1), ("pager", 2)]
    appliance.engine.return_pager(1, user_login="canbo1")
    appliance.engine.mark_pager_lost(2, user_login="canbo1")
    assert [(r["dossier_code"], r["kind"], r["pager"]) for r in reminders(appliance)] \
        == [(second["code"], "call", None)]
    calls = heard(appliance, "dossier.call")
    clock.advance(appliance.settings.pager.repeat_after_s + 1)
    ReminderQueue(appliance.units, appliance.db, appliance.tz).fire_due()
    assert [e.payload["code"] for e in calls] == [second["code"]]


def test_the_worker_thread_gives_what_fell_due_while_it_was_stopped(appliance, make_dossier, clock):
    appliance.settings = appliance.settings.replace(pager={"repeat_after_s": 60.0, "repeat_max": 3})
    calls = heard(appliance, "dossier.call")
    dossier = make_dossier(pager=None)
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    clock.advance(120)                                 # the appliance was down past the due time
    worker = ReminderWorker(ReminderQueue(appliance.units, appliance.db, appliance.tz), appliance.bus, clock,
                            poll_s=0.05)
    worker.start()
    try:
        wait_until(lambda: [e.payload["repeat"] for e in calls] == [0, 1], message="the missed reminder")
        assert worker.status()["pending"] == 1 and worker.status()["calls"] == 1
    finally:
        worker.stop()


def test_sizing_the_pool_from_the_peak_hour_matches_the_worked_example_in_the_docs():
    from appliance.domain.pagers import pagers_needed
    assert pagers_needed(45, 75) == 73 and pagers_needed(45, 75, spare=0) == 69   # docs/pager.md
    assert pagers_needed(30, 75) == 51 and pagers_needed(0, 75) == 0
    assert pagers_needed(30, 75, cover=0.99) > pagers_needed(30, 75)
    assert 1090 < pagers_needed(1000, 60) < 1120                                   # the normal approximation
    with pytest.raises(ValueError):
        pagers_needed(10, 60, cover=1.0)


def test_a_pager_the_transmitter_cannot_reach_is_called_on_the_display_instead(appliance, make_dossier, tmp_path):
    """The transmitter unplugged: the ready result's page fails after max_delay_s, pager.failed is
    published, and the reminder worker calls the dossier by number on the display from then on."""
    appliance.settings = appliance.settings.replace(pager={
        "url": f"serial://{tmp_path}/no-such-transmitter?baudrate=19200", "protocol": "jtech-j1901",
        "options": {"max_delay_s": 1, "backoff_max_s": 0.05}})
    service = PagerService(appliance.settings.pager, appliance.bus, poll_s=0.01, backoff_initial_s=0.01)
    worker = ReminderWorker(ReminderQueue(appliance.units, appliance.db, appliance.tz), appliance.bus,
                            appliance.clock, poll_s=0.05)
    calls = heard(appliance, "dossier.call", "pager.failed")
    service.start()
    worker.start()
    try:
        dossier = make_dossier(pager="auto")
        assert dossier["pager"] == 1
        appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
        call = wait_until(lambda: [e for e in calls if e.type == "dossier.call"], message="the fallback call")[0]
        failed = [e for e in calls if e.type == "pager.failed"][0]
        assert failed.payload["pager"] == 1 and failed.payload["result"] == "failed"
        assert call.payload["code"] == dossier["code"] and call.payload["fallback"] == "pager_failed"
        assert [(r["kind"], r["pager"]) for r in reminders(appliance)] == [("call", 1)]
        got = appliance.dossiers.get(dossier["code"])
        assert got["called_by"] == "display" and "không gọi được thẻ rung số 1" in got["calling"]
        with appliance.db.read() as conn:
            from appliance.services.reminders import day_start
            from appliance.store import dossier_store
            listed = dossier_store.ready_without_pager(conn, day_start(appliance.clock(), appliance.tz))
        assert [r["code"] for r in listed] == [dossier["code"]]
        # the citizen comes with the pager: handing it back stops the calls
        appliance.engine.return_pager(1, user_login="canbo1")
        assert reminders(appliance) == []
    finally:
        worker.stop()
        service.stop()


def test_a_reminder_left_from_an_earlier_day_is_not_given(appliance, make_dossier, clock):
    calls = heard(appliance, "dossier.call")
    dossier = make_dossier(pager=None)
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    clock.advance(24 * 3600)                            # the appliance was off overnight
    queue = ReminderQueue(appliance.units, appliance.db, appliance.tz)
    assert queue.fire_due() == 0 and [e.payload["repeat"] for e in calls] == [0]
    assert queue.pending() == [] and queue.next_due() is None


def test_a_ticket_asking_for_any_pager_is_issued_when_none_is_free(appliance):
    from appliance.domain.errors import Conflict
    for n in range(1, appliance.settings.queue.pager_pool + 1):
        appliance.engine.assign_pager(n)
    issued = appliance.engine.issue("HT", pager="auto")          # not turned away
    assert issued.ticket.pager is None and issued.ticket.number
    with pytest.raises(Conflict) as err:                           # handing one out on its own still says so
        appliance.engine.assign_pager("auto")
    assert err.value.code == "pager_pool_empty"


def test_a_pager_reported_lost_is_audited_with_the_dossier_it_left(appliance, make_dossier):
    """Marking a pager lost takes it from the dossier holding it, as a detach does: who did it and
    from which dossier is in the audit log (the detach already was; the loss was not)."""
    held = make_dossier(pager="auto")
    appliance.engine.mark_pager_lost(1, user_login="canbo1")
    appliance.engine.mark_pager_lost(2, user_login="canbo2")          # on the shelf: no dossier
    rows = [tuple(r) for r in appliance.db.conn().execute(
        "SELECT user_login, object, detail FROM audit_log WHERE action = 'pager.lost' ORDER BY id")]
    assert rows == [("canbo1", "pager:1", f"báo mất; tách khỏi hồ sơ {held['code']}"), ("canbo2", "pager:2", "báo mất")]
    from appliance.web.admin.audit_labels import action_label, detail_text
    assert action_label("pager.lost", "en") == "Pager reported lost"
    assert detail_text("pager.lost", rows[0][2], "en") == f"reported lost; detached from dossier {held['code']}"
