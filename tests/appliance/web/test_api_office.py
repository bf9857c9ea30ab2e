"""What integrators and the office need from the API (issue 12), each answer checked against the
schema the OpenAPI document gives for it: a procedure's form schema (what the form validator really
enforces), the printer's jobs and a real reprint through the printer's worker to the ESC/POS fake
device (kept across a restart; a ticket left unprinted at a stop prints at the next start), a
pager's history, a dossier's printable papers with HTML and PDF addresses that answer."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

import jsonschema_rs
import pytest
from waiting import wait_until

from appliance.devices.journal import PageJournal, PrintJournal
from appliance.domain.dossier_samples import sample_values
from appliance.pager import PagerService
from appliance.printer import PrinterService, TicketSlip
from appliance.printer.fake_printer import FakeNetworkPrinter

PRINTER_OPTIONS = {"poll_s": 0.1, "status_timeout_s": 0.2, "retry_s": 0.5}


def check(client, answer, path: str, method: str = "get", status: str | None = None):
    """``answer``'s JSON, after checking it against its documented schema."""
    doc = client.get("/api/v1/openapi.json").get_json()
    status = status or str(answer.status_code)
    response = doc["paths"][path][method]["responses"][status]
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = {**response["content"]["application/json"]["schema"], "components": doc["components"]}
    body = answer.get_json()
    errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(body)]
    assert errors == [], (path, errors[:3])
    return body


def error_of(client, url: str, headers: dict, status: int, method: str = "get") -> tuple[str, str]:
    """The Vietnamese and the English message of a refusal (checked against the Error schema)."""
    vi = getattr(client, method)(url, headers=headers)
    en = getattr(client, method)(url, headers={**headers, "Accept-Language": "en"})
    assert vi.status_code == en.status_code == status, (url, vi.get_json())
    assert set(vi.get_json()["error"]) >= {"code", "message"}
    return vi.get_json()["error"]["message"], en.get_json()["error"]["message"]


# --- procedures -----------------------------------------------------------------------------------

def test_every_procedure_of_the_catalog_is_listed_and_described(client, auth, appliance):
    catalog = appliance.catalog()
    listed = check(client, client.get("/api/v1/procedures", headers=auth("kiosk")), "/api/v1/procedures")
    assert listed["catalog_version"] == catalog.version
    assert [p["code"] for p in listed["procedures"]] == list(catalog.procedures)
    for code, procedure in catalog.procedures.items():
        form = check(client, client.get(f"/api/v1/procedures/{code}", headers=auth("officer")),
                     "/api/v1/procedures/{code}")
        assert form["name"] == procedure.name and form["name_en"] == (procedure.name_en or procedure.name)
        assert [f["name"] for s in form["sections"] for f in s["fields"]] == [f.name for f in procedure.fields]
        assert form["time_limit"]["text"] == procedure.time_limit.describe("vi")
        assert form["time_limit"]["text_en"] == procedure.time_limit.describe("en")


def test_the_schema_says_what_the_validator_enforces(client, auth, appliance):
    """Each field the schema marks required (without a condition) is refused when empty; each select
    refuses a value outside its options unless it allows others; max_length is the validator's."""
    catalog = appliance.catalog()
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    for code in catalog.procedures:
        form = client.get(f"/api/v1/procedures/{code}", headers=auth("officer")).get_json()
        fields = [f for s in form["sections"] for f in s["fields"]]
        _clean, errors, _warnings = catalog.validate(code, {}, today=today)
        for f in fields:
            rules = f["rules"]
            plain_required = rules["required"] and not rules.get("required_unless") and not rules.get("required_if")
            if plain_required and f["generated"] is None:
                assert f["name"] in errors, (code, f["name"])
        sample = sample_values(catalog.get(code), today)
        _clean, errors, _warnings = catalog.validate(code, sample, today=today)
        assert errors == {}, (code, errors)
        for f in fields:
            if f["type"] == "select" and f["options"] and not f["rules"]["allow_other"]:
                bad = {**sample, f["name"]: "giá-trị-không-có-trong-danh-sách"}
                _clean, errors, _w = catalog.validate(code, bad, today=today)
                assert f["name"] in errors, (code, f["name"])
            if f["type"] == "text" and f["generated"] is None:
                long = {**sample, f["name"]: "A" * (f["rules"]["max_length"] + 1)}
                _clean, errors, _w = catalog.validate(code, long, today=today)
                assert f["name"] in errors, (code, f["name"])


