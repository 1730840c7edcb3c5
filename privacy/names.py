"""People's names in visitors' messages, French and Dutch alike.

The words come from a blank Dutch spaCy pipeline whose tokenizer also splits hyphens and apostrophes
between letters, so that French and Dutch text come apart the same way ("Jean-Pierre", "m'appelle",
"D'Hondt", "c’est"). On those words:
- a PhraseMatcher holds the gazetteer (privacy/data/first_names.txt and surnames.txt);
- a Matcher finds self-introductions ("je m'appelle …", "ik heet …"), after which a name may be typed in
  lower case, and titles (Mme, M., mevrouw, dhr.) before a capitalised name;
- the caller may add entities found elsewhere (the PER entities of the French NER) as character spans.
A name runs on over the capitalised words and particles that follow it ("Sarah Van den Broeck").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

DATA = Path(__file__).parent / "data"
CharSpan = tuple[int, int]

APOSTROPHES = ("'", "’")
# First names that are also ordinary words: alone at the start of a sentence ("Rose ou bleu ?", "Elke dag"),
# or in lower case after "je suis" / "ik ben" ("je suis junior"), they are not taken for names.
WORDS_TOO = frozenset(
    {
        "aurore",
        "bienvenu",
        "can",
        "chance",
        "claire",
        "constance",
        "divine",
        "elke",
        "espérance",
        "fleur",
        "gloria",
        "grâce",
        "héritier",
        "iris",
        "jade",
        "jolie",
        "joke",
        "junior",
        "leen",
        "lieve",
        "marine",
        "mark",
        "merveille",
        "patience",
        "prince",
        "rosa",
        "rose",
        "roos",
        "toon",
        "trésor",
        "victoire",
    }
)
# Words that end a name typed after a self-introduction ("je m'appelle karim et je cherche …").
STOP_WORDS = frozenset(
    """
a à ai alors après au aussi aux avec bien bon bonjour c ça car ce cela celle ces cet cette chez ci comme dans de
depuis des donc du elle elles en encore est et était eu fait il ils j je juste la le les leur lui m ma mais me même
merci mes moi mon n ne ni nous on ont ou où par pas pour près qu que quel qui sa sans se ses si son suis sur ta te
tes toi ton tout très tu un une vais veux voudrais vous y part cherche habite travaille viens souhaite aimerais
aan al alleen als ben bij daar dag dan dank dat de deze die dit doe door dus een en er ga graag hallo heb het hier
hij hoe ik in is ja je jij kan kom maar me met mij mijn na naar nee niet nog nu of om ook op te tot u uit van veel
voor waar wat we wij wil woon zal ze zij zijn zo zoek werk zou studeer volg
""".split()
)
# A name does not follow these: "avenue Louise", "station Simonis", "Haute École Léonard de Vinci".
PLACE_WORDS = frozenset(
    """
rue avenue boulevard chaussée place square quai drève station gare métro metro arrêt halte quartier parc porte
pont galerie église école institut athénée lycée collège université hôpital clinique campus centre maison musée
théâtre stade saint sainte st ste roi reine prince princesse fondation
straat laan steenweg plein kaai dreef kerk school hogeschool universiteit ziekenhuis kliniek centrum museum
sint heilige koning koningin prins prinses stichting
""".split()
)
STREET_ENDINGS = ("straat", "laan", "steenweg", "plein", "dreef", "kaai", "markt", "gracht", "singel")
TITLES = frozenset(
    """
m mme mlle mr mrs ms madame monsieur mademoiselle dr docteur
mevrouw mevr meneer mijnheer dhr heer juffrouw
""".split()
)
# Words inside names ("Van den Broeck", "Ben Ali", "D'Hondt", "de la Fontaine").
PARTICLES = frozenset(
    """
