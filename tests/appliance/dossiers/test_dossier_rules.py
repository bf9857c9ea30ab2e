"""Pure dossier rules: the code, the transitions, the submit and action bodies, the search query."""
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from dossier_values import CATALOG, valid_values

from appliance.domain import dossiers as rules
from appliance.domain.dossiers import DossierError, FormInvalid
from appliance.web.errors import http_status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def test_dossier_code_has_agency_date_and_daily_sequence():
    assert rules.format_code("000.00.06.H56", date(2023, 10, 27), 361) == "000.00.06.H56-231027-0361"
    assert rules.format_code("000.00.06.H56", date(2026, 11, 23), 12345) == "000.00.06.H56-261123-12345"
    assert rules.is_code("000.00.06.H56-231027-0361")
    assert not rules.is_code("000.00.06.H56-231027-361")
    with pytest.raises(ValueError):
        rules.format_code("000.00.06.H56", date(2026, 1, 1), 0)


@pytest.mark.parametrize("state,action,after", [
    ("received", "processing", "processing"), ("received", "ready", "ready"), ("processing", "ready", "ready"),
    ("ready", "return", "returned"), ("received", "supplement", "supplement_requested"),
    ("supplement_requested", "processing", "processing"), ("processing", "refuse", "refused"),
    ("supplement_requested", "refuse", "refused"), ("processing", "overdue", "processing"),
    ("ready", "handover", "ready"),
])
def test_allowed_transitions(state, action, after):
    assert rules.check_transition("X", state, action) == after


@pytest.mark.parametrize("state,action", [
    ("received", "return"), ("returned", "ready"), ("refused", "processing"), ("ready", "supplement"),
    ("returned", "handover"), ("ready", "overdue"), ("supplement_requested", "ready"),
])
def test_forbidden_transitions_say_why_in_vietnamese(state, action):
    with pytest.raises(DossierError) as err:
        rules.check_transition("000.00.00.H00-261130-0001", state, action)
    assert http_status(err.value) == 409
    message = err.value.message("vi")
    assert rules.STATES[state][0] in message and "000.00.00.H00-261130-0001" in message and nfc(message)
    assert rules.STATES[state][1] in err.value.message("en")


def test_unknown_action_lists_the_actions():
    with pytest.raises(DossierError) as err:
        rules.check_transition("X", "received", "archive")
    assert http_status(err.value) == 404
    assert "processing" in err.value.message() and "Không có thao tác" in err.value.message()


def test_every_state_and_action_is_named_in_both_languages():
    for table in (rules.STATES, rules.ACTION_NAMES, rules.CHANNELS, rules.IT_FAMILIARITY, rules.OUTCOMES):
        for vi, en in table.values():
            assert vi and en and nfc(vi)
    assert set(rules.TRANSITIONS) <= set(rules.ACTION_NAMES)


def test_submission_defaults():
    options, errors = rules.check_submission({})
    assert errors == {} and options == rules.Submission()


@pytest.mark.parametrize("body,field,words", [
    ({"channel": "truc_tuyen_toan_trinh"}, "portal_code", "mã hồ sơ trên Cổng"),
    ({"channel": "fax"}, "channel", "Trực tuyến toàn trình"),
    ({"return_by_post": True}, "post_address", "địa chỉ"),
    ({"return_by_post": "có"}, "return_by_post", "có hoặc không"),
    ({"it_familiarity": "gioi"}, "it_familiarity", "Thành thạo"),
    ({"channel": "truc_tuyen_mot_phan", "portal_code": "??"}, "portal_code", "4–40"),
    ({"vneid_created": 3}, "vneid_created", "có hoặc không"),
])
def test_submission_errors_are_per_field_in_vietnamese(body, field, words):
    _, errors = rules.check_submission(body)
    assert list(errors) == [field]
    assert words in errors[field] and nfc(errors[field]) and errors[field].en != str(errors[field])


def test_assisted_online_submission_is_recorded():
    options, errors = rules.check_submission({"channel": "truc_tuyen_mot_phan", "portal_code": "G22.99-261130-0007",
                                              "it_familiarity": "chua_biet", "vneid_created": True})
    assert not errors
    assert (options.channel, options.portal_code, options.it_familiarity, options.vneid_created) == (
        "truc_tuyen_mot_phan", "G22.99-261130-0007", "chua_biet", True)


