"""An answer composed from the chosen sheet: its summary, the section that fits the question, who to contact.

A passage alone was often the sheet's introduction, a bare contact list or the "a counsellor can
help you" paragraph, and could start with a word pointing at text not shown ("y", "Deze
mogelijkheden"). So, once search has chosen the sheet:
- the sheet's one-line summary comes first;
- then one section, heading first and shown whole (cut around its best passage when long), chosen
  by its best passage's similarity to the question plus the question's words it contains; the
  introduction only when it fits clearly better than the others (the summary sums it up), the
  contact list and the counsellor paragraph never;
- then the lines of the contact list for the organisations that the shown text names (else the
  first ones of the list), and the source names exactly those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np

from knowledge.lexical import words
from knowledge.passages import Passage
from knowledge.sheets import CONTENT, INTRO, Contact, Section, Sheet

# A section longer than this is cut to its best passage and its neighbours, to stay readable on a phone
# (passages have up to 90 words: the best one and the one before it may pass it).
MAX_SHOWN_WORDS = 120
MAX_CONTACTS = 3
# How much the question's own words count against the similarity of a section's best passage
# (both between 0 and 1): enough for "payé" to pick the section that says whether it is paid.
WORD_WEIGHT = 0.2
# The introduction says what the summary already says, and generic questions resemble it most;
# the sections after it hold the conditions, dates and steps people ask about. So it is shown only
# when it fits clearly better than they do.
INTRO_MARGIN = 0.03


@dataclass(frozen=True)
class Composed:
    topic: str
    area: str
    lang: str
    title: str
    summary: str
    heading: str
    text: str
    contacts: tuple[str, ...]
    organisations: tuple[str, ...]  # those the shown contacts are about: what the source line names
    url: str
    last_checked: str
    passage_ids: tuple[str, ...]

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "area": self.area,
            "lang": self.lang,
            "title": self.title,
            "summary": self.summary,
            "heading": self.heading,
            "text": self.text,
            "contacts": list(self.contacts),
            "organisations": list(self.organisations),
            "url": self.url,
            "last_checked": self.last_checked,
            "passage_ids": list(self.passage_ids),
        }


def word_share(question: Mapping[str, float], found: Set[str]) -> float:
    """The weighted share of the question's words among `found` (weights: their rarity)."""
    total = sum(question.values())
    if not total:
        return 0.0
    return sum(weight for word, weight in question.items() if word in found) / total


def section_score(
    section: Section, passages: Sequence[Passage], cosines: np.ndarray, question: Mapping[str, float]
) -> float:
    text = " ".join(f"{passages[p].section} {passages[p].text}" for p in section.passages)
    return float(max(cosines[p] for p in section.passages)) + WORD_WEIGHT * word_share(question, set(words(text)))


def shown_passages(section: Section, passages: Sequence[Passage], cosines: np.ndarray) -> tuple[int, ...]:
    """The whole section if short; else its best passage with the one before it (a passage may lean
    on the one before it, never on the one after: shown even if both pass the limit), then more
    neighbours while they fit, the earlier ones first."""

    def length(chosen: Sequence[int]) -> int:
        return sum(len(passages[p].text.split()) for p in chosen)

    if length(section.passages) <= MAX_SHOWN_WORDS:
        return section.passages
    order = list(section.passages)
    best = max(range(len(order)), key=lambda i: cosines[order[i]])
    start, end = max(best - 1, 0), best + 1
    while True:
        if start > 0 and length(order[start - 1 : end]) <= MAX_SHOWN_WORDS:
            start -= 1
        elif end < len(order) and length(order[start : end + 1]) <= MAX_SHOWN_WORDS:
            end += 1
        else:
            return tuple(order[start:end])


def names(organisation: str, text_words: Sequence[str]) -> bool:
    """Whether a text names an organisation: its full name, or its acronym alone ("VDAB" for
    "VDAB Brussel"); a parenthesis in the name is an aside ("1819 (hub.brussels)")."""
    name = organisation.split("(")[0]
    spelled = words(name)
    joined = f" {' '.join(text_words)} "
    if spelled and f" {' '.join(spelled)} " in joined:
        return True
    first = name.split()[0] if name.split() else ""
    acronym = words(first) if len(first) >= 3 and first.isupper() else []
    return bool(acronym) and f" {acronym[0]} " in joined


def chosen_contacts(contacts: Sequence[Contact], shown: str) -> tuple[Contact, ...]:
    text_words = words(shown)
    named = [contact for contact in contacts if names(contact.organisation, text_words)]
    return tuple((named or list(contacts))[:MAX_CONTACTS])


def compose(sheet: Sheet, passages: Sequence[Passage], cosines: np.ndarray, question: Mapping[str, float]) -> Composed:
    """The answer from `sheet` to a question whose passage similarities are `cosines` and whose
    words, weighted by rarity, are `question`."""

    def score(section: Section) -> float:
        return section_score(section, passages, cosines, question) - (INTRO_MARGIN if section.role == INTRO else 0.0)

    candidates = [s for s in sheet.sections if s.role in (CONTENT, INTRO)] or list(sheet.sections)
    section = max(candidates, key=score)
    shown = shown_passages(section, passages, cosines)
    text = "\n".join(passages[p].text for p in shown)
    contacts = chosen_contacts(sheet.contacts, f"{sheet.summary} {text}")
    return Composed(
        topic=sheet.topic,
        area=sheet.area,
        lang=sheet.lang,
        title=sheet.title,
        summary=sheet.summary,
        heading=section.heading,
        text=text,
        contacts=tuple(contact.line for contact in contacts),
        organisations=tuple(contact.organisation for contact in contacts) or sheet.organisations,
        url=sheet.url,
        last_checked=sheet.last_checked,
        passage_ids=tuple(passages[p].id for p in shown),
    )
