"""Counting rules for the legal outcome (trước hạn / đúng hạn / quá hạn) kept as data. Pure.

The rules come from ``appliance/catalog/counting_rules.toml`` (read by
:func:`appliance.catalog.loader.load_counting_rules`); each names its legal basis and how certain it
is (``law``, ``copy``, ``inferred``, ``to_confirm``). They decide:

- whether a refused, withdrawn or stopped dossier counts among the resolved ones (as on time) or is
  left out of the tables (``counts_as``);
- whether the legal clock restarts or pauses while a supplement (Mẫu 02) is awaited;
- whether a Mẫu 04 extension moves the due time the outcome is measured against.

Two deadlines, never one: the legal due time drives the outcome and every report; the model day's
2-hour target only gives a separate "within 2 hours" figure (:func:`target_met`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from appliance.domain.catalog.problems import CatalogError, Checker

CERTAINTIES: dict[str, tuple[str, str]] = {
    "law": ("Theo văn bản pháp luật", "From a legal text"),
    "copy": ("Theo bản sao của tỉnh / biểu mẫu", "From a provincial copy or form"),
    "inferred": ("Suy luận, tỉnh có thể quy định khác", "Our reading: the province may set it otherwise"),
    "to_confirm": ("Cần xác nhận trước khi dùng", "To be confirmed"),
}
CLOSING_STATES = ("refused", "withdrawn", "stopped")
COUNTS_AS = ("on_time", "excluded")
SUPPLEMENT_CLOCKS = ("restart", "pause")
EXTENSION_AGAINST = ("original", "extended")
RULE_NAMES: dict[str, tuple[str, str]] = {
    "refused": ("Hồ sơ từ chối (Mẫu 03)", "Refused dossiers (form 03)"),
    "withdrawn": ("Hồ sơ công dân rút", "Dossiers withdrawn by the citizen"),
    "stopped": ("Hồ sơ dừng giải quyết (Mẫu 05)", "Stopped dossiers (form 05)"),
    "supplement": ("Thời gian chờ bổ sung (Mẫu 02)", "Waiting for documents (form 02)"),
    "extension": ("Gia hạn (Mẫu 04)", "Extension (form 04)"),
}


@dataclass(frozen=True)
class Rule:
    name: str
    value: str
    basis: str
    certainty: str

    @property
    def certain(self) -> bool:
        return self.certainty == "law"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "value": self.value, "basis": self.basis, "certainty": self.certainty}


@dataclass(frozen=True)
class CountingRules:
    rules: tuple[Rule, ...]

    def rule(self, name: str) -> Rule:
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)

    def closing_outcome(self, state: str) -> str | None:
        """The outcome a refused / withdrawn / stopped dossier is counted with (None: left out)."""
        if state not in CLOSING_STATES:
            raise ValueError(f"not a closing state: {state}")
        value = self.rule(state).value
        return None if value == "excluded" else value

    @property
    def supplement_clock(self) -> str:
        return self.rule("supplement").value

    @property
    def extension_moves_due(self) -> bool:
        return self.rule("extension").value == "extended"

    def uncertain(self) -> list[Rule]:
        """The rules that are not read in a legal text (shown to the admin and by ``doctor``)."""
        return [r for r in self.rules if not r.certain]

    def as_dict(self) -> dict[str, Any]:
        return {r.name: r.as_dict() for r in self.rules}


VALUES = {"refused": ("counts_as", COUNTS_AS), "withdrawn": ("counts_as", COUNTS_AS),
          "stopped": ("counts_as", COUNTS_AS), "supplement": ("clock", SUPPLEMENT_CLOCKS),
          "extension": ("outcome_against", EXTENSION_AGAINST)}


def parse_counting_rules(raw: Mapping[str, Any], file: str = "counting_rules.toml") -> CountingRules:
    """Check the TOML tables; every mistake is reported with its key (:class:`CatalogError`)."""
    ck = Checker()
    ck.table(file, "", dict(raw), ("format", *VALUES))
    if raw.get("format") != 1:
        ck.fail(file, "format", "phải là 1")
    rules = []
    for name, (key, allowed) in VALUES.items():
        table = ck.table(file, name, raw.get(name), (key, "basis", "certainty"))
        if not table:
            continue
        value = ck.get(file, name, table, key, str, required=True, choices=allowed)
        basis = ck.get(file, name, table, "basis", str, required=True)
        certainty = ck.get(file, name, table, "certainty", str, required=True, choices=tuple(CERTAINTIES))
        if value in allowed and isinstance(basis, str) and certainty in CERTAINTIES:
            rules.append(Rule(name, value, basis, certainty))
    if ck.problems:
        raise CatalogError(ck.problems)
    return CountingRules(tuple(rules))


def measured_due(legal_due: datetime | None, extended_due: datetime | None, rules: CountingRules) -> datetime | None:
    """The due time the legal outcome is measured against."""
    if extended_due is not None and rules.extension_moves_due:
        return extended_due
    return legal_due


def target_met(target_due: datetime | None, finished: datetime) -> bool | None:
    """Resolved within the model day's 2-hour target (None: the dossier had no target)."""
    if target_due is None:
        return None
    return finished <= target_due
