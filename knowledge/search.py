"""Search over the passages, one result per topic, in the visitor's language.

The query is compared with the passages of both languages, because visitors
often use the other language's words ("je suis werkzoekende", "mijn CESS").
A topic's score is the cosine of its best passage, averaged with half the
weight of its second best (a topic that answers in several places is a safer
answer), plus up to LEXICAL_WEIGHT for words it shares with the query (BM25,
relative to the best topic), which catches names such as "C4" or "Equisup".
Each result shows the topic's best passage in the visitor's language when one
is asked for. `make bench-retrieval` measures these choices.

`answer` is what the assistant uses: the question with its typing slips put
right (knowledge/spelling.py) and expanded with the glossary's words for the
Belgian terms it holds, the first stage above, the second stage and
decision of knowledge/ranking.py, and the answer composed from the chosen sheet
(knowledge/compose.py). `make bench-answers` measures it end to end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from knowledge import encoder, index
from knowledge.compose import Composed, compose, word_share
from knowledge.glossary import Glossary, elsewhere_for, load_elsewhere, load_glossary
from knowledge.lexical import BM25, words
from knowledge.passages import Passage
from knowledge.ranking import ANSWER, CANDIDATES, CHOOSE, Candidate, Decision, Parameters, decide
from knowledge.settings import KnowledgeSettings, get_settings
from knowledge.sheets import build_sheets
from knowledge.spelling import Speller

SECOND_PASSAGE_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.03
# Words in more than about a third of the passages ("de", "je", "een", "pour") say nothing about a
# subject: "tu connais une bonne recette de lasagnes ?" holds two words of the content, none of them known.
INFORMATIVE_IDF = 1.0
# The same share counted within each language, for `known_words`: over both languages a word of one is
# in at most half of the passages, so "une" (in 46 % of the French passages) and "voor" passed for
# informative, and "raconte-moi une blague sur les chats" looked understood. A word common in either
# language is left out, whatever the conversation's language: visitors mix them.
COMMON_SHARE = 1 / 3
# A glossary expansion says what a term is. In a question that says little else ("c quoi le C4",
# "loopbaancheques ?") that is what the search needs; where the visitor's own words say what they ask
# ("formation gratuite pour chômeurs") it drowns them in the term's first sheet. On the development
# questions, expanding only with at most this many other informative words raised the tuning half's
# mean score from 1.808 to 1.848 and the held-out half's from 1.780 to 1.843 (`make tune-ranking`).
MAX_OTHER_WORDS_TO_EXPAND = 2


def common_words(langs: list[str], texts: list[str]) -> set:
    """The words in more than COMMON_SHARE of the texts of French or of Dutch (`langs[i]` is `texts[i]`'s)."""
    sizes = Counter(langs)
    counts = Counter((lang, word) for lang, text in zip(langs, texts, strict=False) for word in set(words(text)))
    return {word for (lang, word), n in counts.items() if n > COMMON_SHARE * sizes[lang]}


@dataclass
class Hit:
    passage: Passage
    score: float  # the topic's score (see the module's docstring)

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "id": p.id,
            "topic": p.topic,
            "area": p.area,
            "lang": p.lang,
            "title": p.title,
            "text": p.text,
            "url": p.url,
            "organisations": p.organisations,
            "last_checked": p.last_checked,
            "score": round(self.score, 4),
        }


@dataclass
class Answer:
    decision: Decision
    answer: Composed | None = None  # with ANSWER
    choices: list[dict[str, str]] = field(default_factory=list)  # with CHOOSE: topic and title of each
    elsewhere: list[str] = field(default_factory=list)  # without an answer: who else can help, if known
    definitions: list[str] = field(default_factory=list)  # with ANSWER: the glossary's terms of the question
    known_words: int = (
        0  # the question's words the content uses, less either language's common ones: few means not understood
    )


@dataclass
class FirstStage:
    question: str  # with its slips put right (knowledge/spelling.py)
    cosines: np.ndarray  # of every passage
    candidates: list[Candidate]


