"""Public dossier lookup page: state and due date only, no login, no personal data."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from district.api.lookup import status_of
from district.domain.errors import HubError

bp = Blueprint("public", __name__)


@bp.get("/tra-cuu")
def lookup():
    code = request.args.get("ma", "").strip()
    found, message = None, None
    if code:
        try:
            found = status_of(code)
        except HubError:
            message = _("Mã hồ sơ không đúng dạng, ví dụ 000.00.06.H56-261123-0001.")
        else:
            if found is None:
                message = _("Không tìm thấy hồ sơ với mã này. Kiểm tra lại mã; "
                            "hồ sơ mới tiếp nhận có thể chưa được đồng bộ.")
    response = render_template("lookup.html", code=code, found=found, message=message)
    return response, (404 if code and found is None and message else 200), {"Cache-Control": "no-store"}
