"""One error root: every exception class of appliance/ and district/ derives from MotcuaError, the
domain errors carry no HTTP status, and each web layer's STATUS table gives every code raised in
the source a status (the same one docs/errors.md lists)."""
from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

from appliance.domain import certification, dossiers
from appliance.domain.errors import MESSAGES, DomainError
from appliance.errors import MotcuaError
from appliance.web import errors as web_errors
from district.api import errors as hub_errors
from district.domain.errors import HubError

REPO = Path(__file__).resolve().parents[1]
# Alembic's env.py runs a migration when imported and the versions are scripts, not modules.
NOT_IMPORTABLE = ("district.migrations",)


def all_modules() -> list[ModuleType]:
    """Every module of both packages, found from their folders: under pytest the name ``district``
    alone means ``tests/district``, so the walk starts from the source folders, not the names."""
    out = []
    for top in ("appliance", "district"):
        for info in pkgutil.walk_packages([str(REPO / top)], top + "."):
            if not info.name.startswith(NOT_IMPORTABLE):
                module = importlib.import_module(info.name)
                assert Path(module.__file__).is_relative_to(REPO / top), module
                out.append(module)
    return out


MODULES = all_modules()


def exception_classes() -> dict[str, type]:
    found = {}
    for module in MODULES:
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def test_every_exception_class_derives_from_the_root():
    classes = exception_classes()
    assert len(classes) >= 30  # the walk really reached the packages
    strays = sorted(name for name, cls in classes.items() if not issubclass(cls, MotcuaError))
    assert strays == []
    assert issubclass(HubError, MotcuaError) and issubclass(DomainError, MotcuaError)


def test_a_builtin_base_is_kept_only_with_its_reason_beside_it():
    """``class X(MotcuaError, ValueError)`` is allowed where callers catch the builtin; the comment
    just above the class names the builtin and says why."""
    for name, cls in exception_classes().items():
        builtins = [b.__name__ for b in cls.__bases__ if b.__module__ == "builtins"]
        if not builtins or cls is MotcuaError:
            continue
        lines = inspect.getsource(inspect.getmodule(cls)).splitlines()
        above = inspect.getsourcelines(cls)[1] - 2
        comment = []
        while above >= 0 and lines[above].lstrip().startswith("#"):
            comment.insert(0, lines[above])
            above -= 1
        assert all(b in " ".join(comment) for b in builtins), f"{name}: say why it is also {builtins}"


# What the hub may take from the appliance (docs/hub.md, "One rule on both sides"): the root error;
# the catalog contract, only in its own module (one schema for both sides, #13); the pure rules that
# must give the same answer on both sides: the appliance's domain (no I/O by rule: Biểu II.06a, the
# reporting periods, the lookup keys); and the named renderers of the same papers (the A4 print CSS,
# the PDF renderer, the II.06a workbook), so that a province's Biểu looks like the commune's.
CATALOG_CONTRACT = REPO / "district" / "domain" / "catalog_contract.py"
CONTRACT_MODULES = ("appliance.domain.catalog", "appliance.catalog.loader")
SHARED_RENDERERS = {"appliance.web.dossiers.pages": {"PRINT_CSS"},
                    "appliance.web.dossiers.pdf": {"PdfError", "html_to_pdf"},
                    "appliance.web.reports.excel": {"ii06a_workbook"},
                    "appliance.catalog.loader": {"load_catalog"}}   # the built-in catalog's English names


def test_the_hub_takes_nothing_from_the_appliance_but_the_root():
    for path in (REPO / "district").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("appliance"):
                names = {a.name for a in node.names}
                if path == CATALOG_CONTRACT and node.module.startswith(CONTRACT_MODULES):
                    continue
                if node.module == "appliance.domain" or node.module.startswith("appliance.domain."):
                    continue                       # pure rules, shared on purpose
                if names <= SHARED_RENDERERS.get(node.module, set()):
                    continue
                assert node.module == "appliance.errors" and names == {"MotcuaError"}, (path, node.module)
            if isinstance(node, ast.Import):
                assert not [a for a in node.names if a.name.startswith("appliance")], path


