"""The panel's pager return (admin, devices page): a pager a dossier still holds is refused with
the reason, and detached only by an explicit second button; both audited as the API's."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

from page_helpers import audit_rows, post_form, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dossiers"))  # the dossier tests' valid values
from dossier_values import valid_values  # noqa: E402


def dossier_with_pager(appliance) -> dict:
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure="1.001193", values=valid_values("1.001193"), counter_id=1,
                                  user="canbo1")
    dossier, _ = appliance.dossiers.submit(draft, {"pager": "auto"}, user="canbo1")
    return dossier


def pager_row(appliance, number: int) -> tuple:
    return tuple(appliance.db.conn().execute("SELECT state, dossier_code FROM pagers WHERE number = ?",
                                             (number,)).fetchone())


def test_a_held_pager_is_refused_then_detached_explicitly(admin_client, appliance):
    dossier = dossier_with_pager(appliance)
    code = dossier["code"]
    assert dossier["pager"] == 1
    refused = post_form(admin_client, "/admin/devices/pager/return", {"number": "1"}, page="/admin/devices")
    assert refused.status_code == 409
    body = text(refused)
    assert f"Thẻ rung số 1 đang gắn với hồ sơ {code} chưa trả kết quả" in body
    assert f"Tách thẻ số 1 khỏi hồ sơ {code} và thu lại" in body
    assert pager_row(appliance, 1) == ("assigned", code) and audit_rows(appliance, "pager.detach") == []

    done = post_form(admin_client, "/admin/devices/pager/return", {"number": "1", "detach": "1"},
                     page="/admin/devices", follow_redirects=True)
    assert done.status_code == 200
    assert f"Đã tách thẻ rung số 1 khỏi hồ sơ {code} và thu lại" in text(done)
    assert pager_row(appliance, 1) == ("free", None)
    assert [(r["user_login"], r["object"]) for r in audit_rows(appliance, "pager.detach")] == [("quantri", "pager:1")]
    assert appliance.dossiers.get(code)["pager"] is None


def test_a_free_or_ticket_pager_is_taken_back_at_once(admin_client, appliance):
    appliance.engine.issue("HT", pager=3)
    done = post_form(admin_client, "/admin/devices/pager/return", {"number": "3"}, page="/admin/devices",
                     follow_redirects=True)
    assert done.status_code == 200 and "Đã thu lại thẻ rung số 3." in text(done)
    assert pager_row(appliance, 3) == ("free", None)
    bad = post_form(admin_client, "/admin/devices/pager/return", {"number": "99"}, page="/admin/devices",
                    follow_redirects=True)
    assert "Số thẻ rung phải từ 1 đến 10." in text(bad)


def test_the_refusal_in_english(admin_client, appliance):
    dossier_with_pager(appliance)
    refused = post_form(admin_client, "/admin/devices/pager/return?lang=en", {"number": "1"}, page="/admin/devices",
                        headers={"Accept-Language": "en"})
    assert refused.status_code == 409
    body = text(refused)
    assert "Pager 1 belongs to dossier" in body and "Detach pager 1 from dossier" in body
