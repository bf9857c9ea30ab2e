"""The hall display read from the back of the hall, measured in Chromium.

A 43" 16:9 TV is 952 mm wide: at 1920 px one CSS px is 0.496 mm. 4 cm of digit is 81 px of glyph;
the board aims well above: at 1920×1080 the called number's digits are at least 100 px tall (5 cm),
measured as ink (canvas ``measureText`` actualBoundingBox of the digits in the element's computed
font) and checked against the text's own box (a Range over it), in tiles the number fills (the
glyphs span at least 40 % of the tile's height, not a small number in a 70 % empty tile). Recent
calls and waiting counts are measured too; the "tap to enable sound" prompt, when shown, must not
intersect any box that carries data; the ready-dossier region has its own place. Screenshots of
both sizes go to tests/artifacts/screenshots/ for a person to look at."""
from __future__ import annotations

import json

import pytest

from .conftest import ROOT, set_viewport, shot, wait_for

pytestmark = pytest.mark.browser

MM_PER_PX_43_1080 = 952 / 1920
SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
MIN_DIGIT_PX = {"1920x1080": 100, "1366x768": 70}   # 1366 px over 952 mm: 0.70 mm/px → 70 px ≈ 4.9 cm

MEASURE_JS = """
function ink(el) {
  var text = el.textContent.trim();
  var digits = text.replace(/[^0-9]/g, '');
  var cs = getComputedStyle(el);
  var ctx = document.createElement('canvas').getContext('2d');
  ctx.font = cs.fontStyle + ' ' + cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
  var m = ctx.measureText(digits || text);
  var range = document.createRange();
  range.selectNodeContents(el);
  var r = range.getBoundingClientRect();
  return {text: text, glyph: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent,
          glyphWidth: m.actualBoundingBoxLeft + m.actualBoundingBoxRight,
          fontSize: parseFloat(cs.fontSize), box: [r.left, r.top, r.right, r.bottom]};
}
function box(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
var out = {tiles: [], recent: [], waiting: [], data: []};
document.querySelectorAll('.d-tile[data-counter]').forEach(function (tile) {
  var number = tile.querySelector('[data-number]');
  out.tiles.push({counter: tile.dataset.counter, state: tile.dataset.state, box: box(tile),
                  number: ink(number), text: tile.textContent.replace(/\\s+/g, ' ').trim()});
});
document.querySelectorAll('.d-recent li .d-num').forEach(function (el) { out.recent.push(ink(el)); });
document.querySelectorAll('.d-waiting li b').forEach(function (el) { out.waiting.push(ink(el)); });
document.querySelectorAll('.d-tile, .d-recent li, .d-waiting li, #ready-dossiers, .d-callout, .d-clock, .d-office')
  .forEach(function (el) {
    var b = box(el);
    if (b[2] > b[0] && b[3] > b[1]) { out.data.push([el.className || el.id, b]); }
  });
var ready = document.getElementById('ready-dossiers');
out.ready = ready ? box(ready) : null;
var hint = document.getElementById('sound-hint');
out.hint = hint && !hint.hidden ? box(hint) : null;
out.viewport = [window.innerWidth, window.innerHeight];
return out;
"""


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def called_at_every_counter(appliance) -> list[str]:
    """Each demo counter open and calling a number (a fresh ticket for each, whatever waited)."""
    numbers = []
    for counter, service in ((1, "HT"), (2, "CT"), (3, "XH")):
        engine = appliance.engine
        with appliance.db.read() as conn:
            state = conn.execute("SELECT state FROM counters WHERE id = ?", (counter,)).fetchone()[0]
        if state != "open":
            engine.set_counter_state(counter, "open", "admin", "admin")
        engine.issue(service)
        numbers.append(engine.advance(counter, finish_current=True, user_login="admin").called.number)
    return numbers


