"""Counters' English names (#18): the admin sets ``name_en`` beside the name; English pages (the
counter console, the dossier form's counter list, the citizen mirror, the home page) show it,
Vietnamese pages the Vietnamese name; with none set the Vietnamese name is shown; the API lists it."""
from __future__ import annotations

import uuid

from page_helpers import csrf

from appliance.services import accounts


def test_english_pages_show_the_english_counter_name(admin_client, appliance):
    assert "Counter 1 – Civil status" in admin_client.get("/counter/1?lang=en").get_data(as_text=True)
    assert "Counter 1 – Civil status" not in admin_client.get("/counter/1?lang=vi").get_data(as_text=True)
    assert "Quầy 1 – Hộ tịch" in admin_client.get("/counter/1?lang=vi").get_data(as_text=True)
    form = admin_client.get("/dossiers/new?procedure=1.001193&counter=1&lang=en").get_data(as_text=True)
    assert ">Counter 2 – Certification, civil status</option>" in form and "Quầy 2 –" not in form
    with appliance.units() as tx:
        token = accounts.add_token(tx, f"mirror-{uuid.uuid4().hex[:6]}", "mirror", counter_id=3)
    mirror = admin_client.get("/mirror/3?lang=en", headers={"Authorization": f"Bearer {token}"})
    assert "<h1>Counter 3 – Social protection</h1>" in mirror.get_data(as_text=True)


def test_the_admin_sets_and_clears_the_english_name(admin_client, appliance, auth):
    page = admin_client.get("/admin/counters?edit=1").get_data(as_text=True)
    assert 'name="name_en"' in page and 'value="Counter 1 – Civil status"' in page
    saved = admin_client.post("/admin/counters", data={
        "csrf_token": csrf(admin_client, "/admin/counters"), "number": "1", "name": "Quầy 1 – Hộ tịch",
        "name_en": "Desk 1 – Births, marriages, deaths", "services": ["HT"], "active": "y"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "Desk 1 – Births, marriages, deaths" in admin_client.get("/counter/1?lang=en").get_data(as_text=True)
    listed = admin_client.get("/api/v1/counters", headers=auth("officer")).json
    assert next(c for c in listed if c["id"] == 1)["name_en"] == "Desk 1 – Births, marriages, deaths"
    admin_client.post("/admin/counters", data={
        "csrf_token": csrf(admin_client, "/admin/counters"), "number": "1", "name": "Quầy 1 – Hộ tịch",
        "name_en": "", "services": ["HT"], "active": "y"})
    assert "Quầy 1 – Hộ tịch" in admin_client.get("/counter/1?lang=en").get_data(as_text=True)
