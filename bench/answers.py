"""`make bench-answers`: does a visitor's question get an answer they can trust?

Starts the whole assistant (launcher/stack.py) and sends each question of
bench/data/answers_eval.yml as the first message of a new conversation through
the REST channel, with its language as the widget would send it. From the reply
and the conversation's tracker (Rasa's HTTP API) it tells what the visitor got:
an answer from a sheet (the `shown_passages` slot; the centre's own information
counts as the sheet `centre_practical_info`), the honest "no reliable answer"
with a counsellor, a request to rephrase, the questionnaire, or something else.
When the assistant asks which of two sheets the visitor means, the script taps
the button of an expected sheet, as the visitor would, and scores the answer
that follows; when no button is an expected sheet, the reply is a wrong sheet.
Then it scores each reply with the rubric below and prints, per language and
overall, the figures issue 14 asks for next to the baseline measured on the
same questions, and writes one row per question to var/results/answers.tsv for
reading by hand.

Rubric (automatic part; docs/benchmarks.md says where it is too kind or too harsh):

    covered question (expected_topics given)
        2  a sheet among the expected ones, and every must_contain fact in the reply
           text above its source line
        1  an expected sheet with facts missing; or the honest "no reliable answer"
           with a counsellor (safe, but no answer: also counted as a false abstention)
        0  another sheet (wrong sheet), a choice between two sheets neither of which
           is expected (also a wrong sheet), a request to rephrase, the
           questionnaire, anything else
    uncovered question (no expected topic)
        2  the honest "no reliable answer" with a counsellor
        1  "I can't help with that" (out of scope: honest, but no counsellor offered),
           or a handoff to a counsellor
        0  any answer from a sheet (confident answer on an uncovered question), a
           choice between two sheets, a request to rephrase, the questionnaire,
           anything else
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import yaml

from actions.centre_info import CENTRE_TOPIC, centre_info_text, load_centre_info
from actions.settings import get_settings as action_settings
from common.defaults import PROJECT_ROOT
from common.vocabulary import CHOOSE_TOPIC_INTENT, LANGUAGES
from knowledge.index import PASSAGES
from knowledge.lexical import words
from knowledge.settings import get_settings as knowledge_settings
from launcher.stack import Stack
from tests.domain_responses import responses

QUESTIONS_FILE = PROJECT_ROOT / "bench" / "data" / "answers_eval.yml"
RESULTS_FILE = PROJECT_ROOT / "var" / "results" / "answers.tsv"

# What the assistant did, from the actions it ran and the responses it sent (`utter_action` of its
# messages). The names are checked against the domain at start, so a renamed response fails loudly.
CENTRE_ACTION = "action_centre_info"
ANSWER_RESPONSE = "utter_knowledge_answer"
ABSTENTION = {"utter_no_reliable_answer", "utter_offer_counsellor"}
OUT_OF_SCOPE = "utter_out_of_scope"
# Each asks the visitor to say it again, whatever the words: the first two after an unclear
# message, "Je vous écoute. Écrivez votre question" when a typed question was read as the
# "ask a question" button, the last three on messages that were too long, wordless or lost.
REPHRASE = {
    "utter_rephrase",
    "utter_ask_your_question",
    "utter_message_too_long",
    "utter_message_without_words",
    "utter_default",
}
QUESTIONNAIRE = {"action_start_orientation", "orientation_form"}
HANDOFF = "action_handoff"
CHOICE = "utter_which_topic"
# A part of the assistant failed: the figures of such a run are not the assistant's quality.
UNAVAILABLE = {"utter_search_unavailable", "utter_service_trouble"}
RESPONSE_NAMES = {ANSWER_RESPONSE, OUT_OF_SCOPE, CHOICE, *ABSTENTION, *REPHRASE, *UNAVAILABLE}

# Today's figures, measured with this script on the question set whose digest is given, before
# the issue-14 work (docs/benchmarks.md). Measure again and replace when the questions change.
BASELINE: dict[str, Any] = {
    "date": "2026-12-04",
    "commit": "0fb5bb3",
    "questions": "1285330a3471",
    "figures": {
        "questions": 144,
        "mean": 165 / 144,
        "fully_right": 62 / 144,
        "wrong_sheet": 11 / 114,
        "false_rephrase": 11,
        "false_abstentions": 10,
        "confident_uncovered": 14,
        "uncovered": 30,
        "questionnaire": 2,
        "unavailable": 0,
    },
}


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    kind: str
    text: str
    expected_topics: tuple[str, ...]
    must_contain: tuple[tuple[str, ...], ...]
    note: str = ""

    @property
    def covered(self) -> bool:
        return bool(self.expected_topics)


@dataclass(frozen=True)
class Turn:
    """What the assistant did with one message: its texts, the responses and actions behind them,
    and the sheets it showed."""

    texts: tuple[str, ...]
    responses: tuple[str, ...]
    actions: tuple[str, ...]
    topics: tuple[str, ...]
    offered: tuple[str, ...] = ()  # the sheets of a "which do you mean?" the visitor was asked first


@dataclass(frozen=True)
class Verdict:
    category: str  # answered, choice, abstained, out_of_scope, rephrase, questionnaire, handoff, unavailable, other
    score: int  # 0, 1 or 2 (rubric in the module's docstring)
    right_sheet: bool
    missing: tuple[str, ...]  # the first wording of each fact not found
    chose: bool = False  # the visitor was asked which of two sheets they meant


# ----------------------------------------------------------------------------- the questions


def parse_questions(entries: Sequence[Mapping[str, Any]], known_topics: set[str]) -> list[Question]:
    """The questions of the YAML file, checked: a mistake in the set would silently change the figures."""
    questions: list[Question] = []
    seen: set[str] = set()
    for entry in entries:
        question = Question(
            id=str(entry["id"]),
            lang=entry["lang"],
            kind=entry["kind"],
            text=entry["text"],
            expected_topics=tuple(entry["expected_topics"]),
            must_contain=tuple(tuple(group) for group in entry["must_contain"]),
            note=entry.get("note") or "",
        )
        problems = [
            problem
            for problem, wrong in (
                ("id used twice", question.id in seen),
                ("lang is neither fr nor nl", question.lang not in LANGUAGES),
                ("unknown topic", not set(question.expected_topics) <= known_topics),
                ("facts without an expected topic", question.must_contain and not question.covered),
                (
                    "an empty fact",
                    any(not group or not all(words(wording) for wording in group) for group in question.must_contain),
                ),
            )
            if wrong
        ]
        if problems:
            raise ValueError(f"{question.id}: {', '.join(problems)}")
        seen.add(question.id)
        questions.append(question)
    return questions


def questions_digest(path: Path) -> str:
    """Names the question set a figure was measured on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# ----------------------------------------------------------------------------- reading a reply


