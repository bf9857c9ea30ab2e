"""Procedure catalog: the model, the loader that checks every file, fees, and the JSON the hub ships.

The data lives in ``appliance/catalog/`` (TOML, one file per procedure; see ``docs/catalog.md``).
:func:`load_catalog` reads the directory (or a JSON file shipped by the hub), checks everything and
raises :class:`CatalogError` listing each mistake with its file and key, in Vietnamese. A
:class:`Catalog` is immutable; to apply an update, build a new one with :meth:`Catalog.from_json`
(which checks it the same way) and swap the reference: nothing changes unless the whole of it is
valid. The only I/O here is reading the files (and :meth:`Catalog.save_json`).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from appliance.domain.fields import (FIELD_TYPES, GENERATORS, FieldSpec, Option, parse_iso, validate)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog"
FORMAT = 1
TIME_LIMIT_KINDS = ("immediate", "same_day", "hours", "days", "none")
FEE_KINDS = ("free", "fixed", "per_copy", "per_page")
EXEMPTION_KINDS = ("within_days", "field_set", "field_in")
DOCUMENT_MODES = ("submit", "show")
ONLINE_LEVELS = ("toan_trinh", "mot_phan", "khong")
LIST_FILES = {"ethnic_groups": "ethnic_groups.toml", "nationalities": "nationalities.toml",
              "provinces": "provinces.toml", "birth_registration_codes": "provinces.toml"}
_CODE = re.compile(r"^(\d\.\d{6}|[A-Z]{2,3}(\.[A-Z0-9\-]+)+)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# --- errors --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"tệp {self.file}, khóa {self.key}: {self.message}" if self.key else f"tệp {self.file}: {self.message}"


class CatalogError(ValueError):
    """The catalog has mistakes; ``problems`` lists each (file, key, Vietnamese message)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        head = f"Danh mục thủ tục có {len(self.problems)} lỗi" if len(self.problems) > 1 else "Danh mục thủ tục có lỗi"
        super().__init__(head + ": " + "; ".join(str(p) for p in self.problems))


