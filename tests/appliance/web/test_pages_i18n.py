"""Translations: every panel string has its English, the committed .mo matches the .po, and the
Vietnamese is NFC with its diacritics."""
from __future__ import annotations

import gettext
import io
import unicodedata
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[3] / "appliance" / "web"
LC = WEB / "translations" / "en" / "LC_MESSAGES"
PANEL_FILES = ("login.py", "home.py", "counter.py", "display.py", "kiosk.py", "csrf.py", "panels.py",
               "templates/base.html", "templates/layout/", "templates/login/", "templates/counter/",
               "templates/display/", "templates/kiosk/", "templates/home/")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def panel_msgids() -> set[str]:
    ids = set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(WEB), METHODS, keywords=KEYWORDS):
        if filename.startswith(PANEL_FILES):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def po_catalog():
    with open(LC / "messages.po", "rb") as fh:
        return read_po(fh, locale="en")


def test_every_panel_string_has_an_english_translation():
    ids = panel_msgids()
    assert len(ids) > 100
    translated = {m.id: m.string for m in po_catalog() if m.id}
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == []


def test_committed_mo_matches_the_po():
    mo = gettext.GNUTranslations(io.BytesIO((LC / "messages.mo").read_bytes()))
    expected = {m.id: m.string for m in po_catalog() if m.id and m.string and not m.fuzzy}
    for msgid, text in expected.items():
        assert mo.gettext(msgid) == text, msgid
    compiled = {k: v for k, v in mo._catalog.items() if k}
    assert len(compiled) == len(expected)


def test_vietnamese_text_is_nfc():
    for path in list((WEB / "templates").rglob("*.html")) + [WEB / f for f in PANEL_FILES if f.endswith(".py")]:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path
    for msgid in panel_msgids():
        assert unicodedata.is_normalized("NFC", msgid), msgid


def test_english_pages_show_no_vietnamese_ui(client, appliance, tokens):
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'admin'").fetchone()
    with client.session_transaction() as s:
        s["user_id"] = row[0]
    samples = ["Đăng xuất", "Đổi mật khẩu", "Trang chính", "Gọi số tiếp theo", "Vắng mặt", "Đang chờ",
               "Thủ tục niêm yết", "Chạm vào lĩnh vực", "Số tại quầy", "Phím tắt"]
    for path in ("/", "/counter/1", "/display", "/kiosk", "/account/password"):
        page = client.get(path + "?lang=en").get_data(as_text=True)
        for text in samples:
            assert text not in page, (path, text)
