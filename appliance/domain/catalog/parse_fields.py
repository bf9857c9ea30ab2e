"""Parsing of declaration fields, option lists and sections (with shared field blocks). Pure."""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from appliance.domain.fields import FIELD_TYPES, GENERATORS, FieldSpec, Option

from .model import Condition, CrossCheck, Section
from .problems import Checker

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD_KEYS = ("name", "label", "label_en", "type", "required", "required_unless", "required_if",
               "uppercase", "max_length", "partial", "future", "min", "max", "options", "options_from",
               "allow_other", "free_when", "birth_field", "sex_field", "generated", "source", "paper",
               "sensitive", "default", "help")


def _options(ck: Checker, file: str, key: str, raw: Any) -> tuple[Option, ...]:
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


def _field(ck: Checker, file: str, key: str, raw: Any, prefix: str, local: set[str], section: str,
           lists: dict[str, tuple[Option, ...]]) -> FieldSpec | None:
    raw = ck.table(file, key, raw, _FIELD_KEYS)
    if not raw:
        return None
    g = functools.partial(ck.get, file, key, raw)
    name = g("name", str, required=True, default="")
    if name and not NAME.match(name):
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


def checks(ck: Checker, file: str, key: str, raw: Any, prefix: str, local: set[str], names: dict[str, FieldSpec],
           section_title: str = "", section_title_en: str = "") -> tuple[CrossCheck, ...]:
    """``[[checks]]``: warnings when every ``when`` condition holds. Field names inside a block are
    the block's own (prefixed here); every field named must exist and a min/max needs a number."""
    if not isinstance(raw, list):
        ck.fail(file, key, "phải là danh sách các bảng kiểm tra")
        return ()

    def ref(name: str) -> str:
        return prefix + name if name in local else name

    out = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        item = ck.table(file, where, item, ("field", "when", "message", "message_en"))
        field = ref(ck.get(file, where, item, "field", str, required=True, default=""))
        if field and field not in names:
            ck.fail(file, f"{where}.field", f"trường '{field}' không có")
        conditions = []
        for j, c in enumerate(ck.get(file, where, item, "when", list, required=True, default=[])):
            cwhere = f"{where}.when[{j}]"
            c = ck.table(file, cwhere, c, ("field", "in", "min", "max"))
            cfield = ref(ck.get(file, cwhere, c, "field", str, required=True, default=""))
            values = tuple(str(v) for v in ck.get(file, cwhere, c, "in", list, default=[]))
            low, high = ck.get(file, cwhere, c, "min", int), ck.get(file, cwhere, c, "max", int)
            spec = names.get(cfield)
            if spec is None:
                ck.fail(file, f"{cwhere}.field", f"trường '{cfield}' không có")
            elif (low is not None or high is not None) and spec.type != "number":
                ck.fail(file, cwhere, f"min/max chỉ dùng cho trường kiểu number ('{cfield}' là {spec.type})")
            elif values and spec.options and not all(spec.option_for(v) for v in values):
                ck.fail(file, f"{cwhere}.in", f"giá trị không có trong lựa chọn của '{cfield}'")
            if not values and low is None and high is None:
                ck.fail(file, cwhere, "cần 'in' hoặc 'min'/'max'")
            conditions.append(Condition(cfield, values, low, high))
        if not conditions:
            ck.fail(file, f"{where}.when", "cần ít nhất một điều kiện")
        out.append(CrossCheck(field, tuple(conditions), ck.get(file, where, item, "message", str, required=True,
                                                               default=""),
                              ck.get(file, where, item, "message_en", str, default=""), section_title,
                              section_title_en))
    return tuple(out)


def section(ck: Checker, file: str, key: str, raw: Any, blocks: dict[str, Any],
            lists: dict[str, tuple[Option, ...]]) -> Section | None:
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
        raw_checks, ckey = block.get("checks", []), f"{use}.checks"
        if "fields" in raw:
            ck.fail(file, f"{key}.fields", "một phần dùng khối ('use') thì không khai thêm 'fields'")
    else:
        prefix = ""
        title = ck.get(file, key, raw, "title", str, required=True, default="")
        title_en = ck.get(file, key, raw, "title_en", str, default="")
        raw_fields = ck.get(file, key, raw, "fields", list, required=True, default=[])
        fkey, ffile = f"{key}.fields", file
        raw_checks, ckey = [], ""
    local = {str(f["name"]) for f in raw_fields if isinstance(f, dict) and f.get("name") is not None}
    parsed = [_field(ck, ffile, f"{fkey}[{i}]", f, prefix, local, title, lists) for i, f in enumerate(raw_fields)]
    fields = [f for f in parsed if f]
    required = ck.get(file, key, raw, "required", list, default=[])
    for name in required:
        if name not in local:
            ck.fail(file, f"{key}.required", f"khối '{use}' không có trường '{name}'")
    if required:
        fields = [replace(f, required=True) if f.name[len(prefix):] in required else f for f in fields]
    found = checks(ck, "blocks.toml", ckey, raw_checks, prefix, local, {f.name: f for f in fields}, title, title_en) \
        if raw_checks else ()
    return Section(title, title_en, tuple(fields), use, found)