def test_the_called_number_is_readable_from_5_m_and_the_sound_prompt_covers_nothing(browser, own_panel):
    driver = browser
    panel = own_panel
    numbers = called_at_every_counter(panel.appliance)
    driver.switch_to.new_window("tab")
    measured: dict = {}
    try:
        driver.get(f"{panel.alt_url}/display?token={panel.tokens['display']}")
        wait_for(lambda: driver.execute_script("return !!(window.MotcuaDisplay && window.MotcuaDisplay.online)"),
                 message="the display online")
        for size, (width, height) in SIZES.items():
            set_viewport(driver, width, height)
            driver.execute_script("window.MotcuaDisplay.refresh && window.MotcuaDisplay.refresh();")
            wait_for(lambda: all(n in driver.find_element("id", "board").text for n in numbers),
                     message=f"the called numbers on the board at {size}")
            m = driver.execute_script(MEASURE_JS)
            assert m["viewport"] == [width, height]
            shown = {t["number"]["text"]: t for t in m["tiles"]}
            measured[size] = {"called_digits_px": [round(shown[n]["number"]["glyph"], 1) for n in numbers
                                                   if n in shown],
                              "font_px": [shown[n]["number"]["fontSize"] for n in numbers if n in shown],
                              "tile_height_px": [round(shown[n]["box"][3] - shown[n]["box"][1]) for n in numbers
                                                 if n in shown],
                              "recent_digits_px": [round(r["glyph"], 1) for r in m["recent"]],
                              "waiting_digits_px": [round(w["glyph"], 1) for w in m["waiting"]]}
            for number in numbers:
                tile = shown[number]
                glyph = tile["number"]["glyph"]
                t_left, t_top, t_right, t_bottom = tile["box"]
                n_left, n_top, n_right, n_bottom = tile["number"]["box"]
                assert glyph >= MIN_DIGIT_PX[size], f"{number} at {size}: digits {glyph:.0f} px"
                assert n_bottom - n_top >= glyph, "the text box holds its glyphs"
                assert t_left <= n_left and n_right <= t_right and t_top <= n_top and n_bottom <= t_bottom, \
                    f"{number} drawn outside its tile at {size}"
                assert glyph >= 0.40 * (t_bottom - t_top), f"{number}: a small number in an empty tile at {size}"
                assert n_right - n_left >= 0.30 * (t_right - t_left), f"{number}: a narrow number at {size}"
                if size == "1920x1080":
                    assert glyph * MM_PER_PX_43_1080 >= 40, f"{glyph * MM_PER_PX_43_1080:.0f} mm on a 43\" TV"
            # recent calls and waiting counts, from the back of the hall (≥ 2 cm / 1.5 cm on the 43" TV)
            assert m["recent"], "recent calls listed"
            scale = width / 1920
            assert min(r["glyph"] for r in m["recent"]) >= 44 * scale, m["recent"]
            assert m["waiting"] and min(w["glyph"] for w in m["waiting"]) >= 34 * scale, m["waiting"]
            # the ready dossiers have a place of their own, apart from the counters and the lists
            assert m["ready"] is not None and m["ready"][3] > m["ready"][1]
            others = [b for name, b in m["data"] if "ready" not in str(name) and ("d-tile" in str(name) or
                                                                                  "d-recent" in str(name))]
            assert not any(intersects(m["ready"], b) for b in others), "the ready region overlaps data"
            # the sound prompt, as the announcer shows it when the browser blocks sound
            driver.execute_script("window.dispatchEvent(new Event('announcer:blocked'));")
            m = driver.execute_script(MEASURE_JS)
            assert m["hint"] is not None and m["hint"][2] > m["hint"][0]
            covered = [name for name, b in m["data"] if intersects(m["hint"], b)]
            assert covered == [], f"the sound prompt covers {covered} at {size}"
            hint = m["hint"]
            assert 0 <= hint[0] and hint[2] <= width and 0 <= hint[1] and hint[3] <= height
            shot(driver, f"display-5m-{size}")
            driver.execute_script("window.dispatchEvent(new Event('announcer:start'));")
        (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
        (ROOT / "tests" / "artifacts" / "display-5m.json").write_text(json.dumps(measured, indent=1))
    finally:
        driver.close()
        driver.switch_to.window(driver.window_handles[0])


def test_a_paused_counter_says_tam_nghi_on_the_display(browser, own_panel):
    driver = browser
    panel = own_panel
    appliance = panel.appliance
    called_at_every_counter(appliance)
    engine = appliance.engine
    engine.done(3, user_login="admin")
    driver.switch_to.new_window("tab")
    try:
        driver.get(f"{panel.alt_url}/display?token={panel.tokens['display']}")
        wait_for(lambda: driver.execute_script("return !!(window.MotcuaDisplay && window.MotcuaDisplay.online)"),
                 message="the display online")
        set_viewport(driver, 1920, 1080)
        engine.set_counter_state(3, "pause", "admin", "admin")   # the display hears counter.state
        tile = "#board .d-tile[data-counter='3']"
        wait_for(lambda: driver.find_element("css selector", tile).get_attribute("data-state") == "paused",
                 message="counter 3 shown paused")
        assert "Tạm nghỉ" in driver.find_element("css selector", tile).text
        m = driver.execute_script(MEASURE_JS)
        paused = next(t for t in m["tiles"] if t["counter"] == "3")
        state = driver.execute_script(
            "var el = document.querySelector(arguments[0] + ' .d-tile-state'); var r = el.getBoundingClientRect();"
            "return r.bottom - r.top;", tile)
        assert state >= 40, f"'Tạm nghỉ' is {state:.0f} px tall"   # read from the back, like a number
        assert paused["state"] == "paused"
        shot(driver, "display-paused-counter-1920x1080")
        engine.set_counter_state(3, "open", "admin", "admin")
        wait_for(lambda: driver.find_element("css selector", tile).get_attribute("data-state") == "open",
                 message="counter 3 open again")
    finally:
        engine_state = appliance.db.conn().execute("SELECT state FROM counters WHERE id = 3").fetchone()[0]
        if engine_state != "open":
            appliance.engine.set_counter_state(3, "open", "admin", "admin")
        driver.close()
        driver.switch_to.window(driver.window_handles[0])