def source_markers(
    domain_responses: Mapping[str, Sequence[Mapping[str, Any]]], centre_sources: Iterable[str]
) -> tuple[str, ...]:
    """How a source line starts ("Source : ", "Bron: "): the text before the first placeholder of the
    answer's source line in the domain, and of the centre information's source line."""
    lines = [
        line
        for variation in domain_responses[ANSWER_RESPONSE]
        for line in variation["text"].splitlines()
        if "{organisations}" in line
    ]
    return tuple(sorted({line.split("{", 1)[0].strip() for line in [*lines, *centre_sources]}))


def answer_body(texts: Iterable[str], markers: Sequence[str]) -> str:
    """The reply's text above each source line: the source names organisations, which must not count
    as facts the answer gives."""
    kept: list[str] = []
    for text in texts:
        for line in text.splitlines():
            if line.strip().startswith(tuple(markers)):
                break
            kept.append(line)
    return "\n".join(kept)


def contains(text: str, wording: str) -> bool:
    """`wording` in `text`, case and accents aside, starting at a word's start (it may end inside a
    word, so that "gratuit" finds "gratuitement" but "C4" does not find "DC45")."""
    return f" {' '.join(words(wording))}" in f" {' '.join(words(text))}"


def missing_facts(body: str, must_contain: Sequence[Sequence[str]]) -> tuple[str, ...]:
    return tuple(group[0] for group in must_contain if not any(contains(body, wording) for wording in group))


