"""Belgian and Brussels words that visitors type, and who else can help with what the centre does not cover.

Visitors write "C4", "ONEM", "ontslagen", "studiebeurs" or "FPI"; the sheets may say it otherwise, and the
embedding search does not always link the word to the right sheet. `knowledge/glossary.yml` lists, for
each such term, the ways visitors write it (both languages, abbreviations, common misspellings), the topics
whose sheet covers it (most relevant first), a few words per language that say what it is (added to the
search query) and a one-sentence definition a visitor can be shown. `knowledge/elsewhere.yml` names, for
needs the centre does not cover (residence, housing, debts, a dispute with an employer…), who can help in
Brussels.

A term is found on `words` (lower case, accents removed) at word boundaries: "C4" in "mon c4 ?" but not in
"c45". Where phrases overlap, the longest one starting at a word wins ("Activa aptitude réduite" over
"Activa"). An index from each phrase's first word keeps a 1,000-character message well under a millisecond.

Only `yaml` and `common.text` are imported, so both Python environments can use this module.
`python -m knowledge.glossary` checks both files and exits 1 on any problem.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import yaml

from common.text import words
from common.vocabulary import LANGUAGES

HERE = Path(__file__).resolve().parent
GLOSSARY_PATH = HERE / "glossary.yml"
ELSEWHERE_PATH = HERE / "elsewhere.yml"
CONTENT_DIR = HERE / "content"
MAX_TOPICS = 3
MAX_ELSEWHERE = 2
FIRST_TOPIC_HINT, OTHER_TOPIC_HINT = 1.0, 0.5

Phrase = tuple[str, ...]
# First word -> (phrase, position of its entry), longest phrase first.
PhraseIndex = dict[str, tuple[tuple[Phrase, int], ...]]


# eq=False: entries are told apart by identity, which also makes them hashable despite their dicts.
@dataclass(frozen=True, eq=False)
class Term:
    terms: tuple[str, ...]
    topics: tuple[str, ...]
    expansion: dict[str, str]
    definition: dict[str, str]


@dataclass(frozen=True, eq=False)
class Elsewhere:
    id: str
    terms: tuple[str, ...]
    text: dict[str, str]


def phrase_index(term_lists: Sequence[Sequence[str]]) -> PhraseIndex:
    """The phrases of each entry's terms, as `words`, under their first word."""
    index: dict[str, list[tuple[Phrase, int]]] = {}
    for position, terms in enumerate(term_lists):
        for term in terms:
            phrase = tuple(words(term))
            if phrase:
                index.setdefault(phrase[0], []).append((phrase, position))
    # A stable sort: between two entries listing the same phrase (the check refuses it), the first wins.
    return {first: tuple(sorted(found, key=lambda item: -len(item[0]))) for first, found in index.items()}


def match(index: PhraseIndex, text: str) -> list[int]:
    """Positions of the entries whose phrases occur in `text`, each once, in order of appearance."""
    tokens = words(text)
    found: list[int] = []
    i = 0
    while i < len(tokens):
        for phrase, position in index.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                if position not in found:
                    found.append(position)
                # The words of a matched phrase are not read again, so a shorter phrase inside it does not count.
                i += len(phrase)
                break
        else:
            i += 1
    return found


def checked_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not one of {', '.join(LANGUAGES)}")
    return lang


class Glossary:
    def __init__(self, entries: Sequence[Term]) -> None:
        self.entries = tuple(entries)
        self.index = phrase_index([entry.terms for entry in self.entries])

    def find(self, text: str) -> list[Term]:
        return [self.entries[position] for position in match(self.index, text)]

    def expanded(self, text: str, lang: str) -> str:
        """`text` followed by what the terms found in it mean, in `lang`, for the search to read."""
        lang = checked_language(lang)
        extra = [term.expansion[lang] for term in self.find(text)]
        return " ".join([text, *extra]) if extra else text

    def definitions(self, text: str, lang: str, topic: str) -> list[str]:
        """In `lang`, what the terms in `text` whose sheets include `topic` are: an answer from that
        sheet then starts by saying what the visitor asked about ("c quoi activa")."""
        lang = checked_language(lang)
        return [term.definition[lang] for term in self.find(text) if topic in term.topics]

    def topic_hints(self, text: str) -> dict[str, float]:
        """Topics the terms in `text` point to: 1.0 for a term's first topic, 0.5 for its others."""
        hints: dict[str, float] = {}
        for term in self.find(text):
            for rank, topic in enumerate(term.topics):
                weight = FIRST_TOPIC_HINT if rank == 0 else OTHER_TOPIC_HINT
                hints[topic] = max(hints.get(topic, 0.0), weight)
        return hints


def term_from(item: dict) -> Term:
    return Term(
        terms=tuple(item["terms"]),
        topics=tuple(item["topics"]),
        expansion={lang: item[lang]["expansion"] for lang in LANGUAGES},
        definition={lang: item[lang]["definition"] for lang in LANGUAGES},
    )


def elsewhere_from(item: dict) -> Elsewhere:
    return Elsewhere(id=item["id"], terms=tuple(item["terms"]), text={lang: item[lang] for lang in LANGUAGES})


def read_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    # Each file is a list of entries (`python -m knowledge.glossary` checks them).
    return Glossary([term_from(item) for item in cast(list[dict], read_yaml(path))])


