"""The citizen rates on the counter's screen (#18), through the JSON API and the real engine: the
end of service (and a result handed over) asks that counter's screen for a rating; a press is the
rating of that service, attributed to its officer and its dossier, once; a GPIO rating button
(gpiozero MockFactory) keeps working beside it, and a screen press after it is refused as already
rated; another counter's screen cannot rate here."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from gpiozero.pins.mock import MockFactory

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.gpio.board import ButtonBoard
from appliance.services import accounts

CATALOG = load_catalog()


@pytest.fixture
def recorded(appliance):
    """Every event the bus publishes, in order."""
    seen: list[tuple[str, dict]] = []
    appliance.bus.subscribe(lambda e: seen.append((e.type, e.payload)))
    return seen


@pytest.fixture
def mirror(appliance):
    with appliance.units() as tx:
        return {n: {"Authorization": "Bearer " + accounts.add_token(tx, f"mirror-{n}", "mirror", counter_id=n)}
                for n in (1, 2)}


def served(appliance, counter: int = 1, login: str = "canbo1"):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")            # the demo's tickets out of the way
    issued = appliance.engine.issue("HT")
    appliance.engine.call_next(counter, user_login=login)
    appliance.engine.serve(counter)
    return issued.ticket


def ratings(appliance):
    return [dict(r) for r in appliance.db.conn().execute(
        "SELECT counter_id, ticket_id, dossier_code, level, source, user_login FROM ratings ORDER BY id")]


def test_end_of_service_asks_the_counters_screen_and_one_press_rates_once(client, appliance, recorded, mirror):
    ticket = served(appliance)
    appliance.engine.done(1, user_login="canbo1")
    asked = [p for t, p in recorded if t == "rating.requested"]
    assert asked == [{"counter_id": 1, "ticket_id": ticket.id, "number": ticket.number, "dossier_code": None,
                      "officer": "canbo1", "officer_name": "Nguyễn Thị Hoa"}]
    before = len(ratings(appliance))
    pressed = client.post("/api/v1/mirror/1/rating", json={"level": "satisfied", "ticket_id": ticket.id},
                          headers=mirror[1])
    assert pressed.status_code == 201, pressed.json
    assert ratings(appliance)[before:] == [{"counter_id": 1, "ticket_id": ticket.id, "dossier_code": None,
                                            "level": "satisfied", "source": "screen", "user_login": "canbo1"}]
    given = [p for t, p in recorded if t == "rating.given"][-1]
    assert given["officer_name"] == "Nguyễn Thị Hoa" and given["source"] == "screen"
    again = client.post("/api/v1/mirror/1/rating", json={"level": "unsatisfied", "ticket_id": ticket.id},
                        headers=mirror[1])
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    assert "đã được đánh giá" in again.json["error"]["message"]
    assert len(ratings(appliance)) == before + 1


def test_another_counters_screen_cannot_rate_here(client, appliance, mirror):
    ticket = served(appliance)
    appliance.engine.done(1, user_login="canbo1")
    other = client.post("/api/v1/mirror/1/rating", json={"level": "satisfied", "ticket_id": ticket.id},
                        headers=mirror[2])
    assert other.status_code == 403
    wrong = client.post("/api/v1/mirror/2/rating", json={"level": "satisfied", "ticket_id": ticket.id},
                        headers=mirror[2])
    assert wrong.status_code == 409 and wrong.json["error"]["code"] == "rating_not_here"
    bad = client.post("/api/v1/mirror/1/rating", json={"level": "wonderful", "ticket_id": ticket.id},
                      headers=mirror[1])
    assert bad.status_code == 400 and "không hợp lệ" in bad.json["error"]["message"]
    missing = client.post("/api/v1/mirror/1/rating", json={"level": "satisfied"}, headers=mirror[1])
    assert missing.status_code == 400


def test_the_dossier_of_the_service_is_named_on_the_rating(client, appliance, auth, recorded, mirror):
    ticket = served(appliance)
    officer = auth("officer")
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    procedure = CATALOG.get("1.001193")
    assert client.put(f"/api/v1/drafts/{draft}", headers=officer, json={
        "counter_id": 1, "procedure": procedure.code, "values": sample_values(procedure, today)}).status_code == 200
    code = client.post(f"/api/v1/drafts/{draft}/submit", json={"ticket_id": ticket.id},
                       headers=officer).json["code"]
    appliance.engine.done(1, user_login="canbo1")
    asked = [p for t, p in recorded if t == "rating.requested"][-1]
    assert asked["dossier_code"] == code and asked["ticket_id"] == ticket.id
    assert client.post("/api/v1/mirror/1/rating", json={"level": "very_satisfied", "ticket_id": ticket.id,
                                                        "dossier_code": code}, headers=mirror[1]).status_code == 201
    assert ratings(appliance)[-1]["dossier_code"] == code and ratings(appliance)[-1]["user_login"] == "canbo1"


def test_the_result_handed_over_asks_for_a_rating_of_the_officer_who_handed_it(client, appliance, recorded,
                                                                            mirror):
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    procedure = CATALOG.get("1.001193")
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure=procedure.code, values=sample_values(procedure, today),
                                  counter_id=2, user="canbo1")
    code = appliance.dossiers.submit(draft, {}, user="canbo1")[0]["code"]
    appliance.dossiers.act(code, "ready", {}, user="canbo1")
    appliance.dossiers.act(code, "return", {"receiver": "Nguyễn Văn An"}, user="canbo1")
    asked = [p for t, p in recorded if t == "rating.requested"][-1]
    assert asked == {"counter_id": 2, "ticket_id": None, "dossier_code": code, "officer": "canbo1",
                     "officer_name": "Nguyễn Thị Hoa"}
    pressed = client.post("/api/v1/mirror/2/rating", json={"level": "satisfied", "dossier_code": code},
                          headers=mirror[2])
    assert pressed.status_code == 201, pressed.json
    assert ratings(appliance)[-1] == {"counter_id": 2, "ticket_id": None, "dossier_code": code,
                                      "level": "satisfied", "source": "screen", "user_login": "canbo1"}
    again = client.post("/api/v1/mirror/2/rating", json={"level": "satisfied", "dossier_code": code},
                        headers=mirror[2])
    assert again.status_code == 409


def test_a_gpio_button_beside_the_screen_rates_and_the_screen_then_says_already(client, appliance, recorded,
                                                                              mirror):
    settings = appliance.settings.replace(gpio={"factory": "mock", "rating_buttons": {"1": [12, 16, 20]}}).gpio
    factory = MockFactory()
    board = ButtonBoard(settings, appliance.engine, appliance.bus, pin_factory=factory)
    board.start()
    try:
        ticket = served(appliance)
        appliance.engine.done(1, user_login="canbo1")
        before = len(ratings(appliance))
        factory.pin(12).drive_low()
        factory.pin(12).drive_high()
        board.wait_idle()
        assert ratings(appliance)[before:] == [{"counter_id": 1, "ticket_id": ticket.id, "dossier_code": None,
                                                "level": "very_satisfied", "source": "button",
                                                "user_login": "canbo1"}]
        assert [p["level"] for t, p in recorded if t == "rating.given"][-1] == "very_satisfied"
        late = client.post("/api/v1/mirror/1/rating", json={"level": "unsatisfied", "ticket_id": ticket.id},
                           headers=mirror[1])
        assert late.status_code == 409 and late.json["error"]["code"] == "already_rated"
    finally:
        board.stop()
        factory.reset()


def test_the_mirror_page_has_the_faces_of_the_setting(client, appliance, mirror):
    page = client.get("/mirror/1", headers=mirror[1]).get_data(as_text=True)
    assert '"level": "very_satisfied", "label": "Rất hài lòng"' in page and '"neutral"' not in page
    appliance.apply_settings(appliance.settings.replace(queue={"rating_faces": 5}))
    page = client.get("/mirror/1", headers=mirror[1]).get_data(as_text=True)
    assert page.count('"level"') == 5 and '"label": "Bình thường"' in page
