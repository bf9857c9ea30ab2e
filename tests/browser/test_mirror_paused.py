"""The citizen in front of a paused counter is told so on its screen, in real Chromium: counter 1's
mirror shows "Quầy tạm nghỉ" when the officer pauses it, "Quầy đã đóng" when it closes, and
nothing once it opens again; the English screen says it in English. A panel of this module's own:
the shared one's tests must not see a paused counter."""
from __future__ import annotations

import uuid

import pytest

from appliance.services import accounts

from .conftest import set_viewport, shot, wait_for

pytestmark = pytest.mark.browser


def notice(driver) -> str | None:
    return driver.execute_script(
        "const s = document.getElementById('mirror-shut'); return s && !s.hidden ? s.innerText : null;")


def open_mirror(driver, panel, lang: str = "vi") -> None:
    with panel.appliance.units() as tx:
        token = accounts.add_token(tx, f"mirror-1-{uuid.uuid4().hex[:6]}", "mirror", counter_id=1)
    driver.get(f"{panel.alt_url}/mirror/1?token={token}&lang={lang}")
    wait_for(lambda: driver.execute_script("return !!document.getElementById('mirror-form')"), message="the mirror")
    driver.execute_script("""window.__hello = false;
      new EventSource(document.getElementById('mirror').dataset.events)
        .addEventListener('hello', function () { window.__hello = true; });""")
    wait_for(lambda: driver.execute_script("return window.__hello"), message="the event stream")


def test_pause_close_and_open_reach_the_citizen_screen(browser, own_panel):
    driver, app = browser, own_panel.appliance
    set_viewport(driver, 1366, 768)
    open_mirror(driver, own_panel)
    assert notice(driver) is None
    app.engine.set_counter_state(1, "pause", user_login="canbo1", role="officer")
    text = wait_for(lambda: notice(driver), message="Tạm nghỉ on the mirror")
    assert "Quầy tạm nghỉ" in text and "quay lại" in text
    shot(driver, "mirror-paused-1366x768")
    driver.refresh()      # a reloaded screen paints the state at once (from the page and the stream)
    wait_for(lambda: notice(driver) and "tạm nghỉ" in notice(driver), message="paused after a reload")
    app.engine.set_counter_state(1, "close", user_login="canbo1", role="officer")
    wait_for(lambda: notice(driver) and "Quầy đã đóng" in notice(driver), message="closed on the mirror")
    set_viewport(driver, 1920, 1080)
    shot(driver, "mirror-closed-1920x1080")
    app.engine.set_counter_state(1, "open", user_login="canbo1", role="officer")
    wait_for(lambda: notice(driver) is None, message="the notice gone when the counter opens")


def test_the_english_screen_says_it_in_english(browser, own_panel):
    driver, app = browser, own_panel.appliance
    open_mirror(driver, own_panel, "en")
    app.engine.set_counter_state(1, "pause", user_login="canbo1", role="officer")
    try:
        text = wait_for(lambda: notice(driver), message="the break on the English mirror")
        assert "short break" in text and "Tạm" not in text
    finally:
        app.engine.set_counter_state(1, "open", user_login="canbo1", role="officer")
