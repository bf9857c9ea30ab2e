"""Ticket to dossier in one move: the console's "Nhập hồ sơ cho số này" opens dossier entry bound to
the ticket being served and to the counter; the mirror hears of it before the first keystroke; the
dossier records its ticket; the console, the dossier page and the logbook link to each other."""
from __future__ import annotations

import re
from html import unescape

import pytest
from page_helpers import log_in, make_user

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KHAI_SINH = "1.001193"
CHUNG_THUC = "2.000815"


@pytest.fixture
def officer(app, appliance):
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo1", "officer"))
    return client


def page(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return unescape(r.get_data(as_text=True))


def token(client, path: str = "/counter/1") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def called_at(appliance, counter: int = 1):
    step = appliance.engine.advance(counter, finish_current="serving", user_login="canbo1")
    assert step.called is not None
    return step.called


def start(client, ticket_id: int, procedure: str = KHAI_SINH, counter: int = 1):
    return client.post(f"/counter/{counter}/dossier", data={
        "csrf_token": token(client, f"/counter/{counter}"), "ticket": ticket_id, "procedure": procedure})


def today(appliance):
    from datetime import datetime
    return datetime.fromtimestamp(appliance.clock(), appliance.tz).date()


def draft_row(appliance, draft_id: str):
    return appliance.db.conn().execute("SELECT * FROM dossier_drafts WHERE id = ?", (draft_id,)).fetchone()


def test_the_console_offers_the_tickets_procedures_first(officer, appliance):
    assert 'id="ticket-dossier"' not in page(officer, "/counter/1")     # nobody at the counter yet
    ticket = called_at(appliance)
    html = page(officer, "/counter/1")
    assert f"Nhập hồ sơ cho số {ticket.number}" in html
    form = html[html.index('id="ticket-dossier"'):]
    groups = re.findall(r'<optgroup label="([^"]+)"', form)
    assert groups[0] == "Hộ tịch" and len(groups) >= 2            # the ticket's field first, then the others
    first_group = form[form.index("<optgroup"):form.index("</optgroup>")]
    assert f'value="{KHAI_SINH}"' in first_group and f'value="{CHUNG_THUC}"' not in first_group
    assert f'value="{CHUNG_THUC}"' in form                       # a wrong number still gets its dossier


def test_one_move_binds_ticket_and_counter_and_tells_the_mirror_at_once(officer, appliance):
    ticket = called_at(appliance)
    seen = []
    appliance.bus.subscribe(lambda e: seen.append(e), ["draft.changed", "ticket.serving"])
    r = start(officer, ticket.id)
    assert r.status_code == 303
    location = r.headers["Location"]
    assert location.startswith("/dossiers/new?") and f"procedure={KHAI_SINH}" in location
    assert "counter=1" in location and f"ticket={ticket.id}" in location
    draft_id = re.search(r"draft=([0-9a-f-]{36})", location).group(1)
    row = draft_row(appliance, draft_id)
    assert (row["ticket_id"], row["counter_id"], row["procedure"], row["user_login"]) == (
        ticket.id, 1, KHAI_SINH, "canbo1")
    # the citizen is at the desk: the ticket is being served, and the mirror got the (empty) form
    state = appliance.db.conn().execute("SELECT state FROM tickets WHERE id = ?", (ticket.id,)).fetchone()[0]
    assert state == "serving"
    changed = [e for e in seen if e.type == "draft.changed"]
    assert [(e.payload["counter_id"], e.payload["draft_id"], e.payload["procedure"], e.payload["ticket_number"])
            for e in changed] == [(1, draft_id, KHAI_SINH, ticket.number)]
    assert [e.type for e in seen] == ["ticket.serving", "draft.changed"]
    # the mirror's stream starts with that draft for a screen (re)connecting now
    assert appliance.dossiers.counter_draft(1)["draft_id"] == draft_id
    assert appliance.dossiers.counter_draft(1)["ticket_number"] == ticket.number

    # the form page is bound: counter chosen, the ticket's number shown with the way back
    form = page(officer, location)
    assert f'data-ticket="{ticket.id}"' in form and f'data-draft="{draft_id}"' in form
    assert re.search(r'<option value="1" selected>', form)
    assert f'data-ticket-number="{ticket.number}"' in form and 'href="/counter/1"' in form

    # pressing it again for the same procedure resumes the draft, not a second one
    again = start(officer, ticket.id)
    assert draft_id in again.headers["Location"]
    count = appliance.db.conn().execute("SELECT count(*) FROM dossier_drafts WHERE ticket_id = ?",
                                        (ticket.id,)).fetchone()[0]
    assert count == 1
    console = page(officer, "/counter/1")
    assert "Tiếp tục nhập: Đăng ký khai sinh" in console and draft_id in console


def test_the_dossier_records_its_ticket_and_everything_links(officer, appliance):
    from appliance.domain.dossier_samples import sample_values
    ticket = called_at(appliance)
    location = start(officer, ticket.id).headers["Location"]
    draft_id = re.search(r"draft=([0-9a-f-]{36})", location).group(1)
    csrf = token(officer, location)
    headers = {"X-CSRFToken": csrf}
    saved = officer.put(f"/api/v1/drafts/{draft_id}", json={
        "procedure": KHAI_SINH, "counter_id": 1, "values": sample_values(
            appliance.dossiers.catalog.get(KHAI_SINH), today(appliance))}, headers=headers)
    assert saved.status_code == 200 and saved.json["errors"] == {}, saved.json
    draft = officer.get(f"/api/v1/drafts/{draft_id}").json
    assert draft["ticket_id"] == ticket.id and draft["ticket_number"] == ticket.number
    done = officer.post(f"/api/v1/drafts/{draft_id}/submit", json={"pager": "auto"}, headers=headers)
    assert done.status_code == 201, done.get_data(as_text=True)
    code = done.json["code"]
    assert done.json["ticket_id"] == ticket.id          # taken from the draft: the form sent no ticket
    assert done.json["ticket_number"] == ticket.number

    console = page(officer, "/counter/1")                # console → dossier
    assert f'href="/dossiers/{code}"' in console and "Tiếp tục nhập" not in console
    detail = page(officer, f"/dossiers/{code}")           # dossier → console and → logbook
    assert re.search(rf'<a href="/counter/1">{ticket.number}</a>', detail)
    day = done.json["received_at"][:10]
    raw = officer.get(f"/dossiers/{code}").get_data(as_text=True)
    assert f'/dossiers/logbook?from={day}&amp;to={day}#{code}' in raw, re.findall(r'class="logbook-link"[^>]*', raw)
    logbook = page(officer, f"/dossiers/logbook?from={day}&to={day}")   # logbook → dossier, with the number
    row = logbook[logbook.index(f'<tr id="{code}">'):]
    row = row[:row.index("</tr>")]
    assert f'<a href="/dossiers/{code}">' in row and f"số thứ tự {ticket.number}" in row


def test_only_the_ticket_at_this_counter_and_a_known_procedure(officer, appliance):
    ticket = called_at(appliance, counter=1)
    r = start(officer, ticket.id, counter=2)              # another counter's ticket
    assert r.status_code == 302 and r.headers["Location"] == "/counter/2"
    console = page(officer, "/counter/2")
    assert f"Số {ticket.number} không ở quầy 2" in console
    r = start(officer, ticket.id, procedure="9.999999")
    assert r.status_code == 302
    assert "Không có thủ tục mã '9.999999'" in page(officer, "/counter/1")
    r = officer.post("/counter/1/dossier", data={"csrf_token": token(officer), "ticket": ticket.id})
    assert r.status_code == 302 and "Hãy chọn thủ tục" in page(officer, "/counter/1")
    assert appliance.db.conn().execute("SELECT count(*) FROM dossier_drafts").fetchone()[0] == 0
    appliance.engine.done(1, ticket.id, "canbo1")        # a finished ticket gets no new dossier
    r = start(officer, ticket.id)
    assert "không ở quầy 1" in page(officer, "/counter/1")


def test_english_console_names_the_move(officer, appliance):
    called_at(appliance)
    html = page(officer, "/counter/1?lang=en")
    assert "Enter a dossier for number" in html and "Civil status" in html
