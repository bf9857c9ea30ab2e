"""Parsing of one procedure: time limit, fee with exemptions and extras, cross-field references. Pure."""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from appliance.domain.fields import Option

from .model import DEFAULT_PLEDGE, Document, Exemption, Fee, Procedure, TimeLimit
from .parse_fields import checks, section
from .parse_unconfirmed import check_not_printed, unconfirmed
from .problems import Checker

TIME_LIMIT_KINDS = ("immediate", "same_day", "hours", "days", "none")
FEE_KINDS = ("free", "fixed", "per_copy", "per_page")
EXEMPTION_KINDS = ("within_days", "field_set", "field_in")
DOCUMENT_MODES = ("submit", "show")
ONLINE_LEVELS = ("toan_trinh", "mot_phan", "khong")
_CODE = re.compile(r"^(\d\.\d{6}|[A-Z]{2,3}(\.[A-Z0-9\-]+)+)$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_REF_KEYS = ("required_unless", "required_if", "birth_field", "sex_field", "source")


def _time_limit(ck: Checker, file: str, raw: Any) -> TimeLimit:
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


def _fee(ck: Checker, file: str, key: str, raw: Any, extra: bool = False) -> Fee:
    allowed = ["kind", "amount", "tiers", "cap_per_copy", "pages_field", "copies_field", "label",
               "label_en", "province_set", "note"]
    allowed += ["when_field"] if extra else ["exemptions", "extras"]
    raw = ck.table(file, key, raw, allowed)
    g = functools.partial(ck.get, file, key, raw)
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
        e = ck.table(file, where, e, ("kind", "reason", "reason_en", "field", "days", "values"))
        ekind = ck.get(file, where, e, "kind", str, required=True, default="field_set", choices=EXEMPTION_KINDS)
        days = ck.get(file, where, e, "days", int, required=ekind == "within_days")
        exemptions.append(Exemption(ekind, ck.get(file, where, e, "reason", str, required=True, default=""),
                                    ck.get(file, where, e, "field", str, required=True, default=""), days,
                                    tuple(str(v) for v in ck.get(file, where, e, "values", list,
                                                                 required=ekind == "field_in", default=[])),
                                    ck.get(file, where, e, "reason_en", str, default="")))
    extras = tuple(_fee(ck, file, f"{key}.extras[{i}]", x, extra=True)
                   for i, x in enumerate(g("extras", list, default=[]) if not extra else []))
    cap = g("cap_per_copy", int)
    return Fee(kind, amount, tuple(tiers), cap, g("pages_field", str), g("copies_field", str),
               g("when_field", str) if extra else None, g("label", str, default=""), tuple(exemptions),
               extras, g("province_set", bool, default=False), g("note", str, default=""),
               g("label_en", str, default=""))


def _check_refs(ck: Checker, proc: Procedure) -> None:
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


def procedure(ck: Checker, raw: Any, index: int, blocks: dict[str, Any], lists: dict[str, tuple[Option, ...]],
              fields_of_work: Mapping[str, Any]) -> Procedure | None:
    source = raw.get("source") if isinstance(raw, dict) else None
    file = source if isinstance(source, str) else f"procedures[{index}]"
    raw = ck.table(file, "", raw, ("code", "name", "name_en", "field_of_work", "legal_basis", "declaration",
                                   "two_hour_model", "same_day_cutoff", "online", "time_limit", "fee",
                                   "documents", "sections", "order", "source", "pledge", "copies_text",
                                   "form_notes", "checks", "to_confirm"))
    if not raw:
        return None
    g = functools.partial(ck.get, file, "", raw)
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
    parsed = [section(ck, file, f"sections[{i}]", s, blocks, lists) for i, s in enumerate(raw_sections)]
    if "time_limit" not in raw:
        ck.fail(file, "time_limit", "thiếu khóa bắt buộc")
    if "fee" not in raw:
        ck.fail(file, "fee", "thiếu khóa bắt buộc")
    sections = [s for s in parsed if s]
    by_name = {f.name: f for s in sections for f in s.fields}
    own_checks = checks(ck, file, "checks", raw.get("checks", []), "", set(), by_name)
    to_confirm = unconfirmed(ck, file, "to_confirm", raw.get("to_confirm", []), code)
    legal_basis = g("legal_basis", str, default="")
    check_not_printed(ck, file, legal_basis, to_confirm)
    copies_text = g("copies_text", str, default="")
    if copies_text and "{copies}" not in copies_text:
        ck.fail(file, "copies_text", "cần chỗ '{copies}' cho số bản")
    proc = Procedure(
        code=code, name=g("name", str, required=True, default=""), field_of_work=fow,
        time_limit=_time_limit(ck, file, raw.get("time_limit", {"kind": "none"})),
        fee=_fee(ck, file, "fee", raw.get("fee", {"kind": "free"})),
        sections=tuple(sections), documents=tuple(documents),
        name_en=g("name_en", str, default=""), legal_basis=legal_basis,
        declaration=g("declaration", bool, default=True), two_hour_model=g("two_hour_model", bool, default=False),
        same_day_cutoff=cutoff, online=g("online", str, default="mot_phan", choices=ONLINE_LEVELS),
        order=g("order", int, default=100), source=file,
        pledge=g("pledge", str, default=DEFAULT_PLEDGE) or DEFAULT_PLEDGE, copies_text=copies_text,
        form_notes=tuple(str(n) for n in g("form_notes", list, default=[])),
        checks=tuple(c for s in sections for c in s.checks) + own_checks, to_confirm=to_confirm)
    _check_refs(ck, proc)
    return proc

