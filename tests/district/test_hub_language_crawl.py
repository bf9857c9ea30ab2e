"""Every hub page in both languages (#18): the crawl asks for every GET route the hub registers,
logged in and not, with a day of two simulated communes (tickets, dossiers of every channel and
state, ratings), in Vietnamese and in English, and fails on a UI string of the other language
(``tests/language_check.py``, the appliance's crawl's check). Data people typed (the communes'
and the hub's names, a login) is allowed in both. A new route with a parameter fails the crawl
until it gets a value in ``VALUES``."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from district.simulate import SimulatedCommune
from district.store import staff
from tests.district.conftest import post_batch
from tests.language_check import wrong_language

EVENING = datetime(2026, 11, 24, 21, 0, tzinfo=timezone(timedelta(hours=7)))
NOT_PAGES = re.compile(r"^/(api|static)/|\.(json|csv|xlsx)$|/excel$|/csv/")
VALUES = {"code": "xa-duong-xa", "device_id": "xa-duong-xa"}
COMMUNES = (("xa-duong-xa", "Xã Dương Xá", "000.00.06.H56", 1), ("xa-long-son", "Xã Long Sơn", "000.00.07.H56", 2))
PASSWORD = "mat-khau-du-dai"


@pytest.fixture
def evening(monkeypatch):
    monkeypatch.setattr("district.hub.utcnow", lambda: EVENING.astimezone(UTC))
    return EVENING


def seed(hub_client, enrol, hub_app) -> None:
    today = hub_app.extensions["motcua_hub"].today()
    for code, name, agency, seed_ in COMMUNES:
        token = enrol(code, name)
        sim = SimulatedCommune(code, agency, seed=seed_)
        for doc in sim.batches(sim.day_events(today, tickets=40)):
            assert post_batch(hub_client, code, token, doc).status_code == 200


def pages(app) -> list[str]:
    out, missing = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or NOT_PAGES.search(rule.rule):
            continue
        params = re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule)
        missing += [f"{rule.rule}: {p}" for p in params if p not in VALUES]
        out.append(re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: VALUES.get(m.group(1), "1"), rule.rule))
    assert missing == [], "give these URL parameters a value in VALUES: " + ", ".join(missing)
    return sorted(set(out))


def log_in(client, engine) -> None:
    with engine.begin() as conn:
        staff.add_user(conn, "truongphong", PASSWORD)
    client.get("/dang-nhap")
    with client.session_transaction() as s:
        token = s["csrf_token"]
    r = client.post("/dang-nhap", data={"name": "truongphong", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302


def test_every_hub_page_in_both_languages(hub_app, hub_client, enrol, engine, evening):
    seed(hub_client, enrol, hub_app)
    hub = hub_app.extensions["motcua_hub"]
    allowed = {hub.title, hub.settings.name, "truongphong"} | {name for _, name, _, _ in COMMUNES} | \
              {code for code, *_ in COMMUNES}
    anonymous = hub_app.test_client()
    staff_client = hub_client
    log_in(staff_client, engine)
    problems, shown = [], set()
    extra = ["/?lang={lang}", "/xa/xa-duong-xa", "/bao-cao/?tu=2026-11-01&den=2026-11-30",
             "/bao-cao/?tu=2026-11-24&den=2026-11-24&xa=xa-duong-xa", "/tra-cuu?ma=000.00.06.H56-999999-0001",
             "/tra-cuu?ma=x", "/thu-tuc/tra-cuu?ho-so=000.00.06.H56-261124-0001&k=00"]
    for who, client in (("staff", staff_client), ("anonymous", anonymous)):
        for path in pages(hub_app) + [p.split("?lang")[0] for p in extra]:
            for lang in ("vi", "en"):
                joiner = "&" if "?" in path else "?"
                r = client.get(f"{path}{joiner}lang={lang}")
                if r.status_code >= 500:
                    problems.append(f"{who} {lang} {path}: {r.status_code}")
                if "text/html" not in r.content_type:
                    continue
                shown.add((path, r.status_code, who))
                for bad in wrong_language(r.get_data(as_text=True), lang, allowed):
                    problems.append(f"{lang} {path} [{r.status_code}]: {bad}  ({who})")
        # the phone lookup's answers and its errors, in both languages
        for lang in ("vi", "en"):
            client.get("/tra-cuu")
            with client.session_transaction() as s:
                token = s.get("csrf_token", "")
            r = client.post(f"/tra-cuu?lang={lang}", data={"phone": "abc", "last4": "1", "csrf_token": token})
            for bad in wrong_language(r.get_data(as_text=True), lang, allowed):
                problems.append(f"{lang} POST /tra-cuu [{r.status_code}]: {bad}  ({who})")
    ok = {p for p, status, who in shown if status == 200 and who == "staff"}
    for page in ("/", "/xa/xa-duong-xa", "/bao-cao/", "/tra-cuu", "/dang-nhap"):
        assert page in ok, page
    assert problems == [], "\n".join(sorted({p.rsplit("  (", 1)[0] for p in problems}))
