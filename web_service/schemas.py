"""What the search API accepts and returns."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from common.limits import has_word, max_message_chars
from common.vocabulary import ContentArea as Area
from common.vocabulary import Language

# Any message the Rasa server's guard lets through can be searched (common/limits.py).
MAX_QUERY_CHARS = max_message_chars()


class Question(BaseModel):
    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The question, in any words.")

    @field_validator("q")
    @classmethod
    def has_words(cls, value: str) -> str:
        if not has_word(value):
            raise ValueError("the question must contain at least one letter or digit")
        return value


class SearchParameters(Question):
    lang: Language | None = Field(
        None, description="Answer language: each topic is shown in it, whatever language matched."
    )
    area: Area | None = Field(None, description="Only topics of this area.")
    k: int = Field(5, ge=1, le=20, description="How many topics to return.")


class AnswerParameters(Question):
    lang: Language = Field(description="The language of the answer.")
    topic: str | None = Field(
        None,
        pattern=r"^[a-z0-9_]{1,64}$",
        description="The sheet the visitor chose among those offered: answer from it.",
    )


class SearchResult(BaseModel):
    id: str
    topic: str
    area: Area
    lang: Language
    title: str
    text: str = Field(description="The passage that answers, a few sentences.")
    url: str = Field(description="Page of the responsible organisation.")
    organisations: list[str]
    last_checked: date = Field(description="When the centre last checked the topic.")
    score: float = Field(description="Relevance; below the service's min_score it is not a reliable answer.")


class SearchResponse(BaseModel):
    results: list[SearchResult]
    min_score: float = Field(
        description="Score under which a result is not a reliable answer "
        "(the assistant decides with /api/knowledge/answer)."
    )


class ComposedAnswer(BaseModel):
    topic: str
    area: Area
    lang: Language
    title: str
    summary: str = Field(description="The sheet's one-line summary.")
    heading: str = Field(description="The heading of the section shown.")
    text: str = Field(description="The section that best fits the question, or its best part.")
    contacts: list[str] = Field(description="Contact-list lines of the organisations the text names.")
    organisations: list[str] = Field(description="What the answer relies on: the source line names them.")
    url: str
    last_checked: date
    passage_ids: list[str]


class Choice(BaseModel):
    topic: str
    title: str


class AnswerResponse(BaseModel):
    decision: Literal["answer", "choose", "none"] = Field(
        description="answer: `answer` is reliable; choose: ask which of `choices` the visitor means; "
        "none: no reliable answer (offer a counsellor, and `elsewhere` if any)."
    )
    confidence: float = Field(description="Estimated probability that the best sheet is the right one.")
    topics: list[str] = Field(
        description="The answer's sheet; the two offered; or, with no answer, the two "
        "best guesses (not reliable: for the record only)."
    )
    answer: ComposedAnswer | None = None
    choices: list[Choice] = []
    elsewhere: list[str] = Field([], description="Who else can help, for needs the centre does not cover.")
    known_words: int = Field(
        description="How many of the question's words the content uses, leaving out the most common ones."
    )
    definitions: list[str] = Field(
        [],
        description="With an answer: what the question's Belgian terms mean "
        "(knowledge/glossary.yml), to show before the answer.",
    )
