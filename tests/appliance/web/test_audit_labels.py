"""The audit log speaks one scheme (dotted ``object.verb``) and names every action and dossier
state in Vietnamese and in English, whoever wrote the row: the panel, the CLI, the dossier service."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from page_helpers import text

from appliance.domain.dossiers import ACTION_NAMES as DOSSIER_ACTIONS
from appliance.domain.dossiers import STATES
from appliance.store.audit_store import query_audit
from appliance.web.admin.audit_labels import ACTIONS, LEGACY, action_label, detail_text, spellings

ROOT = Path(__file__).resolve().parents[3] / "appliance"
CALL = re.compile(r"(?<!def )\baudit\((.{0,160})", re.S)
LITERAL = re.compile(r'f?"([^"\n]*)"')
CODE = re.compile(r"[a-z_]+(\.[a-z_{}]+)?")
VIETNAMESE = re.compile(r"[^\x00-\x7f–→…’“”]")


def written_actions() -> set[str]:
    """The first code-like string literal of every ``audit(`` call: audit("x.y" …),
    accounts.audit(conn, who, "x.y" …), store.audit(conn, ts, user, f"dossier.{action}" …)."""
    found = set()
    for path in ROOT.rglob("*.py"):
        for call in CALL.findall(path.read_text(encoding="utf-8")):
            codes = [c for c in LITERAL.findall(call) if CODE.fullmatch(c)]
            if codes:
                found.add(codes[0])
    return found


def test_every_action_written_anywhere_is_dotted_and_has_both_labels():
    written = written_actions()
    assert {"user.create", "token.create", "service.save", "dossier.create", "draft.create",
            "session.login", "printer.test"} <= written, written
    dossier = {w for w in written if "{" in w}
    assert dossier == {"dossier.{action}"}
    written = (written - dossier) | {f"dossier.{a}" for a in DOSSIER_ACTIONS if a != "received"}
    for action in written:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", action), f"{action!r} is not object.verb"
        vi, en = ACTIONS[action]
        assert vi and en and unicodedata.is_normalized("NFC", vi)
        assert not VIETNAMESE.search(en), en


def test_older_panel_codes_keep_their_label_and_are_found_by_todays_filter():
    assert set(LEGACY.values()) <= set(ACTIONS)
    assert action_label("user_created") == action_label("user.create") == "Tạo người dùng"
    assert action_label("user_created", "en") == "User created"
    assert spellings("user.create") == ("user.create", "user_created")
    assert action_label("something.new") == "something.new"


def test_dossier_states_in_the_detail_are_named():
    assert detail_text("dossier.ready", "processing → ready") == "Đang giải quyết → Có kết quả, chờ trả"
    assert detail_text("dossier.ready", "processing → ready", "en") == "Processing → Ready"
    assert detail_text("user.role", "volunteer → officer") == "volunteer → officer"
    for vi, en in STATES.values():
        assert vi and en and not VIETNAMESE.search(en)


def test_query_audit_filters_by_several_spellings(appliance, clock):
    rows = [(clock(), "quantri", "user_created", "user:cu", ""),
            (clock() + 1, "quantri", "user.create", "user:moi", ""),
            (clock() + 2, None, "dossier.list", "dossiers", "")]
    with appliance.db.write() as conn:
        conn.executemany("INSERT INTO audit_log (ts, user_login, action, object, detail) VALUES (?, ?, ?, ?, ?)", rows)
    found, total = query_audit(appliance.db.conn(), action=spellings("user.create"), tz=appliance.tz)
    assert total == 2 and [r["object"] for r in found] == ["user:moi", "user:cu"]


def test_the_audit_page_names_cli_and_dossier_actions_in_both_languages(admin_client, appliance, clock):
    rows = [(clock(), None, "user.create", "user:admin", "motcua init"),
            (clock() + 1, "canbo1", "dossier.create", "dossier:X1", "thủ tục khai_sinh"),
            (clock() + 2, "canbo1", "dossier.supplement", "dossier:X1", "received → supplement_requested"),
            (clock() + 3, "canbo1", "dossier.list", "dossiers", ""),
            (clock() + 4, "canbo1", "draft.create", "draft:1", ""),
            (clock() + 5, None, "counter.save", "counter:1", "motcua counter add"),
            (clock() + 6, "quantri", "user_created", "user:hoa", "")]
    with appliance.db.write() as conn:
        conn.executemany("INSERT INTO audit_log (ts, user_login, action, object, detail) VALUES (?, ?, ?, ?, ?)", rows)
    body = text(admin_client.get("/admin/audit"))
    table = body[body.index("<tbody>"):]
    for label in ("Tạo người dùng", "Tiếp nhận hồ sơ", "Yêu cầu bổ sung hồ sơ (Mẫu 02)", "Xem danh sách hồ sơ",
                  "Lưu bản nháp hồ sơ", "Lưu quầy", "Đã tiếp nhận → Chờ bổ sung"):
        assert label in table, label
    cells = re.findall(r'<tr data-action="[^"]+"><td[^>]*>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', table)
    assert len(cells) == 7 and not [c for c in cells if re.fullmatch(r"[a-z_.]+", c)], cells
    options = re.findall(r'<option value="([^"]+)"', body[body.index('id="f-action"'):body.index('id="f-since"')])
    assert "user_created" not in options and options.count("user.create") == 1
    english = text(admin_client.get("/admin/audit?lang=en"))
    for label in ("User created", "Dossier received", "Documents requested (form 02)",
                  "Received → Waiting for documents"):
        assert label in english, label
    body = text(admin_client.get("/admin/audit?action=user.create&lang=vi"))
    assert "người dùng hoa" in body and "người dùng admin" in body and "X1" not in body
    assert "user:hoa" not in body                                  # the object's kind is named, not coded
    english = text(admin_client.get("/admin/audit?lang=en"))
    assert "user hoa" in english and "dossier list" in english


def test_the_details_of_todays_desk_actions_read_in_english():
    """The details the counter desk, the call-again button, the postal list, the reprint and the
    appointments write read in English on the English log (only names and codes stay)."""
    details = ["mở quầy", "tạm nghỉ", "đóng quầy; trả về hàng chờ chung: A001, A002", "hoàn tác done: A001",
               "gọi lại bằng thẻ rung", "gọi lại trên màn hình sảnh", "3 hồ sơ; Bưu điện", "in lại 5 → 6",
               "4 khung giờ 30/11–01/12 09:00–10:00, 2 người, đặt qua trang công khai",
               "2 lịch đặt qua trang công khai, 1 hủy, 0 khung giờ trả lại",
               "báo mất; tách khỏi hồ sơ 000.00.00.H00-261130-0001"]
    for detail in details:
        english = detail_text("x.y", detail, "en").replace("Bưu điện", "")
        assert not VIETNAMESE.search(english), (detail, english)