def centre_replied(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the centre-information action answered with the centre's own text (a message without a
    response name), rather than passing the question on to the search, whose replies have one."""
    action = None
    for event in events:
        if event.get("event") == "action":
            action = event.get("name")
        elif (
            event.get("event") == "bot"
            and action == CENTRE_ACTION
            and not (event.get("metadata") or {}).get("utter_action")
        ):
            return True
    return False


def turn_from_tracker(texts: Sequence[str], tracker: Mapping[str, Any]) -> Turn:
    """The last turn of a conversation: actions and responses after the visitor's last message. The
    sheets come from `shown_passages`, which holds the whole conversation's: here, one message; the
    centre's own information counts as the sheet CENTRE_TOPIC."""
    events = tracker.get("events") or []
    last_user = max((index for index, event in enumerate(events) if event.get("event") == "user"), default=-1)
    after = events[last_user + 1 :]
    shown = (tracker.get("slots") or {}).get("shown_passages") or []
    return Turn(
        texts=tuple(texts),
        responses=tuple(
            name
            for event in after
            if event.get("event") == "bot"
            if (name := (event.get("metadata") or {}).get("utter_action"))
        ),
        actions=tuple(
            event["name"] for event in after if event.get("event") == "action" and event.get("name") != "action_listen"
        ),
        topics=tuple(passage["topic"] for passage in shown if isinstance(passage, Mapping) and "topic" in passage)
        + ((CENTRE_TOPIC,) if centre_replied(after) else ()),
    )


def category(turn: Turn) -> str:
    """What the visitor got. An answer wins over anything said with it; a failure over everything."""
    said = {*turn.responses, *turn.actions}
    if said & UNAVAILABLE:
        return "unavailable"
    if turn.topics:
        return "answered"
    if CHOICE in said:
        return "choice"
    if said & QUESTIONNAIRE:
        return "questionnaire"
    if said & ABSTENTION:
        return "abstained"
    if OUT_OF_SCOPE in said:
        return "out_of_scope"
    if said & REPHRASE:
        return "rephrase"
    if HANDOFF in said:
        return "handoff"
    return "other"


UNCOVERED_SCORES = {"abstained": 2, "out_of_scope": 1, "handoff": 1}


def verdict(question: Question, turn: Turn, markers: Sequence[str]) -> Verdict:
    kind = category(turn)
    right = kind == "answered" and bool(set(turn.topics) & set(question.expected_topics))
    missing = missing_facts(answer_body(turn.texts, markers), question.must_contain) if right else ()
    if not question.covered:
        score = UNCOVERED_SCORES.get(kind, 0)
    elif right:
        score = 1 if missing else 2
    else:
        score = 1 if kind == "abstained" else 0
    return Verdict(kind, score, right, missing, bool(turn.offered))


# ----------------------------------------------------------------------------- figures


def wrong_sheet(question: Question, result: Verdict) -> bool:
    return question.covered and result.category in ("answered", "choice") and not result.right_sheet


def false_rephrase(question: Question, result: Verdict) -> bool:
    """Every question of the set is clear; "out of scope, say it otherwise" is fair only when it is."""
    return result.category == "rephrase" or (question.covered and result.category == "out_of_scope")


def figures(rows: Sequence[tuple[Question, Verdict]]) -> dict[str, float]:
    covered = [(q, r) for q, r in rows if q.covered]
    uncovered = [(q, r) for q, r in rows if not q.covered]
    return {
        "questions": len(rows),
        "mean": statistics.mean(r.score for _, r in rows) if rows else 0.0,
        "fully_right": sum(r.score == 2 for _, r in rows) / len(rows) if rows else 0.0,
        "wrong_sheet": sum(wrong_sheet(q, r) for q, r in covered) / len(covered) if covered else 0.0,
        "false_rephrase": sum(false_rephrase(q, r) for q, r in rows),
        "false_abstentions": sum(r.category == "abstained" for _, r in covered),
        "confident_uncovered": sum(r.category in ("answered", "choice") for _, r in uncovered),
        "choices": sum(r.chose for _, r in rows),
        "uncovered": len(uncovered),
        "questionnaire": sum(r.category == "questionnaire" for _, r in rows),
        "unavailable": sum(r.category == "unavailable" for _, r in rows),
    }


def reading_hint(question: Question, result: Verdict) -> str:
    """Where the automatic score needs a person's eyes (docs/benchmarks.md, "by reading")."""
    if result.score == 2 and question.kind == "yesno":
        return "does it say yes or no?"
    if result.score == 2 and question.kind == "twopart":
        return "are both parts answered?"
    if result.right_sheet and result.missing:
        return "missing facts said in other words?"
    if not question.covered and result.category == "answered":
        return "does the passage help after all?"
    if question.covered and result.category in ("answered", "choice") and not result.right_sheet:
        return "is the shown sheet acceptable too?"
    return ""