class _Checker:
    """Collects problems while reading nested tables."""

    TYPE_NAMES = {str: "chuỗi", bool: "true/false", int: "số nguyên", list: "danh sách", dict: "bảng"}

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, file: str, key: str, message: str) -> None:
        self.problems.append(Problem(file, key, message))

    def table(self, file: str, key: str, value: Any, allowed: Iterable[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(file, key, "phải là một bảng khóa = giá trị")
            return {}
        allowed = tuple(allowed)
        for k in value:
            if k not in allowed:
                self.fail(file, f"{key}.{k}" if key else k,
                          f"khóa không hợp lệ; các khóa được phép: {', '.join(allowed)}")
        return value

    def get(self, file: str, key: str, table: dict, name: str, kind: type, *, required: bool = False,
            default: Any = None, choices: Iterable[Any] | None = None) -> Any:
        where = f"{key}.{name}" if key else name
        if name not in table:
            if required:
                self.fail(file, where, "thiếu khóa bắt buộc")
            return default
        value = table[name]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.fail(file, where, f"phải là {self.TYPE_NAMES.get(kind, kind.__name__)}, đang là {value!r}")
            return default
        if kind is str and required and not value.strip():
            self.fail(file, where, "không được để trống")
        if choices is not None and value not in tuple(choices):
            self.fail(file, where, f"giá trị {value!r} không hợp lệ; chọn một trong: "
                      + ", ".join(str(c) for c in choices))
            return default
        return value


# --- model ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldOfWork:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    mode: str = "submit"          # 'submit' (nộp) or 'show' (xuất trình, chỉ để đối chiếu)
    required: bool = True
    name_en: str = ""
    note: str = ""


@dataclass(frozen=True)
class TimeLimit:
    kind: str                      # immediate | same_day | hours | days | none
    value: float | int | None = None
    steps: tuple[int, ...] = ()
    extended_value: int | None = None
    extended_when: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        if self.steps:
            out["steps"] = list(self.steps)
        if self.extended_value is not None:
            out["extended_value"] = self.extended_value
        return out

    def describe(self, lang: str = "vi") -> str:
        vi = {"immediate": "Ngay trong ngày", "same_day": "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)",
              "none": "Không quy định"}
        en = {"immediate": "Immediately", "same_day": "Same day (after 15:00: next working day)",
              "none": "Not set"}
        if self.kind == "hours":
            return f"{self.value:g} giờ làm việc" if lang == "vi" else f"{self.value:g} working hours"
        if self.kind == "days":
            text = f"{self.value} ngày làm việc" if lang == "vi" else f"{self.value} working days"
            if self.steps:
                text += " (" + " + ".join(str(s) for s in self.steps) + ")"
            return text
        return (vi if lang == "vi" else en)[self.kind]


@dataclass(frozen=True)
class Exemption:
    kind: str                      # within_days | field_set | field_in
    reason: str
    field: str
    days: int | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fee:
    kind: str                      # free | fixed | per_copy | per_page
    amount: int = 0                # đồng (fixed, per_copy)
    tiers: tuple[tuple[int, int], ...] = ()   # per_page: (from_page, đồng per page), ascending
    cap_per_copy: int | None = None
    pages_field: str | None = None
    copies_field: str | None = None
    when_field: str | None = None  # extras: charged only when this bool field is true
    label: str = ""
    exemptions: tuple[Exemption, ...] = ()
    extras: tuple["Fee", ...] = ()
    province_set: bool = False     # the province sets this amount: check it locally
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    title_en: str
    fields: tuple[FieldSpec, ...]
    block: str | None = None


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field_of_work: str
    time_limit: TimeLimit
    fee: Fee
    sections: tuple[Section, ...]
    documents: tuple[Document, ...] = ()
    name_en: str = ""
    legal_basis: str = ""
    declaration: bool = True       # a tờ khai is filled (chứng thực: a logbook entry instead)
    two_hour_model: bool = False   # resolved within 2 working hours on model days
    same_day_cutoff: str = "15:00"
    online: str = "mot_phan"
    order: int = 100               # position within its field of work
    source: str = ""

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"Thủ tục {self.code} không có trường '{name}'.")


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    working: bool = False          # True: a make-up working day (ngày làm bù) on a weekend
    tentative: bool = False


@dataclass(frozen=True)
class FeeQuote:
    amount: int
    base: int
    extras: int
    exempt_reason: str | None
    lines: tuple[tuple[str, int], ...]


class Catalog:
    """Loaded, checked catalog. Build with :func:`load_catalog` or :meth:`from_json`."""

    def __init__(self, data: dict, procedures: dict[str, Procedure], fields_of_work: dict[str, FieldOfWork],
                 lists: dict[str, tuple[Option, ...]], holidays: tuple[Holiday, ...]):
        self._data = data
        self.version: str = data["version"]
        self.procedures: dict[str, Procedure] = procedures
        self.fields_of_work: dict[str, FieldOfWork] = fields_of_work
        self.lists: dict[str, tuple[Option, ...]] = lists
        self.holidays: tuple[Holiday, ...] = holidays
        self.digest: str = hashlib.sha256(self.as_json().encode()).hexdigest()

    def __repr__(self) -> str:
        return f"<Catalog version={self.version!r} procedures={len(self.procedures)}>"

    def get(self, code: str) -> Procedure:
        try:
            return self.procedures[code]
        except KeyError:
            raise KeyError(f"Không có thủ tục mã '{code}' trong danh mục (phiên bản {self.version}).") from None

    def by_field(self) -> dict[str, list[Procedure]]:
        """Field code → its procedures, fields in catalog order, procedures in file order."""
        out: dict[str, list[Procedure]] = {code: [] for code in self.fields_of_work}
        for proc in self.procedures.values():
            out[proc.field_of_work].append(proc)
        return out

    @property
    def ethnic_groups(self) -> tuple[Option, ...]:
        return self.lists["ethnic_groups"]

    @property
    def nationalities(self) -> tuple[Option, ...]:
        return self.lists["nationalities"]

    @property
    def provinces(self) -> tuple[Option, ...]:
        return self.lists["provinces"]

    @property
    def birth_registration_codes(self) -> dict[str, str]:
        """Personal-number digits 1–3 → province name (the 63 pre-2025 provinces)."""
        return {o.code: o.value for o in self.lists["birth_registration_codes"]}

    def validate(self, code: str, values: Mapping[str, Any], today: date | None = None):
        """:func:`appliance.domain.fields.validate` with this catalog's province codes."""
        return validate(self.get(code), values, today=today, provinces=self.birth_registration_codes)

    def as_dict(self) -> dict:
        return copy.deepcopy(self._data)

    def as_json(self) -> str:
        """Canonical JSON (sorted keys, UTF-8 text): what the hub ships and the digest covers."""
        return json.dumps(self._data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any], source: str = "catalog.json") -> "Catalog":
        """Build and check a catalog from :meth:`as_json` output (text, bytes or the parsed dict)."""
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except (ValueError, UnicodeDecodeError) as exc:
                raise CatalogError([Problem(source, "", f"không đọc được JSON: {exc}")]) from None
        if not isinstance(data, Mapping):
            raise CatalogError([Problem(source, "", "phải là một đối tượng JSON")])
        return _build(copy.deepcopy(dict(data)), source)

    def save_json(self, path: str | os.PathLike) -> None:
        """Write :meth:`as_json` atomically (temporary file, fsync, rename, fsync of the folder)."""
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.as_json())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# --- fees ----------------------------------------------------------------------------------

