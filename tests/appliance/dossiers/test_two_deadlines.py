"""Two deadlines per dossier (#13): the legal due time drives the outcome, the model day's 2-hour
target a separate "within 2 hours" figure; stopped and withdrawn dossiers, the Mẫu 04 extension and
the supplement clock follow the counting rules kept as data."""
import json
from dataclasses import replace

import pytest

from appliance.catalog.loader import load_counting_rules
from appliance.domain.counting import Rule
from appliance.domain.dossiers import FormInvalid

TUESDAY = 86400  # the fake clock starts Monday 2026-11-30 08:00; Tuesday is the default model day


def outbox(appliance, code, kind):
    rows = appliance.db.conn().execute("SELECT payload FROM outbox WHERE type = ? ORDER BY seq", (kind,)).fetchall()
    out = [json.loads(r[0]) for r in rows]
    return [p for p in out if p.get("code") == code or p.get("dossier", {}).get("code") == code]


def test_khai_sinh_received_0800_returned_1400_is_on_time_legally_but_missed_the_target(
        appliance, make_dossier, clock):
    clock.advance(TUESDAY)                               # Tuesday 08:00, a model day
    dossier = make_dossier("1.001193")                   # khai sinh: immediate, 2-hour model
    assert dossier["legal_due_at"] == "2026-12-01T17:00:00+07:00"
    assert dossier["target_due_at"] == "2026-12-01T10:00:00+07:00"
    assert dossier["target_left_s"] == 2 * 3600 and dossier["time_left_s"] == 7.5 * 3600 - 3600 * 0.5
    received = outbox(appliance, dossier["code"], "dossier.received")[0]["dossier"]
    assert received["legal_due_at"] == dossier["legal_due_at"] and received["target_due_at"] == dossier["target_due_at"]
    clock.advance(6 * 3600)                              # 14:00
    shown = appliance.dossiers.get(dossier["code"])
    assert shown["overdue"] is False and shown["target_left_s"] < 0
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    returned = appliance.dossiers.act(dossier["code"], "return", user="canbo1")
    assert returned["outcome"] == "on_time" and returned["target_met"] is False
    payload = outbox(appliance, dossier["code"], "dossier.returned")[0]
    assert payload["outcome"] == "on_time" and payload["target_met"] is False


def test_within_the_target_and_off_the_model_day(appliance, make_dossier, clock):
    clock.advance(TUESDAY)
    fast = make_dossier("1.001193")
    clock.advance(3600)                                  # 09:00: within 2 hours
    appliance.dossiers.act(fast["code"], "ready", user="canbo1")
    assert appliance.dossiers.act(fast["code"], "return", user="canbo1")["target_met"] is True
    clock.advance(TUESDAY)                               # Wednesday: no target
    other = make_dossier("1.001193")
    assert other["target_due_at"] is None and other["target_left_s"] is None
    appliance.dossiers.act(other["code"], "ready", user="canbo1")
    assert appliance.dossiers.act(other["code"], "return", user="canbo1")["target_met"] is None
    stats = appliance.dossiers.statistics(*_period(appliance))
    ht = next(r for r in stats if r["field_code"] == fast["field_code"])
    assert ht["with_target"] == 1 and ht["within_target"] == 1 and ht["resolved"] == 2


def _period(appliance):
    from datetime import datetime
    return (datetime(2026, 11, 15, tzinfo=appliance.tz), datetime(2026, 12, 15, tzinfo=appliance.tz))


def test_stop_needs_a_reason_and_counts_as_the_rules_say(appliance, make_dossier):
    dossier = make_dossier("1.004837")
    with pytest.raises(FormInvalid) as err:
        appliance.dossiers.act(dossier["code"], "stop", {}, user="canbo1")
    assert "reason" in err.value.errors and "Mẫu 05" in err.value.errors["reason"].text("vi")
    stopped = appliance.dossiers.act(dossier["code"], "stop", {"reason": "Cơ quan có thẩm quyền yêu cầu dừng"},
                                     user="canbo1")
    assert stopped["state"] == "stopped" and stopped["state_label"] == "Dừng giải quyết"
    assert stopped["outcome"] == "on_time" and stopped["actions"] == []
    assert stopped["timeline"][-1]["action"] == "stop" and stopped["timeline"][-1]["reason"]
    payload = outbox(appliance, dossier["code"], "dossier.state")[-1]
    assert payload["state"] == "stopped" and payload["outcome"] == "on_time" and payload["action"] == "stop"


