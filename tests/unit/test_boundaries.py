"""The architecture's boundaries, checked on the source: the core never imports a Telegram
library, and only storage/ talks to SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_LIBRARIES = {"telegram", "aiogram"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


@pytest.mark.parametrize("path", sources("handlers", "surveys", "storage"), ids=str)
def test_core_never_imports_a_telegram_library(path):
    assert not imported_modules(path) & TELEGRAM_LIBRARIES


@pytest.mark.parametrize("path", sources("handlers", "surveys", "bot"), ids=str)
def test_only_storage_imports_sqlalchemy(path):
    assert "sqlalchemy" not in imported_modules(path)


@pytest.mark.parametrize("path", [p for p in sources("bot") if "telegram" not in p.parts], ids=str)
def test_telegram_libraries_stay_in_the_telegram_adapters(path):
    assert not imported_modules(path) & TELEGRAM_LIBRARIES
