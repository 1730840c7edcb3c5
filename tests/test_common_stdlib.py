"""common/ is read by both Python environments: its modules import only the standard library and each
other (common/service_settings.py, the 3.11 services' pydantic base, is the one exception, and the
Rasa side never imports it)."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from common.defaults import PROJECT_ROOT

SERVICES_ONLY = "common.service_settings"
RASA_SIDE = ("bot", "nlu")


def imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_common_imports_only_the_standard_library() -> None:
    foreign = {
        (path.name, module)
        for path in (PROJECT_ROOT / "common").glob("*.py")
        if path.stem != "service_settings"
        for module in imported_modules(path)
        if module.split(".")[0] not in sys.stdlib_module_names and module.split(".")[0] != "common"
    }
    assert not foreign, foreign


def test_the_rasa_side_never_imports_the_services_settings() -> None:
    importers = {
        str(path.relative_to(PROJECT_ROOT))
        for package in RASA_SIDE
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if any(module.startswith(SERVICES_ONLY) for module in imported_modules(path))
    }
    assert not importers, importers
