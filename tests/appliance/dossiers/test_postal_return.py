"""Postal return, end to end (#17): the citizen's choice at receipt, the results waiting for the
postal worker, the handover list (HTML and PDF, read back with pdftotext), the tracking numbers
recorded, one SMS per dossier through a fake GSM modem on a pty, and the reports' "returned by
post" figure counting handovers by the day they happened."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from waiting import DEADLINE

from appliance.domain import postal as rules
from appliance.domain import report_periods
from appliance.domain.dossiers import FormInvalid
from appliance.sms import SmsService
from appliance.sms.fake_modem import FakeModem
from appliance.sms.transports import make_transport

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from page_helpers import log_in, make_user, post_form, text  # noqa: E402

ADDRESS = "Số 12 ngõ 3, thôn Đông, xã Dương Xá, Hà Nội"
UNIT = "Bưu điện văn hóa xã Dương Xá"


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


@pytest.fixture
def officer(app, appliance):
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo.buudien", "officer"))
    return client


def ready_by_post(appliance, make_dossier, n: int) -> list[str]:
    codes = []
    for _ in range(n):
        d = make_dossier(return_by_post=True, post_address=ADDRESS)
        appliance.dossiers.act(d["code"], "ready", user="canbo1")
        codes.append(d["code"])
    return codes


def postal_table(appliance, year: int, month: int):
    report = appliance.reports.local(report_periods.month(year, month))
    return next(t for t in report.tables if t.key == "truc-tuyen-buu-chinh")


def pdf_text(data: bytes) -> str:
    assert data[:5] == b"%PDF-"
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode("utf-8")


def test_the_s10_check_digit():
    assert rules.s10_check_digit("47312482") == 9          # RR473124829GB, the UPU's own example
    assert rules.tracking_problem("EB123456785VN") is None
    assert "sai chữ số kiểm tra" in rules.tracking_problem("EB123456789VN")
    assert rules.tracking_problem("VTP82736455") is None      # another courier's number, taken as given
    assert "6–40" in rules.tracking_problem("EB1")


def test_hand_over_print_sms_and_report(appliance, make_dossier, officer, modem, sms):
    first, second = ready_by_post(appliance, make_dossier, 2)
    at_desk = make_dossier(pager=2)                            # collected in person: not on the list
    appliance.dossiers.act(at_desk["code"], "ready", user="canbo1")
    page = text(officer.get("/dossiers/buu-chinh"))
    assert first in page and second in page and at_desk["code"] not in page and ADDRESS in page

    # one mistyped label: 422, the line says why, nothing is handed over and nothing is sent
    form = {"pick": [first, second], f"tracking-{first}": "eb 123456785 vn", f"fee-{first}": "25.000",
            f"tracking-{second}": "EB123456798VN", "postal_unit": UNIT, "postal_worker": "Trần Văn Bưu"}
    response = post_form(officer, "/dossiers/buu-chinh", form)
    body = text(response)
    assert response.status_code == 422 and "EB123456798VN sai chữ số kiểm tra" in body
    assert "Không hồ sơ nào được ghi" in body
    assert 'value="Trần Văn Bưu"' in body
    assert [d["state"] for d in map(appliance.dossiers.get, (first, second))] == ["ready", "ready"]
    assert appliance.postal.recent() == []

    form[f"tracking-{second}"] = "EB123456808VN"
    response = post_form(officer, "/dossiers/buu-chinh", form)
    assert response.status_code == 302, re.findall(r'class="msg error">([^<]*)', text(response))
    handover_url = response.headers["Location"]
    assert re.search(r"/dossiers/buu-chinh/\d+\?handed=1$", handover_url)

    for code, tracking in ((first, "EB123456785VN"), (second, "EB123456808VN")):
        d = appliance.dossiers.get(code)
        assert (d["state"], d["returned_by_post"], d["tracking_number"]) == ("returned", True, tracking)
        assert d["postal_handover_id"] is not None
    assert appliance.dossiers.get(first)["post_fee"] == 25000

    # one SMS per dossier, in Vietnamese, with its tracking number
    got = modem.wait_messages(2, DEADLINE)
    office = appliance.settings.office.name
    assert sorted(m.text for m in got) == sorted(
        f"{office}: Kết quả hồ sơ {code} đã gửi qua bưu chính, số hiệu bưu gửi {tracking}."
        for code, tracking in ((first, "EB123456785VN"), (second, "EB123456808VN")))
    assert {m.number for m in got} == {"+84912345678"}
    assert sms.wait_idle(DEADLINE) and len(modem.messages) == 2     # no "come and collect it" for them

    # the list to sign: HTML and PDF
    sheet = text(officer.get(handover_url))
    for words in ("DANH SÁCH BÀN GIAO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH",
                  "Số: 01/2026/BG-BCCI", UNIT, "Trần Văn Bưu", "EB123456785VN", "EB123456808VN", ADDRESS,
                  "BÊN GIAO", "BÊN NHẬN", "Cộng: 02 bưu gửi", "25.000", "Đã bàn giao 2 hồ sơ"):
        assert words in sheet, words
    pdf = officer.get(handover_url.split("?")[0] + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    printed = " ".join(pdf_text(pdf.data).split())
    for words in ("DANH SÁCH BÀN GIAO", "Số: 01/2026/BG-BCCI", "EB123456785VN", "EB123456808VN", "Trần Văn Bưu",
                  "ngày 30 tháng 11 năm 2026", "BÊN NHẬN"):
        assert words in printed, words
    assert "Đã bàn giao" not in printed                     # the on-screen notice is not printed

    # nothing left to post; the list is among those handed over; a second list is number 02
    page = text(officer.get("/dossiers/buu-chinh"))
    assert "Không có kết quả nào chờ gửi qua bưu chính." in page and "01/2026/BG-BCCI" in page
    assert appliance.db.conn().execute("SELECT count(*) FROM audit_log WHERE action = 'postal.handover'"
                                       ).fetchone()[0] == 1

    # the report counts the handovers of the period, whenever the results were ready
    channels = postal_table(appliance, 2026, 11)
    assert channels.total[-1] == 2 and channels.total[-2] == 2      # returned by post; registered for it
    report = text(officer.get("/reports?kind=month&key=2026-11"))
    assert "Đã trả qua bưu chính" in report


def test_a_result_ready_last_month_and_posted_this_month_counts_this_month(appliance, make_dossier, clock):
    [code] = ready_by_post(appliance, make_dossier, 1)
    clock.advance(3 * 86400)                                     # Thursday 3 December
    appliance.postal.hand_over({"postal_unit": UNIT, "postal_worker": "Trần Văn Bưu",
                                "items": [{"code": code, "tracking_number": "EB123456785VN"}]}, "canbo1")
    november, december = postal_table(appliance, 2026, 11), postal_table(appliance, 2026, 12)
    assert november.total[-1] == 0 and december.total[-1] == 1


def test_bad_requests_are_refused_with_a_reason_and_change_nothing(appliance, make_dossier):
    [code] = ready_by_post(appliance, make_dossier, 1)
    in_person = make_dossier()
    appliance.dossiers.act(in_person["code"], "ready", user="canbo1")
    cases = [
        ({"items": []}, {"postal_unit", "postal_worker", "items"}),
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [{"code": code}]}, {"items.0.tracking_number"}),
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [
            {"code": code, "tracking_number": "EB123456785VN", "fee": "hai mươi"}]}, {"items.0.fee"}),
        # digits to str.isdigit() that int() cannot read (superscript two), was a 500
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [
            {"code": code, "tracking_number": "EB123456785VN", "fee": "25000²"}]}, {"items.0.fee"}),
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [
            {"code": code, "tracking_number": "EB123456785VN"},
            {"code": in_person["code"], "tracking_number": "EB123456785VN"}]}, {"items.1.tracking_number"}),
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [
            {"code": code, "tracking_number": "EB123456785VN"},
            {"code": in_person["code"], "tracking_number": "EB123456808VN"}]}, {"items.1.code"}),
        ({"postal_unit": UNIT, "postal_worker": "A", "items": [
            {"code": "000.00.00.H00-261130-9999", "tracking_number": "EB123456785VN"}]}, {"items.0.code"}),
    ]
    for data, fields in cases:
        with pytest.raises(FormInvalid) as caught:
            appliance.postal.hand_over(data, "canbo1")
        assert set(caught.value.errors) == fields, data
        assert all(str(m) and m.en for m in caught.value.errors.values())
    assert appliance.dossiers.get(code)["state"] == "ready" and appliance.postal.recent() == []


def test_the_page_needs_an_officer_and_speaks_english(app, appliance):
    volunteer = app.test_client()
    log_in(volunteer, make_user(appliance, "tinh.nguyen", "volunteer"))
    assert volunteer.get("/dossiers/buu-chinh").status_code == 403
    admin = app.test_client()
    log_in(admin, make_user(appliance, "quantri2", "admin"))
    english = text(admin.get("/dossiers/buu-chinh?lang=en"))
    assert "Return by post" in english and "No results waiting to be posted." in english


def test_the_json_api_hands_over_and_reads_back(appliance, make_dossier, client, auth):
    first, second = ready_by_post(appliance, make_dossier, 2)
    officer = auth("officer")
    pending = client.get("/api/v1/postal/pending", headers=officer)
    assert pending.status_code == 200 and [i["code"] for i in pending.json["items"]] == [first, second]
    assert pending.json["items"][0]["post_address"] == ADDRESS and pending.json["items"][0]["ready_at"]
    assert client.get("/api/v1/postal/pending", headers=auth("volunteer")).status_code == 403
    bad = client.post("/api/v1/postal/handovers", headers=officer, json={
        "postal_unit": UNIT, "postal_worker": "Trần Văn Bưu", "items": [{"code": first, "tracking_number": "EB1"}]})
    assert bad.status_code == 422 and "items.0.tracking_number" in bad.json["error"]["errors"]
    done = client.post("/api/v1/postal/handovers", headers=officer, json={
        "postal_unit": UNIT, "postal_worker": "Trần Văn Bưu",
        "items": [{"code": first, "tracking_number": "EB123456785VN", "fee": 25000},
                  {"code": second, "tracking_number": "EB123456808VN"}]})
    assert done.status_code == 201, done.json
    assert done.json["number"] == "01/2026/BG-BCCI" and done.json["fees"] == 25000
    assert [i["tracking_number"] for i in done.json["items"]] == ["EB123456785VN", "EB123456808VN"]
    again = client.get(f"/api/v1/postal/handovers/{done.json['id']}", headers=officer)
    assert again.status_code == 200 and again.json["postal_worker"] == "Trần Văn Bưu"
    assert client.get("/api/v1/postal/handovers/999", headers=officer).status_code == 404
    assert client.get("/api/v1/postal/pending", headers=officer).json["items"] == []


def test_a_result_going_by_post_is_not_called_in_the_hall(appliance, make_dossier, app):
    """The citizen asked for the result by post: it waits for the postal worker, not for them, so
    it is not called on the hall display or by the announcer, and no reminder repeats it (a result
    collected in person beside it still is)."""
    calls: list[dict] = []
    appliance.bus.subscribe(lambda e: calls.append(e.payload), ["dossier.call"])
    [by_post] = ready_by_post(appliance, make_dossier, 1)
    in_person = make_dossier()
    appliance.dossiers.act(in_person["code"], "ready", user="canbo1")
    assert [c["code"] for c in calls] == [in_person["code"]]
    kept = {r[0] for r in appliance.db.conn().execute("SELECT dossier_code FROM reminders")}
    assert by_post not in kept and in_person["code"] in kept
    from appliance.web.display.views import ready_calls
    with app.test_request_context("/display"):
        assert [r["code"] for r in ready_calls(None, appliance.today())] == [in_person["code"]]
