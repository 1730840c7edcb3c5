"""The career plan: next steps chosen by the rules of plan_rules.yml, with reasons and resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.orientation.answers import questionnaire
from common.text import WITHHELD
from common.vocabulary import LANGUAGES
from knowledge import documents
from knowledge.settings import get_settings

RULES = Path(__file__).with_name("plan_rules.yml")
MAX_RULE_STEPS = 4  # then the counsellor step
MIN_STEPS = 3
INTEREST_POINTS = {"like": 2, "neutral": 1, "dislike": 0}


@dataclass
class Resource:
    title: str
    organisations: list[str]
    url: str


@dataclass
class Step:
    rule: str
    text: str
    reason: str
    resources: list[Resource]


@dataclass
class CareerPlan:
    lang: str
    summary: str
    steps: list[Step]
    interests: list[str] = field(default_factory=list)  # "type: e.g. professions", best first


@lru_cache
def rules() -> dict[str, Any]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


@lru_cache
def topic_cards() -> dict[tuple, Resource]:
    return {
        (d.topic, d.lang): Resource(d.title, list(d.organisations), d.url)
        for d in documents.read_all(get_settings().content_dir)
    }


def phrase(key: str, lang: str, **values: str) -> str:
    return rules()["phrases"][key][lang].format(**values)


def weak_languages(languages: dict[str, str] | None) -> list[str] | None:
    """The official languages not spoken at least well; None if the question was skipped."""
    if not languages:
        return None
    return [lang for lang in LANGUAGES if languages.get(lang) not in ("good", "fluent")]


def facts(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as rules see them: skipped ones left out, weak_language worked out."""
    known = {question: value for question, value in answers.items() if value is not None}
    weak = weak_languages(answers.get("languages"))
    if weak:
        known["weak_language"] = weak
    return known


def applies(rule: dict[str, Any], known: dict[str, Any]) -> bool:
    for question, allowed in (rule.get("when") or {}).items():
        value = known.get(question)
        values = value if isinstance(value, list) else [value]
        if not any(v in allowed for v in values if v is not None):
            return False
    return True


def label(question: str, value: Any, lang: str) -> str:
    """An answer as the middle of a sentence shows it ("18 à 25 ans", "chercheur d'emploi…")."""
    if question == "weak_language":
        names = questionnaire()["languages"]["labels"][lang]
        return ", ".join(names[v] for v in value)
    text = questionnaire()[question]["options"][value][lang]
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def reason(rule: dict[str, Any], known: dict[str, Any], lang: str) -> str:
    if not rule.get("when"):
        return rule["reason"][lang]
    said = [label(question, known[question], lang) for question in rule["when"]]
    return phrase("because", lang, answers=phrase("separator", lang).join(said))


def resources(topics: list[str], lang: str) -> list[Resource]:
    return [topic_cards()[(topic, lang)] for topic in topics]


def step(rule: dict[str, Any], known: dict[str, Any], lang: str, shown: set) -> Step:
    """One step; a topic already shown with an earlier step is not repeated."""
    topics = [topic for topic in rule["topics"] if topic not in shown]
    shown.update(topics)
    return Step(rule.get("id", "counsellor"), rule["step"][lang], reason(rule, known, lang), resources(topics, lang))


def choose_rules(known: dict[str, Any]) -> list[dict[str, Any]]:
    chosen = [r for r in rules()["rules"] if not r.get("filler") and applies(r, known)][:MAX_RULE_STEPS]
    for filler in (r for r in rules()["rules"] if r.get("filler")):
        if len(chosen) + 1 >= MIN_STEPS:
            break
        chosen.append(filler)
    return chosen + [rules()["counsellor_step"]]


def interest_types(interests: dict[str, str] | None) -> list[str]:
    """The two best RIASEC types (three if the third ties the second), liked at least once."""
    items = questionnaire()["interests"]["items"]
    scores: dict[str, int] = {}
    liked = set()
    for item, answer in (interests or {}).items():
        kind = items[item]["type"]
        scores[kind] = scores.get(kind, 0) + INTEREST_POINTS.get(answer, 0)
        if answer == "like":
            liked.add(kind)
    ranked = sorted((k for k in scores if k in liked), key=lambda k: -scores[k])
    if len(ranked) > 2 and scores[ranked[2]] == scores[ranked[1]]:
        return ranked[:3]
    return ranked[:2]


def summary(known: dict[str, Any], lang: str) -> str:
    def shown(question: str) -> str:
        return questionnaire()[question]["options"][known[question]][lang]

    sentences = []
    if "situation" in known:
        sentences.append(phrase("situation", lang, value=shown("situation")))
    if "age_band" in known and "education" in known:
        sentences.append(phrase("age_and_education", lang, age_band=shown("age_band"), education=shown("education")))
    elif "age_band" in known or "education" in known:
        name = "age_band" if "age_band" in known else "education"
        sentences.append(phrase("age" if name == "age_band" else "education", lang, **{name: shown(name)}))
    # A goal the scrubber could not see (WITHHELD) is not quoted: the need stands in for it.
    if known.get("goal") and known["goal"] != WITHHELD:
        sentences.append(phrase("goal", lang, goal=known["goal"]))
    elif "need_area" in known:
        sentences.append(phrase("need", lang, need_area=shown("need_area")))
    return " ".join(sentences) or phrase("nothing_known", lang)


def build(answers: dict[str, Any], lang: str) -> CareerPlan:
    known = facts(answers)
    types = rules()["interest_types"]
    shown: set = set()
    return CareerPlan(
        lang=lang,
        summary=summary(known, lang),
        steps=[step(rule, known, lang, shown) for rule in choose_rules(known)],
        interests=[phrase("interest", lang, **types[kind][lang]) for kind in interest_types(known.get("interests"))],
    )


def sections(plan: CareerPlan) -> list[str]:
    """The plan in blocks: the profile, one block per step, the interests, the closing line."""
    lang = plan.lang
    blocks = [f"{phrase('title', lang)}\n\n{plan.summary}\n\n{phrase('steps', lang)}"]
    for number, item in enumerate(plan.steps, 1):
        lines = [f"{number}. {item.text}", f"   {item.reason}"]
        lines += [
            "   " + phrase("resource", lang, title=r.title, organisations=", ".join(r.organisations), url=r.url)
            for r in item.resources
        ]
        blocks.append("\n".join(lines))
    if plan.interests:
        blocks.append("\n".join([phrase("interests", lang)] + [f"- {line}" for line in plan.interests]))
    blocks.append(phrase("end", lang))
    return blocks


def render(plan: CareerPlan) -> str:
    """The plan as one plain text, to copy or print.

    Rasa's REST and Socket.IO channels cut a text into several messages at each
    blank line; a line holding a no-break space reads as blank and keeps it whole.
    """
    return "\n\n".join(sections(plan)).replace("\n\n", "\n\u00a0\n")
