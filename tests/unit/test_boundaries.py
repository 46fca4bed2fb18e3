"""The architecture's boundaries, checked on the source: the core never imports a Telegram
library, only storage/ talks to SQLAlchemy, the layers import downwards only, and each
capability package of handlers/ is used by everything else through its `__init__` alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_LIBRARIES = {"telegram", "aiogram"}
CAPABILITIES = sorted(path.parent.name for path in (ROOT / "handlers").glob("*/__init__.py"))
# The top of the core dispatches to the capabilities; they build on the rest of it.
DISPATCHERS = {"handlers.router", "handlers.turn_runner", "handlers.conversation_core"}
# What each top-level folder may import of the project (ARCHITECTURE.md's layout table).
LAYERS = {
    "storage": {"storage"},
    "surveys": {"surveys", "storage"},
    "handlers": {"handlers", "surveys", "storage"},
}


def imports_of(path: Path) -> list[str]:
    """Every module an `import` or absolute `from … import` of the file names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def imported_modules(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imports_of(path)}


def sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def capability_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "handlers" and len(parts) > 2 else None


@pytest.mark.parametrize("path", sources("handlers", "surveys", "storage"), ids=str)
def test_core_never_imports_a_telegram_library(path):
    assert not imported_modules(path) & TELEGRAM_LIBRARIES


@pytest.mark.parametrize("path", sources("handlers", "surveys", "storage"), ids=str)
def test_the_web_libraries_stay_in_the_back_office(path):
    assert not imported_modules(path) & {"aiohttp", "jinja2"}


@pytest.mark.parametrize("path", sources("handlers", "surveys", "bot"), ids=str)
def test_only_storage_imports_sqlalchemy(path):
    assert "sqlalchemy" not in imported_modules(path)


@pytest.mark.parametrize("path", [p for p in sources("bot") if "telegram" not in p.parts], ids=str)
def test_telegram_libraries_stay_in_the_telegram_adapters(path):
    assert not imported_modules(path) & TELEGRAM_LIBRARIES


@pytest.mark.parametrize("path", sources(*LAYERS), ids=str)
def test_layers_import_downwards_only(path):
    allowed = LAYERS[path.relative_to(ROOT).parts[0]]
    project = {"handlers", "surveys", "storage", "bot"}
    assert imported_modules(path) & project <= allowed


@pytest.mark.parametrize("path", sources("handlers", "bot", "bench"), ids=str)
def test_capabilities_are_used_through_their_exports_only(path):
    """From outside a capability package, only `handlers.<capability>` itself is imported."""
    own = capability_of(path)
    reaching_in = [
        name
        for name in imports_of(path)
        if name.split(".")[:1] == ["handlers"]
        and len(name.split(".")) > 2
        and name.split(".")[1] in CAPABILITIES
        and name.split(".")[1] != own
    ]
    assert not reaching_in, f"import from the package instead: {reaching_in}"


@pytest.mark.parametrize("path", [p for p in sources("handlers") if capability_of(p)], ids=str)
def test_a_capability_builds_on_the_core_not_on_its_dispatchers(path):
    """Capabilities never import the router or the core that runs them (an import cycle),
    and their modules import each other by module, never through their own package."""
    own = f"handlers.{capability_of(path)}"
    names = set(imports_of(path))
    assert not names & DISPATCHERS
    if path.name != "__init__.py":
        assert own not in names


def test_capabilities_are_packages_of_the_core():
    assert CAPABILITIES == [
        "citizens",
        "complaints",
        "consultations",
        "intents",
        "languages",
        "participation",
        "staff",
        "workshops",
    ]


def test_every_module_imports_on_its_own():
    """Whichever module of the core is imported first, none meets a half-initialised one
    (an import cycle that only some orders reveal)."""
    modules = [
        module_name(path)
        for path in sources("handlers", "surveys", "storage")
        if "migrations" not in path.parts
    ]
    script = (
        "import importlib, sys\n"
        "ours = ('handlers', 'surveys', 'storage', 'bot')\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ours]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        print(f'{name}: {type(error).__name__}: {error}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