def test_withdraw_from_ready_with_the_default_reason(appliance, make_dossier):
    dossier = make_dossier("1.004837")
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    withdrawn = appliance.dossiers.act(dossier["code"], "withdraw", {}, user="canbo1")
    assert withdrawn["state"] == "withdrawn" and withdrawn["state_label"] == "Công dân rút hồ sơ"
    assert withdrawn["timeline"][-1]["reason"] == "Theo đề nghị của người nộp hồ sơ"
    assert withdrawn["outcome"] == "on_time"


def test_excluded_by_the_rules_leaves_no_outcome(appliance, make_dossier):
    rules = load_counting_rules()
    refused = Rule("refused", "excluded", "quy định riêng của tỉnh", "inferred")
    appliance.dossiers._counting = lambda: replace(
        rules, rules=tuple(refused if r.name == "refused" else r for r in rules.rules))
    dossier = make_dossier("1.004837")
    out = appliance.dossiers.act(dossier["code"], "refuse", {"reason": "Không thuộc thẩm quyền"}, user="canbo1")
    assert out["state"] == "refused" and out["outcome"] is None


def test_extension_keeps_the_legal_outcome_on_the_original_due_time(appliance, make_dossier, clock):
    dossier = make_dossier("1.004837")                   # 3 working days: due Thursday 08:00
    with pytest.raises(FormInvalid) as err:
        appliance.dossiers.act(dossier["code"], "extend", {"reason": "Chờ xác minh", "new_due_at": "02/12/2026"},
                               user="canbo1")
    assert "new_due_at" in err.value.errors
    out = appliance.dossiers.act(dossier["code"], "extend", {"reason": "Chờ xác minh", "new_due_at": "07/12/2026"},
                                 user="canbo1")
    assert out["extended_due_at"] == out["new_due_at"] == "2026-12-07T17:00:00+07:00"
    assert out["legal_due_at"] == "2026-12-03T08:00:00+07:00" and "extend" in out["actions"]
    assert "overdue" not in out["actions"]            # the former name is accepted, not offered
    payload = outbox(appliance, dossier["code"], "dossier.state")[-1]
    assert payload["action"] == "extend" and payload["extended_due_at"] == "2026-12-07T17:00:00+07:00"
    clock.advance(4 * 86400)                             # Friday: after the first due time
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert appliance.dossiers.act(dossier["code"], "return", user="canbo1")["outcome"] == "late"


def test_pause_keeps_the_time_left_when_the_supplement_comes_back(appliance, make_dossier, clock):
    rules = load_counting_rules()
    pause = Rule("supplement", "pause", "quy định riêng của tỉnh", "inferred")
    appliance.dossiers._counting = lambda: replace(
        rules, rules=tuple(pause if r.name == "supplement" else r for r in rules.rules))
    dossier = make_dossier("1.004837")                   # Monday 08:00, due Thursday 08:00
    clock.advance(86400)                                 # Tuesday 08:00: one working day spent
    appliance.dossiers.act(dossier["code"], "supplement", {"reason": "Thiếu giấy tờ"}, user="canbo1")
    clock.advance(2 * 86400)                             # Thursday 08:00: the papers come back
    out = appliance.dossiers.act(dossier["code"], "processing", {}, user="canbo1")
    assert out["legal_due_at"] == "2026-12-07T08:00:00+07:00"   # two working days left: Monday 08:00


