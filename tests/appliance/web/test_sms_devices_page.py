"""The SMS part of the devices page over a fake GSM modem on a pty: the modem's SIM and signal, the
recent messages with masked numbers and their state, the "send a test SMS" action; and the citizen's
opt-in at receipt ("Nhắn tin khi có kết quả"), stored and shown, refused without a mobile number."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from page_helpers import audit_rows, post_form, text
from waiting import DEADLINE, wait_until

from appliance.sms import SmsService
from appliance.sms.fake_modem import FakeModem
from appliance.sms.transports import make_transport
from appliance.store import sms_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dossiers"))  # the dossier tests' valid values
from dossier_values import valid_values  # noqa: E402


@pytest.fixture
def modem(tmp_path):
    with FakeModem(link=tmp_path / "dev" / "motcua-modem") as fake:
        yield fake


@pytest.fixture
def sms(appliance, modem):
    appliance.settings = appliance.settings.replace(sms={"url": modem.url, "per_minute": 60})
    service = appliance.devices.add("sms", SmsService(
        appliance.messages, lambda: appliance.settings, appliance.bus, make_transport(appliance.settings.sms),
        state_dir=appliance.state_dir, poll_s=0.05, backoff_initial_s=0.05, backoff_max_s=0.2))
    service.start()
    yield service
    service.stop()


def states(appliance):
    with appliance.db.read() as conn:
        return [r["state"] for r in sms_store.recent(conn, 100)]


def test_without_an_sms_transport_the_page_says_how_to_set_one(admin_client):
    page = text(admin_client.get("/admin/devices"))
    assert "Tin nhắn SMS" in page and "[sms].url" in page and "Chưa có tin nhắn nào." in page
    response = post_form(admin_client, "/admin/devices/sms/test", {"phone": "0912345678"}, page="/admin/devices",
                         follow_redirects=True)
    assert "Chưa cấu hình gửi tin nhắn" in text(response)


def test_the_test_sms_reaches_the_modem_and_is_listed_masked(admin_client, appliance, modem, sms):
    wait_until(lambda: sms.status()["state"] == "ok", message="the modem answered")
    page = text(admin_client.get("/admin/devices"))
    assert "Modem GSM qua cổng USB" in page and "Sẵn sàng" in page and "18/31 (-77 dBm)" in page
    # a wrong number: a clear message, nothing queued
    response = post_form(admin_client, "/admin/devices/sms/test", {"phone": "024 3825 1234"},
                         page="/admin/devices", follow_redirects=True)
    assert response.status_code == 200 and "Số điện thoại di động không đúng" in text(response)
    assert states(appliance) == []
    response = post_form(admin_client, "/admin/devices/sms/test", {"phone": "0912 345 678"}, page="/admin/devices",
                         follow_redirects=True)
    assert "Đã xếp tin nhắn thử" in text(response)
    [message] = modem.wait_messages(1, DEADLINE)
    assert message.number == "+84912345678"
    assert message.text.startswith(f"{appliance.settings.office.name}: Tin nhắn thử của hệ thống Một cửa lúc 08:00")
    wait_until(lambda: states(appliance) == ["sent"], message="the test message sent")
    page = text(admin_client.get("/admin/devices"))
    assert "091****678" in page and "0912345678" not in page and "0912 345 678" not in page
    assert "Tin nhắn thử" in page and "Đã gửi" in page
    for ref in message.references:
        modem.push_report(ref)
    wait_until(lambda: states(appliance) == ["delivered"], message="delivered")
    assert "Đã đến máy" in text(admin_client.get("/admin/devices"))
    [row] = audit_rows(appliance, "sms.test")
    assert row["detail"] == "091****678"
    english = text(admin_client.get("/admin/devices?lang=en"))
    assert "Text messages (SMS)" in english and "Test message" in english and "Delivered" in english


def submit(appliance, values: dict, **options):
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure="1.001193", values=values, counter_id=1, user="canbo1")
    return appliance.dossiers.submit(draft, options, user="canbo1")


def test_opt_in_is_stored_shown_and_needs_a_mobile_number(appliance, admin_client):
    from appliance.domain.dossiers import FormInvalid
    page = text(admin_client.get("/dossiers/new?procedure=1.001193&counter=1"))
    assert 'id="f-sms_opt_in"' in page and "Nhắn tin khi có kết quả" in page
    values = valid_values("1.001193")
    landline = {k: ("02033825123" if v == "0912345678" else v) for k, v in values.items()}
    with pytest.raises(FormInvalid) as caught:
        submit(appliance, landline, sms_opt_in=True)
    assert "cần số điện thoại di động" in caught.value.errors["sms_opt_in"]
    dossier, _ = submit(appliance, values, sms_opt_in=True, pager=3)
    assert dossier["sms_opt_in"] is True
    detail = text(admin_client.get(f"/dossiers/{dossier['code']}"))
    assert "Nhắn tin khi có kết quả" in detail and "có, đến số 091****678" in detail
