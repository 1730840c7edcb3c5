"""What the search API accepts and returns."""
from datetime import date
from typing import List, Literal, Optional

from pydantic import BaseModel, Field, field_validator

from common.limits import has_word, max_message_chars

Language = Literal["fr", "nl"]
Area = Literal["education", "training", "employment", "entrepreneurship", "mobility", "centre"]
# Any message the Rasa server's guard lets through can be searched (common/limits.py).
MAX_QUERY_CHARS = max_message_chars()


class SearchParameters(BaseModel):
    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The question, in any words.")
    lang: Optional[Language] = Field(
        None, description="Answer language: each topic is shown in it, whatever language matched.")
    area: Optional[Area] = Field(None, description="Only topics of this area.")
    k: int = Field(5, ge=1, le=20, description="How many topics to return.")

    @field_validator("q")
    @classmethod
    def has_words(cls, value: str) -> str:
        if not has_word(value):
            raise ValueError("the question must contain at least one letter or digit")
        return value


class SearchResult(BaseModel):
    id: str
    topic: str
    area: Area
    lang: Language
    title: str
    text: str = Field(description="The passage that answers, a few sentences.")
    url: str = Field(description="Page of the responsible organisation.")
    organisations: List[str]
    last_checked: date = Field(description="When the centre last checked the topic.")
    score: float = Field(description="Relevance; below the service's min_score it is not a reliable answer.")


class SearchResponse(BaseModel):
    results: List[SearchResult]
    min_score: float = Field(description="Threshold under which the assistant offers a counsellor instead.")
