"""Mock GPIO edges drive the real domain end to end: ticket button → ticket → simulated printer;
counter button → call → simulated pager; holding the counter button recalls; chatter is one action.

How a button ticket gets a pager: it does not. The entrance button has no way to hand out a
pager, so ``engine.issue(…, channel="button")`` issues the ticket without one; a pager is given by
staff (at reception or at the counter for a dossier) with ``engine.assign_pager``, or by the kiosk
or API with ``pager="auto"``. From then on the counter button's call pages it.
"""
from __future__ import annotations

import json
import time

from PIL import Image

from appliance.printer.decode import parse, rasters


def pages_recorded(tmp_path) -> list[dict]:
    log = tmp_path / "devices" / "pager" / "pages.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_press_prints_the_ticket_and_the_counter_button_pages_it(running, board, press, open_tickets, waiter,
                                                                 j1901, tmp_path):
    printer = running.devices.get("printer")
    press(17)
    [(ticket_id, number, state, channel, pager, _)] = open_tickets()
    assert (number, state, channel, pager) == ("A004", "waiting", "button", None)
    assert board.buttons["ticket:HT"].last_result == "Đã cấp số A004"

    job = waiter(lambda: (jobs := printer.recent()) and jobs[0]["state"] == "printed" and jobs[0])
    assert job["number"] == "A004" and job["service_name"] == "Hộ tịch"
    out = tmp_path / "devices" / "printer"
    [bin_file], [png_file] = sorted(out.glob("*.bin")), sorted(out.glob("*.png"))
    assert job["id"] in bin_file.name and bin_file.stem == png_file.stem
    data = bin_file.read_bytes()
    assert len(data) == job["bytes"] > 0
    ops, used = parse(data)                           # every byte is a command we understand
    assert used == len(data) and ops[0].name == "init" and ops[-1].name == "cut"
    assert ("text", "A004") in [(op.name, op.arg) for op in ops]   # the number in the printer's font
    images = rasters(data)                            # the Vietnamese lines as 1-bit pictures
    assert len(images) >= 3 and all(0 < image.width <= 576 for image in images)
    with Image.open(png_file) as picture:
        picture.load()
        assert picture.width == 576 and picture.height > 200
        assert picture.convert("L").getextrema()[0] == 0            # there is ink on the ticket

    assert pages_recorded(tmp_path) == []             # nothing to page yet: no pager
    handed = running.engine.assign_pager("auto", ticket_id=ticket_id)   # staff give pager 1
    assert handed == 1
    press(5)                                          # counter 1's call button, released at once
    assert open_tickets() == [(ticket_id, "A004", "called", "button", 1, 1)]
    assert board.buttons["call:1"].last_result == "Đã gọi số A004"
    assert running.devices.get("pager").flush()
    [page] = waiter(lambda: pages_recorded(tmp_path))
    assert page["protocol"] == "jtech-j1901" and page["pager"] == 1
    assert bytes.fromhex(page["bytes"]) == j1901(10, 1) == bytes.fromhex("ffffff0130313030303031030d")
    assert (tmp_path / "devices" / "pager" / "pager.bin").read_bytes() == j1901(10, 1)


def test_holding_the_counter_button_recalls_and_pages_again(running, board, press, open_tickets, waiter,
                                                           j1901, tmp_path):
    issued = running.engine.issue("HT", pager="auto", channel="kiosk")
    assert issued.ticket.pager == 1
    press(5)
    waiter(lambda: len(pages_recorded(tmp_path)) == 1)
    pin = board.factory.pin(5)
    pin.drive_low()
    waiter(lambda: board.buttons["call:1"].device.is_held)
    pin.drive_high()
    board.wait_idle()
    assert board.buttons["call:1"].last_result == "Đã gọi lại số A004"
    recalls = running.db.conn().execute("SELECT recalls, state FROM tickets WHERE id = ?",
                                        (issued.ticket.id,)).fetchone()
    assert tuple(recalls) == (1, "called")
    pages = waiter(lambda: len(p := pages_recorded(tmp_path)) == 2 and p)
    assert [bytes.fromhex(p["bytes"]) for p in pages] == [j1901(10, 1)] * 2
    reasons = [entry["reason"] for entry in running.devices.get("pager").recent() if entry["result"] == "sent"]
    assert reasons == ["gọi lại", "gọi số"]


def test_chatter_five_edges_within_50ms_is_one_action(running, board, open_tickets, waiter, tmp_path):
    printer = running.devices.get("printer")
    lockout = running.settings.gpio.ticket_lockout_s

    def chatter(pin_no: int) -> float:
        pin = board.factory.pin(pin_no)
        started = time.monotonic()
        for _ in range(5):                           # five falling edges, 8 ms apart
            pin.drive_low()
            time.sleep(0.004)
            pin.drive_high()
            time.sleep(0.004)
        elapsed = time.monotonic() - started
        board.wait_idle()
        return elapsed

    assert chatter(17) < lockout
    assert [row[1:4] for row in open_tickets()] == [("A004", "waiting", "button")]
    info = board.buttons["ticket:HT"]
    assert (info.presses, info.ignored) == (1, 4)
    waiter(lambda: printer.recent() and printer.recent()[0]["state"] == "printed")
    assert len(printer.recent()) == 1 and len(list((tmp_path / "devices" / "printer").glob("*.bin"))) == 1

    running.engine.issue("HT", channel="kiosk")      # a second citizen waits
    assert chatter(5) < lockout
    assert [row[1:3] for row in open_tickets()] == [("A004", "called"), ("A005", "waiting")]
    info = board.buttons["call:1"]
    assert (info.presses, info.ignored) == (1, 4)
