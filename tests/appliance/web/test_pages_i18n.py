"""Translations: every panel string has its English, the committed .mo matches the .po, and the
Vietnamese is NFC with its diacritics."""
from __future__ import annotations

import gettext
import io
import unicodedata
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from page_helpers import server_session

WEB = Path(__file__).resolve().parents[3] / "appliance" / "web"
LC = WEB / "translations" / "en" / "LC_MESSAGES"
# The printed forms (templates/print/) are legal forms: Vietnamese only, so not panel strings.
PANEL_FILES = ("login/views.py", "login/access.py", "login/throttle.py", "home/views.py",
               "counter/views.py", "display/views.py", "kiosk/views.py", "csrf.py", "panels.py",
               "dossiers/pages.py", "templates/base.html", "templates/layout/", "templates/login/",
               "templates/counter/", "templates/display/", "templates/kiosk/", "templates/home/",
               "templates/dossiers/", "reports/", "templates/reports/")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "pgettext": ((1, "c"), 2)}


def panel_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every panel string; the context is None but for ``pgettext``."""
    ids = set()
    for filename, _lineno, message, _comments, context in extract_from_dir(
            str(WEB), METHODS, keywords=KEYWORDS):
        if filename.startswith(PANEL_FILES):
            ids.add((context, message if isinstance(message, str) else message[0]))
    return ids


def panel_msgids() -> set[str]:
    return {msgid for _context, msgid in panel_messages()}


def po_catalog():
    with open(LC / "messages.po", "rb") as fh:
        return read_po(fh, locale="en")


def test_every_panel_string_has_an_english_translation():
    ids = panel_messages()
    assert len(ids) > 100
    assert (None, "Không có hồ sơ nào phù hợp.") in ids              # the dossier pages count
    translated = {(m.context, m.id): m.string for m in po_catalog() if m.id}
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == []


def test_committed_mo_matches_the_po():
    mo = gettext.GNUTranslations(io.BytesIO((LC / "messages.mo").read_bytes()))
    expected = {(m.context, m.id): m.string for m in po_catalog() if m.id and m.string and not m.fuzzy}
    for (context, msgid), text in expected.items():
        found = mo.pgettext(context, msgid) if context else mo.gettext(msgid)
        assert found == text, (context, msgid)
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
        s.update(server_session(client, row[0]))
    samples = ["Đăng xuất", "Đổi mật khẩu", "Trang chính", "Gọi số tiếp theo", "Vắng mặt", "Đang chờ",
               "Thủ tục niêm yết", "Chạm vào lĩnh vực", "Số tại quầy", "Phím tắt", "Nhập hồ sơ mới",
               "Sổ theo dõi", "Còn lại", "Không có hồ sơ nào", "Gõ vài chữ để lọc", "Tiếp nhận hồ sơ"]
    for path in ("/", "/counter/1", "/display", "/kiosk", "/account/password", "/dossiers", "/dossiers/new",
                 "/dossiers/new?procedure=1.001193&counter=1"):
        response = client.get(path + ("&" if "?" in path else "?") + "lang=en")
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        for text in samples:
            assert text not in page, (path, text)
