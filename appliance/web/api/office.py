"""What integrators and the office need beyond the queue (issue 12), on the ``api`` blueprint:

* ``GET /api/v1/procedures`` and ``GET /api/v1/procedures/{code}``: the catalog in force, and the
  form schema of one procedure (sections, fields, types, options, rules, in both languages), built
  by :mod:`appliance.domain.procedure_schema` from the catalog model the forms are checked with;
* ``GET /api/v1/printer/jobs`` and ``POST /api/v1/printer/jobs/{id}/reprint``: the printer's
  journal (kept on disk, so it survives a restart) and a reprint through the printer's worker;
* ``GET /api/v1/pagers/{number}/pages``: one pager's history, newest first.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ...domain.dossiers import DossierError, DossierNotFound
from ...domain.errors import Conflict, NotFound
from ...domain.procedure_schema import procedure_schema, summary_json
from ...pager.service import REASON_TEXTS, RESULT_TEXTS
from ...store import device_journal
from ..auth import appliance, login_name, require
from ..i18n import current_language
from .openapi import array, extend, ref
from .queue import bp

MAX_LIMIT = 200
MAX_ID = 1 << 62


def _limit(default: int = 50) -> int:
    raw = request.args.get("limit")
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise DossierError("bad_query", "limit", name="limit", detail=f"từ 1 đến {MAX_LIMIT}")
    return int(raw)


# --- procedures ---------------------------------------------------------------------------------

@bp.get("/procedures")
@require("view")
def procedures():
    catalog = appliance().catalog()
    return jsonify({"catalog_version": catalog.version, "procedures": [
        summary_json(p, catalog.field_of_work(p.field_of_work)) for p in catalog.procedures.values()]})


@bp.get("/procedures/<code>")
@require("view")
def procedure(code: str):
    catalog = appliance().catalog()
    found = catalog.procedures.get(code)
    if found is None:
        raise DossierNotFound("unknown_procedure", "procedure", procedure=code)
    return jsonify(procedure_schema(found, catalog))


# --- printer ------------------------------------------------------------------------------------

def _printer():
    printer = appliance().devices.get("printer")
    if printer is None:
        raise Conflict("no_printer", "printer")
    return printer


@bp.get("/printer/jobs")
@require("dossier")
def printer_jobs():
    """The printer's state and its latest jobs, newest first (``?limit=``, at most 200); ``?ticket=ID``:
    every job of that ticket (was it printed? reprinted?)."""
    limit = _limit(50)
    raw_ticket = request.args.get("ticket")
    if raw_ticket not in (None, "") and not (raw_ticket.isascii() and raw_ticket.isdigit()
                                             and 1 <= int(raw_ticket) <= MAX_ID):
        raise DossierError("bad_query", "ticket", name="ticket", detail="số nguyên dương")
    ticket = int(raw_ticket) if raw_ticket else None
    printer = appliance().devices.get("printer")
    if printer is None:
        from ...printer.status import DISABLED_MSG, DISABLED_MSG_EN
        return jsonify({"printer": {"state": "disabled", "paper": "unknown", "queue": 0,
                                    "message": DISABLED_MSG_EN if current_language() == "en" else DISABLED_MSG},
                        "jobs": []})
    status = printer.status()
    message = status.get("message_en") if current_language() == "en" else status.get("message")
    return jsonify({"printer": {"state": status["state"], "message": message or status.get("message"),
                                "paper": status.get("paper"), "queue": status.get("queue")},
                    "jobs": (printer.jobs_of_ticket(ticket) if ticket is not None
                             else printer.recent(limit))[:limit]})


@bp.post("/printer/jobs/<job_id>/reprint")
@require("dossier")
def printer_reprint(job_id: str):
    """Print a job again (a ticket after the paper ran out, a slip the citizen lost): a new job,
    ``reprint_of`` the old one, queued on the printer's worker; audited."""
    from ...printer import JobNotFound
    printer = _printer()
    try:
        new_id = printer.reprint(job_id)
    except JobNotFound:
        raise NotFound("unknown_print_job", "job", job=job_id) from None
    with appliance().units() as tx:
        tx.audit(login_name(), "printer.reprint", "device:printer", f"in lại {job_id} → {new_id}")
    return jsonify(printer.job(new_id)), 202


