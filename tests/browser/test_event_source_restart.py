"""A standard EventSource in the hall display's page, across a real appliance crash and restart
(`motcua demo` killed with SIGKILL and started again on the same database).

The page's own stream (panel.js over EventSource) and a plain ``new EventSource`` opened in the
same page, with nothing but the browser's built-in reconnection, both receive a call before the
crash and a call after it. The plain one sends its ``Last-Event-ID`` by itself on reconnecting:
that id is from the earlier run, so the server answers ``event: resync`` (reload the snapshot) and
every id it sends afterwards is above the one it sent (docs/events.md: ids are reserved in blocks
written to the database before use, so a new run starts above the last block)."""
from __future__ import annotations

import pytest

from .conftest import set_viewport, shot, wait_for
from .test_display_restart import HOST, display_token, free_port, online, shown, staff_session, start_demo

pytestmark = pytest.mark.browser

PLAIN_STREAM_JS = """
window.plainEvents = [];
window.plainOpens = 0;
var es = new EventSource(arguments[0]);
window.plainSource = es;
es.onopen = function () { window.plainOpens += 1; };
['hello', 'resync', 'ticket.called', 'ticket.done', 'queue.changed'].forEach(function (type) {
  es.addEventListener(type, function (e) {
    var data = {};
    try { data = JSON.parse(e.data); } catch (err) { data = {}; }
    window.plainEvents.push({type: type, lastEventId: e.lastEventId, data: data, state: es.readyState});
  });
});
"""


def plain(driver) -> list[dict]:
    return driver.execute_script("return window.plainEvents.slice();")


def called(events: list[dict], number: str) -> list[dict]:
    return [e for e in events if e["type"] == "ticket.called" and e["data"]["payload"]["ticket"]["number"] == number]


def test_a_standard_event_source_keeps_receiving_after_a_restart_with_ids_above_the_old_ones(browser, tmp_path):
    driver = browser
    var = tmp_path / "var"
    port = free_port()
    url = f"http://{HOST}:{port}"
    proc = start_demo(var, port)
    try:
        token = display_token(var)
        driver.switch_to.new_window("tab")
        set_viewport(driver, 1920, 1080)
        driver.get(f"{url}/display?token={token}")
        wait_for(lambda: online(driver), message="the display online")
        driver.execute_script(PLAIN_STREAM_JS, f"{url}/api/v1/events")
        wait_for(lambda: any(e["type"] == "hello" for e in plain(driver)), message="the plain stream's hello")

        staff = staff_session(url, var)
        first = staff.post(url + "/api/v1/counters/1/call-next", timeout=30).json()["number"]
        before = wait_for(lambda: called(plain(driver), first), message=f"{first} on the plain stream")[0]
        wait_for(lambda: shown(driver, first), message=f"{first} on the display")
        first_id = int(before["lastEventId"])
        assert first_id == before["data"]["id"] and before["data"]["type"] == "ticket.called"
        assert shown(driver, first)[0]["id"] == first_id   # the page's stream saw the same event id

        proc.kill()   # a crash: nothing is shut down cleanly
        proc.wait(30)
        wait_for(lambda: not online(driver), message="the display to notice it is offline")
        proc = start_demo(var, port)
        wait_for(lambda: online(driver), interval=0.1, message="the display back online by itself")
        # the plain EventSource reconnected by itself (the browser's retry) and was told to resync
        wait_for(lambda: driver.execute_script("return window.plainOpens;") >= 2,
                 message="the plain EventSource to reconnect by itself")
        after_restart = wait_for(lambda: [e for e in plain(driver) if e["type"] == "resync"],
                                 message="event: resync for an id of the earlier run")
        assert after_restart, "a Last-Event-ID from the earlier run gets resync"

        staff = staff_session(url, var)
        staff.post(url + "/api/v1/counters/1/done", timeout=30)
        second = staff.post(url + "/api/v1/counters/1/call-next", timeout=30).json()["number"]
        later = wait_for(lambda: called(plain(driver), second), message=f"{second} on the plain stream")[0]
        entry = wait_for(lambda: shown(driver, second), message=f"{second} on the display after the restart")[0]
        assert int(later["lastEventId"]) > first_id, (first_id, later["lastEventId"])
        assert entry["id"] == int(later["lastEventId"]) and entry["replayed"] is False

        # every event frame (hello and resync carry no id: lastEventId keeps the last one seen)
        framed = [e for e in plain(driver) if e["type"] not in ("hello", "resync")]
        ids = [e["data"]["id"] for e in framed]
        assert ids == [int(e["lastEventId"]) for e in framed]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), f"ids went back: {ids}"
        hellos = [e["data"] for e in plain(driver) if e["type"] == "hello"]
        assert len(hellos) >= 2 and hellos[-1]["instance"] != hellos[0]["instance"]
        assert hellos[-1]["last_id"] > first_id   # the new run counts above the old one
        shot(driver, "display-event-source-after-restart-1920x1080")
    finally:
        driver.execute_script("window.plainSource && window.plainSource.close();")
        proc.terminate()
        proc.wait(30)
        if len(driver.window_handles) > 1:
            driver.close()
            driver.switch_to.window(driver.window_handles[0])
