"""The content check accepts the centre's content and says which file is wrong and why."""

import shutil
from pathlib import Path

import pytest

from knowledge.content_check import CONTENT_DIR, check


def test_the_centres_content_passes():
    assert check() == []


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real content, to break one file at a time."""
    return Path(shutil.copytree(CONTENT_DIR, tmp_path / "content"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, reason",
    [
        ("area: education", "area: sports", "'area' is 'sports'"),
        ("lang: fr\n", "", "missing or empty 'lang'"),
        ("last_checked: 2026-11-21", "last_checked: hier", "'last_checked' must be a date"),
        ("id: study_grants-fr", "id: grants", "'id' must be 'study_grants-fr'"),
        ("url: https://", "url: http://", "'url' must start with https://"),
        ("organisations:", "organisations: []\nold_organisations:", "'organisations' must be a list"),
        ("title: Les allocations", "title: [Les allocations", "invalid front matter"),
        ("---\n", "", "no front matter"),
    ],
)
def test_front_matter_problems_are_reported(content, old, new, reason):
    edit(content / "study_grants.fr.md", old, new)
    problems = check(content)
    assert any(p.startswith("study_grants.fr.md: ") and reason in p for p in problems), problems


def test_a_topic_in_one_language_only_is_reported(content):
    (content / "study_grants.nl.md").unlink()
    assert "study_grants.fr.md: topic 'study_grants' has no nl version" in check(content)


def test_a_broken_internal_link_is_reported(content):
    edit(content / "study_grants.fr.md", "## Pour qui ?\n", "## Pour qui ?\nVoir [ceci](nowhere.fr.md).\n")
    assert check(content) == ["study_grants.fr.md: link to 'nowhere.fr.md', which does not exist"]


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("study_grants.fr.md", "## Qui contacter ?", "## Contacts utiles"),
        ("study_grants.nl.md", "## Waarover gaat het?", "## Wat is het?"),
    ],
)
def test_a_renamed_role_heading_is_reported(content, name, old, new):
    # The assistant would show the contact list as an answer, or the introduction too often.
    edit(content / name, old, new)
    assert check(content) == [f"{name}: no section '{old}' (write the heading exactly so)"]


def test_an_empty_section_is_reported(content):
    text = (content / "study_grants.nl.md").read_text(encoding="utf-8")
    start = text.index("## Voor wie?")
    end = text.index("## Hoe begin je?")
    (content / "study_grants.nl.md").write_text(text[:start] + "## Voor wie?\n\n" + text[end:], encoding="utf-8")
    assert check(content) == ["study_grants.nl.md: section '## Voor wie?' is empty"]


SUMMARY_RULE = "study_grants.fr.md: 'summary' must be a non-empty single line of at most 200 characters"


def replace_summary(path: Path, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    (index,) = [n for n, line in enumerate(lines) if line.startswith("summary:")]
    lines[index : index + 1] = new.split("\n") if new else []
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    "new, reason",
    [
        ("", SUMMARY_RULE),
        ('summary: ""', SUMMARY_RULE),
        ("summary:", SUMMARY_RULE),
        ("summary: [Une aide, pour étudier]", SUMMARY_RULE),
        ('summary: "' + "a" * 201 + '"', SUMMARY_RULE + " (it has 201)"),
        ("summary: |\n  Une aide pour étudier.\n  Elle dépend des revenus.", SUMMARY_RULE),
        ('summary: "Une aide pour étudier.\\nElle dépend des revenus."', SUMMARY_RULE),
        ("summary: |\n  Une aide pour étudier.", SUMMARY_RULE),
    ],
    ids=["missing", "empty", "null", "list", "too long", "two lines", "escaped newline", "trailing newline"],
)
def test_a_bad_summary_is_reported(content, new, reason):
    replace_summary(content / "study_grants.fr.md", new)
    assert check(content) == [reason]


def test_a_summary_of_exactly_200_characters_passes(content):
    replace_summary(content / "study_grants.fr.md", 'summary: "' + "a" * 200 + '"')
    assert check(content) == []
