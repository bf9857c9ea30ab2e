"""Pages asked for in English show English: fee exemptions, where the settings come from, the
hall display's ticker, device messages and the pager's reasons (Vietnamese stays the default)."""
from __future__ import annotations

import dataclasses
import re

from page_helpers import text

from appliance.catalog.loader import load_catalog
from appliance.events import EventBus
from appliance.pager import PagerService
from appliance.pager.service import CANCEL_EVENTS, REASON_TEXTS
from appliance.web.public.views import fee_lines

VIETNAMESE = re.compile(r"[À-ɏḀ-ỿ]")


def test_fee_exemptions_have_an_english_reason():
    catalog = load_catalog()
    exemptions = [e for p in catalog.procedures.values() for e in p.fee.exemptions]
    assert len(exemptions) >= 7
    for exemption in exemptions:
        assert exemption.reason_en and not VIETNAMESE.search(exemption.reason_en), exemption
    birth = catalog.get("1.001193").fee
    assert "No fee: birth registered on time (within 60 days of the birth)" in fee_lines(birth, "en")
    assert "Miễn lệ phí: đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh)" in fee_lines(birth)
    assert not any(line.startswith("Exempt: Miễn") for line in fee_lines(birth, "en"))


def test_the_public_list_in_english_has_no_vietnamese_exemption(client):
    body = text(client.get("/thu-tuc?lang=en"))
    assert "No fee under Article 11 of the Civil Status Law" in body and "Luật Hộ tịch Điều 11" not in body


def test_the_settings_source_is_translated(admin_client, appliance):
    assert appliance.settings.source == "mặc định"
    assert "Nguồn cấu hình hiện tại: mặc định" in text(admin_client.get("/admin/settings"))
    english = text(admin_client.get("/admin/settings?lang=en"))
    assert "Current settings come from: defaults" in english and "mặc định" not in english
    appliance.settings = dataclasses.replace(appliance.settings,
                                             source="/etc/motcua/config.toml + biến môi trường MOTCUA_*")
    english = text(admin_client.get("/admin/settings?lang=en"))
    assert "Current settings come from: /etc/motcua/config.toml + MOTCUA_* environment variables" in english


def test_the_display_ticker_uses_english_names(admin_client):
    english = admin_client.get("/display?lang=en").get_data(as_text=True)
    assert "<span>Birth registration</span>" in english and "<span>Đăng ký khai sinh</span>" not in english
    assert "<span>Đăng ký khai sinh</span>" in admin_client.get("/display?lang=vi").get_data(as_text=True)


def test_every_pager_cancel_has_a_reason_in_both_languages(tmp_path):
    for event in CANCEL_EVENTS:
        vi, en = REASON_TEXTS[event]
        assert event not in vi and vi.startswith("hủy nhắc lại: ") and not VIETNAMESE.search(en)
    bus = EventBus()
    pager = PagerService(_pager_settings(tmp_path), bus)
    pager.start()
    try:
        pager.page(4, "ticket.called", repeat=True)
        assert pager.flush()
        assert pager.cancel(4, "ticket.done")
        entry = pager.recent()[0]
        assert entry["reason"] == "hủy nhắc lại: đã phục vụ xong" and entry["reason_en"] == "repeats cancelled: served"
        assert entry["result_text"] == "đã hủy" and entry["result_text_en"] == "cancelled"
        status = pager.status()
        assert status["message"].startswith("Bộ phát thẻ rung hoạt động") and status["message_en"].startswith(
            "The pager transmitter is working")
    finally:
        pager.stop()


def _pager_settings(tmp_path):
    from appliance.config import Pager
    return Pager(url=f"sim://{tmp_path / 'pager'}", protocol="jtech-j1901")