def test_a_form_schema_in_both_languages(client, auth):
    form = client.get("/api/v1/procedures/1.001193", headers=auth("officer")).get_json()
    fields = {f["name"]: f for s in form["sections"] for f in s["fields"]}
    sex = fields["child_sex"]
    assert sex["type"] == "select" and sex["rules"]["required"] is True
    assert {o["value"]: o["label_en"] for o in sex["options"]} == {"Nam": "Male", "Nữ": "Female"}
    assert fields["requester_id_number"]["rules"]["free_when"] == {"field": "requester_id_type",
                                                                   "values": ["ho_chieu", "khac"]}
    assert fields["child_dob_words"]["generated"] == {"kind": "date_in_words", "from": "child_dob"}
    assert fields["requester_name"]["rules"]["uppercase"] is True
    assert fields["requester_name"]["label_en"] == "Requester's full name"
    assert form["fee"]["exemptions"][0]["reason_en"].startswith("No fee")
    assert form["documents"][0]["name"] == "Tờ khai đăng ký khai sinh"


def test_an_unknown_procedure_is_a_404_in_both_languages(client, auth):
    vi, en = error_of(client, "/api/v1/procedures/9.999999", auth("officer"), 404)
    assert "Không có thủ tục mã '9.999999'" in vi and "9.999999" in en and vi != en
    assert client.get("/api/v1/procedures/1.001193").status_code == 401


# --- printer jobs and reprint -----------------------------------------------------------------------

@pytest.fixture
def fake():
    printer = FakeNetworkPrinter(mode="ok")
    yield printer
    printer.close()


def attach_printer(appliance, url: str, retry_s: float = 0.5):
    from appliance.devices.wiring import attach_printer as wire
    appliance.settings = appliance.settings.replace(printer={"url": url, "timeout_s": 1.0,
                                                             "options": {**PRINTER_OPTIONS, "retry_s": retry_s}})
    wire(appliance)
    printer = appliance.devices.get("printer")
    printer.start()
    return printer


def test_jobs_listed_a_paper_out_ticket_reprinted_to_the_printer(appliance, client, auth, fake):
    printer = attach_printer(appliance, fake.url)
    officer = auth("officer")
    issued = client.post("/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk")).get_json()
    wait_until(lambda: fake.cuts == 1, message="the first ticket cut")
    jobs = check(client, client.get("/api/v1/printer/jobs", headers=officer), "/api/v1/printer/jobs")["jobs"]
    assert jobs[0]["number"] == issued["number"] and jobs[0]["ticket_id"] == issued["id"]
    wait_until(lambda: printer.job(jobs[0]["id"])["state"] == "printed")

    fake.mode = "out"                                       # the roll runs out
    wait_until(lambda: printer.status()["paper"] == "out")
    second = client.post("/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk")).get_json()
    failed = wait_until(lambda: next((j for j in printer.recent() if j["number"] == second["number"]
                                      and j["state"] == "failed"), None), message="the ticket held, then failed")
    assert "hết giấy" in failed["error"] and fake.cuts == 1      # never sent into an empty printer
    listed = check(client, client.get("/api/v1/printer/jobs?limit=5", headers=officer), "/api/v1/printer/jobs")
    assert listed["printer"]["paper"] == "out" and listed["jobs"][0]["state"] == "failed"

    fake.mode = "ok"                                        # a new roll, then the reprint
    wait_until(lambda: printer.status()["paper"] == "ok")
    r = client.post(f"/api/v1/printer/jobs/{failed['id']}/reprint", headers=officer)
    assert r.status_code == 202
    again = check(client, r, "/api/v1/printer/jobs/{job_id}/reprint", "post")
    assert again["reprint_of"] == failed["id"] and again["number"] == second["number"]
    assert again["ticket_id"] == second["id"]
    wait_until(lambda: fake.cuts == 2, message="the reprint cut")
    wait_until(lambda: printer.job(again["id"])["state"] == "printed")
    of_ticket = check(client, client.get(f"/api/v1/printer/jobs?ticket={second['id']}", headers=officer),
                      "/api/v1/printer/jobs")["jobs"]
    assert [(j["id"], j["state"]) for j in of_ticket] == [(again["id"], "printed"), (failed["id"], "failed")]
    audit = appliance.db.conn().execute("SELECT user_login, detail FROM audit_log WHERE action = 'printer.reprint'")
    assert [tuple(r) for r in audit] == [("test-officer", f"in lại {failed['id']} → {again['id']}")]


