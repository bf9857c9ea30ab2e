"""Chứng thực books: số chứng thực per book and year, never skipped nor reused (a failed write, a
restart, a SIGKILL in the middle of a burst), a new year from 1, volumes, fees from the catalog,
the lời chứng, audit rows, clear errors for bad input."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from appliance.domain import certification as rules
from appliance.store import audit_store, cert_store

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COPY = {"book": "BS", "requester_name": "nguyễn thị hoa", "document_name": "Bằng tốt nghiệp THPT", "pages": "3",
        "copies": "2"}
SIGN = {"book": "CK", "requester_name": "trần văn đức", "requester_id": "001088012345",
        "document_name": "Giấy ủy quyền", "signing": "diem_chi"}


def at(clock, *parts) -> None:
    clock.now = datetime(*parts, tzinfo=TZ).timestamp()


def numbers(appliance, book: str, year: int) -> list[int]:
    return cert_store.year_numbers(appliance.db.conn(), book, year)


def test_each_book_counts_from_one_in_the_year(appliance):
    svc = appliance.certifications
    first = svc.record(COPY, user="canbo1")
    second = svc.record(COPY, user="canbo1")
    sign = svc.record(SIGN, user="canbo1")
    assert (first["number"], second["number"], sign["number"]) == (1, 2, 1)
    assert first["volume_label"] == "01/2026-SCT/BS" and sign["volume_label"] == "01/2026-SCT/CK"
    assert first["number_line"] == "Số chứng thực: 1. Quyển số: 01/2026-SCT/BS."
    assert first["requester_name"] == "NGUYỄN THỊ HOA" and first["day"] == "2026-11-30"


def test_the_fee_comes_from_the_catalog(appliance):
    svc = appliance.certifications
    # 2.000815: 2.000 đ for pages 1–2, 1.000 đ from page 3, per copy
    assert svc.record(COPY)["fee"] == (2 * 2000 + 1000) * 2
    assert svc.record({**COPY, "pages": "300", "copies": "1"})["fee"] == 200000   # capped per copy
    assert svc.record(SIGN)["fee"] == 10000                                      # 2.000884: per case


def test_the_attestation_is_ready_to_print_or_stamp(appliance):
    svc = appliance.certifications
    copy = svc.record({**COPY, "certifier": "Lê Văn Nam"})
    assert copy["attestation"][:3] == ["Chứng thực bản sao đúng với bản chính.",
                                       "Số chứng thực: 1. Quyển số: 01/2026-SCT/BS.", "Ngày 30 tháng 11 năm 2026."]
    assert copy["attestation"][-1] == "Lê Văn Nam"
    sign = svc.record(SIGN)
    text = "\n".join(sign["attestation"])
    assert "Tôi, ………………, ………………." in text            # the certifier writes by hand
    assert ("Ông/bà TRẦN VĂN ĐỨC, giấy tờ tùy thân số 001088012345, đã điểm chỉ vào Giấy ủy quyền trước mặt tôi."
            in text)
    assert "bằng chữ: ngày ba mươi tháng mười một năm hai nghìn không trăm hai mươi sáu" in text
    assert "Số chứng thực: 1. Quyển số: 01/2026-SCT/CK." in text


def test_a_new_year_starts_at_one(appliance, clock):
    svc = appliance.certifications
    at(clock, 2026, 12, 31, 16, 59)
    svc.record(COPY)
    last = svc.record(COPY)
    assert (last["year"], last["number"]) == (2026, 2)
    at(clock, 2027, 1, 4, 7, 31)
    first = svc.record(COPY)
    assert (first["year"], first["number"], first["volume_label"]) == (2027, 1, "01/2027-SCT/BS")
    assert numbers(appliance, "BS", 2026) == [1, 2] and numbers(appliance, "BS", 2027) == [1]


def test_the_year_is_the_offices_not_utc(appliance, clock):
    at(clock, 2027, 1, 1, 0, 30)   # still 31/12/2026 17:30 in UTC
    assert appliance.certifications.record(COPY)["year"] == 2027


def test_a_new_volume_keeps_the_numbers_going(appliance):
    svc = appliance.certifications
    svc.record(COPY)
    opened = svc.start_next_volume("bs", user="canbo1")
    assert opened == {"book": "BS", "year": 2026, "volume": 2, "volume_label": "02/2026-SCT/BS"}
    line = svc.record(COPY)
    assert (line["number"], line["volume"], line["volume_label"]) == (2, 2, "02/2026-SCT/BS")
    assert svc.record(SIGN)["volume"] == 1   # the other book keeps its own volume


def test_a_failed_write_takes_no_number(appliance, monkeypatch):
    svc = appliance.certifications
    svc.record(COPY)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(audit_store, "write_audit", broken)
    with pytest.raises(sqlite3.OperationalError):
        svc.record(COPY)
    monkeypatch.undo()
    assert svc.record(COPY)["number"] == 2            # not 3: the failed line left nothing behind
    assert numbers(appliance, "BS", 2026) == [1, 2]


def test_numbers_go_on_after_a_restart(settings, clock):
    from appliance.runtime import Appliance
    first = Appliance(settings, clock_fn=clock)
    assert [first.certifications.record(COPY)["number"] for _ in range(3)] == [1, 2, 3]
    first.stop()
    again = Appliance(settings, clock_fn=clock)
    try:
        assert again.certifications.record(COPY)["number"] == 4
    finally:
        again.stop()


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from appliance import config
    from appliance.runtime import Appliance
    settings = config.load(env={}, default_path=Path(sys.argv[2]), overrides={"storage": {"path": sys.argv[1]}})
    app = Appliance(settings)
    line = {"book": "BS", "requester_name": "a", "document_name": "b", "pages": "1"}
    while True:
        number = app.certifications.record(line)["number"]
        print(number, flush=True)          # acknowledged: the commit has returned
""")


