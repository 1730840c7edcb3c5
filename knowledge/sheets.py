"""A topic file seen whole again: its sections, in order, over the passages search ranks.

Search ranks passages; an answer is composed from a sheet (knowledge/compose.py). Every sheet
has the same five sections (docs/content.md); three of them have a role of their own: the
introduction, which the sheet's summary already sums up; the list of organisations to contact; and
the paragraph that sends the visitor to a counsellor. The last two are never an answer on their
own, and the contact list is where each organisation's address comes from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.lexical import words
from knowledge.passages import Passage

CONTENT, INTRO, CONTACTS, COUNSELLOR = "content", "intro", "contacts", "counsellor"
# The headings of the sections with a role, per language, as docs/content.md asks editors to write
# them (compared without case, accents or punctuation); knowledge/content_check.py requires them.
ROLE_HEADINGS = {
    INTRO: {"fr": "De quoi s'agit-il ?", "nl": "Waarover gaat het?"},
    CONTACTS: {"fr": "Qui contacter ?", "nl": "Bij wie kan je terecht?"},
    COUNSELLOR: {"fr": "Un conseiller peut vous aider", "nl": "Een adviseur helpt je verder"},
}
# "Actiris : Activa.brussels et … Site : https://…": the name is what comes before the colon.
CONTACT_NAME = re.compile(r"^(?P<name>[^:]+?)\s*:\s")


@dataclass(frozen=True)
class Section:
    heading: str
    role: str
    passages: tuple[int, ...]  # positions in the passage list the sheet was built from, in order


@dataclass(frozen=True)
class Contact:
    organisation: str  # the front matter's name it starts with, else what comes before its colon
    line: str  # its line in the contact list: what it does for the visitor, its site


@dataclass(frozen=True)
class Sheet:
    topic: str
    lang: str
    area: str
    title: str
    summary: str
    url: str
    last_checked: str
    organisations: tuple[str, ...]
    sections: tuple[Section, ...]
    contacts: tuple[Contact, ...]


def section_role(heading: str) -> str:
    said = words(heading)
    for role, headings in ROLE_HEADINGS.items():
        if any(said == words(written) for written in headings.values()):
            return role
    return CONTENT


def contact_organisation(line: str, organisations: Sequence[str]) -> str:
    """The front matter's name for the organisation a contact line is about."""
    for organisation in organisations:
        if line.startswith(organisation):
            return organisation
    found = CONTACT_NAME.match(line)
    return found["name"] if found else line


def build_sheets(passages: Sequence[Passage]) -> dict[tuple[str, str], Sheet]:
    """Every (topic, language) sheet, its sections in the order the passages come."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for position, passage in enumerate(passages):
        grouped.setdefault((passage.topic, passage.lang), []).append(position)
    return {key: _sheet(passages, positions) for key, positions in grouped.items()}


def _sheet(passages: Sequence[Passage], positions: list[int]) -> Sheet:
    first = passages[positions[0]]
    sections: list[tuple[str, list[int]]] = []
    for position in positions:
        heading = passages[position].section
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append(position)
    built = tuple(Section(heading, section_role(heading), tuple(found)) for heading, found in sections)
    lines = [
        line.strip()
        for section in built
        if section.role == CONTACTS
        for position in section.passages
        for line in passages[position].text.splitlines()
        if line.strip()
    ]
    return Sheet(
        topic=first.topic,
        lang=first.lang,
        area=first.area,
        title=first.title,
        summary=first.summary,
        url=first.url,
        last_checked=first.last_checked,
        organisations=tuple(first.organisations),
        sections=built,
        contacts=tuple(Contact(contact_organisation(line, first.organisations), line) for line in lines),
    )
