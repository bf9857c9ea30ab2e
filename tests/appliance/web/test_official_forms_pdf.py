"""Forms that look official (#18): the A4 papers are set in Liberation Serif (Times New Roman's
metrics, every Vietnamese mark) with codes in Liberation Mono, all embedded and nothing falling
back to another font; the Quốc hiệu on one line; "Làm tại" prefilled with the commune; a
fingerprint box beside each signature; and one headless Chromium kept warm between papers (killed,
it is started again). Golden text from ``pdffonts`` and ``pdftotext`` (Debian poppler-utils)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.web.dossiers import pdf

CATALOG = load_catalog()
BIRTH = "1.001193"            # đăng ký khai sinh: one signer
MARRIAGE = "1.000894"         # đăng ký kết hôn: the bride and the groom sign
STATUS = "1.004873"           # xác nhận tình trạng hôn nhân: 3 working days, so a Mẫu 01

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(auth):
    return auth("officer")


@pytest.fixture(autouse=True)
def office_name(appliance):
    appliance.apply_settings(appliance.settings.replace(office={"name": "UBND xã Gia Lâm"}))


def file_dossier(client, headers, appliance, procedure: str, **values) -> str:
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    typed = {**sample_values(CATALOG.get(procedure), today), **values}
    draft = str(uuid.uuid4())
    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": procedure, "values": typed},
                       headers=headers)
    assert saved.status_code == 200 and saved.json["errors"] == {}, saved.json
    done = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers)
    assert done.status_code == 201, done.get_data(as_text=True)
    return done.json["code"]


def pdf_of(client, headers, code: str, form: str) -> bytes:
    response = client.get(f"/dossiers/{code}/print/{form}.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.get_data(as_text=True)
    return response.data


def fonts(data: bytes) -> list[dict[str, str]]:
    """``pdffonts``' table: name (subset prefix dropped), type, embedded."""
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True, timeout=60).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        name = parts[0].split("+", 1)[-1]
        emb = parts[-5]
        rows.append({"name": name, "embedded": emb})
    return rows


def text_of(data: bytes, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def squash(text: str) -> str:
    return " ".join(text.split())


def test_declaration_fonts_are_liberation_serif_and_mono_embedded(client, officer, appliance):
    code = file_dossier(client, officer, appliance, BIRTH)
    data = pdf_of(client, officer, code, "to-khai")
    names = {f["name"] for f in fonts(data)}
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= names, names
    assert any(n.startswith("LiberationMono") for n in names), names      # the dossier's code
    # no Vietnamese letter fell back to another font (DejaVu, Noto…): every font is one of the two
    assert all(n.startswith(("LiberationSerif", "LiberationMono")) for n in names), names
    assert all(f["embedded"] == "yes" for f in fonts(data))
    text = text_of(data)
    assert text == unicodedata.normalize("NFC", text)
    assert "Mã hồ sơ: " + code in squash(text)


def test_declaration_place_line_is_the_commune_when_left_empty(client, officer, appliance):
    code = file_dossier(client, officer, appliance, BIRTH, place="", signed_on="30/11/2026")
    text = squash(text_of(pdf_of(client, officer, code, "to-khai")))
    assert "Làm tại: Gia Lâm, ngày 30 tháng 11 năm 2026" in text
    assert "Làm tại: ...." not in text


def test_declaration_place_line_keeps_what_was_typed(client, officer, appliance):
    code = file_dossier(client, officer, appliance, BIRTH, place="Thị trấn Trâu Quỳ", signed_on="29/11/2026")
    text = squash(text_of(pdf_of(client, officer, code, "to-khai")))
    assert "Làm tại: Thị trấn Trâu Quỳ, ngày 29 tháng 11 năm 2026" in text


def test_the_entry_form_prefills_the_place_with_the_commune(client, officer):
    page = client.get(f"/dossiers/new?procedure={BIRTH}&counter=1", headers=officer).get_data(as_text=True)
    assert 'id="f-place" name="place" value="Gia Lâm"' in page


@pytest.mark.parametrize("procedure, signers", [(BIRTH, 1), (MARRIAGE, 2)])
def test_a_fingerprint_box_beside_each_signature(client, officer, appliance, procedure, signers):
    code = file_dossier(client, officer, appliance, procedure)
    text = squash(text_of(pdf_of(client, officer, code, "to-khai")))
    assert text.count("Điểm chỉ (ngón trỏ phải)") == signers
    html = client.get(f"/dossiers/{code}/print/to-khai", headers=officer).get_data(as_text=True)
    assert html.count('class="fingerprint"') == signers and html.count('class="sign-and-print"') == signers


@pytest.mark.parametrize("procedure, form", [(BIRTH, "to-khai"), (STATUS, "mau-01")])
def test_the_national_title_is_on_one_line(client, officer, appliance, procedure, form):
    code = file_dossier(client, officer, appliance, procedure)
    data = pdf_of(client, officer, code, form)
    lines = [" ".join(line.split()) for line in text_of(data, layout=True).splitlines()]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines), lines[:12]
    if form == "mau-01":
        assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationMono-Bold"} <= {f["name"] for f in fonts(data)}
        assert f"Mã hồ sơ: {code}" in squash(text_of(data))