def test_sigkill_in_a_burst_neither_skips_nor_reuses_a_number(tmp_path):
    db = tmp_path / "crash.db"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(tmp_path / "none.toml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "MOTCUA_CLOCK_SYNCED": "1"})
    acknowledged = []
    try:
        while len(acknowledged) < 30:
            out = proc.stdout.readline()
            assert out, proc.stderr.read()
            acknowledged.append(int(out))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    year = datetime.now(TZ).year
    conn = sqlite3.connect(db)
    stored = [r[0] for r in conn.execute("SELECT number FROM cert_entries WHERE book = 'BS' AND year = ? "
                                         "ORDER BY number", (year,))]
    conn.close()
    assert acknowledged == list(range(1, 31))
    assert stored == list(range(1, len(stored) + 1)) and len(stored) >= 30   # no gap, none twice


def test_every_line_and_view_is_audited(appliance):
    svc = appliance.certifications
    line = svc.record(COPY, user="canbo1")
    svc.get(line["id"], user="canbo2")
    rows, _ = audit_store.query_audit(appliance.db.conn(), action=("certification.record", "certification.view"))
    assert {(r["user_login"], r["action"], r["object"]) for r in rows} == {
        ("canbo1", "certification.record", f"cert:{line['id']}"),
        ("canbo2", "certification.view", f"cert:{line['id']}")}
    assert any(r["detail"] == "Số chứng thực 1/01/2026-SCT/BS" for r in rows)


@pytest.mark.parametrize("data, field, vi", [
    ({**COPY, "book": "HD"}, "book", "Loại sổ chứng thực không hợp lệ"),
    ({**COPY, "requester_name": "  "}, "requester_name", "Bắt buộc nhập 'Họ tên người yêu cầu'."),
    ({k: v for k, v in COPY.items() if k != "pages"}, "pages", "Bắt buộc nhập 'Số trang'."),
    ({**COPY, "copies": "0"}, "copies", "'Số bản' phải là số nguyên từ 1 đến 200."),
    ({**COPY, "pages": "ba"}, "pages", "'Số trang' phải là số nguyên từ 1 đến 2000."),
    ({**SIGN, "signing": "van_tay"}, "signing", "Cách xác nhận phải là 'ky' (ký) hoặc 'diem_chi' (điểm chỉ)."),
    ({**COPY, "note": "x" * 301}, "note", "'Ghi chú' dài quá 300 ký tự."),
])
def test_bad_input_is_refused_with_a_clear_message(appliance, data, field, vi):
    with pytest.raises(rules.CertificationError) as info:
        appliance.certifications.record(data)
    assert info.value.field == field and info.value.message().startswith(vi)
    assert info.value.message("en") != info.value.message()
    assert numbers(appliance, "BS", 2026) == []


def test_a_missing_line_is_not_found(appliance):
    with pytest.raises(rules.CertificationNotFound):
        appliance.certifications.get(99)
