"""Every setting the code reads is documented in a table of the README or docs/operations.md, and no
table documents a setting that nothing reads (a renamed variable would otherwise keep its old row)."""

from __future__ import annotations

import dataclasses
import re

from pydantic_settings import BaseSettings

from actions.settings import ActionSettings
from bot.settings import RasaSideSettings, variable
from common.defaults import ENV_PREFIX, PROJECT_ROOT
from common.limits import MAX_MESSAGE_CHARS_VARIABLE
from desk.settings import DeskSettings
from knowledge.settings import KnowledgeSettings
from launcher.settings import LauncherSettings
from visitor_chat.settings import VisitorChatSettings

SERVICE_SETTINGS: tuple[type[BaseSettings], ...] = (
    ActionSettings,
    DeskSettings,
    KnowledgeSettings,
    LauncherSettings,
    VisitorChatSettings,
)
DOCUMENTS = ("README.md", "docs/operations.md")
VARIABLE = re.compile(rf"`((?:{ENV_PREFIX})?[A-Z][A-Z0-9_]+)`")


def environment_names(settings: type[BaseSettings]) -> set[str]:
    names = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", [alias] if alias else [])
        # An alias without the prefix (DATABASE_URL) is the variable; the field name stays a second choice.
        plain = [choice for choice in choices if isinstance(choice, str) and choice.isupper()]
        names.update(plain or [ENV_PREFIX + name.upper()])
    return names


def read_settings() -> set[str]:
    names = {MAX_MESSAGE_CHARS_VARIABLE}
    names.update(variable(field.name) for field in dataclasses.fields(RasaSideSettings))
    for settings in SERVICE_SETTINGS:
        names.update(environment_names(settings))
    return names


def documented_settings() -> set[str]:
    """Variables named in backticks in a table row of the documents."""
    names: set[str] = set()
    for document in DOCUMENTS:
        for line in (PROJECT_ROOT / document).read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("|"):
                names.update(name for name in VARIABLE.findall(line) if name.startswith(ENV_PREFIX))
                names.update(name for name in VARIABLE.findall(line) if name == "DATABASE_URL")
    return names


def test_every_setting_read_is_documented() -> None:
    missing = read_settings() - documented_settings()
    assert not missing, f"read but in no table of {' or '.join(DOCUMENTS)}: {sorted(missing)}"


def test_every_setting_documented_is_read() -> None:
    stale = documented_settings() - read_settings()
    assert not stale, f"documented but read by nothing: {sorted(stale)}"


def test_a_setting_shared_by_services_has_one_default() -> None:
    """A variable two settings classes read has the same default in both (declared once, on the base)."""
    defaults: dict[str, set[str]] = {}
    for settings in SERVICE_SETTINGS:
        for name, field in settings.model_fields.items():
            defaults.setdefault(name, set()).add(repr(field.default))
    rasa_side = {field.name: field.default for field in dataclasses.fields(RasaSideSettings)}
    for name, value in rasa_side.items():
        if name in defaults and isinstance(value, str):
            defaults[name].add(repr(value))
    # The launcher is development's entry point (make run); the desk alone starts in production mode.
    differing = {name: values for name, values in defaults.items() if len(values) > 1 and name != "dev_mode"}
    assert not differing, differing