def load_elsewhere(path: Path = ELSEWHERE_PATH) -> list[Elsewhere]:
    return [elsewhere_from(item) for item in cast(list[dict], read_yaml(path))]


@lru_cache(maxsize=8)
def _elsewhere_index(entries: tuple[Elsewhere, ...]) -> PhraseIndex:
    return phrase_index([entry.terms for entry in entries])


def elsewhere_for(entries: Sequence[Elsewhere], text: str, lang: str) -> list[str]:
    """Who else can help with the needs `text` mentions, in `lang`: at most two sentences."""
    lang = checked_language(lang)
    entries = tuple(entries)
    return [entries[position].text[lang] for position in match(_elsewhere_index(entries), text)[:MAX_ELSEWHERE]]


# The check: both files as the editors wrote them, before anything loads them.


def topics_in(content_dir: Path) -> set[str]:
    """Topics with both a French and a Dutch sheet."""
    by_language = [
        {path.name[: -len(f".{lang}.md")] for path in content_dir.glob(f"*.{lang}.md")} for lang in LANGUAGES
    ]
    return set.intersection(*by_language)


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def terms_problems(terms: object) -> list[str]:
    if not isinstance(terms, list) or not terms:
        return ["'terms' must be a list of at least one term"]
    problems = []
    seen: set[Phrase] = set()
    for term in terms:
        phrase = tuple(words(term)) if isinstance(term, str) else ()
        if not phrase:
            problems.append(f"term {term!r} has no letters or digits to match")
        elif phrase in seen:
            problems.append(f"term {term!r} is listed twice (case and accents do not count)")
        seen.add(phrase)
    return problems


def glossary_entry_problems(item: object, topics: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return ["an entry must be a set of 'key: value' lines"]
    problems = terms_problems(item.get("terms"))
    listed = item.get("topics")
    if not isinstance(listed, list) or not 1 <= len(listed) <= MAX_TOPICS:
        problems.append(f"'topics' must list 1 to {MAX_TOPICS} topics")
    else:
        problems += [
            f"topic {topic!r} has no sheet in both languages in knowledge/content/"
            for topic in listed
            if topic not in topics
        ]
        if len(set(map(str, listed))) < len(listed):
            problems.append("a topic is listed twice")
    for lang in LANGUAGES:
        texts = item.get(lang)
        for field in ("expansion", "definition"):
            if not isinstance(texts, dict) or not is_text(texts.get(field)):
                problems.append(f"missing or empty '{lang}: {field}'")
    return problems


def elsewhere_entry_problems(item: object) -> list[str]:
    if not isinstance(item, dict):
        return ["an entry must be a set of 'key: value' lines"]
    problems = [] if is_text(item.get("id")) else ["missing or empty 'id'"]
    problems += terms_problems(item.get("terms"))
    problems += [f"missing or empty '{lang}'" for lang in LANGUAGES if not is_text(item.get(lang))]
    return problems


def entry_name(file: str, item: object, position: int) -> str:
    """How a problem names an entry: its id, else its first term, else its place in the file."""
    if isinstance(item, dict):
        if is_text(item.get("id")):
            return f"{file}, '{item['id']}'"
        terms = item.get("terms")
        if isinstance(terms, list) and terms and is_text(terms[0]):
            return f"{file}, '{terms[0]}'"
    return f"{file}, entry {position + 1}"


def shared_term_problems(named_terms: Sequence[tuple[str, object]]) -> list[str]:
    """A phrase under two entries, in either file, would make what a word means depend on the order."""
    owner: dict[Phrase, tuple[int, str]] = {}
    problems = []
    for position, (name, terms) in enumerate(named_terms):
        if not isinstance(terms, list):
            continue
        for term in terms:
            phrase = tuple(words(term)) if isinstance(term, str) else ()
            if not phrase:
                continue
            first = owner.setdefault(phrase, (position, name))
            if first[0] != position:
                problems.append(f"{name}: term {term!r} is also listed under {first[1]}")
    return problems


def check(
    glossary_path: Path = GLOSSARY_PATH, elsewhere_path: Path = ELSEWHERE_PATH, content_dir: Path = CONTENT_DIR
) -> list[str]:
    """Every problem found in both files, as 'file, entry: reason'."""
    topics = topics_in(content_dir)
    problems: list[str] = []
    named_terms: list[tuple[str, object]] = []
    ids: set[str] = set()
    for path in (glossary_path, elsewhere_path):
        try:
            data = read_yaml(path)
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path.name}: cannot be read: {str(error).splitlines()[0]}")
            continue
        if not isinstance(data, list) or not data:
            problems.append(f"{path.name}: must be a list of entries")
            continue
        for position, item in enumerate(data):
            name = entry_name(path.name, item, position)
            if path == glossary_path:
                found = glossary_entry_problems(item, topics)
            else:
                found = elsewhere_entry_problems(item)
                if isinstance(item, dict) and is_text(item.get("id")):
                    if item["id"] in ids:
                        found.append("the id is used twice")
                    ids.add(item["id"])
            problems += [f"{name}: {problem}" for problem in found]
            if isinstance(item, dict):
                named_terms.append((name, item.get("terms")))
    return problems + shared_term_problems(named_terms)


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    print(f"{GLOSSARY_PATH.name} and {ELSEWHERE_PATH.name} checked, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
