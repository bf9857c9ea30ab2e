"""Postal return pages (issue 17), on the dossier blueprint:

* ``/dossiers/buu-chinh`` — the ready results the citizens asked to receive by post: the officer
  types (or scans) each item's tracking number and postage, names the postal unit and worker, and
  hands them over in one go (``appliance.services.postal``); the lists already handed over;
* ``/dossiers/buu-chinh/<id>`` (``.pdf``) — the handover list to print and sign, A4 landscape;
* ``/api/v1/postal/pending``, ``POST /api/v1/postal/handovers``, ``/api/v1/postal/handovers/<id>`` —
  the same as JSON (admin, officer).

Thin: the rules are in ``appliance/domain/postal.py``, the work in the service.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, jsonify, redirect, render_template, request, url_for

from ...domain import dossier_form as layout
from ...domain import dossier_papers as papers
from ...domain.dossiers import FormInvalid
from ...domain.errors import DomainError
from ..api.body import body
from ..api.openapi import array, extend
from ..auth import appliance, login_name, require
from ..i18n import current_language
from ..login.access import page_requires
from .api import _op, _path
from .api import bp as api_bp
from .pages import _pdf_response, _render_print, bp, error_page, user_name


def _pending_view(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tz = appliance().tz
    for line in lines:
        line["ready_text"] = (datetime.fromtimestamp(line["ready_ts"], tz).strftime("%H:%M %d/%m/%Y")
                              if line["ready_ts"] else "")
    return lines


def _page(status: int = 200, errors: dict[str, str] | None = None, form: dict[str, Any] | None = None):
    service = appliance().postal
    return render_template("dossiers/postal.html", pending=_pending_view(service.pending()),
                           recent=service.recent(), units_used=service.units_used(),
                           errors=errors or {}, form=form or {}), status


@bp.get("/dossiers/buu-chinh")
@page_requires("counter")
def postal_list():
    return _page()


@bp.post("/dossiers/buu-chinh")
@page_requires("counter")
def postal_hand_over():
    picked = [c for c in request.form.getlist("pick") if c][:500]
    items = [{"code": code, "tracking_number": request.form.get(f"tracking-{code}", ""),
              "fee": request.form.get(f"fee-{code}", "")} for code in picked]
    data = {"postal_unit": request.form.get("postal_unit", ""), "postal_worker": request.form.get("postal_worker", ""),
            "note": request.form.get("note", ""), "items": items}
    try:
        handover_id = appliance().postal.hand_over(data, user_name())
    except FormInvalid as exc:
        lang = current_language()
        errors: dict[str, str] = {}
        for key, message in exc.errors.items():
            text = message.en if lang == "en" else str(message)
            parts = key.split(".")
            if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(picked):
                errors[f"{picked[int(parts[1])]}.{parts[2]}"] = text
            else:
                errors[parts[0]] = text
        form = {**data, "picked": picked,
                "values": {i["code"]: i for i in items}}
        return _page(422, errors, form)
    except DomainError as exc:
        return error_page(exc)
    return redirect(url_for("dossier_pages.postal_print", handover_id=handover_id, handed=1))


@bp.get("/dossiers/buu-chinh/<int:handover_id>")
@page_requires("dossier")
def postal_print(handover_id: int):
    return _postal_paper(handover_id, as_pdf=False)


@bp.get("/dossiers/buu-chinh/<int:handover_id>.pdf")
@page_requires("dossier")
def postal_print_pdf(handover_id: int):
    return _postal_paper(handover_id, as_pdf=True)


def _postal_paper(handover_id: int, as_pdf: bool):
    handover = appliance().postal.get(handover_id)
    if handover is None:
        abort(404)
    html = _render_print("print/postal_handover.html", as_pdf, h=handover, day_words=papers.day_words,
                         money=lambda amount: layout.money(amount, "vi"),
                         handed=request.args.get("handed") == "1",
                         back_url=url_for("dossier_pages.postal_list"),
                         pdf_url=None if as_pdf else url_for("dossier_pages.postal_print_pdf",
                                                             handover_id=handover_id))
    if as_pdf:
        return _pdf_response(html, f"ban-giao-buu-chinh-{handover['number'].replace('/', '-')}.pdf")
    return html



# --- JSON API (the same service; an office's own tools, a barcode station) -------------------------

def _handover_json(handover: dict[str, Any]) -> dict[str, Any]:
    return {**handover, "handed_at": handover["handed_at"].isoformat(timespec="seconds")}


def _line_json(line: dict[str, Any]) -> dict[str, Any]:
    tz = appliance().tz
    ready = line.get("ready_ts")
    return {**{k: v for k, v in line.items() if k != "ready_ts"},
            "ready_at": datetime.fromtimestamp(ready, tz).isoformat(timespec="seconds") if ready else None}


@api_bp.get("/postal/pending")
@require("counter")
def api_postal_pending():
    return jsonify({"items": [_line_json(line) for line in appliance().postal.pending()]})


@api_bp.post("/postal/handovers")
@require("counter")
def api_postal_hand_over():
    handover_id = appliance().postal.hand_over(body(), login_name())
    handover = appliance().postal.get(handover_id)
    assert handover is not None        # written just above
    return jsonify({**_handover_json(handover), "items": [_line_json(i) for i in handover["items"]]}), 201


@api_bp.get("/postal/handovers/<int:handover_id>")
@require("counter")
def api_postal_handover(handover_id: int):
    handover = appliance().postal.get(handover_id)
    if handover is None:
        abort(404)
    return jsonify({**_handover_json(handover), "items": [_line_json(i) for i in handover["items"]]})


_LINE = {"type": "object", "required": ["code", "post_address"], "properties": {
    "code": {"type": "string"}, "province_code": {"type": ["string", "null"]},
    "procedure": {"type": "string"}, "procedure_name": {"type": ["string", "null"]},
    "applicant_name": {"type": ["string", "null"]}, "applicant_phone": {"type": ["string", "null"]},
    "post_address": {"type": ["string", "null"]}, "tracking_number": {"type": ["string", "null"]},
    "fee": {"type": ["integer", "null"]}, "ready_at": {"type": ["string", "null"]}, "purged": {"type": "boolean"}}}
_HANDOVER = {"type": "object", "required": ["id", "number", "handed_at", "postal_unit", "postal_worker", "items"],
             "properties": {"id": {"type": "integer"}, "number": {"type": "string", "example": "01/2026/BG-BCCI"},
                            "handed_at": {"type": "string"}, "officer": {"type": ["string", "null"]},
                            "officer_name": {"type": ["string", "null"]}, "postal_unit": {"type": "string"},
                            "postal_worker": {"type": "string"}, "note": {"type": ["string", "null"]},
                            "fees": {"type": "integer"}, "items": array(_LINE)}}
extend(paths={
    "/api/v1/postal/pending": {"get": _op(
        "Kết quả đã có của các hồ sơ đăng ký nhận qua bưu chính, chờ bàn giao (cũ nhất trước)", "admin, officer",
        response={"type": "object", "required": ["items"], "properties": {"items": array(_LINE)}})},
    "/api/v1/postal/handovers": {"post": _op(
        "Bàn giao kết quả cho bưu chính theo danh sách: mỗi hồ sơ được trả qua bưu chính với số hiệu bưu gửi "
        "(kiểm tra chữ số kiểm tra UPU S10) và cước, tin nhắn báo số hiệu bưu gửi; một dòng sai: 422, không ghi gì",
        "admin, officer", ok="201", response=_HANDOVER, body_schema={
            "type": "object", "required": ["postal_unit", "postal_worker", "items"], "properties": {
                "postal_unit": {"type": "string", "example": "Bưu điện văn hóa xã Dương Xá"},
                "postal_worker": {"type": "string"}, "note": {"type": "string"},
                "items": array({"type": "object", "required": ["code", "tracking_number"], "properties": {
                    "code": {"type": "string"}, "tracking_number": {"type": "string", "example": "EB123456785VN"},
                    "fee": {"type": "integer", "description": "cước (đồng)"}}})}})},
    "/api/v1/postal/handovers/{handover_id}": {"get": _op(
        "Một danh sách bàn giao cho bưu chính", "admin, officer", params=[_path("handover_id", "integer")],
        response=_HANDOVER)},
})
