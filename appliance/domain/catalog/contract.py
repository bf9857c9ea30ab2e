"""The catalog contract between the hub and the appliances: one check both sides use. Pure.

The hub publishes exactly what an appliance accepts: :meth:`Catalog.as_json` (format 1). The hub
checks a catalog with :func:`check_published` before it stores it (``motcua-hub catalog publish``
and the demo), and the appliance checks what it pulls with the same function, so a catalog the hub
serves is never one every appliance rejects. Problems are summarised for people in a few short
Vietnamese lines (:func:`short_problems`), never one 1,900-character line.
"""
from __future__ import annotations

from typing import Any

from .model import Catalog
from .parse import catalog_from_json
from .problems import CatalogError, Problem

MAX_LINES = 5
MAX_LINE = 160


def _short(problem: Problem) -> str:
    where = f"{problem.key}: " if problem.key else ""
    text = f"{where}{problem.message}"
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 1] + "…"


def short_problems(problems: tuple[Problem, ...] | list[Problem], limit: int = MAX_LINES) -> list[str]:
    """At most ``limit`` lines, one problem each (key and message, cut at 160 characters), and a
    last line saying how many more there are."""
    lines = [_short(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… và {len(problems) - limit} lỗi khác")
    return lines


def check_published(document: Any) -> tuple[Catalog | None, list[str]]:
    """``(catalog, [])`` when ``document`` (a dict, or JSON text/bytes) is a catalog an appliance
    accepts; ``(None, short lines)`` otherwise."""
    try:
        return catalog_from_json(document), []
    except CatalogError as exc:
        return None, short_problems(exc.problems)
    except (ValueError, TypeError, KeyError) as exc:
        return None, [f"Danh mục không đọc được: {str(exc)[:MAX_LINE]}"]
