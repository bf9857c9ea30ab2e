"""Procedure catalog: the model, fee rules and the checks that turn loaded data into a :class:`Catalog`. Pure.

- :mod:`.model`: procedures, fees, time limits, holidays and the immutable :class:`Catalog`;
- :mod:`.fees`: :func:`explain_fee` / :func:`compute_fee`;
- :mod:`.parse` (with :mod:`.parse_procedure`, :mod:`.parse_fields`): dict → checked catalog, every
  mistake reported with its file and key in Vietnamese (:class:`CatalogError`);
- :mod:`.problems`: :class:`Problem`, :class:`CatalogError` and the checker that collects them;
- :mod:`.checks`: cross-field warnings kept as data (``[[checks]]``: 'kết hôn lần thứ 2' with 'chưa kết hôn');
- :mod:`.parse_unconfirmed`: ``to_confirm`` items (uncertain citations, codes, limits), never printed as law.

Reading and writing files (the TOML directory, a hub's ``catalog.json``, holidays and commune lists)
is in :mod:`appliance.catalog.loader`. A :class:`Catalog` is immutable; to apply an update, build a
new one with :func:`catalog_from_json` (which checks it the same way) and swap the reference.
"""
from .fees import compute_fee, explain_fee
from .model import (
                    DEFAULT_PLEDGE,
                    Catalog,
                    Condition,
                    CrossCheck,
                    Document,
                    Exemption,
                    Fee,
                    FeeQuote,
                    FieldOfWork,
                    Holiday,
                    Procedure,
                    Section,
                    TimeLimit,
                    Unconfirmed,
)
from .parse import FORMAT, LIST_FILES, add_communes, build_catalog, catalog_from_json, parse_holidays, plain
from .parse_procedure import DOCUMENT_MODES, EXEMPTION_KINDS, FEE_KINDS, ONLINE_LEVELS, TIME_LIMIT_KINDS
from .problems import CatalogError, Checker, Problem

__all__ = [
    "Catalog", "CatalogError", "Checker", "Condition", "CrossCheck", "DEFAULT_PLEDGE", "DOCUMENT_MODES", "Document",
    "EXEMPTION_KINDS", "Exemption",
    "FEE_KINDS", "FORMAT", "Fee", "FeeQuote", "FieldOfWork", "Holiday", "LIST_FILES", "ONLINE_LEVELS",
    "Problem", "Procedure", "Section", "TIME_LIMIT_KINDS", "TimeLimit", "Unconfirmed", "add_communes", "build_catalog",
    "catalog_from_json", "compute_fee", "explain_fee", "parse_holidays", "plain",
]
