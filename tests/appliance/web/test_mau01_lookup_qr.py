"""Mẫu 01 carries a QR code (#17): the same QR matrix as the dossier's signed lookup link on the
office's public address, which opens the dossier's state and due time on the LAN page; in the PDF
too (pdftotext reads the line beside it). A forged link opens nothing."""
from __future__ import annotations

import re
import subprocess
import uuid
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.web.screens.qr import qr_svg

STATUS = "1.004873"       # 3 working days: it gets a Mẫu 01
PATH = re.compile(r'<path d="([^"]+)"')


@pytest.fixture
def settings(tmp_path):
    from appliance import config
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")}, "queue": {"pager_pool": 10},
        "web": {"public_url": "https://tracuu.bacninh.gov.vn"}})


def file_dossier(client, headers, appliance) -> str:
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    typed = sample_values(load_catalog().get(STATUS), today)
    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": STATUS, "values": typed},
                       headers=headers)
    assert saved.status_code == 200 and saved.json["errors"] == {}, saved.json
    done = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers)
    assert done.status_code == 201, done.get_data(as_text=True)
    return done.json["code"]


def test_mau01_prints_the_signed_lookup_qr(client, auth, appliance):
    officer = auth("officer")
    code = file_dossier(client, officer, appliance)
    html = client.get(f"/dossiers/{code}/print/mau-01", headers=officer).get_data(as_text=True)
    link = appliance.lookup.dossier_link("https://tracuu.bacninh.gov.vn", code)
    assert link.startswith("https://tracuu.bacninh.gov.vn/thu-tuc/tra-cuu?ho-so=")
    printed = PATH.findall(html.split('class="lookup-qr"', 1)[1])
    assert printed and printed[0] == PATH.findall(str(qr_svg(link)))[0]     # the very same QR matrix
    assert "https://tracuu.bacninh.gov.vn/thu-tuc/tra-cuu" in html
    # the link it encodes answers with the dossier's state (the LAN page; the hub's is in tests/district)
    parts = urlsplit(link)
    page = client.get(f"{parts.path}?{parts.query}").get_data(as_text=True)
    assert code in page and "Đã tiếp nhận" in page
    assert 'class="lookup-answer' in page
    forged = client.get(f"{parts.path}?ho-so={code}&k={'0' * 16}").get_data(as_text=True)
    assert 'class="lookup-answer' not in forged and "Mã QR này không còn dùng được" in forged


@pytest.mark.browser
def test_the_qr_and_its_words_are_in_the_pdf(client, auth, appliance):
    officer = auth("officer")
    code = file_dossier(client, officer, appliance)
    response = client.get(f"/dossiers/{code}/print/mau-01.pdf", headers=officer)
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.data, capture_output=True,
                          check=True, timeout=60).stdout.decode("utf-8")
    words = " ".join(text.split())
    assert "Tra cứu tình trạng, hạn trả kết quả hồ sơ: quét mã QR này" in words
    assert "https://tracuu.bacninh.gov.vn/thu-tuc/tra-cuu" in words
