"""`make bench-nlu`: intent accuracy and macro-F1 per language on the held-out split.

Runs in the Rasa environment. Trains the project's model with `rasa train`
(timed, with its peak memory), and an NLU model without the dense sentence
features, then scores both on tests/nlu/heldout_{fr,nl}.yml, which no training
run ever reads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from nlu.evaluation import accuracy, heldout, macro_f1

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench" / "nlu"
RASA = str(Path(sys.executable).with_name("rasa"))
DENSE = "nlu.sentence_encoder.SentenceEncoderFeaturizer"


def timed_run(command: list[str]) -> dict[str, float]:
    """Runs a command; returns its wall time and the peak resident memory of its process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return {"seconds": time.perf_counter() - start, "peak_mib": usage.ru_maxrss / 1024}


def config_without_dense_features() -> Path:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != DENSE]
    path = OUT / "config-sparse-only.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


async def predictions(model: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no debug line per parsed message

    agent = Agent.load(str(model))
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        results.append(parsed["intent"]["name"])
    return results


def scores(model: Path) -> dict[str, dict[str, float]]:
    table = {}
    for language in ("fr", "nl"):
        examples = heldout(language)
        gold = [intent for _, intent in examples]
        predicted = asyncio.run(predictions(model, [text for text, _ in examples]))
        table[language] = {"n": len(gold), "accuracy": accuracy(gold, predicted), "macro_f1": macro_f1(gold, predicted)}
    return table


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    runs = {
        "sparse + dense (config.yml)": timed_run(
            [RASA, "train", "--out", str(OUT), "--fixed-model-name", "with-dense", "--force"]
        ),
        "sparse only": timed_run(
            [
                RASA,
                "train",
                "nlu",
                "--config",
                str(config_without_dense_features()),
                "--nlu",
                "nlu/data",
                "--out",
                str(OUT),
                "--fixed-model-name",
                "sparse-only",
            ]
        ),
    }
    models = {"sparse + dense (config.yml)": OUT / "with-dense.tar.gz", "sparse only": OUT / "sparse-only.tar.gz"}
    print("\nHeld-out NLU scores (tests/nlu, never trained on)")
    print(f"{'pipeline':<30}{'lang':<6}{'n':>5}{'accuracy':>10}{'macro-F1':>10}")
    for name, model in models.items():
        for language, row in scores(model).items():
            print(f"{name:<30}{language:<6}{row['n']:>5}{row['accuracy']:>10.3f}{row['macro_f1']:>10.3f}")
    print("\nTraining")
    for name, run in runs.items():
        kind = "rasa train (NLU + dialogue)" if "config.yml" in name else "rasa train nlu"
        print(f"{name:<30}{kind:<30}{run['seconds']:>8.1f} s{run['peak_mib']:>9.0f} MiB peak")


if __name__ == "__main__":
    main()
