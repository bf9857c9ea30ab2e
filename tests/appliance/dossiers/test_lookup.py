"""Looking a dossier up without its code: phone + last 4 digits, the QR links of the ticket and of
Mẫu 01, state and due time only, misses throttled."""
from __future__ import annotations

import re
import uuid

from dossier_values import valid_values

PHONE = "0868123456"
NUMBER = "034186012345"


def dossier(appliance, phone=PHONE, number=NUMBER, **options):
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure="1.001193", counter_id=1, values={
        **valid_values("1.001193"), "requester_phone": phone, "requester_id_number": number,
        "requester_name": "VŨ THỊ KHÁNH LINH"})
    return appliance.dossiers.submit(draft, options, user="canbo1")[0]


def test_phone_and_last_four_digits_find_the_dossier_state_and_due_time_only(appliance):
    d = dossier(appliance)
    dossier(appliance, phone="0912000111")                          # someone else's
    out = appliance.lookup.by_phone("0868 123 456", "2345", "10.0.0.5")
    [answer] = out.answers
    assert answer["code"] == d["code"] and answer["state"] == "received" and answer["state_label"] == "Đã tiếp nhận"
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", answer["due"])
    text = str(answer)
    assert "LINH" not in text and NUMBER not in text and PHONE not in text and "1.001193" not in text
    assert appliance.lookup.by_phone("0868123456", "9999", "10.0.0.5").answers == []
    appliance.dossiers.act(d["code"], "ready", user="canbo1")
    [ready] = appliance.lookup.by_phone("+84868123456", "2345", "10.0.0.5").answers
    assert ready["state"] == "ready" and ready["due"] is None and "nhận kết quả" in ready["note"]


def test_bad_input_names_the_field_in_both_languages(appliance):
    out = appliance.lookup.by_phone("12", "12a4", "10.0.0.5")
    assert set(out.errors) == {"phone", "last4"} and out.errors["last4"].en.startswith("Enter the last 4")


def test_misses_are_throttled_per_phone_and_address(appliance, clock):
    dossier(appliance)
    for last4 in ("0001", "0002", "0003"):
        assert appliance.lookup.by_phone(PHONE, last4, "10.0.0.9").retry_after == 0
    wait = appliance.lookup.by_phone(PHONE, "2345", "10.0.0.9").retry_after
    assert wait == 30                                                 # even the right digits wait now
    assert appliance.lookup.by_phone(PHONE, "2345", "10.0.0.8").answers   # another phone in the hall
    clock.advance(31)
    assert appliance.lookup.by_phone(PHONE, "2345", "10.0.0.9").answers


def test_the_qr_links_carry_their_proof(appliance):
    d = dossier(appliance)
    link = appliance.lookup.dossier_link("http://motcua.local", d["code"])
    k = link.split("k=")[1]
    assert appliance.lookup.by_dossier_link(d["code"], k).answers[0]["code"] == d["code"]
    assert appliance.lookup.by_dossier_link(d["code"], "0" * 16).answers == []
    issued = appliance.engine.issue("HT")
    ticket_k = appliance.lookup.ticket_link("http://x", issued.ticket.id).split("k=")[1]
    [waiting] = appliance.lookup.by_ticket_link(str(issued.ticket.id), ticket_k).answers
    assert waiting["kind"] == "ticket" and waiting["state"] == "waiting" and waiting["ahead"] == issued.ahead
    assert appliance.lookup.by_ticket_link(str(issued.ticket.id + 1), ticket_k).answers == []
    with_ticket = dossier(appliance, ticket_id=issued.ticket.id)
    [answer] = appliance.lookup.by_ticket_link(str(issued.ticket.id), ticket_k).answers
    assert answer["kind"] == "dossier" and answer["code"] == with_ticket["code"]


def test_the_page_posts_the_numbers_and_answers(client, appliance):
    d = dossier(appliance)
    page = client.get("/thu-tuc/tra-cuu")
    assert page.status_code == 200 and "4 chữ số cuối" in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    answer = client.post("/thu-tuc/tra-cuu", data={"csrf_token": token, "phone": PHONE, "last4": "2345"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and d["code"] in html and "Đã tiếp nhận" in html and "LINH" not in html
    assert answer.headers["Cache-Control"] == "no-store"
    bad = client.post("/thu-tuc/tra-cuu", data={"csrf_token": token, "phone": "abc", "last4": ""})
    assert bad.status_code == 422 and "Nhập số điện thoại di động" in bad.get_data(as_text=True)
    english = client.post("/thu-tuc/tra-cuu?lang=en", data={"csrf_token": token, "phone": "abc", "last4": "1"})
    assert "Enter the mobile number" in english.get_data(as_text=True)
    for last4 in ("0001", "0002", "0003"):
        client.post("/thu-tuc/tra-cuu", data={"csrf_token": token, "phone": PHONE, "last4": last4})
    slow = client.post("/thu-tuc/tra-cuu?lang=vi", data={"csrf_token": token, "phone": PHONE, "last4": "2345"})
    assert slow.status_code == 429 and slow.headers["Retry-After"] == "30"
    assert "thử lại sau 30 giây" in slow.get_data(as_text=True)
    qr = client.get(appliance.lookup.dossier_link("", d["code"]))
    assert qr.status_code == 200 and d["code"] in qr.get_data(as_text=True)


def test_the_tickets_qr_points_to_the_lookup(appliance):
    from appliance.devices.wiring import slip_for
    heard = []
    appliance.bus.subscribe(heard.append, ["ticket.issued"])
    appliance.engine.issue("HT")
    slip = slip_for(appliance, heard[0])
    assert slip.qr.startswith("http://motcua.local:8080/thu-tuc/tra-cuu?so=")
    assert appliance.lookup.by_ticket_link(slip.qr.split("so=")[1].split("&")[0], slip.qr.split("k=")[1]).answers
