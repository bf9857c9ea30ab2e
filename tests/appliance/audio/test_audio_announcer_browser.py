"""announcer.js in real headless Chromium: announcements queue, never overlap, clips in order."""
import threading
from array import array
from pathlib import Path

import pytest
from flask import Flask, send_from_directory
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

import appliance.web
from appliance.audio.blueprint import bp, init_app
from appliance.audio.clips import ClipStore
from appliance.audio.synth import ToneSynthesizer
from appliance.audio.wavfile import write_wav

pytestmark = pytest.mark.browser

STATIC = Path(appliance.web.__file__).parent / "static"

PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>announcer</title>
<script>
  // Count media elements playing at the same time, whatever the announcer does inside
  // (its Audio elements need not be in the document, so hook play() itself).
  window.maxActive = 0; window.active = 0;
  var seen = new WeakSet(), originalPlay = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!seen.has(this)) {
      seen.add(this);
      var playing = false;
      this.addEventListener("playing", function () {
        if (!playing) { playing = true; window.active += 1; }
        window.maxActive = Math.max(window.maxActive, window.active);
      });
      ["ended", "pause", "error", "emptied"].forEach(function (type) {
        this.addEventListener(type, function () { if (playing) { playing = false; window.active -= 1; } });
      }, this);
    }
    return originalPlay.apply(this, arguments);
  };
</script>
<script src="/static/js/announcer.js"></script>
<body>display</body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("announcer")
    (root / "recorded").mkdir()
    # a short chime override keeps the test fast (and exercises overrides end to end)
    write_wav(root / "recorded" / "chime.wav", array("h", [3000, -3000] * 1100))
    app = Flask(__name__, static_folder=None)
    app.register_blueprint(bp)
    init_app(app, ClipStore(root / "cache", root / "recorded", ToneSynthesizer()))
    app.add_url_rule("/", "page", lambda: PAGE)
    app.add_url_rule("/static/<path:path>", "static_files", lambda path: send_from_directory(STATIC, path))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def page(server, browser):
    browser.get(server + "/")
    return browser


def wait_idle(driver):
    driver.execute_async_script("var done = arguments[0]; window.Announcer.idle().then(function () { done(); });")


def test_two_announcements_play_in_order_without_overlap(page, server):
    urls = page.execute_async_script("""
        var done = arguments[0];
        Promise.all([Announcer.announce("A015", 2), Announcer.announce("B021", 3)]).then(done);
    """)
    wait_idle(page)
    first, second = urls
    assert first == ["/audio/clip/" + n + ".wav" for n in
                     ("chime", "moi_so", "chu_a", "muoi_huyen", "lam", "den_quay", "hai")]
    assert second[2:] == ["/audio/clip/chu_b.wav", "/audio/clip/hai.wav", "/audio/clip/muoi_ngang.wav",
                          "/audio/clip/mot_sac.wav", "/audio/clip/den_quay.wav", "/audio/clip/ba.wav"]
    assert page.execute_script("return Announcer.played") == first + second
    assert page.execute_script("return window.maxActive") == 1


def test_enqueue_while_playing_waits_and_broken_clips_do_not_stall(page):
    page.execute_script("""
        Announcer.enqueue(["/audio/clip/chime.wav", "/audio/clip/hai.wav"]);
        window.busyAfterFirst = Announcer.busy;
        Announcer.enqueue(["/audio/clip/khong_co.wav", "/audio/clip/ba.wav"]);
        window.pendingAfterSecond = Announcer.pending();
    """)
    wait_idle(page)
    assert page.execute_script("return [window.busyAfterFirst, window.pendingAfterSecond]") == [True, 1]
    # the 404 clip is skipped (never started), the rest plays
    assert page.execute_script("return Announcer.played") == [
        "/audio/clip/chime.wav", "/audio/clip/hai.wav", "/audio/clip/ba.wav"]
    assert page.execute_script("return [Announcer.busy, Announcer.pending(), window.maxActive]") == [False, 0, 1]


def test_autoplay_refusal_waits_for_a_click_then_plays_everything(server):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=document-user-activation-required", "--mute-audio"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.set_script_timeout(30)
        driver.get(server + "/")
        driver.execute_async_script("""
            var done = arguments[0];
            window.addEventListener("announcer:blocked", function () { done(); }, { once: true });
            Announcer.enqueue(["/audio/clip/chime.wav", "/audio/clip/hai.wav"]);
        """)
        assert driver.execute_script("return [Announcer.blocked, Announcer.played.length]") == [True, 0]
        driver.find_element("tag name", "body").click()
        wait_idle(driver)
        assert driver.execute_script("return [Announcer.blocked, Announcer.played]") == [
            False, ["/audio/clip/chime.wav", "/audio/clip/hai.wav"]]
    finally:
        driver.quit()