def test_migration_recomputes_outcomes_stored_before_the_two_deadlines(settings, clock):
    """A database file at schema 4 with old rows: opening it migrates and recomputes."""
    from appliance.runtime import Appliance
    from appliance.store.db import Database
    old = Database(settings.storage.path)
    old.migrate(target=4)
    tue_0800 = clock.now + TUESDAY
    rows = [  # code, procedure, state, received, due (old: the earlier of the limit and 2 hours), ready, outcome
        ("000.00.00.H00-261201-0001", "1.001193", "returned", tue_0800, tue_0800 + 2 * 3600, tue_0800 + 6 * 3600,
         "late"),
        ("000.00.00.H00-261130-0001", "1.004837", "processing", clock.now, clock.now + 3 * 86400, None, None),
        ("000.00.00.H00-261130-0002", "1.004837", "refused", clock.now, clock.now + 3 * 86400, None, None),
        ("000.00.00.H00-261130-0003", "9.999999", "received", clock.now, clock.now + 3600, None, None),
    ]
    with old.write() as conn:
        for i, (code, proc, state, received, due, ready, outcome) in enumerate(rows, 1):
            closed = ready + 300 if state == "returned" else (received + 60 if state == "refused" else None)
            conn.execute(
                "INSERT INTO dossiers (code, day, day_seq, procedure, procedure_name, field_code, catalog_version, "
                "state, received_ts, due_ts, ready_ts, returned_ts, closed_ts, outcome) "
                "VALUES (?, ?, ?, ?, 'x', 'HT', '2026.1', ?, ?, ?, ?, ?, ?, ?)",
                (code, "20" + "-".join(code.split("-")[1][k:k + 2] for k in (0, 2, 4)), i, proc, state, received, due,
                 ready, closed if state == "returned" else None, closed, outcome))
            conn.execute("INSERT INTO dossier_events (dossier_id, ts, action, state) VALUES (?, ?, 'received', "
                         "'received')", (i, received))
    old.close()

    app = Appliance(settings, clock_fn=clock)
    try:
        conn = app.db.conn()
        got = {r["code"]: r for r in conn.execute("SELECT * FROM dossiers")}
        ks = got[rows[0][0]]
        assert ks["outcome"] == "on_time" and ks["target_met"] == 0
        assert ks["due_ts"] == tue_0800 + 9 * 3600 and ks["target_due_ts"] == tue_0800 + 2 * 3600
        gh = got[rows[1][0]]
        assert gh["due_ts"] == clock.now + 3 * 86400 and gh["target_due_ts"] is None and gh["outcome"] is None
        assert got[rows[2][0]]["outcome"] == "on_time"
        assert got[rows[3][0]]["due_ts"] == clock.now + 3600     # unknown procedure: kept
        assert all(r["deadline_rules"] for r in got.values())
        assert conn.execute("SELECT count(*) FROM dossier_events").fetchone()[0] == 4
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert app.dossiers.get(rows[0][0])["outcome_label"] == "Đúng hạn"
        assert app.dossiers.recompute_old_deadlines() == 0       # done once
    finally:
        app.stop()


def test_the_hub_is_told_of_recomputed_deadlines(settings, clock):
    from appliance.runtime import Appliance
    from appliance.store.db import Database
    old = Database(settings.storage.path)
    old.migrate(target=4)
    tue = clock.now + TUESDAY
    with old.write() as conn:
        conn.execute("INSERT INTO dossiers (code, day, day_seq, procedure, procedure_name, field_code, "
                     "catalog_version, "
                     "state, received_ts, due_ts, ready_ts, returned_ts, closed_ts, outcome, applicant_name) VALUES "
                     "('000.00.00.H00-261201-0001', '2026-12-01', 1, '1.001193', 'x', 'HT', '2026.1', 'returned', "
                     "?, ?, ?, ?, ?, 'late', 'NGUYỄN VĂN AN')",
                     (tue, tue + 7200, tue + 6 * 3600, tue + 6 * 3600, tue + 6 * 3600))
    old.close()
    app = Appliance(settings, clock_fn=clock)
    try:
        sent = outbox(app, "000.00.00.H00-261201-0001", "dossier.deadlines")
        assert sent == [{"code": "000.00.00.H00-261201-0001", "legal_due_at": "2026-12-01T17:00:00+07:00",
                         "target_due_at": "2026-12-01T10:00:00+07:00",
                         "outcome": "on_time", "target_met": False}]
    finally:
        app.stop()