def test_the_journal_survives_a_restart_and_an_unprinted_ticket_prints_at_the_next_start(appliance, client, auth,
                                                                                       fake):
    journal = PrintJournal(appliance.db)
    settings = appliance.settings.replace(printer={"url": fake.url, "timeout_s": 1.0, "options": PRINTER_OPTIONS})
    slip = TicketSlip(office_name="UBND xã Gia Lâm", service_name="Hộ tịch", number="A042", ahead=0,
                      issued_at=datetime.fromtimestamp(appliance.clock(), appliance.tz))
    before = PrinterService(settings.printer, journal=journal, clock=appliance.clock)
    left = before.submit(slip, ticket_id=42)      # acknowledged, then the appliance died (never printed)
    assert journal.get(left)["state"] == "queued"

    printer = PrinterService(settings.printer, journal=journal, clock=appliance.clock)
    appliance.devices.add("printer", printer)
    printer.start()
    wait_until(lambda: fake.cuts == 1, message="the ticket left at the stop printed at the start")
    wait_until(lambda: printer.job(left)["state"] == "printed")
    jobs = check(client, client.get("/api/v1/printer/jobs", headers=auth("volunteer")), "/api/v1/printer/jobs")
    assert [(j["id"], j["number"], j["ticket_id"], j["state"]) for j in jobs["jobs"]] == [(left, "A042", 42, "printed")]
    printer.stop()

    after = PrinterService(settings.printer, journal=journal, clock=appliance.clock)   # another restart
    appliance.devices.add("printer", after)
    after.start()
    assert [j["state"] for j in after.recent()] == ["printed"]          # listed, not printed a second time
    r = client.post(f"/api/v1/printer/jobs/{left}/reprint", headers=auth("admin"))
    assert r.status_code == 202 and r.get_json()["reprint_of"] == left
    wait_until(lambda: fake.cuts == 2, message="the reprint after a restart")
    wait_until(lambda: after.job(r.get_json()["id"])["state"] == "printed")
    after.stop()

    # a ticket left unprinted long before the start (a power cut over lunch) is not printed by itself:
    # a slip coming out then would confuse the next citizen; it is listed as failed, to reprint
    stale = PrinterService(settings.printer, journal=journal, clock=appliance.clock).submit(slip, ticket_id=43)
    with appliance.db.write() as conn:    # an hour ago by the machine's clock (the window is physical time)
        conn.execute("UPDATE print_jobs SET slip = json_set(slip, '$.submitted_wall', "
                     "json_extract(slip, '$.submitted_wall') - 3600) WHERE id = ?", (stale,))
    last = PrinterService(settings.printer, journal=journal, clock=appliance.clock)
    appliance.devices.add("printer", last)
    last.start()
    job = last.job(stale)
    assert job["state"] == "failed" and "thiết bị đã dừng trước khi in" in job["error"]
    assert "A042" in job["error"] and journal.get(stale)["state"] == "failed"
    r = client.post(f"/api/v1/printer/jobs/{stale}/reprint", headers=auth("officer"))
    assert r.status_code == 202
    wait_until(lambda: fake.cuts == 3, message="the stale ticket's reprint")


def test_printer_refusals_are_clear(appliance, client, auth, fake):
    officer = auth("officer")
    vi, en = error_of(client, "/api/v1/printer/jobs/khong-co/reprint", officer, 409, "post")
    assert "Chưa cấu hình máy in" in vi and "No printer" in en
    none = check(client, client.get("/api/v1/printer/jobs", headers=officer), "/api/v1/printer/jobs")
    assert none == {"printer": {"state": "disabled", "paper": "unknown", "queue": 0, "message": none["printer"]
                                ["message"]}, "jobs": []}
    attach_printer(appliance, fake.url)
    vi, en = error_of(client, "/api/v1/printer/jobs/khong-co/reprint", officer, 404, "post")
    assert "Không có việc in 'khong-co'" in vi and "No print job 'khong-co'" in en
    for bad in ("0", "201", "abc", "²"):
        vi, en = error_of(client, f"/api/v1/printer/jobs?limit={bad}", officer, 400)
        assert "limit" in vi and "limit" in en
    for bad in ("0", "-1", "x", "99999999999999999999999"):
        vi, en = error_of(client, f"/api/v1/printer/jobs?ticket={bad}", officer, 400)
        assert "ticket" in vi and "ticket" in en
    assert client.get("/api/v1/printer/jobs?ticket=12345", headers=officer).get_json()["jobs"] == []
    assert client.get("/api/v1/printer/jobs", headers=auth("display")).status_code == 403
    assert client.post("/api/v1/printer/jobs/x/reprint", headers=auth("kiosk")).status_code == 403


# --- pager history -----------------------------------------------------------------------------------

