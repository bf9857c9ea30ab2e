"""The hub's public lookup without a code (#17), on SQLite and PostgreSQL: the keys an appliance
syncs with ``dossier.received`` (phone + last 4 digits, hashed; the hashes of its QR links) are
stored keyed again with the hub's secret, never a number; the page finds the dossier by phone +
digits and by the printed QR link, answers state and due time only, and throttles misses."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from appliance.domain import lookup as rules
from tests.district.conftest import batch, event, post_batch
from tests.language_check import wrong_language

VN = timezone(timedelta(hours=7))
AT = datetime(2026, 12, 2, 9, 0, tzinfo=VN)
SECRET = bytes(range(32))                   # the appliance's QR secret (kv "lookup_secret")
CODE = "000.00.06.H56-261202-0001"
PHONE, ID_NUMBER = "0868777111", "034186017777"


def received(seq: int, code: str, lookup: dict | None, phone: str = PHONE) -> dict:
    dossier = {"code": code, "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
               "field_code": "HT", "channel": "truc_tiep", "received_at": AT.isoformat(),
               "legal_due_at": (AT + timedelta(days=1)).isoformat(), "state": "received",
               "applicant": {"name": "HOÀNG THỊ HOA", "id_number": ID_NUMBER, "phone": phone}}
    if lookup is not None:
        dossier["lookup"] = lookup
    return event(seq, "dossier.received", {"dossier": dossier}, AT)


def keys_for(code: str, ticket: int | None = None, phone: str = PHONE) -> dict:
    links = [rules.link_hash("dossier", code, rules.proof(SECRET, "dossier", code))]
    if ticket is not None:
        links.append(rules.link_hash("ticket", str(ticket), rules.proof(SECRET, "ticket", str(ticket))))
    query = rules.query_of(phone, ID_NUMBER)
    return {"phone_key": rules.phone_key(query), "links": links}


@pytest.fixture
def synced(hub_client, enrol, engine):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    events = [received(1, CODE, keys_for(CODE, ticket=41)),
              received(2, "000.00.06.H56-261202-0002", None),                      # an older appliance
              received(3, "000.00.06.H56-261202-0003", {"phone_key": "not hex", "links": [7, "x" * 64]})]
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", events, AT))
    assert r.status_code == 200 and r.json["quarantined"] == 0
    return engine


def csrf(client) -> str:
    page = client.get("/tra-cuu").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def ask(client, phone: str, last4: str, lang: str = "vi"):
    return client.post(f"/tra-cuu?lang={lang}", data={"phone": phone, "last4": last4, "csrf_token": csrf(client)})


def test_the_keys_are_stored_keyed_and_hold_no_number(synced):
    with synced.connect() as conn:
        rows = conn.execute(text("SELECT key_hash, code, kind FROM lookup_keys ORDER BY kind, code")).all()
    assert [(r.code, r.kind) for r in rows] == [(CODE, "link"), (CODE, "link"), (CODE, "phone")]
    sent = set(keys_for(CODE, ticket=41)["links"]) | {keys_for(CODE)["phone_key"]}
    assert not {r.key_hash for r in rows} & sent             # keyed again with the hub's secret
    dump = " ".join(r.key_hash for r in rows)
    assert PHONE not in dump and ID_NUMBER not in dump


def test_phone_and_digits_find_the_dossier_state_and_due_time_only(hub_client, synced):
    r = ask(hub_client, "0868 777 111", "7777")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert CODE in page and "Đã tiếp nhận" in page and "03/12/2026 09:00" in page
    for secret in ("HOÀNG THỊ HOA", ID_NUMBER, "Đăng ký khai sinh"):
        assert secret not in page
    english = ask(hub_client, "0868777111", "7777", "en").get_data(as_text=True)
    assert CODE in english and "Received" in english and "Due date" in english
    assert wrong_language(english, "en", {"Trung tâm điều hành", "Tỉnh Bắc Ninh"}) == []
    assert wrong_language(page, "vi", {"Trung tâm điều hành", "Tỉnh Bắc Ninh"}) == []


def test_the_printed_qr_links_open_the_dossier(hub_client, synced):
    k = rules.proof(SECRET, "dossier", CODE)
    for path in (f"/thu-tuc/tra-cuu?ho-so={CODE}&k={k}", f"/tra-cuu?so=41&k={rules.proof(SECRET, 'ticket', '41')}"):
        r = hub_client.get(path)
        assert r.status_code == 200 and CODE in r.get_data(as_text=True), path
    forged = hub_client.get(f"/thu-tuc/tra-cuu?ho-so={CODE}&k={'0' * 16}")
    assert forged.status_code == 200 and CODE not in forged.get_data(as_text=True)
    assert "Mã QR này không dùng được ở đây" in forged.get_data(as_text=True)


def test_wrong_input_and_misses_are_answered_and_throttled(hub_client, synced):
    r = ask(hub_client, "024 3825 1234", "77")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "số điện thoại di động" in page and "4 chữ số cuối" in page
    english = ask(hub_client, "abc", "7777", "en").get_data(as_text=True)
    assert "Enter the mobile number" in english
    # an older appliance's dossier (no keys) and a malformed key list: not found by phone
    assert CODE not in ask(hub_client, PHONE, "0000").get_data(as_text=True)
    for _ in range(2):
        r = ask(hub_client, PHONE, "1111")
        assert r.status_code == 200 and "Không tìm thấy hồ sơ khớp" in r.get_data(as_text=True)
    r = ask(hub_client, PHONE, "7777")                     # the fourth try of this phone waits
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Tra cứu không thấy quá nhiều lần" in r.get_data(as_text=True) and CODE not in r.get_data(as_text=True)
    other = ask(hub_client, "0912345678", "1234")          # another phone from the same address still asks
    assert other.status_code == 200


def test_another_devices_keys_for_a_dossier_are_quarantined(hub_client, synced, enrol):
    older = "000.00.06.H56-261202-0002"                      # xa-duong-xa's, synced without keys
    token = enrol("xa-long-son", "Xã Long Sơn")
    r = post_batch(hub_client, "xa-long-son", token, batch("xa-long-son", [
        event(1, "dossier.lookup", {"code": older, "lookup": keys_for(older)}, AT)], AT))
    assert r.status_code == 200 and r.json["quarantined"] == 1
    with synced.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM lookup_keys WHERE code = :c"), {"c": older}).scalar() == 0
    assert older not in ask(hub_client, PHONE, "7777").get_data(as_text=True)


def test_dossier_lookup_from_the_owner_adds_its_keys(hub_client, enrol, engine):
    token = enrol("xa-duong-xa", "Xã Duong Xa")
    older = "000.00.06.H56-261202-0002"
    assert post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", [
        received(1, older, None)], AT)).status_code == 200
    assert older not in ask(hub_client, PHONE, "7777").get_data(as_text=True)
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", [
        event(2, "dossier.lookup", {"code": older, "lookup": keys_for(older)}, AT),
        event(3, "dossier.lookup", {"code": "000.00.06.H56-261202-0404", "lookup": keys_for("x")}, AT)], AT))
    assert r.status_code == 200 and r.json == {"acked_through": 3, "quarantined": 0}
    page = ask(hub_client, PHONE, "7777").get_data(as_text=True)
    assert older in page and "Đã tiếp nhận" in page
    k = rules.proof(SECRET, "dossier", older)
    assert older in hub_client.get(f"/thu-tuc/tra-cuu?ho-so={older}&k={k}").get_data(as_text=True)


# --- the keys do not outlive the appliance's purge (dossier.purged) or the hub's retention ---------

def keys_of(engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM lookup_keys WHERE code = :c"), {"c": code}).scalar()


def returned(seq: int, code: str, at: datetime) -> dict:
    return event(seq, "dossier.returned", {"code": code, "at": at.isoformat(), "outcome": "on_time",
                                           "by_post": False}, at)


def test_another_devices_dossier_purged_is_quarantined_and_deletes_nothing(hub_client, synced, enrol):
    token = enrol("xa-long-son", "Xã Long Sơn")
    r = post_batch(hub_client, "xa-long-son", token, batch("xa-long-son", [
        event(1, "dossier.purged", {"code": CODE}, AT)], AT))
    assert r.status_code == 200 and r.json["quarantined"] == 1
    assert keys_of(synced, CODE) == 3
    assert CODE in ask(hub_client, PHONE, "7777").get_data(as_text=True)


@pytest.fixture
def owner(hub_client, enrol, engine):
    """xa-duong-xa with one dossier synced with its keys, returned; ``send(events)`` posts a batch."""
    token = enrol("xa-duong-xa", "Xã Dương Xá")

    def send(events: list[dict]):
        r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", events, AT))
        assert r.status_code == 200, r.json
        return r.json
    send([received(1, CODE, keys_for(CODE, ticket=41)), returned(2, CODE, AT + timedelta(hours=2))])
    assert keys_of(engine, CODE) == 3
    return send


def test_the_owners_dossier_purged_deletes_the_keys(hub_client, owner, engine):
    assert CODE in ask(hub_client, PHONE, "7777").get_data(as_text=True)
    assert owner([event(3, "dossier.purged", {"code": CODE}, AT + timedelta(days=31))]) == {
        "acked_through": 3, "quarantined": 0}
    assert keys_of(engine, CODE) == 0
    page = ask(hub_client, PHONE, "7777").get_data(as_text=True)
    assert CODE not in page and "Không tìm thấy hồ sơ khớp" in page
    k = rules.proof(SECRET, "dossier", CODE)                # the QR link printed on Mẫu 01 neither
    assert CODE not in hub_client.get(f"/thu-tuc/tra-cuu?ho-so={CODE}&k={k}").get_data(as_text=True)
    # the dossier itself stays for the reports; its code still answers its state
    assert hub_client.get(f"/api/v1/dossiers/{CODE}/status").json["state"] == "returned"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT lookup_purged_at FROM dossiers WHERE code = :c"), {"c": CODE}).scalar()


def test_dossier_purged_is_idempotent_and_keys_sent_after_it_are_not_stored(hub_client, owner, engine):
    owner([event(3, "dossier.purged", {"code": CODE}, AT),
           event(4, "dossier.purged", {"code": CODE}, AT),                    # twice: nothing more
           event(5, "dossier.purged", {"code": "000.00.06.H56-261202-0999"}, AT)])  # unknown: fine
    owner([event(3, "dossier.purged", {"code": CODE}, AT)])                  # the batch sent again
    # a late dossier.lookup for the purged dossier (an older firmware's backfill) stores nothing
    assert owner([event(6, "dossier.lookup", {"code": CODE, "lookup": keys_for(CODE)}, AT)])["quarantined"] == 0
    assert keys_of(engine, CODE) == 0
    assert CODE not in ask(hub_client, PHONE, "7777").get_data(as_text=True)


def test_keys_and_purge_in_one_batch_store_nothing(hub_client, enrol, engine):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", [
        received(1, CODE, keys_for(CODE)), returned(2, CODE, AT), event(3, "dossier.purged", {"code": CODE}, AT)],
        AT))
    assert r.status_code == 200 and r.json["quarantined"] == 0
    assert keys_of(engine, CODE) == 0


def test_a_purged_event_without_a_code_is_quarantined(hub_client, owner, engine):
    assert owner([event(3, "dossier.purged", {}, AT)])["quarantined"] == 1
    assert keys_of(engine, CODE) == 3


def test_the_events_log_keeps_no_lookup_hash(hub_client, synced, enrol):
    """The keys live only in lookup_keys (keyed again); the log of what the appliance sent keeps the
    rest of each event, not the appliance's own hashes, also in a quarantined copy."""
    other = enrol("xa-khac", "Xã Khác")
    assert post_batch(hub_client, "xa-khac", other, batch("xa-khac", [
        event(1, "dossier.lookup", {"code": CODE, "lookup": keys_for(CODE)}, AT)], AT)).json["quarantined"] == 1
    with synced.connect() as conn:
        dump = " ".join(str(p) for (p,) in conn.execute(text("SELECT payload FROM events")))
    sent = keys_for(CODE, ticket=41)
    assert CODE in dump and "applicant" in dump
    assert sent["phone_key"] not in dump and not any(link in dump for link in sent["links"])
    assert "phone_key" not in dump
