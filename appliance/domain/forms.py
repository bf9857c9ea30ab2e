"""The printed papers' versions and the words every paper shares. Pure.

* **Versions by effective date.** Each paper (``to-khai``, ``mau-01`` … ``mau-07``) has one or more
  :class:`FormVersion` (data: ``appliance/catalog/forms.toml``): the one that applies on a day is
  the latest whose ``effective`` date is not after it (:func:`version_for`). The forms of the new
  Luật Hộ tịch (reported from 1/3/2027, ``confirmed = false``) ship ahead and switch on the day.
* **The unit's name** (``[office].unit_name``): "Trung tâm Phục vụ hành chính công xã …" (NĐ 118/2025
  Đ1) made from the office's name unless set; never a hard-coded pre-2025 name.
* **The place on the date line** (``[office].place_name``): "Gia Lâm, ngày … tháng … năm …".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import MotcuaError

PAPERS = ("to-khai", "mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06", "mau-07")
ALIASES = {"phieu-xin-loi": "mau-04"}          # former names of a paper, still accepted in links
UNIT_PREFIX = "Trung tâm Phục vụ hành chính công"
_LEVEL = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.I)
_COMMUNE = re.compile(r"^(xã|phường|đặc khu|thị trấn)\s+", re.I)


class FormVersionError(MotcuaError):
    """The form versions data is wrong; the message names the entry, in Vietnamese."""


@dataclass(frozen=True)
class FormVersion:
    form: str                 # one of PAPERS
    version: str              # e.g. TT03-2025
    effective: date
    template: str             # the Jinja template that prints it
    title: str
    basis: str                # the text it is issued under (printed in small print)
    confirmed: bool = True    # False: reported, not yet checked against a published text
    note: str = ""


def parse_versions(raw: Any, source: str = "forms.toml") -> tuple[FormVersion, ...]:
    """``[[forms]]`` tables → checked versions; every mistake is named (paper, version, key)."""
    problems: list[str] = []
    items = raw.get("forms") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise FormVersionError(f"Tệp {source}: thiếu danh sách [[forms]].")
    out: list[FormVersion] = []
    seen: set[tuple[str, date]] = set()
    keys = {"form", "version", "effective", "template", "title", "basis", "confirmed", "note"}
    for i, item in enumerate(items):
        where = f"forms[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một bảng")
            continue
        for key in set(item) - keys:
            problems.append(f"{where}.{key}: khóa không hợp lệ")
        missing = [k for k in ("form", "version", "effective", "template", "title", "basis") if not item.get(k)]
        if missing:
            problems.append(f"{where}: thiếu {', '.join(missing)}")
            continue
        if item["form"] not in PAPERS:
            problems.append(f"{where}.form: '{item['form']}' không phải mẫu đã biết ({', '.join(PAPERS)})")
            continue
        try:
            effective = item["effective"] if isinstance(item["effective"], date) else \
                date.fromisoformat(str(item["effective"]))
        except ValueError:
            problems.append(f"{where}.effective: ngày '{item['effective']}' không hợp lệ; dạng YYYY-MM-DD")
            continue
        if (item["form"], effective) in seen:
            problems.append(f"{where}: mẫu {item['form']} đã có một phiên bản hiệu lực từ {effective.isoformat()}")
        seen.add((item["form"], effective))
        out.append(FormVersion(item["form"], str(item["version"]), effective, str(item["template"]),
                               str(item["title"]), str(item["basis"]), bool(item.get("confirmed", True)),
                               str(item.get("note", ""))))
    for paper in PAPERS:
        if not any(v.form == paper for v in out) and not problems:
            problems.append(f"mẫu {paper} chưa có phiên bản nào")
    if problems:
        raise FormVersionError(f"Tệp {source} có lỗi: " + "; ".join(problems))
    return tuple(sorted(out, key=lambda v: (PAPERS.index(v.form), v.effective)))


def version_for(versions: Iterable[FormVersion], form: str, on: date) -> FormVersion:
    """The version of ``form`` in force on ``on``: the latest effective on or before it (a paper
    dated before every version gets the earliest shipped)."""
    form = ALIASES.get(form, form)
    mine = sorted((v for v in versions if v.form == form), key=lambda v: v.effective)
    if not mine:
        raise FormVersionError(f"Không có phiên bản nào của mẫu {form}.")
    current = mine[0]
    for version in mine:
        if version.effective <= on:
            current = version
    return current


def upcoming(versions: Iterable[FormVersion], on: date) -> list[FormVersion]:
    """Versions that take effect after ``on`` (the admin page lists them with their date)."""
    return [v for v in versions if v.effective > on]


def commune_name(office_name: str) -> str:
    """``UBND xã Gia Lâm`` → ``xã Gia Lâm``."""
    return _LEVEL.sub("", (office_name or "").strip())


def unit_name(office: Any) -> str:
    """The one-stop unit's name: ``[office].unit_name`` when set, else "Trung tâm Phục vụ hành chính
    công" + the commune (from ``[office].name``)."""
    own = (getattr(office, "unit_name", "") or "").strip()
    if own:
        return own
    commune = commune_name(getattr(office, "name", ""))
    return f"{UNIT_PREFIX} {commune}" if commune else f"{UNIT_PREFIX} xã"


def place_name(office: Any) -> str:
    """The place written before the date: ``[office].place_name``, else the commune's own name
    (``UBND xã Gia Lâm`` → ``Gia Lâm``)."""
    own = (getattr(office, "place_name", "") or "").strip()
    if own:
        return own
    return _COMMUNE.sub("", commune_name(getattr(office, "name", ""))).strip()


def place_date(place: str, day_text: str) -> str:
    """``Gia Lâm, ngày 30 tháng 11 năm 2026`` (``day_text`` from ``dossier_papers.day_words``)."""
    return f"{place}, {day_text}" if place else day_text[:1].upper() + day_text[1:]


def receipt_book(office: Any, year: int) -> str:
    """Quyển số of the Sổ theo dõi hồ sơ printed on Mẫu 01: ``01/2026``."""
    volume = int(getattr(office, "receipt_book_volume", 1) or 1)
    return f"{volume:02d}/{year}"
