"""The installation guide, the wiring diagram and the deployment notes agree with the code."""
from __future__ import annotations

import importlib.util
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from appliance.config import load

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs/install-vi.md"
WIRING = REPO / "docs/wiring.svg"
DEPLOY = REPO / "docs/deploy.md"


def _exposure_max() -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("_units", Path(__file__).with_name("test_systemd_units.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXPOSURE_MAX


EXPOSURE_MAX = _exposure_max()


def test_guide_is_vietnamese_nfc_with_a_priced_parts_list():
    text = GUIDE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "](wiring.svg)" in text
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) >= 12
    prices = [re.search(r"\d{1,3}(?:\.\d{3})+", row) for row in rows]
    assert all(prices), [r for r, p in zip(rows, prices, strict=True) if not p]
    for part in ("Raspberry Pi", "Máy in nhiệt", "thẻ rung", "Nút nhấn", "điện trở 330 Ω"):
        assert part in text


def test_guide_config_snippet_is_valid_and_matches_the_diagram(tmp_path):
    text = GUIDE.read_text(encoding="utf-8")
    snippet = re.search(r"```toml\n(\[gpio\].*?)```", text, re.S).group(1)
    cfg = tmp_path / "config.toml"
    cfg.write_text(snippet, encoding="utf-8")
    settings = load(cfg, env={})
    svg = WIRING.read_text(encoding="utf-8")
    pins = {**settings.gpio.ticket_buttons, **settings.gpio.call_buttons,
            **{f"r{k}": v for k, v in settings.gpio.recall_buttons.items()}}
    used = [*pins.values(), *settings.gpio.rating_buttons["1"], settings.gpio.fault_led,
            settings.gpio.buzzer, int(settings.pager.url.removeprefix("gpio://"))]
    for bcm in used:
        assert f">BCM{bcm}<" in svg, bcm
    for line in ("ticket_buttons = { HT = 17 }", "fault_led = 26", 'url = "gpio://18"'):
        assert line.replace('"', "&quot;") in svg or line in svg, line


def test_wiring_diagram_is_a_well_formed_svg_with_the_whole_header():
    root = ET.parse(WIRING).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    numbers = {int(t) for t in texts if t and t.isdigit()}
    assert set(range(1, 41)) <= numbers
    assert unicodedata.is_normalized("NFC", WIRING.read_text(encoding="utf-8"))


def test_deploy_notes_record_the_exposure_levels_the_tests_enforce():
    text = DEPLOY.read_text(encoding="utf-8")
    for unit, level in EXPOSURE_MAX.items():
        assert re.search(rf"\| `{re.escape(unit)}` \| \d\.\d \| {level} \|", text), unit
    for topic in ("image_build/build.sh", "Docker", "arm64", "Backup and restore", "MOTCUA_PURGE_DATA",
                  "--data-label", "per architecture", "PI_GEN_REF"):
        assert topic in text, topic
