"""The desk pages' texts (desk/texts.yml, French and Dutch) and the choice of a page's language."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from common.clock import BRUSSELS, brussels_day, utc_now
from common.vocabulary import LANGUAGES

DEFAULT_LANGUAGE = "fr"
LANGUAGE_COOKIE = "desk_lang"
TEXTS_FILE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def all_texts() -> dict[str, dict[str, str]]:
    """Each language's texts under dotted keys ("queue.claim"), from the nested sections of texts.yml."""
    tree = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    return {language: flatten(tree[language]) for language in LANGUAGES}


def flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{key}."))
        else:
            flat[key] = str(value)
    return flat


class Texts:
    """`texts("status.claimed_by", login="marie")`: one page's texts in its language, placeholders filled in."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.strings = all_texts()[language]

    def __call__(self, key: str, **values: object) -> str:
        return self.strings[key].format(**values)

    def number(self, value: float | None) -> str:
        """Whole numbers as they are, others with one decimal after a comma (both languages in Belgium)."""
        if value is None:
            return "—"
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.1f}".replace(".", ",")

    def day(self, value: date) -> str:
        return self("time.date", day=f"{value.day:02d}", month=f"{value.month:02d}", year=value.year)

    def clock(self, moment: datetime | str) -> str:
        """Brussels time of day; `moment` may be an ISO string (as in a ticket's conversation excerpt)."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return moment.astimezone(BRUSSELS).strftime("%H:%M")

    def when(self, moment: datetime) -> str:
        """The time alone for today, with the date before."""
        if brussels_day(moment) == brussels_day(utc_now()):
            return self.clock(moment)
        return self("time.on_day", date=self.day(brussels_day(moment)), time=self.clock(moment))


def preferred_language(cookie: str | None, accept_language: str | None) -> str:
    """The language chosen with the switch, else the browser's first of French and Dutch, else French."""
    if cookie in LANGUAGES:
        return cookie
    ranked = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                continue
        if quality <= 0:
            continue
        ranked.append((-quality, position, tag.split("-")[0].strip().lower()))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE
