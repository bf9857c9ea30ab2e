"""Per procedure: fill, save, submit, print the declaration to PDF with headless Chromium, read the
PDF's text back with ``pdftotext`` (Debian poppler-utils), mark the dossier ready and see the
simulated pager transmitter record the page."""
from __future__ import annotations

import json
import subprocess
import uuid
from datetime import date, datetime

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_form import display_values
from appliance.domain.dossier_samples import sample_values
from appliance.pager import PagerService
from appliance.web.dossiers.pdf import PdfError, html_to_pdf

CATALOG = load_catalog()


@pytest.fixture
def pager_log(appliance, tmp_path):
    """The pager service on the appliance's bus with the recording ``sim://`` transmitter."""
    settings = appliance.settings.replace(pager={"url": f"sim://{tmp_path / 'pager'}", "protocol": "jtech-j1901"})
    service = PagerService(settings.pager, appliance.bus)
    service.start()

    def pages() -> list[dict]:
        assert service.flush(5.0)
        log = tmp_path / "pager" / "pages.jsonl"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    yield pages
    service.stop()


def pdf_text(data: bytes) -> str:
    assert data[:5] == b"%PDF-"
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                            check=True, timeout=30)
    return result.stdout.decode("utf-8")


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("code", list(CATALOG.procedures))
def test_fill_save_print_and_page(client, auth, appliance, pager_log, code):
    officer = auth("officer")
    procedure = CATALOG.get(code)
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    values = sample_values(procedure, today, seed=len(code))
    draft = str(uuid.uuid4())

    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": code, "values": values},
                       headers=officer)
    assert saved.status_code == 200 and saved.json["errors"] == {}
    assert client.get(f"/api/v1/drafts/{draft}", headers=officer).json["values"] == json.loads(json.dumps(values))

    dossier = client.post(f"/api/v1/drafts/{draft}/submit", json={"pager": "auto"}, headers=officer)
    assert dossier.status_code == 201
    dossier = dossier.json

    printed = client.get(f"/dossiers/{dossier['code']}/print/to-khai.pdf", headers=officer)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    text = squash(pdf_text(printed.data))
    clean = saved.json["values"]
    shown = display_values(procedure, clean)
    assert dossier["code"] in text
    for spec in procedure.fields:
        if not spec.paper or not shown.get(spec.name):
            continue
        assert squash(shown[spec.name]) in text, (spec.name, shown[spec.name])
    if any(f.generated for f in procedure.fields):
        assert "Ngày mồng một tháng" in text                       # the birth date in words

    ready = client.post(f"/api/v1/dossiers/{dossier['code']}/ready", json={}, headers=officer)
    assert ready.status_code == 200 and ready.json["state"] == "ready"
    pages = pager_log()
    assert [p["pager"] for p in pages] == [dossier["pager"]]


def test_pdf_error_is_vietnamese_when_chromium_is_missing():
    with pytest.raises(PdfError) as caught:
        html_to_pdf("<p>x</p>", chromium="khong-co-chromium")
    assert "Không tìm thấy trình duyệt Chromium" in str(caught.value)


def test_logbook_prints_landscape(client, auth, appliance):
    officer = auth("officer")
    procedure = CATALOG.get("2.000884")
    draft = str(uuid.uuid4())
    client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 2, "procedure": procedure.code,
                                                 "values": sample_values(procedure, date(2026, 11, 30))},
               headers=officer)
    code = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=officer).json["code"]
    printed = client.get("/dossiers/logbook.pdf?from=30/11/2026", headers=officer)
    assert printed.status_code == 200
    info = subprocess.run(["pdfinfo", "-"], input=printed.data, capture_output=True, check=True).stdout.decode()
    width, height = [float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x ")]
    assert width > height                                            # A4 landscape
    text = squash(pdf_text(printed.data))
    assert "SỔ THEO DÕI HỒ SƠ" in text and code in text and "Chứng thực chữ ký" in text


def test_a_pdf_that_cannot_be_made_is_said_in_the_page_language(client, auth, monkeypatch):
    """The reason a PDF could not be made (here: no Chromium on the machine) reads in English on an
    English page, in Vietnamese on a Vietnamese one (it was Vietnamese on both)."""
    from appliance.web.dossiers import pdf
    monkeypatch.setattr(pdf, "CANDIDATES", ("khong-co-chromium",))
    monkeypatch.setattr(pdf, "_BROWSER", None)
    with pytest.raises(PdfError) as caught:
        html_to_pdf("<p>x</p>")
    assert caught.value.text("en").startswith("No Chromium browser") and "Không tìm thấy" in caught.value.text("vi")
    officer = auth("officer")
    english = client.get("/dossiers/logbook.pdf?from=30/11/2026&lang=en", headers=officer)
    assert english.status_code == 503
    page = english.get_data(as_text=True)
    assert "No Chromium browser" in page and "Không tìm thấy" not in page
    vietnamese = client.get("/dossiers/logbook.pdf?from=30/11/2026&lang=vi", headers=officer)
    assert vietnamese.status_code == 503 and "Không tìm thấy trình duyệt Chromium" in vietnamese.get_data(as_text=True)
