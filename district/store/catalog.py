"""Versioned reference data going down to the appliances: the procedure catalog, device config."""
from __future__ import annotations

import functools
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from district.db.schema import catalog_versions, devices
from district.domain.errors import HubError
from district.store.clock import utcnow


def etag_of(document: object) -> str:
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def publish(conn: Connection, content: object, note: str | None = None) -> int:
    """Store a new catalog version (or return the current one if the content is unchanged)."""
    if not isinstance(content, dict):
        raise HubError("invalid_catalog", "Danh mục phải là một đối tượng JSON {…}, ví dụ "
                       '{"procedures": […], "fields": […]}', "catalog")
    etag = etag_of(content)
    latest = conn.execute(select(catalog_versions.c.version, catalog_versions.c.etag)
                          .order_by(catalog_versions.c.version.desc()).limit(1)).first()
    if latest is not None and latest.etag == etag:
        return latest.version
    return conn.execute(catalog_versions.insert().values(etag=etag, content=content, published_at=utcnow(),
                                                         note=note).returning(catalog_versions.c.version)).scalar_one()


def latest(conn: Connection):
    """``(version, etag, content, published_at)`` of the newest catalog, or ``None``."""
    return conn.execute(select(catalog_versions.c.version, catalog_versions.c.etag, catalog_versions.c.content,
                               catalog_versions.c.published_at)
                        .order_by(catalog_versions.c.version.desc()).limit(1)).first()


FEE_PACK_KEY = "fee_pack"


def publish_fee_pack(conn: Connection, pack: dict) -> str:
    """Store the province's fee pack (checked by the caller); returns its ETag."""
    from district.db.schema import meta
    from district.store.upsert import insert
    text = json.dumps(pack, ensure_ascii=False, sort_keys=True)
    stmt = insert(conn, meta).values(key=FEE_PACK_KEY, value=text)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": text}))
    return etag_of(pack)


def fee_pack(conn: Connection) -> dict | None:
    from district.db.schema import meta
    value = conn.execute(select(meta.c.value).where(meta.c.key == FEE_PACK_KEY)).scalar()
    return json.loads(value) if value else None


def field_names(conn: Connection) -> dict[str, str]:
    """Field (lĩnh vực) names from the newest catalog's ``fields_of_work`` (the published appliance
    catalog), or a legacy ``fields`` list."""
    row = latest(conn)
    content = (row.content or {}) if row else {}
    fields = content.get("fields_of_work") or content.get("fields")
    if not isinstance(fields, list):
        return {}
    return {f["code"]: f["name"] for f in fields if isinstance(f, dict) and "code" in f and "name" in f}


def device_config(conn: Connection, device_id: str, hub_name: str, hub_level: str) -> dict | None:
    row = conn.execute(select(devices.c.id, devices.c.commune_code, devices.c.commune_name, devices.c.config)
                       .where(devices.c.id == device_id)).first()
    if row is None:
        return None
    cat = latest(conn)
    return {"device_id": row.id, "commune_code": row.commune_code, "commune_name": row.commune_name,
            "hub_name": hub_name, "hub_level": hub_level, "catalog_version": cat.version if cat else None,
            "settings": row.config or {}}


def english_names() -> tuple[dict[str, str], dict[str, str]]:
    """(procedure code → English name, field of work code or former code → English name) from the
    appliances' built-in catalog: the names the hub's English pages show (what it does not name stays
    Vietnamese, marked ``lang="vi"``)."""
    return _english_names()


@functools.cache
def _english_names() -> tuple[dict[str, str], dict[str, str]]:
    from appliance.catalog.loader import load_catalog
    built_in = load_catalog()
    procedures = {code: p.name_en for code, p in built_in.procedures.items() if p.name_en}
    fields: dict[str, str] = {}
    for code, f in built_in.fields_of_work.items():
        if f.name_en:
            fields[code] = f.name_en
            for old in f.former_codes:
                fields.setdefault(old, f.name_en)
    for short, code in (("HT", "G05-HT"), ("CT", "G05-CT"), ("BTXH", "G18-BTXH")):
        if code in fields:
            fields.setdefault(short, fields[code])
    fields.setdefault("LDTBXH", "Labour, invalids and social affairs")
    fields.setdefault("DD", "Land")
    fields.setdefault("XD", "Construction")
    return procedures, fields