de du des la le van vanden vander der den von da di del della dos das do el al ben bin ibn abou abu ait aït bou
ould ter ten mc d' o'
""".split()
)
NOT_IN_ENTITIES = TITLES | PARTICLES | STOP_WORDS

_LETTERS = re.compile(r"[^\W\d_]+")
_INTRODUCTIONS: dict[str, list[list[dict[str, Any]]]] = {
    # After these, whatever word follows is a name, in any case.
    "any": [
        [
            {"LOWER": {"IN": ["je", "j"]}},
            {"LOWER": "m"},
            {"ORTH": {"IN": APOSTROPHES}, "OP": "?"},
            {"LOWER": {"IN": ["appelle", "apelle"]}},
        ],
        [{"LOWER": "je"}, {"LOWER": "me"}, {"LOWER": {"IN": ["nomme", "prénomme"]}}],
        [{"LOWER": {"IN": ["appelez", "appelle"]}}, {"ORTH": "-", "OP": "?"}, {"LOWER": "moi"}],
        [
            {"LOWER": "mon"},
            {"LOWER": {"IN": ["nom", "prénom", "prenom"]}},
            {"LOWER": "de", "OP": "?"},
            {"LOWER": "famille", "OP": "?"},
            {"LOWER": "c", "OP": "?"},
            {"ORTH": {"IN": APOSTROPHES}, "OP": "?"},
            {"LOWER": "est"},
        ],
        [
            {"LOWER": {"IN": ["je", "ik"]}},
            {"LOWER": {"IN": ["suis", "ben"]}},
            {"LOWER": {"IN": sorted(TITLES | {title + "." for title in TITLES})}},
            {"ORTH": ".", "OP": "?"},
        ],
        [{"LOWER": "ik"}, {"LOWER": "heet"}],
        [
            {"LOWER": {"IN": ["mijn", "mn", "m'n", "m’n"]}},
            {"LOWER": {"IN": ["naam", "voornaam", "achternaam", "familienaam"]}},
            {"LOWER": "is"},
        ],
        [
            {"LOWER": "m"},
            {"LOWER": {"IN": ["'n", "’n"]}},
            {"LOWER": {"IN": ["naam", "voornaam", "achternaam", "familienaam"]}},
            {"LOWER": "is"},
        ],
        [{"LOWER": "noem"}, {"LOWER": {"IN": ["me", "mij"]}}, {"LOWER": "maar", "OP": "?"}],
    ],
    # Someone else introduced by a personal pronoun: a person's name in any case ("elle s'appelle fatou"), unless
    # the word is a common one ("il s'appelle comment, ce cours ?"). After a noun ("la formation s'appelle …",
    # "die heet …") the "capitalised" rule waits for a capital.
    "person": [
        [
            {"LOWER": {"IN": ["il", "elle", "ils", "elles"]}},
            {"LOWER": "s"},
            {"ORTH": {"IN": APOSTROPHES}, "OP": "?"},
            {"LOWER": {"IN": ["appelle", "apelle", "appellent", "nomme"]}},
        ],
        [{"LOWER": {"IN": ["hij", "zij"]}}, {"LOWER": "heet"}],
    ],
    # After these, a name from the gazetteer, in any case ("je suis karim", not "je suis motivé").
    "listed": [
        [{"LOWER": "je"}, {"LOWER": "suis"}],
        [{"LOWER": "ik"}, {"LOWER": "ben"}],
    ],
    # After these, a name from the gazetteer in any case, or any capitalised word ("moi c'est Kevin", "elle
    # s'appelle Fatou", "mijn zoon heet Milan").
    "capitalised": [
        [
            {"LOWER": "moi"},
            {"IS_PUNCT": True, "OP": "?"},
            {"LOWER": "c"},
            {"ORTH": {"IN": APOSTROPHES}, "OP": "?"},
            {"LOWER": "est"},
        ],
        [
            {"LOWER": {"IN": ["s", "m"]}},
            {"ORTH": {"IN": APOSTROPHES}, "OP": "?"},
            {"LOWER": {"IN": ["appelle", "appellent", "nomme"]}},
        ],
        [{"LOWER": {"IN": ["ze", "die"]}}, {"LOWER": "heet"}],
        [{"LOWER": {"IN": ["mijn", "m'n", "mn", "zijn", "haar", "uw", "onze"]}}, {"IS_ALPHA": True}, {"LOWER": "heet"}],
    ],
}


def read_list(name: str) -> list[str]:
    """The entries of a data file: one per line, # starts a comment line."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _with_and_without_accents(names: list[str]) -> list[str]:
    """The names, and those with accents also without them: visitors often type "Cedric", "Helene"."""
    bare = (
        unicodedata.normalize(
            "NFC", "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
        )
        for name in names
    )
    return sorted({*names, *bare})