class KnowledgeSearch:
    def __init__(
        self,
        built: index.Index,
        model: encoder.Encoder,
        min_score: float,
        parameters: Parameters | None = None,
        glossary: Glossary | None = None,
        elsewhere: list | None = None,
    ):
        # Grouped by topic, so that per-topic maxima are one `reduceat`.
        order = sorted(range(len(built.passages)), key=lambda i: built.passages[i].topic)
        self.passages = [built.passages[i] for i in order]
        self.embeddings = built.embeddings[order]
        # One BLAS thread for the whole process: for a large matrix numpy's BLAS would start threads of
        # its own, which fight the encoder's for the two cores (measured with torch's: query p95 from 28
        # to 120 ms at 10,000 passages); the product of a query with 10,000 passages takes about 1 ms.
        threadpool_limits(limits=1, user_api="blas")
        self._matrix = np.ascontiguousarray(self.embeddings, dtype=np.float32)
        self.model = model
        self.min_score = min_score
        texts = [f"{p.title} {p.section} {p.text}" for p in self.passages]
        self.lexical = BM25(texts)
        self.topics = sorted({p.topic for p in self.passages})
        number = {topic: i for i, topic in enumerate(self.topics)}
        self._topic = np.array([number[p.topic] for p in self.passages])
        self._topic_starts = np.flatnonzero(np.r_[True, self._topic[1:] != self._topic[:-1]])
        self._topic_area = np.array([self.passages[i].area for i in self._topic_starts])
        self._langs = np.array([p.lang for p in self.passages])
        self._common = common_words(self._langs.tolist(), texts)
        self.parameters = parameters or Parameters.load()
        self.glossary = glossary or load_glossary()
        self.elsewhere = load_elsewhere() if elsewhere is None else elsewhere
        self.sheets = build_sheets(self.passages)
        # Rarer words have a higher idf: a lower one means a word more passages use.
        self.speller = Speller(
            {word: -idf for word, idf in self.lexical.idf.items()},
            (
                word
                for entry in (*self.glossary.entries, *self.elsewhere)
                for term in entry.terms
                for word in words(term)
            ),
        )
        # The words of each topic's title and summary, and of the whole sheet, in both languages:
        # visitors mix them.
        self._title_words: dict[str, set] = {}
        self._sheet_words: dict[str, set] = {}
        for p in self.passages:
            self._title_words.setdefault(p.topic, set()).update(words(f"{p.title} {p.summary}"))
            self._sheet_words.setdefault(p.topic, set()).update(words(f"{p.title} {p.summary} {p.section} {p.text}"))

    @classmethod
    def from_settings(
        cls, settings: KnowledgeSettings | None = None, parameters: Parameters | None = None
    ) -> KnowledgeSearch:
        """`parameters`: the decision's, else those of knowledge/ranking.yml."""
        settings = settings or get_settings()
        model = encoder.load(settings)
        return cls(index.load_or_build(settings, model), model, settings.min_score, parameters)

    def first_stage(self, question: str, lang: str | None) -> FirstStage:
        """For `answer`: the question with its slips put right, its passage similarities, and the
        CANDIDATES best topics with their second-stage signals."""
        question = self.speller.corrected(question)
        expanded = self.with_terms_explained(question, lang or "fr")
        cosines = self._matrix @ self.encode_query(expanded)
        scores = self.topic_scores(cosines, self.lexical.scores(expanded))
        weights = self.lexical.weights(expanded)
        hints = self.glossary.topic_hints(question)
        found = [
            Candidate(
                self.topics[t],
                float(scores[t]),
                word_share(weights, self._title_words[self.topics[t]]),
                word_share(weights, self._sheet_words[self.topics[t]]),
                hints.get(self.topics[t], 0.0),
            )
            for t in np.argsort(-scores, kind="stable")[:CANDIDATES]
        ]
        return FirstStage(question, cosines, found)

    def with_terms_explained(self, question: str, lang: str) -> str:
        """The question with the glossary's expansion of its terms, when it says little besides them."""
        terms = self.glossary.find(question)
        own = {word for term in terms for written in term.terms for word in words(written)}
        others = {
            word for word in words(question) if word not in own and self.lexical.idf.get(word, 0.0) >= INFORMATIVE_IDF
        }
        return (
            self.glossary.expanded(question, lang) if terms and len(others) <= MAX_OTHER_WORDS_TO_EXPAND else question
        )

    def answer(self, question: str, lang: str, topic: str | None = None) -> Answer:
        """What to tell the visitor: an answer composed from the chosen sheet, two sheets to choose
        from, or no reliable answer. With `topic` (the visitor chose it), that sheet's answer."""
        first = self.first_stage(question, lang)
        known = sum(1 for word in set(words(first.question)) if word in self.lexical.idf and word not in self._common)
        elsewhere = elsewhere_for(self.elsewhere, first.question, lang)
        if topic is not None:
            decision = Decision(ANSWER, (topic,), 1.0, {})
        else:
            decision = decide(first.candidates, self.parameters, bool(elsewhere), len(words(first.question)))
        if decision.kind == ANSWER:
            sheet = self.sheet(decision.topics[0], lang)
            # The section is chosen on the visitor's own words: the glossary's expansion of a term
            # describes it, which is what the introduction does too.
            weights = self.lexical.weights(first.question)
            return Answer(
                decision,
                compose(sheet, self.passages, first.cosines, weights),
                known_words=known,
                definitions=self.glossary.definitions(first.question, lang, sheet.topic),
            )
        if decision.kind == CHOOSE:
            return Answer(
                decision,
                choices=[{"topic": t, "title": self.sheet(t, lang).title} for t in decision.topics],
                known_words=known,
            )
        return Answer(decision, elsewhere=elsewhere, known_words=known)

    def sheet(self, topic: str, lang: str):
        """The topic's sheet in `lang`, or in the other language if it has none there (KeyError: no such topic)."""
        found = self.sheets.get((topic, lang)) or next((s for (t, _), s in self.sheets.items() if t == topic), None)
        if found is None:
            raise KeyError(topic)
        return found

    def encode_query(self, query: str) -> np.ndarray:
        return self.model.encode([query], "query")[0]

    def search(self, query: str, lang: str | None = None, area: str | None = None, k: int = 5) -> list[Hit]:
        """Top `k` topics; with `lang`, each shown through its best passage in that language."""
        return self.rank(self.encode_query(query), self.lexical.scores(query), lang, area, k)

    def topic_scores(self, passage_cosines: np.ndarray, passage_lexical: np.ndarray) -> np.ndarray:
        starts = self._topic_starts
        best = np.maximum.reduceat(passage_cosines, starts)
        second = np.maximum.reduceat(np.where(passage_cosines < best[self._topic], passage_cosines, -np.inf), starts)
        second = np.where(np.isfinite(second), second, best)
        lexical = np.maximum.reduceat(passage_lexical, starts)
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        return (best + SECOND_PASSAGE_WEIGHT * second) / (1 + SECOND_PASSAGE_WEIGHT) + LEXICAL_WEIGHT * lexical

    def rank(
        self,
        query_vector: np.ndarray,
        passage_lexical: np.ndarray,
        lang: str | None = None,
        area: str | None = None,
        k: int = 5,
    ) -> list[Hit]:
        cosines = self._matrix @ query_vector
        scores = self.topic_scores(cosines, passage_lexical)
        if area:
            scores = np.where(self._topic_area == area, scores, -np.inf)
        hits: list[Hit] = []
        for t in np.argsort(-scores, kind="stable")[:k]:
            if not np.isfinite(scores[t]):
                break
            shown = np.flatnonzero(self._topic == t)
            if lang and np.any(self._langs[shown] == lang):
                shown = shown[self._langs[shown] == lang]
            best = shown[np.argmax(cosines[shown])]
            hits.append(Hit(self.passages[best], float(scores[t])))
        return hits
