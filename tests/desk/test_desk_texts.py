"""The desk pages' texts: French and Dutch have the same keys and placeholders, and every key the templates,
desk/routes/pages.py, desk/rendering.py and desk.js use exists."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
import yaml

from common.vocabulary import AREAS, LANGUAGES
from desk import page_texts, rendering
from desk.page_texts import TEXTS_FILE, all_texts, flatten
from desk.routes import pages
from desk.schemas import STATUSES, Reason
from desk.stats import UNSPECIFIED

DESK = Path(page_texts.__file__).parent
TEMPLATES = sorted((DESK / "templates").glob("*.html"))
SCRIPT = DESK / "static" / "desk.js"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# t("queue.title") in the templates and desk.js, texts("queue.none") in pages.py, self("time.date") in Texts.
CALL = r"""\b(?:t|texts|self)\(\s*f?["']"""
KEY_CALL = re.compile(CALL + r"""([\w.]+)["']\s*[,)]""")
# Keys built from a code: t("area." ~ ticket.area), texts(f"area.{code}"), t("area." + ticket.area).
PREFIX_CALL = re.compile(CALL + r"""([\w.]+?)(?:\{\w+\}["']|["']\s*[~+])""")
# What each built key may end with (for the statistics, what the Stats answer holds).
CODES: dict[str, tuple[str, ...]] = {
    "language.": LANGUAGES,
    "area.": (*AREAS, UNSPECIFIED),
    "reason.": get_args(Reason),
    "status.": STATUSES,
    "done.": STATUSES,
    "outcome.": pages.OUTCOMES,
    "queue.caption_": pages.SCOPES,
    "queue.empty_": pages.SCOPES,
    "stats.": ("started", "completed", "median", "p90"),
    "ticket.speaker_": ("visitor", "assistant"),
    "error.title_": ("401", "403", "404"),
    "error.text_": ("401", "403", "404"),
}


def used_files() -> Iterator[Path]:
    yield from TEMPLATES
    yield Path(pages.__file__)
    yield Path(rendering.__file__)
    yield Path(page_texts.__file__)
    yield SCRIPT


def used_keys() -> set[str]:
    keys = set()
    for path in used_files():
        source = path.read_text(encoding="utf-8")
        keys.update(KEY_CALL.findall(source))
        for prefix in PREFIX_CALL.findall(source):
            assert prefix in CODES, f"{path.name}: keys built from {prefix!r} + a code: add its codes to CODES"
            keys.update(prefix + code for code in CODES[prefix])
    return keys


def test_both_languages_have_the_same_keys():
    raw = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    assert set(raw) == set(LANGUAGES)
    french, dutch = flatten(raw["fr"]), flatten(raw["nl"])
    assert sorted(set(french) - set(dutch)) == [], "only in French"
    assert sorted(set(dutch) - set(french)) == [], "only in Dutch"


@pytest.mark.parametrize("key", sorted(all_texts()["fr"]))
def test_each_text_has_the_same_placeholders_in_both_languages(key):
    texts = {language: all_texts()[language][key] for language in LANGUAGES}
    assert all(text.strip() for text in texts.values()), f"{key}: empty"
    placeholders = {language: sorted(PLACEHOLDER.findall(text)) for language, text in texts.items()}
    assert placeholders["fr"] == placeholders["nl"], f"{key}: {placeholders}"
    assert "" not in placeholders["fr"], f"{key}: a placeholder without a name"


def test_the_key_scan_finds_the_templates_keys():
    keys = used_keys()
    assert {
        "login.failed",
        "queue.title",
        "ticket.recap",
        "stats.title",
        "actions.claim",
        "errors.claimed_by_other",
        "area.training",
        "outcome.left",
        "error.title_403",
    } <= keys


def test_every_key_used_exists():
    missing = sorted(used_keys() - set(all_texts()["fr"]))
    assert missing == []


def test_every_text_is_used():
    unused = sorted(set(all_texts()["fr"]) - used_keys())
    assert unused == []
