"""Declaration fields: their types and how a typed value becomes a clean one. Pure.

Types: ``text``, ``date`` (partial dates where the field allows: ``3/1988``, ``1988``), ``select``,
``id12`` (số định danh cá nhân), ``number`` (integer), ``bool``, ``phone`` (Vietnamese mobile).

:func:`validate` takes a procedure (anything with ``.fields``, a sequence of :class:`FieldSpec`) and
the raw values of a form, and returns ``(clean, errors, warnings)``. ``errors`` and ``warnings`` map a
field name to a :class:`Message`: a ``str`` holding the Vietnamese text, with ``.en`` and
``.field``. Clean values are JSON-friendly: text, ISO dates (``1988-03-12``, ``1988-03``,
``1988``), ints, bools; empty optional fields are ``None``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from appliance.domain import personal_number
from appliance.domain.amounts import ascii_digits
from appliance.domain.datewords import date_in_words
from appliance.errors import MotcuaError

if TYPE_CHECKING:   # the catalog model imports this module
    from appliance.domain.catalog import Procedure

FIELD_TYPES = ("text", "date", "select", "id12", "number", "bool", "phone")
GENERATORS = ("date_in_words",)

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TRUE = {"1", "true", "on", "yes", "y", "có", "co", "x"}
_FALSE = {"0", "false", "off", "no", "n", "không", "khong", ""}
# Mobile prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone, Vietnamobile,
# Gmobile, Itel, Reddi, Wintel): 03[2-9], 05[25689], 07[06-9], 08[1-9], 09[0-46-9].
_MOBILE = re.compile(r"^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$")
_FREE_ID = re.compile(r"^[A-Z0-9][A-Z0-9/\-]{3,19}$")
MIN_YEAR = 1870


class Message(str):
    """A message for one field: ``str(m)`` is Vietnamese; ``m.en`` English; ``m.field`` the field."""

    en: str
    field: str

    def __new__(cls, vi: str, en: str = "", field: str = "") -> Message:
        obj = super().__new__(cls, unicodedata.normalize("NFC", vi))
        obj.en = en or vi
        obj.field = field
        return obj

    def text(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else str(self)


# (clean values, errors by field, warnings by field), as :func:`validate` returns them
Validated = tuple[dict[str, Any], dict[str, Message], dict[str, Message]]


# Also a ValueError: the date parsers are called next to datetime.fromisoformat in
# ``except ValueError`` clauses (domain.dossiers.check_action, catalog.fees, web.dossiers.forms).
class FieldError(MotcuaError, ValueError):
    """Raised by the parsers; carries the Vietnamese and English texts."""

    def __init__(self, vi: str, en: str):
        super().__init__(vi)
        self.vi, self.en = vi, en


@dataclass(frozen=True)
class Option:
    value: str
    label: str = ""
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    code: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.value, self.label or self.value, *self.aliases, *((self.code,) if self.code else ()))


@dataclass(frozen=True)
class FieldSpec:
    """One declaration field. Cross-field references (``required_unless``, ``birth_field`` …) are
    other field names of the same procedure."""
    name: str
    label: str
    label_en: str = ""
    type: str = "text"
    required: bool = False
    required_unless: str | None = None      # required unless this other field has a value
    required_if: str | None = None          # required when this other (bool) field is true
    uppercase: bool = False                 # full names: HỌ VÀ TÊN
    max_length: int = 200
    partial: bool = False                   # date: allow '3/1988' and '1988'
    future: bool = False                    # date: allow dates after today
    min: int | None = None
    max: int | None = None
    options: tuple[Option, ...] = ()
    options_from: str | None = None         # name of a catalog list (resolved into options)
    allow_other: bool = False               # select: keep an unlisted answer, with a warning
    free_when: tuple[str, tuple[str, ...]] | None = None  # id12: free text when field in values
    birth_field: str | None = None          # id12: cross-check digits 4–6 with this date
    sex_field: str | None = None            # id12: cross-check digit 4 with this sex
    generated: str | None = None            # e.g. 'date_in_words'
    source: str | None = None               # the field a generated value comes from
    paper: bool = True                      # printed on the declaration
    sensitive: bool = False                 # sensitive personal data (ethnicity, health, cause of death)
    default: Any = None                     # pre-filled in forms, never applied silently
    help: str = ""
    section: str = ""

    def option_for(self, value: str) -> Option | None:
        for opt in self.options:
            if opt.value == value:
                return opt
        return None


# --- dates ---------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class PartialDate:
    """A date that may lack its day, or day and month."""
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def complete(self) -> bool:
        return self.day is not None

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def display(self) -> str:
        """As written on Vietnamese papers: ``12/03/1988``, ``03/1988``, ``1988``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"

    def to_date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.complete else None  # type: ignore[arg-type]  # a day implies a month

    def latest(self) -> date:
        """The last day the partial date can mean (for 'not in the future' checks)."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            nxt = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(self.year, self.month, self.day)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ISO_MY = re.compile(r"^(\d{4})-(\d{1,2})$")
_Y = re.compile(r"^(\d{4})$")


def parse_date(value: Any, partial: bool = False) -> PartialDate:
    """Parse ``12/3/1988``, ``12/03/1988``, ``12-03-1988``, ``1988-03-12`` (and, when ``partial``,
    ``3/1988``, ``1988-03``, ``1988``). Raises :class:`FieldError`."""
    if isinstance(value, PartialDate):
        result = value
    elif isinstance(value, date):
        result = PartialDate(value.year, value.month, value.day)
    else:
        text = _SPACES.sub("", str(value))
        found: PartialDate | None = None
        if m := _DMY.match(text):
            found = PartialDate(int(m[3]), int(m[2]), int(m[1]))
        elif m := _ISO.match(text):
            found = PartialDate(int(m[1]), int(m[2]), int(m[3]))
        elif m := _MY.match(text):
            found = PartialDate(int(m[2]), int(m[1]))
        elif m := _ISO_MY.match(text):
            found = PartialDate(int(m[1]), int(m[2]))
        elif m := _Y.match(text):
            found = PartialDate(int(m[1]))
        if found is None:
            if re.match(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}$", text):
                raise FieldError("Năm phải ghi đủ 4 chữ số, ví dụ 12/03/1988.",
                                 "Write the year with 4 digits, e.g. 12/03/1988.")
            example = "12/03/1988, 03/1988 hoặc 1988" if partial else "12/03/1988"
            raise FieldError(f"Ngày không đúng dạng; ghi ngày/tháng/năm, ví dụ {example}.",
                             f"Unrecognised date; write day/month/year, e.g. {example}.")
        result = found
    if not result.complete and not partial:
        raise FieldError("Cần ghi đủ ngày, tháng, năm (ví dụ 12/03/1988).",
                         "A full date (day, month, year) is required, e.g. 12/03/1988.")
    if result.month is not None and not 1 <= result.month <= 12:
        raise FieldError(f"Tháng {result.month} không có thật (1–12).", f"Month {result.month} does not exist.")
    if result.day is not None:
        try:
            date(result.year, result.month, result.day)  # type: ignore[arg-type]  # a day implies a month
        except ValueError:
            raise FieldError(f"Ngày {result.display} không có thật.",
                             f"{result.display} is not a real date.") from None
    if result.year < MIN_YEAR:
        raise FieldError(f"Năm {result.year} quá xa (từ {MIN_YEAR}).", f"Year {result.year} is too early.")
    return result


def parse_iso(value: str | None) -> PartialDate | None:
    """Back from a clean value (``1988-03-12``, ``1988-03``, ``1988``) to a :class:`PartialDate`."""
    if not value:
        return None
    return parse_date(value, partial=True)


# --- other types ---------------------------------------------------------------------------

def clean_text(value: Any, uppercase: bool = False) -> str:
    text = unicodedata.normalize("NFC", str(value))
    text = _SPACES.sub(" ", _CONTROL.sub("", text)).strip()
    return text.upper() if uppercase else text


def parse_phone(value: Any) -> str:
    """``+84 912 345 678``, ``0912.345.678``, ``84912345678`` → ``0912345678``."""
    digits = re.sub(r"[\s.\-()]", "", str(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not ascii_digits(digits):
        raise FieldError("Số điện thoại chỉ gồm chữ số (có thể bắt đầu bằng +84).",
                         "A phone number contains digits only (may start with +84).")
    if len(digits) != 10:
        raise FieldError(f"Số di động phải có 10 chữ số, bắt đầu bằng 0 (đang có {len(digits)}).",
                         f"A mobile number has 10 digits starting with 0 (got {len(digits)}).")
    if not _MOBILE.match(digits):
        raise FieldError("Không phải số di động Việt Nam (đầu số 03, 05, 07, 08, 09); "
                         "số máy bàn không nhận được tin nhắn.",
                         "Not a Vietnamese mobile number (prefixes 03, 05, 07, 08, 09).")
    return digits


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError("Chỉ chọn có hoặc không.", "Choose yes or no.")


def parse_number(value: Any, minimum: int | None, maximum: int | None) -> int:
    if isinstance(value, bool):
        raise FieldError("Phải là một số nguyên.", "Must be a whole number.")
    if isinstance(value, int):
        number = value
    else:
        text = clean_text(value).replace(".", "").replace(",", "") if isinstance(value, str) else str(value)
        if not re.fullmatch(r"-?\d+", text):
            raise FieldError("Phải là một số nguyên, ví dụ 2.", "Must be a whole number, e.g. 2.")
        number = int(text)
    if minimum is not None and number < minimum:
        raise FieldError(f"Không được nhỏ hơn {minimum}.", f"Must be at least {minimum}.")
    if maximum is not None and number > maximum:
        raise FieldError(f"Không được lớn hơn {maximum}.", f"Must be at most {maximum}.")
    return number


def fold(text: str) -> str:
    """Lower case without diacritics, for lenient matching: ``'Mường'`` → ``'muong'``."""
    text = unicodedata.normalize("NFD", clean_text(text).lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def match_option(options: Iterable[Option], value: Any) -> Option | None:
    """Exact (case-insensitive) match on value, label, alias or code; then a unique diacritic-free match."""
    key = clean_text(value).lower()
    options = tuple(options)
    for opt in options:
        if any(clean_text(n).lower() == key for n in opt.names()):
            return opt
    folded = fold(key)
    found = [opt for opt in options if any(fold(n) == folded for n in opt.names())]
    return found[0] if len(found) == 1 else None


# --- validation ----------------------------------------------------------------------------

def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(spec: FieldSpec, raw: Any, raw_values: Mapping[str, Any],
           today: date) -> tuple[Any, tuple[str, str] | None]:
    """Parse one non-empty value; returns (clean, warning or None). Raises FieldError."""
    kind = spec.type
    if kind == "text":
        text = clean_text(raw, spec.uppercase)
        if len(text) > spec.max_length:
            raise FieldError(f"Dài quá {spec.max_length} ký tự.", f"Longer than {spec.max_length} characters.")
        return text, None
    if kind == "date":
        parsed = parse_date(raw, spec.partial)
        if not spec.future and parsed.latest() > today and (parsed.complete or parsed.year > today.year):
            raise FieldError(f"Ngày {parsed.display} ở tương lai.", f"{parsed.display} is in the future.")
        return parsed.iso, None
    if kind == "number":
        return parse_number(raw, spec.min, spec.max), None
    if kind == "bool":
        return parse_bool(raw), None
    if kind == "phone":
        return parse_phone(raw), None
    if kind == "select":
        opt = match_option(spec.options, raw)
        if opt is not None:
            return opt.value, None
        text = clean_text(raw)
        if spec.allow_other:
            return text, ("Không có trong danh mục; hãy kiểm tra lại chính tả.",
                          "Not in the list; check the spelling.")
        shown = ", ".join(o.label or o.value for o in spec.options[:8])
        more = "…" if len(spec.options) > 8 else ""
        raise FieldError(f"'{text}' không có trong danh mục; chọn một trong: {shown}{more}.",
                         f"'{text}' is not in the list.")
    if kind == "id12":
        if spec.free_when:
            other, values = spec.free_when
            chosen = raw_values.get(other)
            if not _empty(chosen) and clean_text(chosen).lower() in {v.lower() for v in values}:
                text = re.sub(r"\s", "", clean_text(raw, uppercase=True))
                if not _FREE_ID.match(text):
                    raise FieldError("Số giấy tờ gồm 4–20 chữ cái in hoa hoặc chữ số.",
                                     "The document number has 4–20 letters or digits.")
                return text, None
        result = personal_number.check(raw)
        if not result.valid:
            raise FieldError(*result.error)  # type: ignore[misc]  # an invalid check always has its (vi, en) error
        return result.number, None
    raise FieldError(f"Kiểu trường '{kind}' không hợp lệ.", f"Unknown field type '{kind}'.")


def validate(procedure: Procedure, values: Mapping[str, Any], *, today: date | None = None,
             provinces: Mapping[str, str] | None = None) -> Validated:
    """Check every field of ``procedure`` against ``values`` (a form: field name → raw value).

    Returns ``(clean, errors, warnings)``. ``clean`` has every field of the procedure (``None`` when
    empty; generated fields filled in). ``today`` bounds dates that may not be in the future
    (default: the system date). ``provinces`` (code → name) enables the personal-number province check.
    """
    today = today or date.today()
    specs: list[FieldSpec] = list(procedure.fields)
    clean: dict[str, Any] = {}
    errors: dict[str, Message] = {}
    warnings: dict[str, Message] = {}

    for spec in specs:
        if spec.generated:
            continue
        raw = values.get(spec.name)
        if spec.type == "bool":
            raw = False if _empty(raw) else raw
        if _empty(raw):
            clean[spec.name] = None
            continue
        try:
            value, warning = _parse(spec, raw, values, today)
        except FieldError as exc:
            errors[spec.name] = Message(exc.vi, exc.en, spec.name)
            clean[spec.name] = None
            continue
        clean[spec.name] = value
        if warning:
            warnings[spec.name] = Message(*warning, spec.name)

    for spec in specs:
        if spec.generated or spec.name in errors:
            continue
        value = clean.get(spec.name)
        if spec.type == "bool":
            if spec.required and value is not True:
                errors[spec.name] = Message(f"Cần xác nhận '{spec.label}'.",
                                            f"'{spec.label_en or spec.label}' must be confirmed.", spec.name)
            continue
        if value is not None:
            continue
        needed = spec.required
        if spec.required_unless and not _empty(values.get(spec.required_unless)):
            needed = False
        if spec.required_if and clean.get(spec.required_if) is True:
            needed = True
        if not needed:
            continue
        label, label_en = spec.label, spec.label_en or spec.label
        if spec.required_unless and spec.required:
            other = next((s for s in specs if s.name == spec.required_unless), None)
            other_vi = other.label if other else spec.required_unless
            other_en = (other.label_en or other.label) if other else spec.required_unless
            errors[spec.name] = Message(f"Bắt buộc nhập '{label}' khi không có '{other_vi}'.",
                                        f"'{label_en}' is required when there is no '{other_en}'.", spec.name)
        else:
            errors[spec.name] = Message(f"Bắt buộc nhập '{label}'.", f"'{label_en}' is required.", spec.name)

    for spec in specs:
        if spec.type != "id12" or spec.name in errors or not clean.get(spec.name):
            continue
        number = clean[spec.name]
        if not number.isdigit() or len(number) != 12:
            continue  # a passport or other paper number
        result = personal_number.check(number, clean.get(spec.birth_field) if spec.birth_field else None,
                                       clean.get(spec.sex_field) if spec.sex_field else None, provinces)
        if result.warnings:
            warnings[spec.name] = Message(" ".join(w[0] for w in result.warnings),
                                          " ".join(w[1] for w in result.warnings), spec.name)

    for spec in specs:
        if spec.type == "date" and clean.get(spec.name) and spec.name not in warnings and not spec.future:
            year = int(clean[spec.name][:4])
            if today.year - year > 120:
                warnings[spec.name] = Message(f"Năm {year} cách đây hơn 120 năm; hãy kiểm tra lại.",
                                              f"{year} is more than 120 years ago; check it.", spec.name)

    for spec in specs:
        if not spec.generated:
            continue
        clean[spec.name] = generate(spec, clean)
    return clean, errors, warnings


def generate(spec: FieldSpec, clean: Mapping[str, Any]) -> str | None:
    """Value of a generated field from the clean values (None when its source is missing)."""
    source = clean.get(spec.source or "")
    if spec.generated == "date_in_words":
        parsed = parse_iso(source) if isinstance(source, str) else None
        return date_in_words(parsed.to_date()) if parsed and parsed.complete else None  # type: ignore[arg-type]  # complete: a date
    return None
