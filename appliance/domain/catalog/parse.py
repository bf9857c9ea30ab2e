"""Already-loaded catalog data (dicts, as read from TOML or JSON) → a checked :class:`Catalog`. Pure.

Every mistake is collected with its file and key and raised together as one :class:`CatalogError`;
nothing is built unless the whole of it is valid. Reading the files is
:mod:`appliance.catalog.loader`'s job.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from appliance.domain.fields import Option

from .model import Catalog, FieldOfWork, Holiday, Procedure
from .parse_procedure import procedure
from .parse_unconfirmed import check_not_printed, unconfirmed
from .problems import CatalogError, Checker, Problem

FORMAT = 1
FIELD_CODE = re.compile(r"^[A-Z]\d{2}-[A-Z][A-Z0-9]{1,9}$")
"""A national field code: ministry letter and two digits, then the field (TT 01/2018 Điều 20)."""
LIST_FILES = {"ethnic_groups": "ethnic_groups.toml", "nationalities": "nationalities.toml",
              "provinces": "provinces.toml", "birth_registration_codes": "provinces.toml"}


def plain(value: Any) -> Any:
    """TOML dates → ISO strings so that the data is JSON as it is."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _lists(ck: Checker, raw: Any) -> dict[str, tuple[Option, ...]]:
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


def _holidays(ck: Checker, raw: Any, file: str = "holidays.toml") -> tuple[Holiday, ...]:
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


def _fields_of_work(ck: Checker, data: dict[str, Any]) -> dict[str, FieldOfWork]:
    """The fields of work with their national ``MX1X2-LV`` codes; each former code belongs to one field."""
    file = "catalog.toml"
    out: dict[str, FieldOfWork] = {}
    former: dict[str, str] = {}
    items = ck.get(file, "", data, "fields_of_work", list, required=True, default=[])
    for i, f in enumerate(items):
        where = f"fields_of_work[{i}]"
        f = ck.table(file, where, f, ("code", "name", "name_en", "ministry", "former_codes", "to_confirm"))
        code = ck.get(file, where, f, "code", str, required=True, default="")
        if code and not FIELD_CODE.match(code):
            ck.fail(file, f"{where}.code", f"mã lĩnh vực '{code}' không đúng dạng MX1X2-LV (TT 01/2018 Điều 20), "
                    "ví dụ G05-HT")
        if code in out:
            ck.fail(file, f"{where}.code", f"lĩnh vực '{code}' bị lặp")
        olds = tuple(str(c) for c in ck.get(file, where, f, "former_codes", list, default=[]))
        for old in olds:
            if old in former or old in out:
                ck.fail(file, f"{where}.former_codes", f"mã cũ '{old}' đã thuộc lĩnh vực {former.get(old, old)}")
            former[old] = code
        out[code] = FieldOfWork(code, ck.get(file, where, f, "name", str, required=True, default=""),
                                ck.get(file, where, f, "name_en", str, default=""),
                                ck.get(file, where, f, "ministry", str, default=""), olds,
                                unconfirmed(ck, file, f"{where}.to_confirm", f.get("to_confirm", []), code))
    return out


def _build(data: dict[str, Any], source: str) -> Catalog:
    ck = Checker()
    data = ck.table(source, "", data, ("format", "version", "fields_of_work", "to_confirm", "blocks", "lists",
                                       "holidays", "procedures"))
    fmt = ck.get("catalog.toml", "", data, "format", int, required=True, default=FORMAT)
    if fmt != FORMAT:
        ck.fail("catalog.toml", "format", f"phiên bản định dạng {fmt} không được hỗ trợ (cần {FORMAT})")
    ck.get("catalog.toml", "", data, "version", str, required=True, default="")
    fields_of_work = _fields_of_work(ck, data)
    to_confirm = unconfirmed(ck, "catalog.toml", "to_confirm", data.get("to_confirm", []), "catalog")
    blocks = data.get("blocks") or {}
    if not isinstance(blocks, dict):
        ck.fail("blocks.toml", "", "phải là các bảng [tên_khối]")
        blocks = {}
    for bname, block in blocks.items():
        ck.table("blocks.toml", bname, block, ("title", "title_en", "prefix", "fields", "checks"))
    lists = _lists(ck, data.get("lists") or {})
    holidays = _holidays(ck, data.get("holidays") or {})
    procedures: dict[str, Procedure] = {}
    raw_procs = data.get("procedures")
    if not isinstance(raw_procs, list) or not raw_procs:
        ck.fail("procedures/", "", "không có thủ tục nào")
        raw_procs = []
    for i, raw in enumerate(raw_procs):
        proc = procedure(ck, raw, i, blocks, lists, fields_of_work)
        if proc is None:
            continue
        check_not_printed(ck, proc.source, proc.legal_basis, to_confirm)
        if proc.code in procedures:
            ck.fail(proc.source, "code", f"mã {proc.code} đã dùng ở {procedures[proc.code].source}")
        procedures[proc.code] = proc
    if ck.problems:
        raise CatalogError(ck.problems)
    field_index = {code: i for i, code in enumerate(fields_of_work)}
    ordered = dict(sorted(procedures.items(), key=lambda item: (field_index.get(item[1].field_of_work, 99),
                                                                 item[1].order, item[1].name)))
    return Catalog(data, ordered, fields_of_work, lists, holidays, to_confirm)


def build_catalog(data: dict[str, Any], source: str = "catalog.toml") -> Catalog:
    """Check the raw catalog dict (as assembled from the TOML files) and build the :class:`Catalog`."""
    return _build(data, source)


def catalog_from_json(data: str | bytes | Mapping[str, Any], source: str = "catalog.json") -> Catalog:
    """Build and check a catalog from :meth:`Catalog.as_json` output (text, bytes or the parsed dict)."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CatalogError([Problem(source, "", f"không đọc được JSON: {exc}")]) from None
    if not isinstance(data, Mapping):
        raise CatalogError([Problem(source, "", "phải là một đối tượng JSON")])
    return _build(copy.deepcopy(dict(data)), source)


def parse_holidays(raw: Any, file: str = "holidays.toml") -> tuple[Holiday, ...]:
    """Holidays and make-up working days from the content of a holidays file."""
    ck = Checker()
    holidays = _holidays(ck, raw, file)
    if ck.problems:
        raise CatalogError(ck.problems)
    return holidays


def add_communes(ck: Checker, file: str, content: Any, out: dict[str, list[str]]) -> None:
    """Append the ``[[communes]]`` tables of one file (``province`` 2-digit code, ``name``) to ``out``."""
    for i, item in enumerate(content.get("communes", []) if content else []):
        where = f"communes[{i}]"
        item = ck.table(file, where, item, ("province", "name", "code", "merged_from"))
        province = ck.get(file, where, item, "province", str, required=True, default="")
        name = ck.get(file, where, item, "name", str, required=True, default="")
        if name:
            out.setdefault(province, []).append(name)