def test_the_province_code_typed_scanned_or_at_submit(appliance, make_dossier):
    dossier = make_dossier("1.004837")
    assert dossier["province_code"] is None and dossier["code_is_local"] is True
    assert dossier["print_code"] == dossier["code"] and "nội bộ" in dossier["print_code_label"]
    with pytest.raises(FormInvalid) as err:
        appliance.dossiers.set_province_code(dossier["code"], "000.00.00.H00-261130-0001", user="canbo1")
    assert "mã mẫu" in err.value.errors["province_code"]
    out = appliance.dossiers.set_province_code(dossier["code"], " 000.00.06.h56-261130-0007\r\n", user="canbo1")
    assert out["province_code"] == "000.00.06.H56-261130-0007" and out["code_is_local"] is False
    assert out["print_code"] == "000.00.06.H56-261130-0007" and out["print_code_label"] == "Mã hồ sơ"
    sent = outbox(appliance, dossier["code"], "dossier.province_code")
    assert sent == [{"code": dossier["code"], "province_code": "000.00.06.H56-261130-0007"}]
    other = make_dossier("1.004837")
    with pytest.raises(FormInvalid) as err:
        appliance.dossiers.set_province_code(other["code"], "000.00.06.H56-261130-0007", user="canbo1")
    assert dossier["code"] in err.value.errors["province_code"]
    with pytest.raises(FormInvalid):
        make_dossier("1.004837", province_code="000.00.06.H56-261130-0007")
    third = make_dossier("1.004837", province_code="000.00.06.H56-261130-0008")
    assert third["province_code"] == "000.00.06.H56-261130-0008"
    received = outbox(appliance, third["code"], "dossier.received")[0]["dossier"]
    assert received["province_code"] == "000.00.06.H56-261130-0008"


def test_a_delegated_code_space_refuses_the_placeholder_agency_code(appliance, make_dossier, settings):
    from dataclasses import replace as dc_replace
    office = dc_replace(appliance.settings.office, code_space="delegated")
    appliance.settings = dc_replace(appliance.settings, office=office)
    from appliance.domain.dossiers import DossierUnavailable
    with pytest.raises(DossierUnavailable) as err:
        make_dossier("1.004837")
    assert "mã mẫu" in err.value.message()
    office = dc_replace(office, agency_code="000.00.06.H56")
    appliance.settings = dc_replace(appliance.settings, office=office)
    dossier = make_dossier("1.004837")
    assert dossier["code"].startswith("000.00.06.H56-") and dossier["code_is_local"] is False


def test_province_codes_imported_from_a_csv(appliance, make_dossier):
    first, second = make_dossier("1.004837"), make_dossier("1.004837")
    text = ("\ufeffso_noi_bo;ma_ho_so_tinh\n"
            f"{first['code']};000.00.06.H56-261130-0011\n"
            f"{second['code']};000.00.06.H56-261130-011\n"
            "000.00.00.H00-261130-0099;000.00.06.H56-261130-0012\n\n")
    done, problems = appliance.dossiers.import_province_codes(text, user="canbo1")
    assert done == 1 and len(problems) == 2
    assert problems[0].startswith("Dòng 3:") and "4 chữ số" in problems[0]
    assert problems[1].startswith("Dòng 4:") and "không có hồ sơ" in problems[1]
    assert appliance.dossiers.get(first["code"])["province_code"] == "000.00.06.H56-261130-0011"
    done, problems = appliance.dossiers.import_province_codes("a,b\n1,2\n")
    assert done == 0 and "ma_ho_so_tinh" in problems[0]
