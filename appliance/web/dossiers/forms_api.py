"""``GET /api/v1/dossiers/{code}/forms``: the papers a dossier can print now (its tờ khai, Mẫu 01 …
Mẫu 06, as the dossier page links them), each with its title in both languages and the addresses of
its print view (HTML) and its PDF, the pages ``/dossiers/<code>/print/<form>[.pdf]`` answer."""
from __future__ import annotations

from flask import jsonify, url_for

from ...domain import dossier_papers as papers
from ..api.openapi import ERRORS, array, extend
from ..auth import appliance, login_name, require
from .api import bp

PRINT_LANG = "vi"   # the papers are Vietnamese legal forms, whatever the reader's language


@bp.get("/dossiers/<code>/forms")
@require("dossier")
def dossier_forms(code: str):
    app_ = appliance()
    dossier = app_.dossiers.get(code, user=login_name(), lang=PRINT_LANG)
    forms = [{"form": f.name, "title": f.title, "title_en": papers.TITLES_EN.get(f.name, f.title),
              "html_url": url_for("dossier_pages.dossier_print", code=dossier["code"], name=f.name),
              "pdf_url": url_for("dossier_pages.dossier_print", code=dossier["code"], name=f"{f.name}.pdf")}
             for f in papers.available(dossier, app_.tz)]
    return jsonify({"code": dossier["code"], "state": dossier.get("state"), "forms": forms})


extend({"/api/v1/dossiers/{code}/forms": {"get": {
    "summary": "Các giấy tờ in được của một hồ sơ lúc này (tờ khai, Mẫu 01–06): mã mẫu, tên, địa chỉ bản HTML "
               "và bản PDF (ghi nhật ký truy cập)",
    "description": "Vai trò được phép: admin, officer, volunteer.",
    "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
    "security": [{"bearer": []}, {"session": []}],
    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
        "type": "object", "required": ["code", "forms"], "properties": {
            "code": {"type": "string"}, "state": {"type": ["string", "null"]},
            "forms": array({"type": "object", "required": ["form", "title", "title_en", "html_url", "pdf_url"],
                            "properties": {
                                "form": {"enum": list(papers.FORMS)}, "title": {"type": "string"},
                                "title_en": {"type": "string"},
                                "html_url": {"type": "string", "example": "/dossiers/HS-0001/print/to-khai"},
                                "pdf_url": {"type": "string",
                                            "example": "/dossiers/HS-0001/print/to-khai.pdf"}}})}}}}},
                  **ERRORS}}}})
