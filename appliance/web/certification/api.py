"""JSON API of the chứng thực books: record one document, read a line, read a book, open the next
volume. Thin: parse, call :class:`~appliance.services.certification.CertificationService`, answer."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, jsonify, request

from ...domain import certification as rules
from ..api.body import body
from ..api.openapi import extend
from ..auth import appliance, login_name, require
from ..csrf import csrf
from ..dossiers.api import _op, _path, _query

bp = Blueprint("certification_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON API: bearer tokens or SameSite=Lax sessions, like /api/v1 itself


def service():
    return appliance().certifications


def today() -> date:
    return datetime.fromtimestamp(appliance().clock(), appliance().tz).date()


def day_arg(name: str, default: date) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise rules.CertificationError("cert_bad_day", name, name=name) from None


@bp.post("/certifications")
@require("certify")
def record():
    return jsonify(service().record(body(), user=login_name())), 201


@bp.get("/certifications")
@require("certify")
def book():
    first = day_arg("from", today().replace(month=1, day=1))
    last = day_arg("to", today())
    if last < first:
        raise rules.CertificationError("cert_bad_range", "to")
    return jsonify(service().book(request.args.get("book", "BS"), first, last, user=login_name()))


@bp.get("/certifications/<int:entry_id>")
@require("certify")
def entry(entry_id: int):
    return jsonify(service().get(entry_id, user=login_name()))


@bp.post("/certification-books/<book>/next-volume")
@require("certify")
def next_volume(book: str):
    return jsonify(service().start_next_volume(book, user=login_name()))


ROLES = "admin, officer"
extend({
    "/api/v1/certifications": {
        "post": _op("Ghi một giấy tờ vào sổ chứng thực: số chứng thực tự động theo sổ và năm, lệ phí, lời chứng",
                    ROLES, ok="201", body_schema={
                        "type": "object", "required": ["book", "requester_name", "document_name"], "properties": {
                            "book": {"enum": list(rules.BOOKS)}, "requester_name": {"type": "string"},
                            "requester_id": {"type": "string"}, "document_name": {"type": "string"},
                            "pages": {"type": ["integer", "string"], "description": "BS: số trang mỗi bản"},
                            "copies": {"type": ["integer", "string"]}, "signer_name": {"type": "string"},
                            "signing": {"enum": list(rules.SIGNING)}, "certifier": {"type": "string"},
                            "certifier_title": {"type": "string"}, "note": {"type": "string"},
                            "dossier_code": {"type": "string"}}}),
        "get": _op("Sổ chứng thực: các mục của một sổ trong khoảng ngày", ROLES, params=[
            _query("book", enum=list(rules.BOOKS)), _query("from", format="date"), _query("to", format="date")])},
    "/api/v1/certifications/{entry_id}": {"get": _op("Một mục sổ chứng thực (ghi nhật ký truy cập)", ROLES,
                                                     params=[_path("entry_id", "integer")])},
    "/api/v1/certification-books/{book}/next-volume": {"post": _op(
        "Sang quyển mới của sổ (số chứng thực vẫn nối tiếp trong năm)", ROLES,
        params=[{**_path("book"), "schema": {"enum": list(rules.BOOKS)}}])},
})
