"""The career plan: next steps chosen by the rules of plan_rules.yml, with reasons and resources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.orientation.answers import normalised, questionnaire
from actions.orientation.turn import CHOSEN
from common.text import WITHHELD
from common.vocabulary import LANGUAGES
from knowledge import documents
from knowledge.settings import get_settings

RULES = Path(__file__).with_name("plan_rules.yml")
MAX_RULE_STEPS = 4  # then the counsellor step
MIN_STEPS = 3
# A line that reads as blank but holds a no-break space: Rasa's channels cut a text into messages at blank lines.
KEPT_BLANK = "\u00a0\n"


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


# A place the goal names does not count after a negation ("pas à l'étranger", "ik wil niet in Canada werken")
# or a word for where one comes from, was born or got a diploma ("je viens d'Afrique", "diplôme obtenu au
# Maroc"), among the two words before it, the little words that lead to a place not counted; nor right after
# "du", "des" or "uit" ("je viens du Maroc", "ik kom uit Marokko"). Not "de" or "d'": "in de VS", "un pays d'Europe".
PLACE_CANCELLED_BY = frozenset(
    {"pas", "jamais", "niet", "nooit", "geen"}  # negations
    | {"viens", "venu", "venue", "venus", "originaire", "afkomstig", "ne", "nee", "geboren"}  # origin
    | {"obtenu", "obtenue", "obtenus", "obtenues", "behaald", "gehaald"}  # a diploma
)
PLACE_REACH = 2
TO_A_PLACE = frozenset(
    {"a", "au", "aux", "en", "dans", "vers", "pour", "l", "le", "la", "les", "in", "naar", "het", "de"}
)
COMING_FROM = frozenset({"du", "des", "uit"})


@lru_cache
def place_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every place of plan_rules.yml's `places` (normalised, whole words, longest first, so
    "Irlande du Nord" is not "Irlande"), and the kind of each."""
    kinds: dict[str, str] = {}
    for kind, names in rules()["places"].items():
        for name in names:
            kinds.setdefault(normalised(name), kind)
    alternatives = "|".join(re.escape(name) for name in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\b"), kinds


def goal_places(goal: str) -> list[str]:
    """The kinds of place the goal names, in the order of `places`; "abroad" only without a country."""
    pattern, kinds = place_names()
    text = normalised(goal)
    found = set()
    for match in pattern.finditer(text):
        before = text[: match.start()].split()
        counted = [word for word in before if word not in TO_A_PLACE][-PLACE_REACH:]
        if PLACE_CANCELLED_BY.intersection(counted) or before[-1:] and before[-1] in COMING_FROM:
            continue
        found.add(kinds[match.group(1)])
    if found - {"abroad"}:
        found.discard("abroad")
    return [kind for kind in rules()["places"] if kind in found]


def facts(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as rules see them: skipped ones left out, weak_language and goal_abroad worked out."""
    known = {question: value for question, value in answers.items() if value is not None}
    weak = weak_languages(answers.get("languages"))
    if weak:
        known["weak_language"] = weak
    goal = answers.get("goal")
    # A goal the scrubber could not see (WITHHELD) says nothing of a place.
    if isinstance(goal, str) and goal.strip() != WITHHELD:
        places = goal_places(goal)
        if places:
            known["goal_abroad"] = places
    return known


def matches(conditions: dict[str, Any] | None, known: dict[str, Any]) -> bool:
    """Whether every fact named has one of the values listed (a fact that is a list: any of its values)."""
    for question, allowed in (conditions or {}).items():
        value = known.get(question)
        values = value if isinstance(value, list) else [value]
        if not any(v in allowed for v in values if v is not None):
            return False
    return True


def applies(rule: dict[str, Any], known: dict[str, Any]) -> bool:
    """`when` matches and `unless` does not."""
    return matches(rule.get("when"), known) and not (rule.get("unless") and matches(rule["unless"], known))


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
    return phrase("because", lang, answers=phrase("separator", lang).join(said(rule, known, lang)))


def said(rule: dict[str, Any], known: dict[str, Any], lang: str) -> list[str]:
    """The answers a rule looked at, as the middle of a sentence. A place named in the goal is said with the goal
    in the visitor's words, or, from a plan's link (which holds no goal), as the kind of place."""
    found = []
    for question in rule["when"]:
        if question != "goal_abroad":
            found.append(label(question, known[question], lang))
        elif known.get("goal") and known["goal"] != WITHHELD:
            found.append(phrase("goal_quoted", lang, goal=known["goal"].strip()))
        else:
            kinds = [kind for kind in known[question] if kind in rule["when"][question]]
            found.extend(rules()["place_kinds"][kind][lang] for kind in kinds)
    return found


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
    """The two RIASEC types with the most activities chosen (three if the third ties the second)."""
    items = questionnaire()["interests"]["items"]
    scores: dict[str, int] = {}
    for item, answer in (interests or {}).items():
        if answer == CHOSEN:
            scores[items[item]["type"]] = scores.get(items[item]["type"], 0) + 1
    ranked = sorted(scores, key=lambda kind: -scores[kind])
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
    # Its own blank lines hold a no-break space: the channels cut a text at blank lines (see `render`).
    blocks = [f"{phrase('title', lang)}\n{KEPT_BLANK}{plan.summary}\n{KEPT_BLANK}{phrase('steps', lang)}"]
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


def cards(plan: CareerPlan) -> list[dict[str, Any]]:
    """The same blocks as `sections`, as data for the clients that show the plan as cards (the widget, the
    kiosk): the profile, one card per step, the interests, the closing line."""
    lang = plan.lang
    found: list[dict[str, Any]] = [
        {"part": "summary", "title": phrase("title", lang), "summary": plan.summary, "next": phrase("steps", lang)}
    ]
    for number, item in enumerate(plan.steps, 1):
        resources = [{"title": r.title, "organisations": r.organisations, "url": r.url} for r in item.resources]
        found.append(
            {"part": "step", "number": number, "step": item.text, "reason": item.reason, "resources": resources}
        )
    if plan.interests:
        found.append({"part": "interests", "title": phrase("interests", lang), "lines": plan.interests})
    found.append({"part": "end", "text": phrase("end", lang)})
    return found


def printable(answers: dict[str, Any], lang: str) -> str:
    """The plan's steps and interests with nothing the visitor typed: no profile, and a step abroad says the
    kind of place instead of quoting the goal (as the plan's page does). For what is printed at the kiosk,
    where a sheet may be left on the printer."""
    places = facts(answers).get("goal_abroad")
    without_goal = {key: value for key, value in answers.items() if key != "goal"}
    if places:
        without_goal["goal_abroad"] = places
    return "\n\n".join(sections(build(without_goal, lang))[1:])


def render(plan: CareerPlan) -> str:
    """The plan as one plain text, to copy or print.

    Rasa's REST and Socket.IO channels cut a text into several messages at each
    blank line; a line holding a no-break space reads as blank and keeps it whole.
    """
    return "\n\n".join(sections(plan)).replace("\n\n", "\n" + KEPT_BLANK)