# ----------------------------------------------------------------------------- the data set's own check


def candidate_bodies(question: Question, bodies: Mapping[tuple[str, str], Sequence[str]]) -> list[str]:
    """The texts a reply from one of the question's sheets can have: `bodies` maps (topic, language) to
    them (each passage with its title; the centre's information)."""
    return [body for topic in question.expected_topics for body in bodies.get((topic, question.lang), ())]


def facts_not_in_sheets(question: Question, bodies: Mapping[tuple[str, str], Sequence[str]]) -> tuple[str, ...]:
    """Facts that no reply from an expected sheet can show: a mistake in the question set."""
    candidates = candidate_bodies(question, bodies)
    return tuple(
        group[0]
        for group in question.must_contain
        if not any(contains(body, wording) for body in candidates for wording in group)
    )


def one_reply_suffices(question: Question, bodies: Mapping[tuple[str, str], Sequence[str]]) -> bool:
    """Whether one passage holds every fact; two-part questions often need two."""
    return not question.covered or any(
        not missing_facts(body, question.must_contain) for body in candidate_bodies(question, bodies)
    )


def reply_bodies(
    passages: Iterable[Mapping[str, Any]], centre: Mapping[str, Any], markers: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    bodies: dict[tuple[str, str], list[str]] = {}
    for passage in passages:
        bodies.setdefault((passage["topic"], passage["lang"]), []).append(f"{passage['title']}\n{passage['text']}")
    for lang in LANGUAGES:
        bodies.setdefault((CENTRE_TOPIC, lang), []).append(answer_body([centre_info_text(centre, lang)], markers))
    return bodies


# ----------------------------------------------------------------------------- the run


def offered_topics(messages: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The sheets of a "which do you mean?" reply: topic -> the button's payload."""
    found: dict[str, str] = {}
    for message in messages:
        for button in message.get("buttons") or []:
            payload = button.get("payload", "")
            if payload.startswith(f"/{CHOOSE_TOPIC_INTENT}"):
                found[json.loads(payload.removeprefix(f"/{CHOOSE_TOPIC_INTENT}"))["topic"]] = payload
    return found


def ask(rasa: httpx.Client, token: str, sender: str, question: Question) -> Turn:
    """One question as the first message of a new conversation; a failed call is an unavailable reply.
    Asked which of two sheets it means, the visitor taps an expected one when there is one."""
    try:
        reply = rasa.post(
            "/webhooks/rest/webhook",
            json={"sender": sender, "message": question.text, "metadata": {"language": question.lang}},
        )
        reply.raise_for_status()
        offered = offered_topics(reply.json())
        tapped = next((offered[topic] for topic in question.expected_topics if topic in offered), None)
        if tapped:
            reply = rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": tapped})
            reply.raise_for_status()
        tracker = rasa.get(f"/conversations/{sender}/tracker", params={"token": token})
        tracker.raise_for_status()
    except httpx.HTTPError as error:
        print(f"  {question.id}: {type(error).__name__}")
        return Turn((), ("utter_service_trouble",), (), ())
    turn = turn_from_tracker([message["text"] for message in reply.json() if "text" in message], tracker.json())
    return replace(turn, offered=tuple(offered))


def run(questions: Sequence[Question]) -> list[Turn]:
    batch = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as directory, open(os.devnull, "w") as devnull:
        stack = Stack(Path(directory), f"sqlite:///{directory}/tracker.db", devnull)
        try:
            stack.start()
            with httpx.Client(base_url=stack.rasa_url, timeout=60) as rasa:
                return [ask(rasa, stack.settings.rasa_token, f"bench-answers-{batch}-{q.id}", q) for q in questions]
        finally:
            stack.stop()


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


ROWS = (  # label, figure, format, target
    ("mean score (0-2)", "mean", "{:.2f}".format, ">= 1.7"),
    ("fully right (score 2)", "fully_right", percent, ">= 75 %"),
    ("wrong sheet (of covered)", "wrong_sheet", percent, "<= 5 %"),
    ('false "rephrase"', "false_rephrase", str, "0"),
    ("false abstentions", "false_abstentions", str, ""),
    ("confident answers, uncovered", "confident_uncovered", str, "0"),
    ("questionnaire started", "questionnaire", str, "0"),
    ("asked which of two sheets", "choices", str, ""),
    ("search or action failed", "unavailable", str, "0"),
)


def report(rows: Sequence[tuple[Question, Verdict]], digest: str) -> str:
    groups: dict[str, dict[str, float]] = {
        lang: figures([(q, r) for q, r in rows if q.lang == lang]) for lang in LANGUAGES
    }
    groups["all"] = figures(rows)
    baseline = BASELINE.get("figures", {}) if BASELINE.get("questions") == digest else {}
    lines = [
        f"\nAnswers: {len(rows)} questions through the REST channel, each a new conversation "
        f"(set {digest}; {groups['all']['uncovered']} not covered by any sheet)",
        f"{'':<30}{'fr':>9}{'nl':>9}{'all':>9}{'baseline':>10}   target",
    ]
    for label, key, shown, target in ROWS:
        before = shown(baseline[key]) if key in baseline else "-"
        lines.append(
            f"{label:<30}"
            + "".join(f"{shown(groups[g][key]):>9}" for g in (*LANGUAGES, "all"))
            + f"{before:>10}   {target}"
        )
    if BASELINE and not baseline:
        lines.append(f"(the baseline was measured on another question set, {BASELINE.get('questions')})")
    elif baseline:
        lines.append(f"baseline: {BASELINE['date']}, commit {BASELINE['commit']}")
    lines.append(f"\n{'kind':<12}{'n':>4}{'mean':>7}{'fully right':>13}")
    for kind in sorted({q.kind for q, _ in rows}):
        own = figures([(q, r) for q, r in rows if q.kind == kind])
        lines.append(f"{kind:<12}{own['questions']:>4}{own['mean']:>7.2f}{percent(own['fully_right']):>13}")
    return "\n".join(lines)


def tsv_cell(text: str) -> str:
    return " / ".join(line for line in text.replace("\t", " ").splitlines() if line.strip())


def write_table(path: Path, rows: Sequence[tuple[Question, Turn, Verdict]], markers: Sequence[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("id", "lang", "kind", "score", "category", "expected", "shown", "missing", "read", "question", "reply")
    lines = ["\t".join(header)]
    for question, turn, result in rows:
        reply = answer_body(turn.texts, markers) if result.category == "answered" else "\n".join(turn.texts)
        lines.append(
            "\t".join(
                (
                    question.id,
                    question.lang,
                    question.kind,
                    str(result.score),
                    result.category,
                    " ".join(question.expected_topics),
                    " ".join(turn.topics),
                    "; ".join(result.missing),
                    reading_hint(question, result),
                    tsv_cell(question.text),
                    tsv_cell(reply),
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the question set against the sheets")
    args = parser.parse_args()

    passages = json.loads((knowledge_settings().index_dir / PASSAGES).read_text(encoding="utf-8"))
    centre = load_centre_info(action_settings().centre_info_file)
    domain = responses()
    unknown = RESPONSE_NAMES - set(domain)
    if unknown:
        raise SystemExit(f"responses not in the domain any more: {', '.join(sorted(unknown))}")
    markers = source_markers(domain, (centre[lang]["source"] for lang in LANGUAGES))
    questions = parse_questions(
        yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"],
        {passage["topic"] for passage in passages},
    )
    bodies = reply_bodies(passages, centre, markers)
    mistakes = {question.id: facts for question in questions if (facts := facts_not_in_sheets(question, bodies))}
    for question_id, facts in mistakes.items():
        print(f"{question_id}: not in its sheets: {', '.join(facts)}")
    if mistakes:
        raise SystemExit("fix bench/data/answers_eval.yml: the facts above would make full marks impossible")
    several = [question.id for question in questions if not one_reply_suffices(question, bodies)]
    print(
        f"{len(questions)} questions; full marks need more than one passage for {len(several)}: "
        f"{' '.join(several) or '-'}"
    )
    if args.check:
        return

    started = time.perf_counter()
    turns = run(questions)
    results = [
        (question, turn, verdict(question, turn, markers)) for question, turn in zip(questions, turns, strict=False)
    ]
    write_table(RESULTS_FILE, results, markers)
    print(report([(question, result) for question, _, result in results], questions_digest(QUESTIONS_FILE)))
    print(
        f"\n{len(questions)} questions in {time.perf_counter() - started:.0f} s (with the stack's start); "
        f"one row per question in {RESULTS_FILE.relative_to(PROJECT_ROOT)}"
    )


if __name__ == "__main__":
    main()
