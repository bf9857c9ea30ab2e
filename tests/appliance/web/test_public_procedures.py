"""The public procedure list at /thu-tuc: the whole catalog for anyone, on a phone, in Vietnamese
or English, with a search that does not need diacritics."""
from __future__ import annotations

import re

from page_helpers import text

from appliance.catalog.loader import load_catalog
from appliance.web.public.views import catalog_view, fee_lines, fold, money

CATALOG = load_catalog()


def test_fold_drops_diacritics_and_case():
    assert fold("Đăng ký KHAI SINH") == "dang ky khai sinh"
    assert fold("Chứng thực bản sao") == "chung thuc ban sao"


def test_money_is_written_as_on_a_notice_board():
    assert money(200000) == "200.000 đồng" and money(8000, "en") == "8,000 VND"


def test_fees_read_as_posted():
    copy = CATALOG.get("2.000815").fee
    assert fee_lines(copy) == ["Trang 1–2: 2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; "
                               "tối đa 200.000 đồng/bản"]
    birth = fee_lines(CATALOG.get("1.001193").fee)
    assert birth[0] == "8.000 đồng/trường hợp (mức do tỉnh quy định)"
    assert "Miễn lệ phí: đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh)" in birth
    assert "Bản sao trích lục khai sinh: 8.000 đồng/bản" in birth
    assert fee_lines(CATALOG.get("1.000894").fee)[0].startswith("Miễn lệ phí")
    assert fee_lines(copy, "en") == ["Pages 1–2: 2,000 VND per page; from page 3: 1,000 VND per page; "
                                     "at most 200,000 VND per copy"]


def test_search_finds_procedures_without_diacritics():
    names = [p["name"] for g in catalog_view(CATALOG, query="khai sinh") for p in g["procedures"]]
    assert names == ["Đăng ký khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài"]
    assert catalog_view(CATALOG, query="zzz") == []
    groups = catalog_view(CATALOG, field="G05-CT")
    assert [g["code"] for g in groups] == ["G05-CT"] and len(groups[0]["procedures"]) == 2


def test_anyone_sees_every_procedure_with_documents_time_limit_and_fee(client):
    response = client.get("/thu-tuc")
    assert response.status_code == 200
    body = text(response)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body
    assert body.count('<article class="proc"') == len(CATALOG.procedures)
    for proc in CATALOG.procedures.values():
        assert proc.name in body and proc.code in body
    article = re.search(r'<article class="proc" id="tt-2.000815">.*?</article>', body, re.S).group(0)
    assert "Bản chính giấy tờ, văn bản" in article and "xuất trình, không nộp" in article
    assert "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)" in article and "200.000 đồng/bản" in article
    assert "Trả trong 2 giờ làm việc" in article
    assert "Giờ làm việc: sáng 07:30–11:30, chiều 13:30–17:00; Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu." in body
    assert "Danh mục phiên bản 2026.2." in body


def test_the_search_box_and_field_filter_work_on_the_page(client):
    body = text(client.get("/thu-tuc?q=chung+thuc+chu+ky"))
    assert body.count('<article class="proc"') == 1 and "Chứng thực chữ ký" in body
    body = text(client.get("/thu-tuc?q=khong+co+thu+tuc+nay"))
    assert "Không tìm thấy thủ tục nào khớp “khong co thu tuc nay”" in body
    body = text(client.get("/thu-tuc?linh-vuc=G18-BTXH"))
    assert 'id="linh-vuc-G18-BTXH"' in body and 'id="linh-vuc-G05-HT"' not in body


def test_the_list_is_in_english_on_request(client):
    body = text(client.get("/thu-tuc?lang=en"))
    assert '<html lang="en">' in body
    assert "Certified copy from the original" in body and "Original document" in body
    assert "Same day (after 15:00: next working day)" in body and "200,000 VND per copy" in body
    assert "Copies of the birth extract: 8,000 VND" in body and "Bản sao trích lục khai sinh" not in body


def test_staff_see_the_same_list(role_client):
    assert role_client("volunteer").get("/thu-tuc").status_code == 200


def test_a_broken_catalog_gives_a_vietnamese_page_not_a_crash(client, appliance):
    from appliance.domain.catalog import CatalogError, Problem

    def broken():
        raise CatalogError([Problem("catalog.toml", "version", "thiếu khóa bắt buộc")])
    appliance.dossiers.set_catalog(broken)  # a provider, as the runtime passes one
    response = client.get("/thu-tuc")
    assert response.status_code == 503
    assert "Chưa xem được danh mục thủ tục" in text(response) and "cán bộ tại quầy" in text(response)