@pytest.mark.parametrize("action,body,field", [
    ("supplement", {}, "reason"), ("refuse", {"reason": "  "}, "reason"), ("overdue", {"reason": "x"}, "new_due_at"),
    ("overdue", {"reason": "x", "new_due_at": "29/11/2026"}, "new_due_at"),
    ("overdue", {"reason": "x", "new_due_at": "31/02/2027"}, "new_due_at"),
    ("handover", {"from": "Một cửa"}, "to"),
    ("return", {"by_post": True, "post_address": "Thôn Đông"}, "tracking_number"),
    ("return", {"by_post": True, "tracking_number": "EB123456785VN"}, "post_address"),
    ("return", {"by_post": True, "post_address": "a", "tracking_number": "EB1", "fee": 1}, "tracking_number"),
    ("return", {"by_post": True, "post_address": "a", "tracking_number": "EB123456785VN", "fee": "mười"}, "fee"),
])
def test_action_body_errors_are_per_field(action, body, field):
    with pytest.raises(FormInvalid) as err:
        rules.check_action(action, body, tz=TZ, now=NOW)
    assert field in err.value.errors
    data = err.value.as_json("vi")["error"]
    assert data["code"] == "form_invalid" and nfc(data["errors"][field]) and http_status(err.value) == 422


def test_apology_slip_new_date_forms():
    out = rules.check_action("overdue", {"reason": "Chờ xác minh", "new_due_at": "2/12/2026"}, tz=TZ, now=NOW)
    assert out["new_due_at"] == datetime(2026, 12, 2, 17, 0, tzinfo=TZ) and out["reason"] == "Chờ xác minh"
    out = rules.check_action("overdue", {"reason": "x", "new_due_at": "2026-12-01T10:00"}, tz=TZ, now=NOW)
    assert out["new_due_at"] == datetime(2026, 12, 1, 10, 0, tzinfo=TZ)


def test_return_by_post_uses_the_registered_address():
    out = rules.check_action("return", {"tracking_number": "EB123456785VN", "fee": "25.000"}, tz=TZ, now=NOW,
                             return_by_post=True, post_address="Thôn Đông, xã Dương Xá")
    assert out == {"note": None, "by_post": True, "post_address": "Thôn Đông, xã Dương Xá",
                   "tracking_number": "EB123456785VN", "post_fee": 25000}


def test_search_query_ignores_diacritics_and_phone_spacing():
    assert rules.search_query("Nguyễn  Văn") == '"nguyen"* AND "van"*'
    assert rules.search_query("84912345678") == '"0912345678"*'
    assert rules.search_query("261130-0001") == '"2611300001"* OR ("261130"* AND "0001"*)'
    assert rules.search_query("0912 345 678") == '"0912345678"*'
    assert rules.search_query("+84 912.345.678") == '"0912345678"*'
    assert rules.search_query("  ") is None
    assert rules.search_query('"; DROP') == '"drop"*'


def test_applicant_and_search_text_for_a_birth_registration():
    proc = CATALOG.get("1.001193")
    clean, errors, _ = CATALOG.validate(proc.code, {**valid_values(proc.code), "requester_name": "Trần Văn Bình",
                                                    "child_name": "trần thị cúc"}, today=date(2026, 11, 30))
    assert not errors
    applicant = rules.applicant_of(proc, clean)
    assert applicant.name == "TRẦN VĂN BÌNH" and applicant.phone == "0912345678"
    assert applicant.id_number == "001088012345"
    names, numbers = rules.search_text(proc, clean)
    assert "tran thi cuc" in names and "tran van binh" in names and "0912345678" in numbers


def test_applicant_without_a_requester_block():
    proc = CATALOG.get("XH.HUUTRI")
    clean, errors, _ = CATALOG.validate(proc.code, valid_values(proc.code), today=date(2026, 11, 30))
    assert not errors
    assert rules.applicant_of(proc, clean).name == clean["applicant_name"]