def _int(value: Any, default: int = 0) -> int:
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "có", "x")
    return bool(value)


def _component(fee: Fee, values: Mapping[str, Any]) -> int:
    copies = max(_int(values.get(fee.copies_field), 1), 0) if fee.copies_field else 1
    if fee.kind == "free":
        return 0
    if fee.kind == "fixed":
        return fee.amount
    if fee.kind == "per_copy":
        return fee.amount * copies
    pages = max(_int(values.get(fee.pages_field), 0), 0)
    per_copy = 0
    for index, (start, amount) in enumerate(fee.tiers):
        end = fee.tiers[index + 1][0] - 1 if index + 1 < len(fee.tiers) else pages
        if pages >= start:
            per_copy += (min(pages, end) - start + 1) * amount
    if fee.cap_per_copy is not None:
        per_copy = min(per_copy, fee.cap_per_copy)
    return per_copy * copies


def _exempt(fee: Fee, values: Mapping[str, Any], on: date) -> str | None:
    for ex in fee.exemptions:
        value = values.get(ex.field)
        if ex.kind == "field_set" and value not in (None, "", False):
            return ex.reason + (f" ({value})" if isinstance(value, str) else "")
        if ex.kind == "field_in" and value is not None and str(value) in ex.values:
            return ex.reason
        if ex.kind == "within_days" and value:
            try:
                when = value if isinstance(value, date) else parse_iso(str(value))
            except ValueError:
                continue
            when = when.to_date() if hasattr(when, "to_date") else when
            if when is not None and 0 <= (on - when).days <= (ex.days or 0):
                return ex.reason
    return None


def explain_fee(procedure: Procedure, values: Mapping[str, Any], on: date | None = None) -> FeeQuote:
    """The fee in đồng with its reason: base (after exemptions) + extras (copies of extracts …).

    ``values`` are the clean values of the declaration; ``on`` is the day of receipt (default today),
    used for exemptions such as 'khai sinh within 60 days of birth'.
    """
    on = on or date.today()
    fee = procedure.fee
    reason = "Miễn lệ phí" if fee.kind == "free" else _exempt(fee, values, on)
    base = 0 if reason else _component(fee, values)
    lines = [(fee.label or procedure.name, base)]
    extras = 0
    for extra in fee.extras:
        if extra.when_field and not _truthy(values.get(extra.when_field)):
            continue
        amount = _component(extra, values)
        extras += amount
        lines.append((extra.label or "Phí bổ sung", amount))
    if fee.kind == "free" and fee.note:
        reason = fee.note
    return FeeQuote(base + extras, base, extras, reason, tuple(lines))


def compute_fee(procedure: Procedure, values: Mapping[str, Any], on: date | None = None) -> int:
    """Fee in đồng for a procedure and the (clean) declaration values."""
    return explain_fee(procedure, values, on).amount


