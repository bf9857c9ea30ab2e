"""Buttons and lamps through gpiozero's MockFactory driving the real queue engine."""
import pytest
from gpiozero.pins.mock import MockFactory

from appliance.gpio.board import ButtonBoard
from appliance.gpio.lockout import Lockout


class Mono:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture
def board(appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    settings = appliance.settings.replace(gpio={
        "factory": "mock", "ticket_buttons": {"HT": 17, "CT": 27}, "call_buttons": {"1": 5},
        "recall_buttons": {"2": 6}, "rating_buttons": {"1": [12, 16, 20]}, "fault_led": 18,
        "buzzer": 4, "hold_recall_s": 0.3}).gpio
    factory = MockFactory()
    mono = Mono()
    b = ButtonBoard(settings, appliance.engine, appliance.bus, pin_factory=factory, clock=mono)
    b.start()
    b.mono, b.pins = mono, factory
    yield b
    b.stop()
    factory.reset()


def tickets(appliance, **where):
    sql = "SELECT number, state, channel FROM tickets WHERE state != 'done' ORDER BY id"
    return [tuple(r) for r in appliance.db.conn().execute(sql)]


def press(board, pin):
    board.pins.pin(pin).drive_low()
    board.pins.pin(pin).drive_high()
    board.wait_idle()


def test_lockout_uses_the_injected_clock():
    now = [0.0]
    lock = Lockout(1.0, clock=lambda: now[0])
    assert lock.allow() and not lock.allow()
    now[0] = 0.99
    assert not lock.allow()
    now[0] = 1.0
    assert lock.allow()


def test_ticket_button_issues_one_ticket(board, appliance):
    press(board, 17)
    assert tickets(appliance) == [("A004", "waiting", "button")]


def test_chatter_five_edges_within_50ms_gives_one_ticket(board, appliance):
    pin = board.pins.pin(17)
    for _ in range(5):
        pin.drive_low()
        board.mono.t += 0.005
        pin.drive_high()
        board.mono.t += 0.005
    board.wait_idle()
    assert len(tickets(appliance)) == 1
    info = board.buttons["ticket:HT"]
    assert info.presses == 1 and info.ignored == 4
    board.mono.t += 3
    press(board, 17)
    assert len(tickets(appliance)) == 2


def test_call_button_calls_and_held_button_recalls(board, appliance):
    press(board, 17)
    board.mono.t += 3
    press(board, 17)
    press(board, 5)
    assert tickets(appliance)[0][1] == "called"
    board.simulate_press("call:1", hold=True)  # held: recall, not next
    rows = appliance.db.conn().execute("SELECT number, state, recalls FROM tickets WHERE state != 'done' "
                                       "ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("A004", "called", 1), ("A005", "waiting", 0)]
    board.mono.t += 2
    press(board, 5)  # next: finishes A004, calls A005
    rows = appliance.db.conn().execute("SELECT number, state FROM tickets WHERE number IN ('A004', 'A005') "
                                       "AND day = ? ORDER BY id", (appliance.today(),)).fetchall()
    assert [tuple(r) for r in rows][-2:] == [("A004", "done"), ("A005", "called")]


def test_chattering_call_button_calls_one_number(board, appliance):
    for _ in range(3):
        press(board, 17)
        board.mono.t += 3
    pin = board.pins.pin(5)
    for _ in range(5):
        pin.drive_low()
        pin.drive_high()
    board.wait_idle()
    states = [s for _, s, _ in tickets(appliance)]
    assert states == ["called", "waiting", "waiting"]


def test_rating_buttons_rate_the_last_served_ticket_once(board, appliance):
    press(board, 17)
    board.mono.t += 3
    press(board, 17)
    press(board, 5)
    press(board, 12)
    board.mono.t += 2
    press(board, 20)  # the same citizen again (or a child playing): not counted twice
    assert "đã được đánh giá" in board.buttons["rating:1:unsatisfied"].last_result
    board.mono.t += 2
    press(board, 5)   # the next citizen is called: their press counts
    press(board, 20)
    rows = appliance.db.conn().execute("SELECT ticket_id, level, source FROM ratings ORDER BY id").fetchall()
    assert [tuple(r)[1:] for r in rows] == [("very_satisfied", "button"), ("unsatisfied", "button")]
    assert rows[0][0] != rows[1][0]


def test_button_with_nothing_to_do_reports_in_vietnamese(board):
    press(board, 6)  # recall at counter 2 with nobody called
    assert "không có số nào đang gọi" in board.buttons["recall:2"].last_result


def test_fault_lamp_follows_printer_and_pager_errors(board, appliance):
    led = board.pins.pin(18)
    appliance.bus.publish("device.status", {"device": "printer", "state": "error", "message": "Hết giấy"})
    assert board.status()["fault_lamp"] and board.status()["faults"] == {"printer": "Hết giấy"}
    appliance.bus.publish("device.status", {"device": "pager", "state": "error", "message": "Mất kết nối"})
    appliance.bus.publish("device.status", {"device": "printer", "state": "ok"})
    assert board.status()["fault_lamp"]
    appliance.bus.publish("device.status", {"device": "pager", "state": "ok"})
    assert not board.status()["fault_lamp"] and led.state == 0


def test_status_lists_buttons_with_last_press(board):
    press(board, 17)
    st = board.status()
    assert st["state"] == "ok" and st["factory"] == "MockFactory"
    ht = next(b for b in st["buttons"] if b["name"] == "ticket:HT")
    assert ht["presses"] == 1 and ht["last_press"] and ht["last_result"] == "Đã cấp số A004"


def test_same_pin_twice_is_a_config_error(appliance):
    from appliance.config import ConfigError
    settings = appliance.settings.replace(gpio={"factory": "mock", "ticket_buttons": {"HT": 17},
                                                "call_buttons": {"1": 17}}).gpio
    with pytest.raises(ConfigError, match="chân 17"):  # at construction: `motcua serve` stops with one line
        ButtonBoard(settings, appliance.engine, appliance.bus, pin_factory=MockFactory())
    lamp = appliance.settings.replace(gpio={"factory": "mock", "ticket_buttons": {"HT": 17},
                                            "fault_led": 17}).gpio
    with pytest.raises(ConfigError, match="'ticket:HT' và 'fault_led'"):
        ButtonBoard(lamp, appliance.engine, appliance.bus, pin_factory=MockFactory())


def test_a_pin_held_by_another_device_disables_only_that_button(appliance):
    """GPIOPinInUse on one pin: the other buttons, the lamp and the worker keep running, the watchdog
    still sees the board alive, and the devices page names the pin in Vietnamese."""
    from gpiozero import LED
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    settings = appliance.settings.replace(gpio={
        "factory": "mock", "ticket_buttons": {"HT": 17, "CT": 27}, "buzzer": 4, "fault_led": 18}).gpio
    factory = MockFactory()
    squatter = LED(27, pin_factory=factory)  # another device already holds pin 27
    squatter_buzzer = LED(4, pin_factory=factory)
    b = ButtonBoard(settings, appliance.engine, appliance.bus, pin_factory=factory, clock=Mono())
    b.pins = factory
    try:
        b.start()
        assert b.alive()
        assert set(b.buttons) == {"ticket:HT"} and b.buzzer is None and b.fault_led is not None
        press(b, 17)
        assert tickets(appliance) == [("A004", "waiting", "button")]  # no beep, no crash without the buzzer
        st = b.status()
        assert st["state"] == "error"
        assert [(e["name"], e["pin"]) for e in st["pin_errors"]] == [("ticket:CT", 27), ("buzzer", 4)]
        assert "Không mở được chân 27 cho Nút lấy số CT" in st["message"]
        assert "1 nút đang hoạt động" in st["message"] and "27, 4" in st["message_en"]
    finally:
        b.stop()
        squatter.close()
        squatter_buzzer.close()
        factory.reset()
    assert b.alive()  # stopped, not hung


def test_alive_is_false_when_the_started_worker_died(board):
    assert board.alive()
    board._jobs.put(None)  # the worker returns
    board._thread.join(timeout=5)
    assert not board.alive()


def test_call_button_on_a_paused_or_closed_counter_calls_nobody(board, appliance):
    """Someone passing a paused desk and pressing its button must not call a citizen to nobody:
    the press changes nothing in the queue and the devices page says why."""
    press(board, 17)
    appliance.engine.set_counter_state(1, "pause", "canbo1", "officer")
    board.mono.t += 5
    press(board, 5)
    info = board.buttons["call:1"]
    assert tickets(appliance) == [("A004", "waiting", "button")]
    assert info.presses == 1 and "tạm nghỉ" in info.last_result and "Mở quầy" in info.last_result
    appliance.engine.set_counter_state(1, "close", "canbo1", "officer")
    board.mono.t += 5
    press(board, 5)
    assert tickets(appliance) == [("A004", "waiting", "button")] and "đã đóng" in info.last_result
    appliance.engine.set_counter_state(1, "open", "canbo1", "officer")
    board.mono.t += 5
    press(board, 5)
    assert tickets(appliance) == [("A004", "called", "button")] and info.last_result == "Đã gọi số A004"