def test_a_pagers_history_newest_first_across_a_restart(appliance, client, auth, tmp_path):
    settings = appliance.settings.replace(pager={"url": f"sim://{tmp_path / 'pager'}", "protocol": "jtech-j1901",
                                                 "repeat_max": 0, "options": {"dedup_s": 0}})
    pager = PagerService(settings.pager, appliance.bus, journal=PageJournal(appliance.db, appliance.clock))
    appliance.devices.add("pager", pager)
    pager.start()
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")
    officer = auth("officer")
    ticket = client.post("/api/v1/tickets", json={"service": "HT", "pager": 4}, headers=auth("kiosk")).get_json()
    assert ticket["pager"] == 4
    appliance.clock.advance(60)
    assert client.post("/api/v1/counters/1/call-next", json={}, headers=officer).status_code == 200
    assert pager.flush(10.0)
    appliance.clock.advance(30)
    assert client.post("/api/v1/counters/1/recall", json={}, headers=officer).status_code == 200
    assert pager.flush(10.0)
    appliance.clock.advance(30)
    appliance.bus.publish("pager.remind", {"pager": 4, "dossier_code": "X", "repeat": 2})   # as the reminder worker
    assert pager.flush(10.0)
    pager.stop()

    answer = check(client, client.get("/api/v1/pagers/4/pages", headers=officer), "/api/v1/pagers/{number}/pages")
    remind, *pages = answer["pages"]
    assert (remind["event"], remind["repeat"], remind["result"], remind["reason_text"]) == (
        "dossier.ready", 2, "sent", "hồ sơ có kết quả – nhắc lại lần 2")
    assert [(p["event"], p["result"]) for p in pages] == [("ticket.recalled", "sent"), ("ticket.called", "sent")]
    assert {p["ticket_number"] for p in answer["pages"]} == {ticket["number"]}     # what held the pager then
    called = datetime.fromisoformat(pages[1]["at"]).timestamp()
    assert called == pytest.approx(appliance.clock() - 60, abs=1)     # the appliance's clock, not the machine's
    assert pages[1]["reason_text"] == "gọi số"
    english = client.get("/api/v1/pagers/4/pages", headers={**officer, "Accept-Language": "en"}).get_json()
    assert english["pages"][2]["reason_text"] == "number called"
    assert english["pages"][0]["reason_text"] == "dossier result ready – repeat 2"
    older = client.get(f"/api/v1/pagers/4/pages?before={pages[0]['id']}", headers=officer).get_json()["pages"]
    assert [p["id"] for p in older] == [pages[1]["id"]]
    assert client.get("/api/v1/pagers/5/pages", headers=officer).get_json()["pages"] == []
    sent = [json.loads(line)["pager"] for line in (tmp_path / "pager" / "pages.jsonl").read_text().splitlines()]
    assert sent == [4, 4, 4]                                # what the transmitter really got


def test_pager_history_refusals(client, auth):
    officer = auth("officer")
    vi, en = error_of(client, "/api/v1/pagers/99/pages", officer, 404)
    assert "Thẻ rung số 99 không có trong bộ thẻ (1–10)" in vi and "Pager 99 is not in the pool" in en
    for query in ("limit=0", "limit=x", "before=-1", "before=99999999999999999999999"):
        vi, en = error_of(client, f"/api/v1/pagers/4/pages?{query}", officer, 400)
    assert client.get("/api/v1/pagers/4/pages", headers=auth("display")).status_code == 403


# --- a dossier's printable papers -------------------------------------------------------------------

def test_a_dossiers_forms_answer_in_html_and_pdf(appliance, client, auth):
    officer = auth("officer")
    catalog = appliance.catalog()
    procedure = catalog.get("1.004873")            # xác nhận tình trạng hôn nhân: 3 working days → Mẫu 01
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    saved = client.put(f"/api/v1/drafts/{draft}", headers=officer, json={
        "counter_id": 1, "procedure": procedure.code, "values": sample_values(procedure, today)})
    assert saved.status_code == 200 and saved.get_json()["errors"] == {}
    code = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=officer).get_json()["code"]

    answer = check(client, client.get(f"/api/v1/dossiers/{code}/forms", headers=officer),
                   "/api/v1/dossiers/{code}/forms")
    forms = {f["form"]: f for f in answer["forms"]}
    assert answer["code"] == code and {"to-khai", "mau-01", "mau-06"} <= set(forms)
    assert forms["mau-01"]["title"].startswith("Mẫu 01") and forms["mau-01"]["title_en"].startswith("Form 01")
    for form in forms.values():
        page = client.get(form["html_url"], headers=officer)
        assert page.status_code == 200 and page.mimetype == "text/html", form
        assert code in page.get_data(as_text=True), form
    pdf = client.get(forms["mau-01"]["pdf_url"], headers=officer)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data[:5] == b"%PDF-"

    client.post(f"/api/v1/dossiers/{code}/supplement", json={"reason": "Thiếu bản sao giấy tờ"}, headers=officer)
    after = client.get(f"/api/v1/dossiers/{code}/forms", headers=officer).get_json()
    assert "mau-02" in {f["form"] for f in after["forms"]}
    vi, en = error_of(client, "/api/v1/dossiers/KHONG-CO/forms", officer, 404)
    assert vi != en
    assert client.get(f"/api/v1/dossiers/{code}/forms", headers=auth("kiosk")).status_code == 403