# --- loading -------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """TOML dates → ISO strings so that the data is JSON as it is."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _read_toml(path: Path, rel: str, checker: _Checker) -> dict:
    try:
        return _plain(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        checker.fail(rel, "", "không tìm thấy tệp")
    except UnicodeDecodeError:
        checker.fail(rel, "", "tệp phải được lưu dạng UTF-8")
    except tomllib.TOMLDecodeError as exc:
        checker.fail(rel, "", f"sai cú pháp TOML ({exc})")
    return {}


def read_directory(path: str | os.PathLike | None = None) -> dict:
    """Assemble the raw catalog dict from a directory of TOML files (checked later by :func:`_build`)."""
    root = Path(path) if path else CATALOG_DIR
    checker = _Checker()
    main = _read_toml(root / "catalog.toml", "catalog.toml", checker)
    data: dict[str, Any] = {"format": main.get("format"), "version": main.get("version"),
                            "fields_of_work": main.get("fields_of_work")}
    data["blocks"] = _read_toml(root / "blocks.toml", "blocks.toml", checker)
    lists: dict[str, Any] = {}
    for name, file in LIST_FILES.items():
        content = _read_toml(root / file, file, checker)
        lists[name] = content.get(name)
    data["lists"] = lists
    data["holidays"] = _read_toml(root / "holidays.toml", "holidays.toml", checker)
    procedures = []
    proc_dir = root / "procedures"
    files = sorted(proc_dir.glob("*.toml")) if proc_dir.is_dir() else []
    if not files:
        checker.fail("procedures/", "", "không có tệp thủ tục nào (*.toml)")
    for file in files:
        rel = f"procedures/{file.name}"
        content = _read_toml(file, rel, checker)
        if content:
            content["source"] = rel
            procedures.append(content)
    data["procedures"] = procedures
    if checker.problems:
        raise CatalogError(checker.problems)
    return data


def load_catalog(path: str | os.PathLike | None = None) -> Catalog:
    """Load the catalog: ``None`` → the built-in ``appliance/catalog/``; a directory of TOML files;
    or a ``.json`` file written by :meth:`Catalog.save_json` (what the hub shipped)."""
    if path is not None and Path(path).is_file():
        file = Path(path)
        return Catalog.from_json(file.read_bytes(), file.name)
    if path is not None and not Path(path).exists():
        raise CatalogError([Problem(str(path), "", "không tìm thấy thư mục hoặc tệp danh mục")])
    return _build(read_directory(path), "catalog.toml")


_FIELD_KEYS = ("name", "label", "label_en", "type", "required", "required_unless", "required_if",
               "uppercase", "max_length", "partial", "future", "min", "max", "options", "options_from",
               "allow_other", "free_when", "birth_field", "sex_field", "generated", "source", "paper",
               "sensitive", "default", "help")
_REF_KEYS = ("required_unless", "required_if", "birth_field", "sex_field", "source")


def _options(ck: _Checker, file: str, key: str, raw: Any) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        ck.fail(file, key, "phải là danh sách lựa chọn không rỗng")
        return ()
    out = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if isinstance(item, str):
            out.append(Option(item, item))
            continue
        item = ck.table(file, where, item, ("value", "label", "label_en", "aliases", "code"))
        value = ck.get(file, where, item, "value", str, required=True, default="")
        aliases = ck.get(file, where, item, "aliases", list, default=[])
        out.append(Option(value, ck.get(file, where, item, "label", str, default=value) or value,
                          ck.get(file, where, item, "label_en", str, default=""),
                          tuple(str(a) for a in aliases), ck.get(file, where, item, "code", str, default="")))
    values = [o.value for o in out]
    for v in {v for v in values if values.count(v) > 1}:
        ck.fail(file, key, f"lựa chọn '{v}' bị lặp")
    return tuple(out)


def _field(ck: _Checker, file: str, key: str, raw: Any, prefix: str, local: set[str], section: str,
           lists: dict[str, tuple[Option, ...]]) -> FieldSpec | None:
    raw = ck.table(file, key, raw, _FIELD_KEYS)
    if not raw:
        return None
    g = lambda name, kind, **kw: ck.get(file, key, raw, name, kind, **kw)  # noqa: E731
    name = g("name", str, required=True, default="")
    if name and not _NAME.match(name):
        ck.fail(file, f"{key}.name", f"tên trường '{name}' chỉ gồm chữ thường không dấu, số và '_'")
    kind = g("type", str, required=True, default="text", choices=FIELD_TYPES)
    label = g("label", str, required=True, default=name)

    def ref(value: str | None) -> str | None:
        return prefix + value if value and value in local else value

    options: tuple[Option, ...] = ()
    options_from = g("options_from", str)
    if "options" in raw:
        options = _options(ck, file, f"{key}.options", raw["options"])
    if options_from:
        if options_from not in lists:
            ck.fail(file, f"{key}.options_from", f"không có danh mục '{options_from}'; có: {', '.join(lists)}")
        else:
            options = lists[options_from]
    if kind == "select" and not options and "options" not in raw and not options_from:
        ck.fail(file, key, "trường chọn (select) cần 'options' hoặc 'options_from'")
    if kind != "select" and (options or options_from):
        ck.fail(file, key, "chỉ trường kiểu select mới có 'options'")
    free_when = None
    if "free_when" in raw:
        fw = ck.table(file, f"{key}.free_when", raw["free_when"], ("field", "in"))
        fw_field = ck.get(file, f"{key}.free_when", fw, "field", str, required=True, default="")
        fw_in = ck.get(file, f"{key}.free_when", fw, "in", list, required=True, default=[])
        free_when = (ref(fw_field) or "", tuple(str(v) for v in fw_in))
    generated = g("generated", str, choices=GENERATORS)
    minimum, maximum = g("min", int), g("max", int)
    if minimum is not None and maximum is not None and minimum > maximum:
        ck.fail(file, f"{key}.min", "min lớn hơn max")
    return FieldSpec(
        name=prefix + name, label=label, label_en=g("label_en", str, default=""), type=kind,
        required=g("required", bool, default=False), required_unless=ref(g("required_unless", str)),
        required_if=ref(g("required_if", str)), uppercase=g("uppercase", bool, default=False),
        max_length=g("max_length", int, default=200), partial=g("partial", bool, default=False),
        future=g("future", bool, default=False), min=minimum, max=maximum, options=options,
        options_from=options_from, allow_other=g("allow_other", bool, default=False), free_when=free_when,
        birth_field=ref(g("birth_field", str)), sex_field=ref(g("sex_field", str)), generated=generated,
        source=ref(g("source", str)), paper=g("paper", bool, default=True),
        sensitive=g("sensitive", bool, default=False), default=raw.get("default"),
        help=g("help", str, default=""), section=section)


def _section(ck: _Checker, file: str, key: str, raw: Any, blocks: dict, lists) -> Section | None:
    raw = ck.table(file, key, raw, ("title", "title_en", "use", "prefix", "fields", "required"))
    if not raw:
        return None
    use = ck.get(file, key, raw, "use", str)
    if use is not None:
        if use not in blocks:
            ck.fail(file, f"{key}.use", f"không có khối trường '{use}' trong blocks.toml; có: {', '.join(blocks)}")
            return None
        block = blocks[use]
        prefix = ck.get(file, key, raw, "prefix", str, default=block.get("prefix", ""))
        title = ck.get(file, key, raw, "title", str, default=block.get("title", use))
        title_en = ck.get(file, key, raw, "title_en", str, default=block.get("title_en", ""))
        raw_fields, fkey, ffile = block.get("fields", []), f"{use}.fields", "blocks.toml"
        if "fields" in raw:
            ck.fail(file, f"{key}.fields", "một phần dùng khối ('use') thì không khai thêm 'fields'")
    else:
        prefix = ""
        title = ck.get(file, key, raw, "title", str, required=True, default="")
        title_en = ck.get(file, key, raw, "title_en", str, default="")
        raw_fields = ck.get(file, key, raw, "fields", list, required=True, default=[])
        fkey, ffile = f"{key}.fields", file
    local = {f.get("name") for f in raw_fields if isinstance(f, dict)}
    fields = [_field(ck, ffile, f"{fkey}[{i}]", f, prefix, local, title, lists) for i, f in enumerate(raw_fields)]
    fields = [f for f in fields if f]
    required = ck.get(file, key, raw, "required", list, default=[])
    for name in required:
        if name not in local:
            ck.fail(file, f"{key}.required", f"khối '{use}' không có trường '{name}'")
    if required:
        fields = [replace(f, required=True) if f.name[len(prefix):] in required else f for f in fields]
    return Section(title, title_en, tuple(fields), use)


def _time_limit(ck: _Checker, file: str, raw: Any) -> TimeLimit:
    raw = ck.table(file, "time_limit", raw, ("kind", "value", "steps", "extended_value", "extended_when", "note"))
    kind = ck.get(file, "time_limit", raw, "kind", str, required=True, default="none", choices=TIME_LIMIT_KINDS)
    value = raw.get("value")
    if kind in ("hours", "days"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 \
                or (kind == "days" and not isinstance(value, int)):
            ck.fail(file, "time_limit.value", "cần số dương (số ngày là số nguyên)")
            value = 1
    elif value is not None:
        ck.fail(file, "time_limit.value", f"thời hạn kiểu '{kind}' không có 'value'")
        value = None
    steps = ck.get(file, "time_limit", raw, "steps", list, default=[])
    if steps and (not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in steps)
                  or sum(steps) != value):
        ck.fail(file, "time_limit.steps", f"các bước phải là số ngày nguyên dương, tổng bằng value ({value})")
    extended = ck.get(file, "time_limit", raw, "extended_value", int)
    if extended is not None and (kind in ("hours", "none") or extended <= 0
                                 or (kind == "days" and extended <= value)):
        ck.fail(file, "time_limit.extended_value",
                "số ngày làm việc khi phải xác minh: số nguyên dương, lớn hơn value nếu thời hạn tính theo ngày")
    return TimeLimit(kind, value, tuple(steps), extended,
                     ck.get(file, "time_limit", raw, "extended_when", str, default=""),
                     ck.get(file, "time_limit", raw, "note", str, default=""))


def _fee(ck: _Checker, file: str, key: str, raw: Any, extra: bool = False) -> Fee:
    allowed = ["kind", "amount", "tiers", "cap_per_copy", "pages_field", "copies_field", "label",
               "province_set", "note"]
    allowed += ["when_field"] if extra else ["exemptions", "extras"]
    raw = ck.table(file, key, raw, allowed)
    g = lambda name, kind, **kw: ck.get(file, key, raw, name, kind, **kw)  # noqa: E731
    kind = g("kind", str, required=True, default="free", choices=FEE_KINDS)
    amount = g("amount", int, required=kind in ("fixed", "per_copy"), default=0)
    if amount < 0:
        ck.fail(file, f"{key}.amount", "số tiền không được âm")
    tiers: list[tuple[int, int]] = []
    if kind == "per_page":
        for i, t in enumerate(g("tiers", list, required=True, default=[])):
            t = ck.table(file, f"{key}.tiers[{i}]", t, ("from_page", "amount"))
            tiers.append((ck.get(file, f"{key}.tiers[{i}]", t, "from_page", int, required=True, default=1),
                          ck.get(file, f"{key}.tiers[{i}]", t, "amount", int, required=True, default=0)))
        starts = [s for s, _ in tiers]
        if tiers and (starts[0] != 1 or starts != sorted(set(starts))):
            ck.fail(file, f"{key}.tiers", "bậc đầu tiên bắt đầu từ trang 1, các bậc tăng dần")
        if not g("pages_field", str):
            ck.fail(file, key, "phí theo trang cần 'pages_field'")
    exemptions = []
    for i, e in enumerate(g("exemptions", list, default=[]) if not extra else []):
        where = f"{key}.exemptions[{i}]"
        e = ck.table(file, where, e, ("kind", "reason", "field", "days", "values"))
        ekind = ck.get(file, where, e, "kind", str, required=True, default="field_set", choices=EXEMPTION_KINDS)
        days = ck.get(file, where, e, "days", int, required=ekind == "within_days")
        exemptions.append(Exemption(ekind, ck.get(file, where, e, "reason", str, required=True, default=""),
                                    ck.get(file, where, e, "field", str, required=True, default=""), days,
                                    tuple(str(v) for v in ck.get(file, where, e, "values", list,
                                                                 required=ekind == "field_in", default=[]))))
    extras = tuple(_fee(ck, file, f"{key}.extras[{i}]", x, extra=True)
                   for i, x in enumerate(g("extras", list, default=[]) if not extra else []))
    cap = g("cap_per_copy", int)
    return Fee(kind, amount, tuple(tiers), cap, g("pages_field", str), g("copies_field", str),
               g("when_field", str) if extra else None, g("label", str, default=""), tuple(exemptions),
               extras, g("province_set", bool, default=False), g("note", str, default=""))


def _check_refs(ck: _Checker, proc: Procedure) -> None:
    by_name = {}
    file = proc.source
    for f in proc.fields:
        if f.name in by_name:
            ck.fail(file, f"sections ({f.section})", f"trường '{f.name}' bị trùng tên")
        by_name[f.name] = f
    for f in proc.fields:
        for attr in _REF_KEYS:
            target = getattr(f, attr)
            if target and target not in by_name:
                ck.fail(file, f"{f.name}.{attr}", f"trường '{target}' không có trong thủ tục")
        if f.free_when and f.free_when[0] not in by_name:
            ck.fail(file, f"{f.name}.free_when.field", f"trường '{f.free_when[0]}' không có trong thủ tục")
        if f.required_if and f.required_if in by_name and by_name[f.required_if].type != "bool":
            ck.fail(file, f"{f.name}.required_if", "phải trỏ tới một trường kiểu bool")
        if f.generated and not f.source:
            ck.fail(file, f"{f.name}.source", "trường tự sinh cần 'source'")
        if f.type == "id12" and f.birth_field and f.birth_field in by_name \
                and by_name[f.birth_field].type != "date":
            ck.fail(file, f"{f.name}.birth_field", "phải trỏ tới một trường ngày")
    fees = [("fee", proc.fee)] + [(f"fee.extras[{i}]", x) for i, x in enumerate(proc.fee.extras)]
    for key, fee in fees:
        for attr, want in (("pages_field", "number"), ("copies_field", "number"), ("when_field", "bool")):
            target = getattr(fee, attr)
            if target and (target not in by_name or by_name[target].type != want):
                ck.fail(file, f"{key}.{attr}", f"cần một trường kiểu {want} có trong thủ tục ('{target}')")
    for i, ex in enumerate(proc.fee.exemptions):
        if ex.field not in by_name:
            ck.fail(file, f"fee.exemptions[{i}].field", f"trường '{ex.field}' không có trong thủ tục")
        elif ex.kind == "within_days" and by_name[ex.field].type != "date":
            ck.fail(file, f"fee.exemptions[{i}].field", "miễn theo số ngày cần một trường ngày")


def _procedure(ck: _Checker, raw: Any, index: int, blocks: dict, lists, fields_of_work) -> Procedure | None:
    file = raw.get("source") if isinstance(raw, dict) and isinstance(raw.get("source"), str) else f"procedures[{index}]"
    raw = ck.table(file, "", raw, ("code", "name", "name_en", "field_of_work", "legal_basis", "declaration",
                                   "two_hour_model", "same_day_cutoff", "online", "time_limit", "fee",
                                   "documents", "sections", "order", "source"))
    if not raw:
        return None
    g = lambda name, kind, **kw: ck.get(file, "", raw, name, kind, **kw)  # noqa: E731
    code = g("code", str, required=True, default="")
    if code and not _CODE.match(code):
        ck.fail(file, "code", f"mã '{code}' không đúng dạng mã TTHC (ví dụ 1.001193) hoặc mã nội bộ (ví dụ XH.HUUTRI)")
    fow = g("field_of_work", str, required=True, default="")
    if fow and fow not in fields_of_work:
        ck.fail(file, "field_of_work", f"lĩnh vực '{fow}' không có trong catalog.toml; có: {', '.join(fields_of_work)}")
    cutoff = g("same_day_cutoff", str, default="15:00")
    if not _HHMM.match(cutoff):
        ck.fail(file, "same_day_cutoff", "dạng 'HH:MM', ví dụ '15:00'")
    documents = []
    for i, d in enumerate(g("documents", list, default=[])):
        d = ck.table(file, f"documents[{i}]", d, ("name", "mode", "required", "name_en", "note"))
        documents.append(Document(ck.get(file, f"documents[{i}]", d, "name", str, required=True, default=""),
                                  ck.get(file, f"documents[{i}]", d, "mode", str, required=True, default="submit",
                                         choices=DOCUMENT_MODES),
                                  ck.get(file, f"documents[{i}]", d, "required", bool, default=True),
                                  ck.get(file, f"documents[{i}]", d, "name_en", str, default=""),
                                  ck.get(file, f"documents[{i}]", d, "note", str, default="")))
    raw_sections = g("sections", list, required=True, default=[])
    sections = [_section(ck, file, f"sections[{i}]", s, blocks, lists) for i, s in enumerate(raw_sections)]
    if "time_limit" not in raw:
        ck.fail(file, "time_limit", "thiếu khóa bắt buộc")
    if "fee" not in raw:
        ck.fail(file, "fee", "thiếu khóa bắt buộc")
    proc = Procedure(
        code=code, name=g("name", str, required=True, default=""), field_of_work=fow,
        time_limit=_time_limit(ck, file, raw.get("time_limit", {"kind": "none"})),
        fee=_fee(ck, file, "fee", raw.get("fee", {"kind": "free"})),
        sections=tuple(s for s in sections if s), documents=tuple(documents),
        name_en=g("name_en", str, default=""), legal_basis=g("legal_basis", str, default=""),
        declaration=g("declaration", bool, default=True), two_hour_model=g("two_hour_model", bool, default=False),
        same_day_cutoff=cutoff, online=g("online", str, default="mot_phan", choices=ONLINE_LEVELS), order=g("order", int, default=100),
        source=file)
    _check_refs(ck, proc)
    return proc


def _lists(ck: _Checker, raw: Any) -> dict[str, tuple[Option, ...]]:
    raw = ck.table("lists", "", raw, tuple(LIST_FILES))
    out: dict[str, tuple[Option, ...]] = {}
    specs = {"ethnic_groups": ("code", "name", "aliases"),
             "nationalities": ("code", "name", "name_en", "aliases"),
             "provinces": ("code", "name", "kind", "merged_from", "aliases"),
             "birth_registration_codes": ("code", "name", "now_in")}
    for name, file in LIST_FILES.items():
        items = raw.get(name)
        if not isinstance(items, list) or not items:
            ck.fail(file, name, "thiếu danh sách hoặc danh sách rỗng")
            out[name] = ()
            continue
        opts = []
        for i, item in enumerate(items):
            where = f"{name}[{i}]"
            item = ck.table(file, where, item, specs[name])
            code = ck.get(file, where, item, "code", str, required=True, default="")
            value = ck.get(file, where, item, "name", str, required=True, default="")
            aliases = tuple(str(a) for a in ck.get(file, where, item, "aliases", list, default=[]))
            opts.append(Option(value, value, ck.get(file, where, item, "name_en", str, default="") or "",
                               aliases, code))
        for attr in ("code", "value"):
            seen = [getattr(o, attr) for o in opts]
            for dup in sorted({v for v in seen if seen.count(v) > 1}):
                ck.fail(file, name, f"'{dup}' bị lặp")
        out[name] = tuple(opts)
    return out


def _holidays(ck: _Checker, raw: Any, file: str = "holidays.toml") -> tuple[Holiday, ...]:
    raw = ck.table(file, "", raw, ("source", "note", "days_off", "working_days"))
    out: list[Holiday] = []
    seen: dict[str, str] = {}
    for group, working in (("days_off", False), ("working_days", True)):
        for i, item in enumerate(ck.get(file, "", raw, group, list, required=not working, default=[])):
            where = f"{group}[{i}]"
            item = ck.table(file, where, item, ("date", "name", "tentative"))
            text = ck.get(file, where, item, "date", str, required=True, default="")
            try:
                day = date.fromisoformat(text)
            except ValueError:
                ck.fail(file, f"{where}.date", f"ngày '{text}' không hợp lệ; dạng YYYY-MM-DD")
                continue
            if text in seen:
                ck.fail(file, f"{where}.date", f"ngày {text} đã có ở {seen[text]}")
            seen[text] = where
            if working and day.weekday() < 5:
                ck.fail(file, f"{where}.date", f"ngày làm bù {text} không phải thứ Bảy hoặc Chủ nhật")
            out.append(Holiday(day, ck.get(file, where, item, "name", str, required=True, default=""),
                               working, ck.get(file, where, item, "tentative", bool, default=False)))
    return tuple(sorted(out, key=lambda h: h.day))


def _build(data: dict, source: str) -> Catalog:
    ck = _Checker()
    data = ck.table(source, "", data, ("format", "version", "fields_of_work", "blocks", "lists", "holidays",
                                       "procedures"))
    fmt = ck.get("catalog.toml", "", data, "format", int, required=True, default=FORMAT)
    if fmt != FORMAT:
        ck.fail("catalog.toml", "format", f"phiên bản định dạng {fmt} không được hỗ trợ (cần {FORMAT})")
    ck.get("catalog.toml", "", data, "version", str, required=True, default="")
    fields_of_work: dict[str, FieldOfWork] = {}
    for i, f in enumerate(ck.get("catalog.toml", "", data, "fields_of_work", list, required=True, default=[])):
        where = f"fields_of_work[{i}]"
        f = ck.table("catalog.toml", where, f, ("code", "name", "name_en"))
        code = ck.get("catalog.toml", where, f, "code", str, required=True, default="")
        if code in fields_of_work:
            ck.fail("catalog.toml", f"{where}.code", f"lĩnh vực '{code}' bị lặp")
        fields_of_work[code] = FieldOfWork(code, ck.get("catalog.toml", where, f, "name", str, required=True,
                                                        default=""),
                                           ck.get("catalog.toml", where, f, "name_en", str, default=""))
    blocks = data.get("blocks") or {}
    if not isinstance(blocks, dict):
        ck.fail("blocks.toml", "", "phải là các bảng [tên_khối]")
        blocks = {}
    for bname, block in blocks.items():
        ck.table("blocks.toml", bname, block, ("title", "title_en", "prefix", "fields"))
    lists = _lists(ck, data.get("lists") or {})
    holidays = _holidays(ck, data.get("holidays") or {})
    procedures: dict[str, Procedure] = {}
    raw_procs = data.get("procedures")
    if not isinstance(raw_procs, list) or not raw_procs:
        ck.fail("procedures/", "", "không có thủ tục nào")
        raw_procs = []
    for i, raw in enumerate(raw_procs):
        proc = _procedure(ck, raw, i, blocks, lists, fields_of_work)
        if proc is None:
            continue
        if proc.code in procedures:
            ck.fail(proc.source, "code", f"mã {proc.code} đã dùng ở {procedures[proc.code].source}")
        procedures[proc.code] = proc
    if ck.problems:
        raise CatalogError(ck.problems)
    field_index = {code: i for i, code in enumerate(fields_of_work)}
    ordered = dict(sorted(procedures.items(), key=lambda item: (field_index.get(item[1].field_of_work, 99),
                                                                 item[1].order, item[1].name)))
    return Catalog(data, ordered, fields_of_work, lists, holidays)


def load_holidays(path: str | os.PathLike | None = None) -> tuple[Holiday, ...]:
    """Holidays and make-up working days from a TOML file (default: the built-in ``holidays.toml``)."""
    file = Path(path) if path else CATALOG_DIR / "holidays.toml"
    ck = _Checker()
    raw = _read_toml(file, file.name, ck)
    holidays = _holidays(ck, raw, file.name) if not ck.problems else ()
    if ck.problems:
        raise CatalogError(ck.problems)
    return holidays


# --- communes (sample list for autocomplete) -----------------------------------------------

def load_communes(path: str | os.PathLike | None = None) -> dict[str, tuple[str, ...]]:
    """Province code → commune/ward names, from ``communes*.toml`` (a sample ships; add more files).

    Each file holds ``[[communes]]`` tables with ``province`` (2-digit code) and ``name``.
    """
    root = Path(path) if path else CATALOG_DIR
    files = [root] if root.is_file() else sorted(root.glob("communes*.toml"))
    ck = _Checker()
    out: dict[str, list[str]] = {}
    for file in files:
        content = _read_toml(file, file.name, ck)
        for i, item in enumerate(content.get("communes", []) if content else []):
            where = f"communes[{i}]"
            item = ck.table(file.name, where, item, ("province", "name", "code", "merged_from"))
            province = ck.get(file.name, where, item, "province", str, required=True, default="")
            name = ck.get(file.name, where, item, "name", str, required=True, default="")
            if name:
                out.setdefault(province, []).append(name)
    if ck.problems:
        raise CatalogError(ck.problems)
    return {k: tuple(v) for k, v in out.items()}