# --- pager history ------------------------------------------------------------------------------

def page_json(row, lang: str) -> dict[str, Any]:
    from datetime import UTC, datetime
    reason_vi, reason_en = REASON_TEXTS.get(row["event"], (row["event"], row["event"]))
    result_vi, result_en = RESULT_TEXTS.get(row["result"], (row["result"], row["result"]))
    k = row["repeat_no"]
    if k:
        reason_vi, reason_en = f"{reason_vi} – nhắc lại lần {k}", f"{reason_en} – repeat {k}"
    return {"id": row["id"], "at": datetime.fromtimestamp(row["ts"], UTC).isoformat(timespec="seconds"),
            "pager": row["pager"], "event": row["event"], "repeat": k, "result": row["result"],
            "reason_text": reason_en if lang == "en" else reason_vi,
            "result_text": result_en if lang == "en" else result_vi, "message": row["message"],
            "ticket_number": row["ticket_number"], "dossier_code": row["dossier_code"]}


@bp.get("/pagers/<int:number>/pages")
@require("dossier")
def pager_pages(number: int):
    """When pager ``number`` was paged (called, ready, reminders) or its reminders stopped, and
    what the transmitter answered; newest first, ``?before=<id>`` for older ones."""
    app_ = appliance()
    pool = app_.settings.queue.pager_pool
    if not 1 <= number <= pool:
        raise NotFound("pager_out_of_pool", "pager", pager=number, pool=pool)
    raw_before = request.args.get("before")
    if raw_before not in (None, "") and not (raw_before.isascii() and raw_before.isdigit()
                                             and 1 <= int(raw_before) <= MAX_ID):
        raise DossierError("bad_query", "before", name="before", detail="số nguyên dương")
    before = int(raw_before) if raw_before else None
    rows = device_journal.pages_of(app_.db.conn(), number, _limit(50), before)
    lang = current_language()
    return jsonify({"pager": number, "pages": [page_json(r, lang) for r in rows]})


# --- OpenAPI ------------------------------------------------------------------------------------

STAFF = "admin, officer, volunteer"
VIEW = "admin, officer, volunteer, kiosk, display"
ERROR = {"$ref": "#/components/responses/Error"}
ERRORS = {code: ERROR for code in ("400", "401", "403", "404", "409", "413", "415", "429", "503", "507")}
I18N_TEXT = {"type": "string"}
NULL_TEXT = {"type": ["string", "null"]}


def _op(summary: str, roles: str, response: dict, *, params: list | None = None, ok: str = "200") -> dict:
    op: dict[str, Any] = {"summary": summary, "description": f"Vai trò được phép: {roles}.",
                          "responses": {ok: {"description": "OK", "content": {"application/json": {
                              "schema": response}}}, **ERRORS},
                          "security": [{"bearer": []}, {"session": []}]}
    if params:
        op["parameters"] = params
    return op


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "integer", **schema}}


TIME_LIMIT = {"type": "object", "required": ["kind", "text", "text_en"], "properties": {
    "kind": {"enum": ["immediate", "same_day", "hours", "days", "none"]}, "value": {"type": "number"},
    "steps": array({"type": "integer"}), "extended_value": {"type": "integer"}, "text": I18N_TEXT,
    "text_en": I18N_TEXT}}
OPTION = {"type": "object", "required": ["value", "label", "label_en"], "properties": {
    "value": I18N_TEXT, "label": I18N_TEXT, "label_en": I18N_TEXT, "aliases": array(I18N_TEXT), "code": I18N_TEXT}}
