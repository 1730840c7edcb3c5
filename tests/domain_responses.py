"""The responses of the domain (bot/**/domain.yml), read as plain YAML for the tests."""

import re
from re import Pattern
from typing import Any

import yaml

from common.defaults import PROJECT_ROOT


def responses() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(content.get("responses") or {})
    return found


def language_of(variation: dict[str, Any]) -> str:
    values = [c["value"] for c in variation.get("condition") or [] if c.get("name") == "language"]
    assert len(values) == 1, f"variation without exactly one language condition: {variation}"
    return values[0]


def texts_by_language() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"fr": set(), "nl": set()}
    for variations in responses().values():
        for variation in variations:
            found[language_of(variation)].add(variation["text"])
    return found


def patterns_by_language() -> dict[str, list[Pattern]]:
    """Each response text as a pattern: its {variables} (filled in by actions) match any text."""
    return {
        language: [
            re.compile(
                "".join(".+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{\w+\})", text))
                + r"\Z",
                re.DOTALL,
            )
            for text in texts
        ]
        for language, texts in texts_by_language().items()
    }
