"""The two-language crawl: every page of the appliance, for every role, in English and in
Vietnamese, shows no UI string of the other language (tests/language_check.py says how that is
judged).

The pages are found from Flask's URL map, so a page another change adds is crawled as soon as it
is registered. A route with a parameter needs a value in ``VALUES`` (the test says which one is
missing); a page rendered from ``templates/print/`` is a legal form, Vietnamese by law, and is left
out; files (PDF, PNG, certificates, sounds), the JSON API and the static files are not pages.
"""
from __future__ import annotations

import re
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from flask import template_rendered
from page_helpers import log_in, make_user

from appliance.domain.dossier_samples import sample_values
from appliance.domain.forms import place_name, unit_name

sys.path.append(str(Path(__file__).resolve().parents[2]))
from language_check import wrong_language  # noqa: E402

NOT_PAGES = re.compile(r"^/(api|static|audio)/|\.(pdf|png|crt|wav|json|csv|xlsx|<\w+>)$")  # files, not pages
SESSION_ROLES = ("admin", "officer", "volunteer")
TOKEN_ROLES = ("display", "kiosk", "mirror")
KHAI_SINH = "1.001193"


def file_a_dossier(client, officer: dict, appliance) -> str:
    """A birth registration received at counter 1 through the API; its code."""
    procedure = appliance.dossiers.catalog.get(KHAI_SINH)
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": KHAI_SINH,
                                                         "values": sample_values(procedure, today)}, headers=officer)
    assert saved.status_code == 200 and saved.json["errors"] == {}
    dossier = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=officer)
    assert dossier.status_code == 201, dossier.get_data(as_text=True)
    return dossier.json["code"]


@pytest.fixture
def office_day(client, appliance, auth):
    """A day with something on every page: a priority ticket called at counter 1, a dossier filed
    there, a certification line, a mirror token for counter 1."""
    from appliance.services import accounts
    officer = auth("officer")
    client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": "người cao tuổi"},
                headers=officer)
    client.post("/api/v1/counters/1/call-next", json={"finish_current": True}, headers=officer)
    code = file_a_dossier(client, officer, appliance)
    entry = client.post("/api/v1/certifications", json={
        "book": "BS", "requester": "Nguyễn Văn An", "document": "Giấy khai sinh", "copies": 2, "pages": 1},
        headers=officer)
    with appliance.units() as tx:
        mirror = accounts.add_token(tx, "Quầy 1 – màn hình công dân", "mirror", counter_id=1)
    from datetime import date, time
    appliance.appointments.create_slots("HT", None, date(2026, 11, 30), date(2026, 12, 1), time(9), time(10), 30, 2)
    slot_id = appliance.appointments.day(date(2026, 11, 30))["slots"][0]["id"]
    appliance.appointments.book(slot_id, "0912345678", "phone")
    return {"code": code, "entry_id": entry.json.get("id", 1) if entry.status_code == 201 else 1,
            "mirror": mirror, "slot_id": slot_id}


def values_for(day: dict) -> dict[str, str]:
    """The value given to each URL parameter (a new parameter fails the crawl until it is added)."""
    return {"counter_id": "1", "code": day["code"], "entry_id": str(day["entry_id"]), "name": "mau01",
            "draft_id": "nhap-1", "ticket_id": "1", "token_id": "1", "user_id": "1", "handover_id": "1",
            "slot_id": str(day.get("slot_id", 1))}


def crawled_pages(app, values: dict[str, str]) -> list[str]:
    pages, missing = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or NOT_PAGES.search(rule.rule):
            continue
        params = re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule)
        missing += [f"{rule.rule}: {p}" for p in params if p not in values]
        pages.append(re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), rule.rule))
    assert missing == [], "give these URL parameters a value in VALUES: " + ", ".join(missing)
    return sorted(set(pages))


def data_names(appliance) -> set[str]:
    """What people typed that pages show as it is (names of the office, of people, of counters)."""
    conn = appliance.db.conn()
    office = appliance.settings.office
    names = {office.name, unit_name(office), place_name(office)}
    names |= {r[0] for r in conn.execute("SELECT full_name FROM users") if r[0]}
    names |= {r[0] for r in conn.execute("SELECT name FROM counters")}
    names |= {r[0] for r in conn.execute("SELECT name FROM api_tokens")}
    return {n for n in names if n}


def clients(app, appliance, tokens, mirror):
    for role in SESSION_ROLES:
        c = app.test_client()
        log_in(c, make_user(appliance, f"kiemtra{SESSION_ROLES.index(role)}", role))
        yield role, c, {}
    for role in TOKEN_ROLES:
        token = mirror if role == "mirror" else tokens[role]
        yield role, app.test_client(), {"Authorization": f"Bearer {token}"}
    yield "anonymous", app.test_client(), {}


def test_every_page_in_both_languages_for_every_role(app, appliance, tokens, office_day):
    pages = crawled_pages(app, values_for(office_day))
    everyone = list(clients(app, appliance, tokens, office_day["mirror"]))
    allowed = data_names(appliance)
    rendered: list[str] = []

    def remember(sender, template, context, **extra):
        rendered.append(template.name or "")

    problems, checked = [], set()
    template_rendered.connect(remember, app)
    try:
        for role, client, headers in everyone:
            for path in pages:
                for lang in ("en", "vi"):
                    rendered.clear()
                    r = client.get(f"{path}?lang={lang}", headers=headers)
                    if r.status_code >= 500:
                        problems.append(f"{role} {lang} {path}: {r.status_code}")
                    if "text/html" not in r.content_type or any(t.startswith("print/") for t in rendered):
                        continue
                    checked.add((path, r.status_code))
                    for bad in wrong_language(r.get_data(as_text=True), lang, allowed):
                        problems.append(f"{lang} {path} [{r.status_code}]: {bad}  ({role})")
    finally:
        template_rendered.disconnect(remember, app)
    shown = {p for p, status in checked if status == 200}
    for page in ("/", "/admin/audit", "/admin/devices", f"/dossiers/{office_day['code']}", "/counter/1",
                 "/thu-tuc", "/kiosk", "/display", "/mirror/1", "/chung-thuc", "/login"):
        assert page in shown, page
    assert len(shown) >= 30
    assert problems == [], "\n".join(sorted({p.rsplit("  (", 1)[0] for p in problems}))