FIELD = {"type": "object", "required": ["name", "label", "label_en", "type", "rules"], "properties": {
    "name": I18N_TEXT, "label": I18N_TEXT, "label_en": I18N_TEXT,
    "type": {"enum": ["text", "date", "select", "id12", "number", "bool", "phone"]},
    "type_text": I18N_TEXT, "type_text_en": I18N_TEXT,
    "rules": {"type": "object", "required": ["required"], "properties": {
        "required": {"type": "boolean"}, "required_unless": I18N_TEXT, "required_if": I18N_TEXT,
        "max_length": {"type": "integer"}, "uppercase": {"type": "boolean"}, "partial": {"type": "boolean"},
        "future": {"type": "boolean"}, "min": {"type": "integer"}, "max": {"type": "integer"},
        "allow_other": {"type": "boolean"}, "birth_field": I18N_TEXT, "sex_field": I18N_TEXT,
        "free_when": {"type": "object", "required": ["field", "values"], "properties": {
            "field": I18N_TEXT, "values": array(I18N_TEXT)}}}},
    "paper": {"type": "boolean"}, "sensitive": {"type": "boolean"},
    "default": {"type": ["string", "number", "boolean", "null"]}, "help": NULL_TEXT,
    "generated": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["kind", "from"], "properties": {
        "kind": I18N_TEXT, "from": NULL_TEXT}}]},
    "options": array(OPTION), "options_from": NULL_TEXT}}
FEE: dict[str, Any] = {"type": "object", "required": ["kind", "amount", "exemptions", "extras"], "properties": {
    "kind": {"enum": ["free", "fixed", "per_copy", "per_page"]}, "amount": {"type": "integer"},
    "label": NULL_TEXT, "label_en": NULL_TEXT, "province_set": {"type": "boolean"},
    "tiers": array({"type": "object", "properties": {"from_page": {"type": "integer"}, "amount": {"type": "integer"}}}),
    "cap_per_copy": {"type": "integer"}, "pages_field": I18N_TEXT, "copies_field": I18N_TEXT,
    "when_field": I18N_TEXT, "exemptions": array({"type": "object"}), "extras": array({"type": "object"})}}
SUMMARY_PROPS: dict[str, Any] = {
    "code": I18N_TEXT, "name": I18N_TEXT, "name_en": I18N_TEXT, "field_of_work": I18N_TEXT,
    "field_of_work_name": NULL_TEXT, "field_of_work_name_en": NULL_TEXT, "time_limit": TIME_LIMIT,
    "two_hour_model": {"type": "boolean"}, "declaration": {"type": "boolean"}, "confirmed": {"type": "boolean"}}
SUMMARY_REQUIRED = ["code", "name", "name_en", "field_of_work", "time_limit"]
PRINT_JOB = {"type": "object", "required": ["id", "kind", "state"], "properties": {
    "id": I18N_TEXT, "kind": {"enum": ["ticket", "boot"]}, "number": NULL_TEXT, "service_name": NULL_TEXT,
    "state": {"enum": ["queued", "printing", "printed", "failed", "skipped"]}, "error": NULL_TEXT,
    "bytes": {"type": "integer"}, "attempts": {"type": "integer"},
    "submitted_at": {"type": ["string", "null"], "format": "date-time"},
    "printed_at": {"type": ["string", "null"], "format": "date-time"},
    "latency_ms": {"type": ["number", "null"]}, "reprint_of": NULL_TEXT,
    "ticket_id": {"type": ["integer", "null"]}}}
PAGE = {"type": "object", "required": ["id", "at", "pager", "event", "result"], "properties": {
    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "pager": {"type": ["integer", "null"]},
    "event": I18N_TEXT, "repeat": {"type": "integer", "description": "0: lần gọi đầu; k: lần nhắc lại thứ k"},
    "result": {"enum": list(RESULT_TEXTS)}, "reason_text": I18N_TEXT, "result_text": I18N_TEXT,
    "message": I18N_TEXT,
    "ticket_number": {"type": ["string", "null"], "description": "số thứ tự đang giữ thẻ lúc gọi"},
    "dossier_code": {"type": ["string", "null"], "description": "hồ sơ đang giữ thẻ lúc gọi"}}}