def words_pipeline() -> spacy.Language:
    """A blank Dutch pipeline whose tokenizer also splits hyphens and apostrophes between letters."""
    nlp = spacy.blank("nl")
    between_letters = r"(?<=[^\W\d_])[-'’](?=[^\W\d_])"
    infixes = nlp.Defaults.infixes
    assert infixes is not None  # Dutch has its own infix rules
    tokenizer(nlp).infix_finditer = compile_infix_regex([*infixes, between_letters]).finditer
    return nlp


def tokenizer(nlp: spacy.Language) -> Tokenizer:
    """The pipeline's tokenizer: spaCy types it as any callable that makes a Doc of a text."""
    return cast(Tokenizer, nlp.tokenizer)


@dataclass(frozen=True)
class Word:
    """Letters, or letters joined by hyphens (Jean-Pierre), or an elision (d', m')."""

    first_token: int
    end_token: int
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


class NameFinder:
    def __init__(self) -> None:
        self.nlp = words_pipeline()
        self.gazetteer = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, data in (("first", "first_names.txt"), ("family", "surnames.txt")):
            self.gazetteer.add(label, list(tokenizer(self.nlp).pipe(_with_and_without_accents(read_list(data)))))
        self.not_names = frozenset(read_list("not_names.txt"))
        self.not_names_or_stop_words = self.not_names | STOP_WORDS
        self.introductions = Matcher(self.nlp.vocab)
        for kind, patterns in _INTRODUCTIONS.items():
            self.introductions.add(kind, patterns)

    def find(self, text: str, entities: Iterable[CharSpan] = ()) -> list[CharSpan]:
        """Character spans of the names in `text`; `entities` are candidate names from a NER."""
        return _Reading(self, self.nlp(text)).names(entities)


