"""Result ready → exactly one SMS through a fake GSM modem on a pty; the modem unplugged and
replugged → the queued messages go out once; delivery reports; masking and purge."""
from __future__ import annotations

import pytest
from waiting import DEADLINE, wait_until

from appliance.sms import SmsService
from appliance.sms.fake_modem import FakeModem
from appliance.sms.transports import make_transport
from appliance.store import sms_store


@pytest.fixture
def modem(tmp_path):
    with FakeModem(link=tmp_path / "dev" / "motcua-modem") as fake:
        yield fake


@pytest.fixture
def sms(appliance, modem):
    appliance.settings = appliance.settings.replace(sms={"url": modem.url, "per_minute": 60})
    service = SmsService(appliance.messages, lambda: appliance.settings, appliance.bus,
                         make_transport(appliance.settings.sms), state_dir=appliance.state_dir,
                         poll_s=0.05, backoff_initial_s=0.05, backoff_max_s=0.2)
    service.start()
    yield service
    service.stop()


def rows(appliance):
    with appliance.db.read() as conn:
        return [dict(r) for r in sms_store.recent(conn, 100)][::-1]


def test_result_ready_without_a_pager_sends_exactly_one_sms(appliance, make_dossier, modem, sms):
    dossier = make_dossier()
    assert dossier["pager"] is None
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    [message] = modem.wait_messages(1, DEADLINE)
    assert message.number == "+84912345678"
    assert message.text == (f"{appliance.settings.office.name}: Hồ sơ {dossier['code']} đã có kết quả. "
                            "Mời ông/bà đến Bộ phận Một cửa quầy 1 trong giờ làm việc để nhận.")
    assert message.parts == 2                    # over 70 UCS-2 characters: a concatenated SMS
    assert sms.wait_idle(DEADLINE)
    [row] = rows(appliance)
    assert row["state"] == "sent" and row["kind"] == "result_ready" and row["dossier_code"] == dossier["code"]
    # asking again for the same fact queues nothing
    with appliance.units() as tx:
        from appliance.services import messages
        from appliance.store import dossier_store
        assert messages.result_ready(tx, dossier_store.get_dossier(tx.conn, dossier["code"]),
                                     appliance.settings, force=True) is None
    assert sms.wait_idle(DEADLINE) and len(modem.messages) == 1
    # the network's delivery reports for both parts: delivered
    for ref in message.references:
        modem.push_report(ref)
    wait_until(lambda: rows(appliance)[0]["state"] == "delivered", message="delivered")
    status = sms.status()
    assert status["state"] == "ok" and status["signal"] == 18 and status["sim"] == "ready"


def test_a_citizen_with_a_pager_gets_an_sms_only_when_opted_in(appliance, make_dossier, modem, sms):
    with_pager = make_dossier(pager=3)
    opted = make_dossier(pager=4, sms_opt_in=True)
    assert opted["sms_opt_in"] is True and with_pager["sms_opt_in"] is False
    appliance.dossiers.act(with_pager["code"], "ready", user="canbo1")
    appliance.dossiers.act(opted["code"], "ready", user="canbo1")
    assert sms.wait_idle(DEADLINE)
    assert [r["dossier_code"] for r in rows(appliance)] == [opted["code"]]
    assert len(modem.wait_messages(1, DEADLINE)) == 1


def test_no_sms_transport_queues_nothing(appliance, make_dossier):
    dossier = make_dossier()
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert rows(appliance) == []


def test_unplugged_then_replugged_the_queue_goes_out_once(appliance, make_dossier, modem, sms):
    first = make_dossier()
    appliance.dossiers.act(first["code"], "ready", user="canbo1")
    modem.wait_messages(1, DEADLINE)
    assert sms.wait_idle(DEADLINE)
    modem.unplug()
    waiting = [make_dossier() for _ in range(3)]
    for d in waiting:
        appliance.dossiers.act(d["code"], "ready", user="canbo1")
    wait_until(lambda: sms.status()["state"] == "error", message="the modem reported gone")
    assert [r["state"] for r in rows(appliance)][1:] == ["queued"] * 3
    assert all(r["attempts"] == 0 for r in rows(appliance))      # a link error is not the message's fault
    modem.replug()
    got = modem.wait_messages(4, DEADLINE)
    assert sms.wait_idle(DEADLINE) and sms.wait_idle(DEADLINE)
    codes = [m.text.split("Hồ sơ ")[1].split(" ")[0] for m in modem.messages]
    assert codes == [first["code"]] + [d["code"] for d in waiting] and len(got) == 4
    assert [r["state"] for r in rows(appliance)] == ["sent"] * 4


def test_a_crash_while_sending_requeues_the_message(appliance, make_dossier, modem):
    appliance.settings = appliance.settings.replace(sms={"url": modem.url})
    dossier = make_dossier()
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert appliance.messages.claim()["dossier_code"] == dossier["code"]      # then the process dies
    assert appliance.messages.claim() is None
    assert appliance.messages.recover() == 1
    assert appliance.messages.claim()["dossier_code"] == dossier["code"]


def test_refused_messages_are_retried_then_failed(appliance, make_dossier, modem, clock):
    appliance.settings = appliance.settings.replace(sms={"url": modem.url, "max_attempts": 2,
                                                         "retry_after_s": 30})
    dossier = make_dossier()
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    row = appliance.messages.claim()
    assert appliance.messages.refused(row["id"], "+CMS ERROR: 21") == "queued"
    assert appliance.messages.claim() is None            # not before 30 s
    clock.advance(31)
    row = appliance.messages.claim()
    assert appliance.messages.refused(row["id"], "+CMS ERROR: 21") == "failed"
    assert rows(appliance)[0]["attempts"] == 2


def test_the_listing_masks_phones_and_the_purge_removes_them(appliance, make_dossier, modem, clock):
    appliance.settings = appliance.settings.replace(sms={"url": modem.url})
    dossier = make_dossier()
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    listing = appliance.messages.listing()
    assert listing["items"][0]["phone"] == "091****678" and "0912345678" not in str(listing)
    appliance.dossiers.act(dossier["code"], "return", {"receiver": "Nguyễn Văn An"}, user="canbo1")
    from appliance.services.purge import purge_personal_data
    from appliance.store import outbox
    with appliance.db.write() as conn:
        outbox.mark_acked(conn, conn.execute("SELECT max(seq) FROM outbox").fetchone()[0])
    clock.advance(appliance.settings.privacy.purge_after_days * 86400 + 60)
    purge_personal_data(appliance)
    [row] = rows(appliance)
    assert row["phone"] is None and row["text"] is None and row["purged_ts"] is not None
    assert row["state"] == "cancelled"        # never sent (no worker ran): cancelled with the dossier