extend(schemas={
    "ProcedureSummary": {"type": "object", "required": SUMMARY_REQUIRED, "properties": SUMMARY_PROPS},
    "ProcedureForm": {"type": "object", "required": [*SUMMARY_REQUIRED, "catalog_version", "sections", "documents",
                                                      "fee", "checks"], "properties": {
        **SUMMARY_PROPS, "catalog_version": I18N_TEXT, "legal_basis": NULL_TEXT, "same_day_cutoff": I18N_TEXT,
        "online": I18N_TEXT, "pledge": NULL_TEXT,
        "sections": array({"type": "object", "required": ["title", "title_en", "fields"], "properties": {
            "title": I18N_TEXT, "title_en": I18N_TEXT, "block": NULL_TEXT, "fields": array(ref("ProcedureField"))}}),
        "documents": array({"type": "object", "required": ["name", "mode", "required"], "properties": {
            "name": I18N_TEXT, "name_en": I18N_TEXT, "mode": {"enum": ["submit", "show"]},
            "required": {"type": "boolean"}, "note": NULL_TEXT}}),
        "fee": FEE,
        "checks": array({"type": "object", "required": ["field", "when", "message"], "properties": {
            "field": I18N_TEXT, "when": array({"type": "object"}), "message": I18N_TEXT, "message_en": I18N_TEXT,
            "severity": {"const": "warning"}}}),
        "to_confirm": array({"type": "object", "properties": {"what": I18N_TEXT, "note": I18N_TEXT}})}},
    "ProcedureField": FIELD,
    "PrintJob": PRINT_JOB,
    "PagerPage": PAGE,
}, paths={
    "/api/v1/procedures": {"get": _op("Các thủ tục của danh mục đang dùng", VIEW, {
        "type": "object", "required": ["catalog_version", "procedures"], "properties": {
            "catalog_version": I18N_TEXT, "procedures": array(ref("ProcedureSummary"))}})},
    "/api/v1/procedures/{code}": {"get": _op(
        "Biểu mẫu của một thủ tục: các phần, trường, kiểu, lựa chọn, quy tắc (tiếng Việt và tiếng Anh), "
        "giấy tờ cần nộp, lệ phí, các cảnh báo chéo giữa các trường", VIEW, ref("ProcedureForm"),
        params=[{**_path("code"), "example": "1.001193"}])},
    "/api/v1/printer/jobs": {"get": _op(
        "Máy in và các phiếu in gần đây (mới nhất trước; giữ qua khởi động lại)", STAFF, {
            "type": "object", "required": ["printer", "jobs"], "properties": {
                "printer": {"type": "object", "required": ["state"], "properties": {
                    "state": I18N_TEXT, "message": NULL_TEXT, "paper": NULL_TEXT,
                    "queue": {"type": ["integer", "null"]}}},
                "jobs": array(ref("PrintJob"))}},
        params=[_query("limit", minimum=1, maximum=MAX_LIMIT), _query("ticket", minimum=1, maximum=MAX_ID)])},
    "/api/v1/printer/jobs/{job_id}/reprint": {"post": _op(
        "In lại một phiếu (sau khi hết giấy, công dân làm mất phiếu): việc in mới, reprint_of = việc cũ; "
        "ghi nhật ký", STAFF, ref("PrintJob"), params=[_path("job_id")], ok="202")},
    "/api/v1/pagers/{number}/pages": {"get": _op(
        "Lịch sử của một thẻ rung: gọi số, báo có kết quả, nhắc lại, ngừng nhắc, và bộ phát trả lời gì "
        "(mới nhất trước)", STAFF, {"type": "object", "required": ["pager", "pages"], "properties": {
            "pager": {"type": "integer"}, "pages": array(ref("PagerPage"))}},
        params=[_path("number", "integer"), _query("limit", minimum=1, maximum=MAX_LIMIT),
                _query("before", minimum=1, maximum=MAX_ID)])},
})
