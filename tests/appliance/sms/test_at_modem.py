"""The AT modem transport against a fake modem on a pty that answers as a real one: OK, ERROR,
no SIM, no signal, a SIM PIN, text and PDU mode, delivery reports, unplug and replug."""
from __future__ import annotations

import pytest
from waiting import wait_until

from appliance.config import ConfigError, Sms
from appliance.sms.at_modem import AtModem, parse_cds_pdu, parse_cds_text
from appliance.sms.fake_modem import FakeModem
from appliance.sms.http_gateway import HttpGateway
from appliance.sms.sim_modem import SimModem
from appliance.sms.transport import DisabledTransport, SmsLinkError, SmsRejected
from appliance.sms.transports import make_transport

TEXT = "UBND xã Gia Lâm: Hồ sơ 000.00.00.H00-261130-0001 đã có kết quả."


@pytest.fixture
def modem(tmp_path):
    with FakeModem(link=tmp_path / "dev" / "modem") as fake:
        yield fake


def transport(fake, **kw) -> AtModem:
    return AtModem(fake.path, command_timeout_s=3, send_timeout_s=5, **kw)


def test_urls_choose_the_transport(tmp_path):
    t = make_transport(Sms(url="serial:///dev/motcua-modem?baudrate=9600&pin=1234"))
    assert isinstance(t, AtModem) and (t.target, t.baudrate, t.pin) == ("/dev/motcua-modem", 9600, "1234")
    assert isinstance(make_transport(Sms(url=f"sim://{tmp_path}/sms")), SimModem)
    assert isinstance(make_transport(Sms(url="https://sms.example.vn/send", token="k")), HttpGateway)
    assert isinstance(make_transport(Sms(url="")), DisabledTransport)
    for bad in ("serial:///dev/x?speed=1", "serial:///dev/x?pin=12", "https:///nohost"):
        with pytest.raises(ConfigError, match=r"\[sms\]\.url"):
            make_transport(Sms(url=bad))


def test_open_sets_text_mode_ucs2_and_reports(modem):
    t = transport(modem)
    t.open()
    assert modem.echo is False and modem.text_mode and modem.charset == "UCS2"
    assert modem.cnmi == "2,1,0,1,0"
    link = t.link()
    assert link.ok and link.sim == "ready" and link.signal == 18 and link.network == "home"
    assert link.signal_dbm == -77
    t.close()


def test_a_short_message_goes_in_text_mode_with_its_reference(modem):
    t = transport(modem)
    sent = t.send("0912345678", "Hồ sơ đã có kết quả")
    assert sent.parts == 1 and sent.references == ["1"]
    [msg] = modem.wait_messages(1)
    assert (msg.number, msg.text, msg.mode) == ("+84912345678", "Hồ sơ đã có kết quả", "text")
    t.close()


def test_a_long_message_goes_as_concatenated_pdus_then_text_mode_again(modem):
    t = transport(modem)
    text = TEXT + " Mời ông/bà đến Bộ phận Một cửa quầy 2 trong giờ làm việc để nhận."
    sent = t.send("0912345678", text)
    assert sent.parts == 2 and len(sent.references) == 2
    [msg] = modem.wait_messages(1)
    assert msg.text == text and msg.parts == 2 and msg.mode == "pdu"
    assert modem.text_mode                       # back to text mode for the next message
    assert any(c.startswith("AT+CMGF=0") for c in modem.commands)
    t.close()


def test_no_sim_is_a_link_error_that_names_the_sim(tmp_path):
    with FakeModem(link=tmp_path / "modem", sim="missing") as fake:
        t = transport(fake)
        with pytest.raises(SmsLinkError, match="không có thẻ SIM"):
            t.open()
        link = t.link()
        assert not link.ok and link.sim == "missing"


def test_a_sim_pin_from_the_url_unlocks_it(tmp_path):
    with FakeModem(link=tmp_path / "modem", sim="pin", pin="4321") as fake:
        with pytest.raises(SmsLinkError, match="PIN"):
            transport(fake).open()
        t = transport(fake, pin="4321")
        t.open()
        assert fake.sim == "ready"
        t.close()


def test_no_signal_is_reported_and_sending_is_a_link_error(tmp_path):
    with FakeModem(link=tmp_path / "modem", signal=99) as fake:
        t = transport(fake)
        link = t.link()
        assert not link.ok and link.signal is None and "sóng" in link.message
        with pytest.raises(SmsLinkError, match="331"):
            t.send("0912345678", "thử")
        assert fake.messages == []
        t.close()


def test_a_refused_message_is_not_a_link_error(modem):
    modem.refuse_next = [21]
    t = transport(modem)
    with pytest.raises(SmsRejected, match="CMS ERROR: 21"):
        t.send("0912345678", "thử")
    t.send("0912345678", "thử lại")                  # the link is still fine
    assert [m.text for m in modem.wait_messages(1)] == ["thử lại"]
    t.close()


def test_an_unknown_command_answer_error(modem):
    t = transport(modem)
    t.open()
    with pytest.raises(SmsRejected, match="ERROR"):
        t._command("AT+BOGUS")
    t.close()


def test_delivery_reports_in_text_and_pdu_mode(modem):
    t = transport(modem)
    sent = t.send("0912345678", "thử")
    modem.push_report(int(sent.references[0]), 0)
    reports = wait_until(t.reports, message="+CDS")
    assert [(r.reference, r.state) for r in reports] == [(sent.references[0], "delivered")]
    assert parse_cds_text('+CDS: 6,9,"+84912345678",145,"26/12/02,10:00:00+28","26/12/02,10:00:05+28",70'
                          ).state == "failed"
    report = parse_cds_pdu("0006" + "2A" + "0B91" + "4819325476F8" + "62202001000082" * 2 + "00")
    assert report is not None and (report.reference, report.state) == ("42", "delivered")
    t.close()


def test_unplugged_is_a_link_error_and_replugged_works_again(modem):
    t = transport(modem)
    t.send("0912345678", "một")
    modem.unplug()
    with pytest.raises(SmsLinkError):
        t.send("0912345678", "hai")
    modem.replug()
    t.send("0912345678", "ba")
    assert [m.text for m in modem.wait_messages(2)] == ["một", "ba"]
    t.close()