def test_one_browser_is_kept_warm_and_restarted_when_killed(client, officer, appliance):
    code = file_dossier(client, officer, appliance, BIRTH)
    pdf_of(client, officer, code, "to-khai")
    first = pdf.browser_pid()
    assert first is not None
    pdf_of(client, officer, code, "mau-06")
    assert pdf.browser_pid() == first                        # the same browser printed the second paper
    os.killpg(first, signal.SIGKILL)                          # the browser dies between two papers
    data = pdf_of(client, officer, code, "to-khai")
    assert data.startswith(b"%PDF-") and "Điểm chỉ" in text_of(data)
    assert pdf.browser_pid() not in (None, first)


def test_without_keep_warm_the_browser_is_closed_after_each_paper(client, officer, appliance):
    appliance.apply_settings(appliance.settings.replace(web={"pdf_warm": False}))
    code = file_dossier(client, officer, appliance, BIRTH)
    assert pdf_of(client, officer, code, "to-khai").startswith(b"%PDF-")
    assert pdf.browser_pid() is None


def test_a_missing_chromium_is_said_in_vietnamese():
    with pytest.raises(pdf.PdfError, match="Không tìm thấy trình duyệt Chromium"):
        pdf.html_to_pdf("<p>x</p>", chromium="khong-co-chromium")


@pytest.mark.parametrize("procedure", list(CATALOG.procedures))
def test_every_declaration_is_set_in_liberation_only(client, officer, appliance, procedure):
    """Whatever a procedure's form holds (names, places, ticks, codes), no letter or sign falls back."""
    code = file_dossier(client, officer, appliance, procedure)
    names = {f["name"] for f in fonts(pdf_of(client, officer, code, "to-khai"))}
    assert names and all(n.startswith(("LiberationSerif", "LiberationMono")) for n in names), names


def test_the_other_papers_are_set_in_liberation_only(client, officer, appliance, auth):
    code = file_dossier(client, officer, appliance, STATUS)
    papers = {"Mẫu 01": f"/dossiers/{code}/print/mau-01.pdf", "Mẫu 06": f"/dossiers/{code}/print/mau-06.pdf",
              "Mẫu 07": "/dossiers/logbook.pdf?from=30/11/2026&to=30/11/2026",
              "sổ chứng thực": "/chung-thuc/so.pdf", "Biểu II.06a": "/reports/ii06a.pdf"}
    for paper, url in papers.items():
        response = client.get(url, headers=auth("admin"))
        assert response.status_code == 200 and response.mimetype == "application/pdf", (paper, response.status_code)
        names = {f["name"] for f in fonts(response.data)}
        assert names and all(n.startswith(("LiberationSerif", "LiberationMono")) for n in names), (paper, names)


def test_a_dead_servers_browser_folder_is_removed_at_the_next_start(tmp_path):
    """A server killed with its browser leaves its temporary folder; the next start removes it, and
    never the folder of a server that still runs."""
    dead = subprocess.Popen(["true"])
    dead.wait()                                    # a process id that no longer runs
    left = Path(tempfile.mkdtemp(prefix=pdf.FOLDER_PREFIX))
    (left / "owner").write_text(str(dead.pid))
    alive = Path(tempfile.mkdtemp(prefix=pdf.FOLDER_PREFIX))
    (alive / "owner").write_text(str(os.getpid()))
    pdf.shutdown()
    assert pdf.html_to_pdf("<p>Độc lập</p>").startswith(b"%PDF-")
    assert not left.exists() and alive.exists()
    shutil.rmtree(alive)
