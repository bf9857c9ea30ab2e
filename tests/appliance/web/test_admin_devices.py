"""The devices page over the real adapters: the printer (python-escpos into a sim:// folder), the
pager (simulated transmitter) and the buttons (gpiozero MockFactory), each with its test."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from gpiozero.pins.mock import MockFactory
from page_helpers import audit_rows, post_form, text
from PIL import Image
from waiting import wait_until

from appliance.gpio.board import ButtonBoard
from appliance.pager import PagerService
from appliance.printer import PrinterService


@pytest.fixture
def devices(appliance, tmp_path):
    """Printer, pager and buttons as the lead's wiring adds them; stopped with the appliance."""
    settings = appliance.settings.replace(
        printer={"url": f"sim://{tmp_path / 'printer'}"},
        pager={"url": f"sim://{tmp_path / 'pager'}", "protocol": "jtech-j1901"},
        gpio={"factory": "mock", "ticket_buttons": {"HT": 17}, "call_buttons": {"1": 5},
              "rating_buttons": {"1": [12, 16, 20]}, "hold_recall_s": 0.2})
    printer = appliance.devices.add("printer", PrinterService(settings.printer, appliance.bus))
    pager = appliance.devices.add("pager", PagerService(settings.pager, appliance.bus))
    board = appliance.devices.add("gpio", ButtonBoard(settings.gpio, appliance.engine, appliance.bus,
                                                      pin_factory=MockFactory()))
    appliance.start()
    return {"printer": printer, "pager": pager, "gpio": board, "dir": tmp_path}


def wait(predicate, timeout=None):
    return wait_until(predicate, timeout)


def test_without_devices_each_is_shown_as_not_configured(admin_client):
    body = text(admin_client.get("/admin/devices"))
    assert body.count("Không cấu hình") >= 3
    for path in ("/admin/devices/printer/test", "/admin/devices/pager/test", "/admin/devices/gpio/press"):
        response = post_form(admin_client, path, {"number": "1", "button": "ticket:HT"}, page="/admin/devices",
                             follow_redirects=True)
        assert "Chưa cấu hình" in text(response), path


def test_the_ticket_preview_is_a_png_as_wide_as_the_paper(admin_client, devices):
    response = admin_client.get("/admin/devices/printer/preview.png")
    image = Image.open(io.BytesIO(response.data))
    assert response.mimetype == "image/png" and image.width == devices["printer"].width
    assert image.height > 200 and image.convert("L").getextrema() == (0, 255)  # black print on white


def test_the_printer_test_prints_a_sample_ticket(admin_client, devices, appliance):
    response = post_form(admin_client, "/admin/devices/printer/test", page="/admin/devices", follow_redirects=True)
    assert "Đã gửi phiếu in thử" in text(response)
    printer = devices["printer"]
    wait(lambda: printer.recent() and printer.recent()[0]["state"] == "printed")
    assert printer.recent()[0]["number"] == "A015"
    assert any(p.stat().st_size > 0 for p in (devices["dir"] / "printer").rglob("*") if p.is_file())
    page = text(admin_client.get("/admin/devices"))
    assert "Đã in" in page and "A015" in page
    job = printer.recent()[0]["id"]
    response = post_form(admin_client, f"/admin/devices/printer/reprint/{job}", page="/admin/devices",
                         follow_redirects=True)
    assert "Đã gửi in lại" in text(response)
    wait(lambda: printer.recent()[0]["reprint_of"] == job)
    assert [r["action"] for r in appliance.db.conn().execute(
        "SELECT action FROM audit_log WHERE object = 'device:printer' ORDER BY id")] == ["printer.test",
                                                                                        "printer.reprint"]
    response = post_form(admin_client, "/admin/devices/printer/reprint/khong-co", page="/admin/devices",
                         follow_redirects=True)
    assert "Không còn việc in khong-co" in text(response)


def test_the_pager_test_pages_the_chosen_number(admin_client, devices, appliance):
    response = post_form(admin_client, "/admin/devices/pager/test", {"number": "7"}, page="/admin/devices",
                         follow_redirects=True)
    assert "Đã gửi lệnh rung thẻ số 7" in text(response)
    pager = devices["pager"]
    assert pager.flush()
    assert pager.recent()[0]["pager"] == 7 and pager.recent()[0]["result"] == "sent"
    assert "gọi thủ công" in text(admin_client.get("/admin/devices"))
    assert audit_rows(appliance, "pager.test")[0]["detail"] == "thẻ rung số 7"
    response = post_form(admin_client, "/admin/devices/pager/test", {"number": "99"}, page="/admin/devices",
                         follow_redirects=True)
    assert "Số thẻ rung phải từ 1 đến 10." in text(response)