class _Reading:
    """One text: its words, which of them the gazetteer lists, and the names found."""

    def __init__(self, finder: NameFinder, doc: Doc) -> None:
        self.finder, self.doc, self.text = finder, doc, doc.text
        self.words = _words(doc)
        self.starts = [word.start for word in self.words]
        self.ends = [word.end for word in self.words]
        self.listed: dict[str, set[int]] = {"first": set(), "family": set()}
        for label, start, end in finder.gazetteer(doc):
            self.listed[finder.nlp.vocab.strings[label]].update(range(start, end))
        letters = _LETTERS.findall(self.text)
        upper = sum(1 for part in letters for c in part if c.isupper())
        self.shouting = upper > 0.6 * max(20, sum(map(len, letters)))
        self.found: set[int] = set()

    def names(self, entities: Iterable[CharSpan]) -> list[CharSpan]:
        for w in range(len(self.words)):
            if self.stands_as_name(w):
                self.take_name_from(w)
        for label, _, end in self.finder.introductions(self.doc):
            after = self.word_after(self.doc[end - 1].idx + len(self.doc[end - 1]), ":,")
            if after is not None:
                self.after_introduction(self.finder.nlp.vocab.strings[label], after)
        for token in self.doc:
            if self.is_title(token):
                self.after_title(self.word_after(token.idx + len(token), "."))
        for start, end in entities:
            self.take_entity(start, end)
        return self.spans()

    # What the gazetteer lists -------------------------------------------------------------------------

    def is_listed(self, w: int, label: str) -> bool:
        word = self.words[w]
        return all(i in self.listed[label] for i in range(word.first_token, word.end_token) if self.doc[i].text != "-")

    def stands_as_name(self, w: int) -> bool:
        """A capitalised gazetteer word, alone: a first name anywhere but an ordinary word opening a
        sentence, a family name in the middle of a sentence."""
        word = self.words[w]
        if self.shouting or not word.capitalised or word.key in self.finder.not_names or self.after_place(w):
            return False
        if self.is_listed(w, "first"):
            return not (word.key in WORDS_TOO and self.starts_sentence(w) and not self.name_like(w + 1))
        return self.is_listed(w, "family") and not self.starts_sentence(w)

    # Context --------------------------------------------------------------------------------------------

    def follows(self, w: int, punctuation: str = "") -> bool:
        """Whether word w comes right after word w - 1 (spaces, and the given punctuation, between)."""
        if w <= 0 or w >= len(self.words):
            return False
        gap = self.text[self.words[w - 1].end : self.words[w].start]
        return "\n" not in gap and not gap.strip(" \t\u00a0\u202f" + punctuation)

    def starts_sentence(self, w: int) -> bool:
        before = self.text[: self.words[w].start].rstrip(" \t\u00a0\u202f")
        return not before or before[-1] in '.!?…:;\n"«“(-•*'

    def after_place(self, w: int) -> bool:
        return self.follows(w) and self.words[w - 1].key in PLACE_WORDS

    def name_like(self, w: int) -> bool:
        """A capitalised word that can continue a name, places included: "Marie Forest" and "Karim Simonis"
        are whole names."""
        return self.follows(w) and self.words[w].capitalised and self.words[w].key not in STOP_WORDS

    # Taking names ---------------------------------------------------------------------------------------

    def take_name_from(self, w: int) -> None:
        """Word w and the family name around it: a listed or capitalised family name before it (DUPONT
        Marie), capitalised words and particles after it."""
        before = self.words[w - 1] if self.follows(w) else None
        if (
            before
            and before.capitalised
            and before.key not in self.finder.not_names_or_stop_words
            and (self.is_listed(w - 1, "family") or before.text.isupper() and not self.shouting)
        ):
            self.found.add(w - 1)
        self.found.add(w)
        self.extend(w + 1, self.name_like)

    def extend(self, w: int, continues) -> None:
        """The words after a name that continue it."""
        if self.follows(w):
            self.take_run(w, continues)

    def take_run(self, w: int, continues, limit: int = 3) -> None:
        """Takes up to `limit` words from w on while `continues(w)`, particles included when a continuing
        word follows them ("Van den Broeck", "ben Ali") that is no place or organisation ("Mme Janssens du
        CPAS", "Marie de Bruxelles")."""
        while limit and w < len(self.words):
            particles = 0
            while self.words[w + particles].key in PARTICLES and self.follows(w + particles + 1):
                particles += 1
            if not continues(w + particles) or particles and self.words[w + particles].key in self.finder.not_names:
                return
            self.found.update(range(w, w + particles + 1))
            w, limit = w + particles + 1, limit - 1
            if not self.follows(w):
                return

    def is_title(self, token) -> bool:
        """Mme, M., dhr. … ("M" only with its full stop: alone it may be an initial)."""
        if token.lower_ == "m":
            return token.i + 1 < len(self.doc) and self.doc[token.i + 1].text == "."
        return token.lower_.rstrip(".") in TITLES

    def word_after(self, position: int, punctuation: str) -> int | None:
        """The word right after `position` (spaces, and the given punctuation, between), if any."""
        w = bisect_left(self.starts, position)
        if w == len(self.words):
            return None
        gap = self.text[position : self.words[w].start]
        return None if "\n" in gap or gap.strip(" \t\u00a0\u202f" + punctuation) else w

    def after_introduction(self, kind: str, w: int) -> None:
        word = self.words[w]
        if kind == "any":  # whatever follows, in any case, up to a sentence word
            self.take_run(w, lambda v: self.words[v].key not in STOP_WORDS, limit=4)
            return
        if kind == "person":  # in any case, up to a common or sentence word
            self.take_run(w, lambda v: self.words[v].key not in self.finder.not_names_or_stop_words, limit=2)
            return
        listed = self.is_listed(w, "first") or self.is_listed(w, "family")
        if (
            word.capitalised
            and (listed or kind == "capitalised" and word.key not in self.finder.not_names)
            or not word.capitalised
            and listed
            and word.key not in WORDS_TOO
        ):
            self.found.add(w)
            self.extend(w + 1, lambda v: self.name_like(v) or self.is_listed(v, "family"))

    def after_title(self, w: int | None) -> None:
        if w is not None and self.words[w].capitalised and self.words[w].key not in self.finder.not_names_or_stop_words:
            self.found.add(w)
            self.extend(w + 1, self.name_like)

    def take_entity(self, start: int, end: int) -> None:
        """The capitalised words of a NER entity, but titles, initials and acronyms (CV, IBAN) that the
        gazetteer does not list. An entity that names a place or an organisation is left, and so is a lone
        unlisted word opening a sentence ("Kunnen jullie …" when the French NER reads a Dutch text)."""
        inside = range(bisect_right(self.ends, start), bisect_left(self.starts, end))
        if not inside or self.after_place(inside[0]) or any(self.is_place(w) for w in inside):
            return
        listed = {w for w in inside if self.is_listed(w, "first") or self.is_listed(w, "family")}
        names = [
            w
            for w in inside
            if self.words[w].capitalised
            and len(self.words[w].text) > 1
            and self.words[w].key not in NOT_IN_ENTITIES
            and (w in listed or not self.words[w].text.isupper())
        ]
        lone = names[0] if len(names) == 1 else None
        if (
            lone is not None
            and self.starts_sentence(lone)
            and (lone not in listed or self.words[lone].key in WORDS_TOO and not self.name_like(lone + 1))
        ):
            return
        if names:
            self.found.update(w for w in range(names[0], names[-1] + 1) if w in names or self.words[w].key in PARTICLES)

    def is_place(self, w: int) -> bool:
        """A place or organisation word, or a compound with one (Sint-Jans-Molenbeek), or a Dutch street."""
        key = self.words[w].key
        return any(
            part in self.finder.not_names or part in PLACE_WORDS for part in (key, *key.split("-"))
        ) or key.endswith(STREET_ENDINGS)

    def spans(self) -> list[CharSpan]:
        spans: list[CharSpan] = []
        for w in sorted(self.found):
            word = self.words[w]
            if spans and w - 1 in self.found and self.follows(w, "-"):
                spans[-1] = (spans[-1][0], word.end)
            else:
                spans.append((word.start, word.end))
        return spans


def _words(doc: Doc) -> list[Word]:
    words: list[Word] = []
    i = 0
    while i < len(doc):
        if not _LETTERS.fullmatch(doc[i].text):
            i += 1
            continue
        end = i + 1
        if _attached(doc, i) and doc[end].text in APOSTROPHES and (len(doc[i]) == 1 or doc[i].lower_ == "qu"):
            end += 1  # an elision: d', l', qu'
        else:
            while (
                _attached(doc, end - 1)
                and doc[end].text == "-"
                and _attached(doc, end)
                and _LETTERS.fullmatch(doc[end + 1].text)
            ):
                end += 2
        span = doc[i:end]
        words.append(Word(i, end, span.start_char, span.end_char, span.text))
        i = end
    return words


def _attached(doc: Doc, i: int) -> bool:
    """Whether token i is followed by another token with no space between."""
    return i + 1 < len(doc) and not doc[i].whitespace_
