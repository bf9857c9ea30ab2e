"""The two-language check shared by the appliance's and the hub's page crawls.

A page asked for in English must show no Vietnamese UI string, and a Vietnamese page no English
one. What a page shows is its text and the attributes a person reads (placeholder, title,
aria-label, alt, a button's value); ``<script>``/``<style>`` are code. Text inside an element whose
``lang`` attribute names the other language is quoted, not UI (the language switcher
``<a lang="vi">Tiếng Việt</a>``, a citizen's name marked ``lang="vi"``), and so is passed.

- Vietnamese on an English page: any word with a Vietnamese letter (ă â đ ê ô ơ ư or a tone mark).
- English on a Vietnamese page: a word from ``ENGLISH_WORDS``, words that are not Vietnamese even
  without their diacritics (so "Login", "Services", "usage:" are caught, "HT" and "QR" are not).

Code (``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, and words like paths, URLs, ``kind:id``) is
neither language, and a quotation in curly quotes (“…”) is the other language on purpose.
``ALLOWED`` is the small list of proper names the same in both languages; the crawls add the names
people typed (the office, its people and counters) from the database.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

VIETNAMESE_LETTER = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                               re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

ENGLISH_WORDS = frozenset("""
the and with from this that these your you please login logout log password passwords user users username
save cancel delete remove submit search status error errors loading settings service services counter counters
ticket tickets print printer help usage show hide message messages dossier dossiers none true false null
undefined pending ready done called waiting priority office home back next previous page pages name names
yes optional required arguments argument options option default choose select upload download file files
open close closed paused new edit add create update view list lists report reports today week month year
hour hours minute minutes second seconds ago just now time date from until total count procedures procedure
fee fees free received returned result results online offline display kiosk announcement announcements
voice rating ratings thanks thank welcome devices device backup restore catalog holidays tokens audit screens
screen pairing pager pagers reason officer officers volunteer administrator role roles enabled disabled
""".split())

ALLOWED = frozenset({
    "motcua", "Tiếng Việt", "English", "Tết",
})
# Code, commands, paths and configuration keys are not words of either language.
CODE_TAGS = frozenset({"script", "style", "template", "svg", "code", "pre", "kbd", "samp"})
# A quotation in “curly quotes” is the other language's words on purpose (a form's date line, a day's name).
QUOTED = re.compile(r"“[^”]*”")

SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class _Text(HTMLParser):
    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, str | None]] = []   # (tag, lang)
        self.chunks: list[str] = []
        self.skip = 0

    def _quoted(self) -> bool:
        for _tag, lang in reversed(self.stack):
            if lang:
                return not lang.startswith(self.page_lang)
        return False

    VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        if tag not in self.VOID:
            self.stack.append((tag, lang))
            if tag in CODE_TAGS:
                self.skip += 1
        quoted = self._quoted() or (lang is not None and not lang.startswith(self.page_lang))
        if quoted or self.skip:
            return
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
            if tag in CODE_TAGS:
                self.skip -= 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _lang = self.stack.pop()
            if open_tag in CODE_TAGS:
                self.skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.skip and not self._quoted() and data.strip():
            self.chunks.append(data.strip())


def shown_text(html: str, page_lang: str) -> list[str]:
    """The strings a person reads on the page (quoted other-language text left out)."""
    parser = _Text(page_lang)
    parser.feed(html)
    parser.close()
    return parser.chunks


CODE_LIKE = re.compile(r"[/\\\[\]=@_<>{}]|\w[.:]\w")


def words(text: str) -> list[str]:
    """The words of ``text``, leaving out what is code: paths, URLs, ``kind:id``, ``a.b`` keys, numbers
    and codes that start with a digit (``1đ``, ``0416:5011``)."""
    out = []
    for token in text.split():
        core = token.strip(".,;:()!?…\"'«»“”‘’–—·")
        if not core or CODE_LIKE.search(core) or core[0].isdigit():
            continue
        out += WORD.findall(core)
    return out


def _without(text: str, allowed) -> str:
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def wrong_language(html: str, page_lang: str, allowed=()) -> list[str]:
    """The shown strings that are in the other language (empty when the page is clean)."""
    names = set(ALLOWED) | set(allowed)
    bad = []
    for chunk in shown_text(html, page_lang):
        rest = QUOTED.sub(" ", _without(chunk, names))
        if page_lang == "en":
            if any(VIETNAMESE_LETTER.search(w) for w in words(rest)):
                bad.append(chunk)
        elif any(w.lower() in ENGLISH_WORDS for w in words(rest)):
            bad.append(chunk)
    return bad