def test_a_simulated_button_press_issues_a_ticket_and_shows_its_result(admin_client, devices, appliance):
    page = text(admin_client.get("/admin/devices"))
    assert "Nút lấy số HT" in page and "BCM 17" in page and "Chưa bấm" in page
    waiting = appliance.db.conn().execute("SELECT count(*) FROM tickets").fetchone()[0]
    response = post_form(admin_client, "/admin/devices/gpio/press", {"button": "ticket:HT"}, page="/admin/devices",
                         follow_redirects=True)
    body = text(response)
    assert "Đã bấm thử nút “Nút lấy số HT”: Đã cấp số A" in body
    assert appliance.db.conn().execute("SELECT count(*) FROM tickets").fetchone()[0] == waiting + 1
    status = next(b for b in devices["gpio"].status()["buttons"] if b["name"] == "ticket:HT")
    pressed = datetime.fromisoformat(status["last_press"])
    assert pressed.utcoffset() is not None  # aware: shown in the office's zone, not the machine's
    assert status["presses"] == 1 and pressed.astimezone(appliance.tz).strftime("%d/%m/%Y %H:%M:%S") in body
    assert audit_rows(appliance, "gpio.test_press")[0]["object"] == "button:ticket:HT"
    response = post_form(admin_client, "/admin/devices/gpio/press", {"button": "ticket:XX"}, page="/admin/devices",
                         follow_redirects=True)
    assert "Không tìm thấy nút 'ticket:XX'" in text(response)


def test_holding_a_call_button_recalls_the_current_number(admin_client, devices, appliance):
    called = appliance.engine.call_next(1)
    body = text(admin_client.get("/admin/devices"))
    assert 'name="hold" value="1"' in body
    response = post_form(admin_client, "/admin/devices/gpio/press", {"button": "call:1", "hold": "1"},
                         page="/admin/devices", follow_redirects=True)
    assert f"Đã gọi lại số {called.number}" in text(response)
    assert audit_rows(appliance, "gpio.test_press")[0]["detail"].startswith("giữ; ")


def test_real_buttons_have_no_simulated_press(admin_client, appliance):
    class RealBoard:  # the status a ButtonBoard on lgpio reports
        def stop(self):
            pass

        def status(self):
            return {"state": "ok", "message": "1 nút đang hoạt động", "factory": "LGPIOFactory",
                    "buttons": [{"name": "ticket:HT", "label": "Nút lấy số HT", "pin": 17, "presses": 3,
                                 "ignored": 0, "last_press": "2026-11-30T08:01:02", "last_result": "Đã cấp số A004"}]}
    appliance.devices.add("gpio", RealBoard())
    body = text(admin_client.get("/admin/devices"))
    assert "Bấm nút thật rồi tải lại trang" in body and "30/11/2026 08:01:02" in body
    assert "data-press=" not in body


def test_a_device_whose_status_breaks_does_not_break_the_page(admin_client, appliance):
    class Broken:
        def stop(self):
            pass

        def recent(self):
            raise OSError("cổng USB bị rút")

        def status(self):
            raise OSError("cổng USB bị rút")
    appliance.devices.add("printer", Broken())
    body = text(admin_client.get("/admin/devices"))
    assert "Không đọc được trạng thái: cổng USB bị rút" in body


def test_device_times_are_shown_in_the_office_zone_not_the_machines(admin_client, appliance):
    """A press at 12:52 UTC is 19:52 in Hà Nội: the devices page says 19:52, as the audit page would."""
    class Board:
        def stop(self):
            pass

        def status(self):
            return {"state": "ok", "message": "1 nút đang hoạt động", "message_en": "1 buttons working",
                    "factory": "LGPIOFactory",
                    "buttons": [{"name": "ticket:HT", "label": "Nút lấy số HT", "pin": 17, "presses": 1,
                                 "ignored": 0, "last_press": "2026-11-30T12:52:07+00:00",
                                 "last_result": "Đã cấp số A004"}]}

    class Pager:
        def stop(self):
            pass

        def status(self):
            return {"state": "ok", "message": "Bộ phát thẻ rung hoạt động bình thường",
                    "message_en": "The pager transmitter is working", "protocol": "sim", "url": "sim://"}

        def recent(self):
            return [{"at": "2026-11-30T12:52:07+00:00", "pager": 3, "reason": "gọi số", "reason_en": "number called",
                     "result_text": "đã gửi", "result_text_en": "sent", "message": ""}]
    assert appliance.tz.key == "Asia/Ho_Chi_Minh"
    appliance.devices.add("gpio", Board())
    appliance.devices.add("pager", Pager())
    body = text(admin_client.get("/admin/devices"))
    assert "30/11/2026 19:52:07" in body and "<td>19:52:07</td>" in body and "12:52" not in body
    assert "gọi số" in body and "Bộ phát thẻ rung hoạt động bình thường" in body
    english = text(admin_client.get("/admin/devices?lang=en"))
    assert "number called" in english and "The pager transmitter is working" in english
    assert "1 buttons working" in english and "gọi số" not in english and "hoạt động bình thường" not in english
    overview = text(admin_client.get("/admin?lang=en"))
    assert "The pager transmitter is working" in overview and "hoạt động bình thường" not in overview
