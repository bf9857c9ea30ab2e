"""Characters that ``str.isdigit`` calls digits but ``int`` cannot read (the superscript ``²``),
sent where the appliance reads a number from a request: each is refused, or passed over, never a
500 (they used to raise ValueError from ``int``)."""
from __future__ import annotations

from datetime import date

import pytest
from page_helpers import log_in, post_form, text

from appliance.domain import report_periods
from appliance.domain.errors import DomainError
from appliance.domain.fields import FieldError, parse_phone

SUPER = "²"


def test_the_event_stream_passes_over_such_a_last_event_id(client, auth):
    for headers, query in (({"Last-Event-ID": SUPER}, ""), ({}, "?last_event_id=%C2%B2")):
        answer = client.get(f"/api/v1/events{query}", headers={**auth("display"), **headers}, buffered=False)
        try:
            assert answer.status_code == 200 and answer.mimetype == "text/event-stream"
        finally:
            answer.close()


def test_the_devices_page_refuses_such_a_pager_number(admin_client):
    answer = post_form(admin_client, "/admin/devices/pager/return", {"number": SUPER}, page="/admin/devices",
                       follow_redirects=True)
    assert answer.status_code == 200 and "Số thẻ rung phải từ 1 đến" in text(answer)


@pytest.mark.parametrize("kind,key", [("month", f"2026-1{SUPER}"), ("report_year", f"202{SUPER}"),
                                      ("report_quarter", f"2026-Q{SUPER}")])
def test_a_report_period_with_such_digits_is_refused(kind, key):
    with pytest.raises(DomainError):
        report_periods.parse(kind, key, date(2026, 12, 3), None, None)


def test_a_phone_number_is_ascii_digits():
    for value in (f"091234567{SUPER}", "0912３４５６７８"):
        with pytest.raises(FieldError):
            parse_phone(value)
    assert parse_phone("0912 345 678") == "0912345678"


def test_a_transfer_to_such_a_counter_is_refused(app, appliance):
    officer = app.test_client()
    log_in(officer, appliance.db.conn().execute("SELECT id FROM users WHERE login = 'canbo1'").fetchone()[0])
    answer = post_form(officer, "/counter/1/transfer", {"target": f"counter:{SUPER}"}, page="/counter/1",
                       headers={"X-Requested-With": "motcua"})
    assert 400 <= answer.status_code < 500, answer.status_code
