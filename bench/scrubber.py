"""Personal-data scrubber: recall, precision and speed: `python -m bench.scrubber`.

On two sets of visitor messages in French and Dutch with the personal data in each:
bench/data/scrubber_cases.yml, written by the scrubber's author (its misses are printed and were used to fix
it), and bench/data/scrubber_heldout.yml, written on 2026-12-06 by a writer who never saw the scrubber, its
rules or those cases, and never used to tune it (its misses are not printed: the honest figure). Per set,
language and kind: recall (an item is found when one span of its kind covers all of it) and
precision (a span is right when it overlaps an item of its kind), for the identifiers alone
(privacy.identifiers, which finds no names) and for the whole scrubber. "Hidden" is the share of items
that end up wholly under a placeholder of any kind: what anonymity needs. Then the scrubber's load time
and memory, whether scrubbing twice changes anything, and the latency per message after a warm-up.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from privacy.identifiers import Span, find_identifiers
from privacy.scrubber import KINDS, get_scrubber

CASES = Path(__file__).parent / "data" / "scrubber_cases.yml"
HELD_OUT = Path(__file__).parent / "data" / "scrubber_heldout.yml"
WARM_UP = 20
ROUNDS = 5

Finder = Callable[[str, str], list[Span]]


def gold(case: dict) -> list[Span]:
    """The case's personal data as spans (each text is looked for after the previous one)."""
    spans, position = [], 0
    for item in case["personal"]:
        start = case["text"].index(item["text"], position)
        spans.append(Span(start, start + len(item["text"]), item["kind"]))
        position = start + len(item["text"])
    return spans


def covers(span: Span, item: Span) -> bool:
    return span.start <= item.start and item.end <= span.end


def overlaps(span: Span, item: Span) -> bool:
    return span.start < item.end and item.start < span.end


def score(cases: list[dict], language: str, find: Finder) -> dict[str, list[int]]:
    """Per kind (and "all"): [items found, items, spans right, spans], plus "hidden": [covered, items]."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for case in cases:
        expected, found = gold(case), find(case["text"], language)
        for item in expected:
            for key in (item.kind, "all"):
                counts[key][0] += any(s.kind == item.kind and covers(s, item) for s in found)
                counts[key][1] += 1
            counts["hidden"][0] += any(covers(s, item) for s in found)
            counts["hidden"][1] += 1
        for span in found:
            for key in (span.kind, "all"):
                counts[key][2] += any(i.kind == span.kind and overlaps(span, i) for i in expected)
                counts[key][3] += 1
    return counts


def share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     —"


def report(title: str, language: str, cases: list[dict], finders: dict[str, Finder]) -> None:
    scores = {name: score(cases, language, find) for name, find in finders.items()}
    print(f"\n{title}, {language}: {len(cases)} messages, {sum(len(c['personal']) for c in cases)} personal items")
    print(f"  {'kind':<16}{'items':>6}" + "".join(f"  {name + ': recall':>30} {'precision':>9}" for name in finders))
    for kind in (*KINDS, "all"):
        items = scores[next(iter(finders))][kind][1]
        row = "".join(
            f"  {share(c[0], c[1]):>30} {share(c[2], c[3]):>9}" for c in (scores[name][kind] for name in finders)
        )
        print(f"  {kind:<16}{items:>6}{row}")
    hidden = "".join(f"  {share(*scores[name]['hidden'][:2]):>30} {'':>9}" for name in finders)
    print(f"  {'hidden (any kind)':<16}{'':>6}{hidden}")


def mistakes(language: str, cases: list[dict], find: Finder) -> None:
    for case in cases:
        expected, found = gold(case), find(case["text"], language)
        text = case["text"]
        for item in expected:
            if not any(s.kind == item.kind and covers(s, item) for s in found):
                print(f"  missed {item.kind}: {text[item.start : item.end]!r} in {text!r}")
        for span in found:
            if not any(i.kind == span.kind and overlaps(span, i) for i in expected):
                print(f"  wrongly {span.kind}: {text[span.start : span.end]!r} in {text!r}")


def latencies(cases: dict[str, list[dict]], find: Finder) -> list[float]:
    messages = [(case["text"], language) for language, group in cases.items() for case in group]
    for text, language in messages[:WARM_UP]:
        find(text, language)
    timings = []
    for _ in range(ROUNDS):
        for text, language in messages:
            start = time.perf_counter()
            find(text, language)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    scrubber = get_scrubber()
    print(
        f"Scrubber loaded in {time.perf_counter() - start:.1f} s, "
        f"resident memory +{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before) / 1024:.0f} MB"
    )
    finders: dict[str, Finder] = {
        "identifiers only": lambda text, language: find_identifiers(text),
        "full scrubber": scrubber.find,
    }
    held_out = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    for title, sets in (("author's cases", cases), ("held-out cases", held_out)):
        for language, group in sets.items():
            report(title, language, group, finders)
    print("\nFull scrubber's mistakes on the author's cases (the held-out ones are not shown):")
    for language, group in cases.items():
        mistakes(language, group, scrubber.find)
    texts = [(case["text"], language) for language, group in cases.items() for case in group]
    stable = sum(scrubber.scrub(scrubber.scrub(t, lang), lang) == scrubber.scrub(t, lang) for t, lang in texts)
    print(f"\nScrubbing twice changes nothing: {stable}/{len(texts)} messages")
    print(f"Latency per message, ms, after {WARM_UP} warm-up messages ({ROUNDS} rounds of {len(texts)}):")
    for name, find in finders.items():
        timings = latencies(cases, find)
        cuts = statistics.quantiles(timings, n=100)
        print(f"  {name:<18} p50 {cuts[49]:7.3f}   p95 {cuts[94]:7.3f}")


if __name__ == "__main__":
    main()
