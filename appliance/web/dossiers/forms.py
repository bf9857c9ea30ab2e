"""The catalog the dossier pages use (loaded once, or the one the dossier service holds) and the
autocomplete lists of a form. The form's layout itself is pure: :mod:`appliance.domain.dossier_form`.
"""
from __future__ import annotations

import functools

from ...catalog.loader import load_catalog, load_communes
from ...domain.catalog import Catalog, Procedure
from ...domain.dossier_form import widget


def catalog_of(appliance) -> Catalog:
    """The dossier service's catalog when it holds one (the hub may have pushed an update)."""
    service = getattr(appliance, "dossiers", None)
    held = getattr(service, "catalog", None)
    if isinstance(held, Catalog):
        return held
    return _builtin_catalog()


@functools.lru_cache(maxsize=1)
def _builtin_catalog() -> Catalog:
    return load_catalog()


@functools.lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    """Communes ('Phường Hoàn Kiếm, Thành phố Hà Nội') then the 34 provinces, for autocomplete."""
    catalog = _builtin_catalog()
    province_names = {o.code: o.value for o in catalog.provinces}
    out = [f"{name}, {province_names.get(code, '')}".rstrip(", ")
           for code, names in load_communes().items() for name in names]
    out += [o.value for o in catalog.provinces]
    return tuple(dict.fromkeys(out))


def datalists(procedure: Procedure, catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Only the lists this form uses: ``dl-ethnic_groups`` → ('Kinh', 'Tày', …)."""
    out: dict[str, tuple[str, ...]] = {}
    for f in procedure.fields:
        w = widget(f)
        if not w.datalist or w.datalist in out:
            continue
        if w.datalist == "dl-places":
            out[w.datalist] = places()
        elif f.options_from in catalog.lists:
            out[w.datalist] = tuple(o.value for o in catalog.lists[f.options_from])
        else:
            out[w.datalist] = tuple(o.value for o in f.options)
    return out