@pytest.mark.parametrize("error", [DomainError("invalid"), dossiers.FormInvalid({}), HubError("x", "y")])
def test_domain_errors_carry_no_http_status(error):
    assert not hasattr(error, "status") and not hasattr(type(error), "status")


# --- every code raised in the source has a status ---------------------------------------------
def _names(module: ModuleType, tree: ast.AST) -> dict[str, object]:
    """What a name means in ``module``: its globals, then our imports anywhere in the file (a
    function may import an error class locally)."""
    names = dict(vars(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = (importlib.util.resolve_name("." * node.level + (node.module or ""), module.__package__)
                    if node.level else node.module)
            if not base.startswith(("appliance", "district")):
                continue  # error classes of ours come from our packages only
            for alias in node.names:
                source = importlib.import_module(base)
                if hasattr(source, alias.name):
                    names.setdefault(alias.asname or alias.name, getattr(source, alias.name))
    return names


def _resolve(names: dict[str, object], func: ast.expr) -> object:
    if isinstance(func, ast.Name):
        return names.get(func.id)
    if isinstance(func, ast.Attribute):
        owner = _resolve(names, func.value)
        if inspect.ismodule(owner) or inspect.isclass(owner):
            return getattr(owner, func.attr, None)
    return None


def _fixed_code(cls: type) -> str:
    """The code of a class that sets its own (FormInvalid, SettingsError, …)."""
    assert "code" not in inspect.signature(cls.__init__).parameters, f"{cls.__name__} needs a literal code"
    for argument in ({}, "x"):
        try:
            return cls(argument).code
        except (TypeError, AttributeError):
            continue
    raise AssertionError(f"{cls.__name__} is raised without a code and does not set one")


@functools.cache
def raised(base: type) -> list[tuple[type, str, str]]:
    """(class, code, where) for every construction of a ``base`` class in the source."""
    out = []
    for module in MODULES:
        tree = ast.parse(Path(module.__file__).read_bytes())
        names = _names(module, tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            cls = _resolve(names, node.func)
            if not (inspect.isclass(cls) and issubclass(cls, base)):
                continue
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            out.append((cls, first.value if literal else _fixed_code(cls), f"{module.__name__}:{node.lineno}"))
    return out


def raised_codes(base: type) -> dict[str, set[tuple[int, str]]]:
    """code -> {(HTTP status, kind)} as the web layer answers them."""
    status = web_errors.http_status if base is DomainError else hub_errors.http_status
    out: dict[str, set[tuple[int, str]]] = {}
    for cls, code, _where in raised(base):
        out.setdefault(code, set()).add((status(cls.__new__(cls)), cls.__name__))
    return out


def documented_codes(section: str) -> dict[str, set[tuple[int, str]]]:
    text = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    block = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    out = {}
    for row in re.finditer(r"^\| `([a-z_]+)` \| (.+) \|$", block, re.M):
        out[row[1]] = {(int(s), kind) for s, kind in re.findall(r"(\d{3}) \((\w+)\)", row[2])}
    return out


@pytest.mark.parametrize("base, section", [(DomainError, "Appliance codes"), (HubError, "Hub codes")])
def test_the_status_table_covers_every_code_raised(base, section):
    codes = raised_codes(base)
    assert len(codes) > 20
    assert codes == documented_codes(section)


def test_every_appliance_code_has_its_message():
    for code in raised_codes(DomainError):
        assert code in MESSAGES or code in dossiers.MESSAGES or code in certification.MESSAGES, code


@pytest.mark.parametrize("table, base", [(web_errors.STATUS, DomainError), (hub_errors.STATUS, HubError)])
def test_every_row_of_a_status_table_is_a_kind_in_use(table, base):
    used = {cls for cls, _code, _where in raised(base)}
    for kind in table:
        assert issubclass(kind, base)
        assert any(issubclass(cls, kind) for cls in used), f"{kind.__name__}: no error of this kind is raised"
