"""`make bench-startup`: time from `make run` to ready, and the servers' resident memory.

Measures three starts of the real `make run`: with the model already trained;
without the model and Rasa's training cache (train, then start); and in a fresh
clone of the last commit with empty package caches (create both environments,
train and build the index, then start), what a new machine does. Memory is the sum of the resident set sizes of every
process under `make run`, read from /proc once the assistant is ready, and again after a warm-up: the
held-out messages of `make bench-latency`, its questionnaires and a handoff in each language, so that
every server has loaded what it loads on first use.
The baseline printed next to it is one bare Python process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.turn_latency import QUESTIONNAIRE, messages, questionnaires
from common.defaults import PROJECT_ROOT, RASA_PORT

READY = "Passerelle is ready"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def resident_mib(root: int) -> dict[str, float]:
    """Resident memory (MiB) of each process in the tree under `root`, by command."""
    sizes: dict[str, float] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        pending.extend(children(pid))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0)
        name = " ".join(part.decode()[-40:] for part in command[:3] if part)
        sizes[f"{pid} {name}"] = rss / 1024
    return sizes


def start_make_run(
    env: dict[str, str] | None = None, sigint_ignored: bool = False, cwd: Path = PROJECT_ROOT
) -> subprocess.Popen[str]:
    """`make run` in its own process group (so that one signal stops every server), its output readable;
    with `sigint_ignored`, started as a script's background job is (SIGINT ignored from the start)."""
    return subprocess.Popen(
        ["bash", "-c", "trap '' INT; exec make run"] if sigint_ignored else ["make", "run"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def warm_up() -> int:
    """Turns through the REST channel, as visitors send them; returns how many."""
    url = f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook"
    turns = [("warm-up-questions", text) for text, _ in messages()]
    length = len(QUESTIONNAIRE["fr"])
    turns += [(f"warm-up-questionnaire-{index // length}", text) for index, text in enumerate(questionnaires())]
    turns += [("warm-up-fr", "je voudrais parler à un conseiller"), ("warm-up-nl", "ik wil een adviseur spreken")]
    with httpx.Client(timeout=60) as client:
        for sender, text in turns:
            client.post(url, json={"sender": sender, "message": text}).raise_for_status()
    return len(turns)


def print_sizes(sizes: dict[str, float]) -> None:
    for name, mib in sorted(sizes.items(), key=lambda item: -item[1]):
        if mib > 5:
            print(f"  {mib:8.0f} MiB  {name}")
    print(f"  {sum(sizes.values()):8.0f} MiB  total resident")


def start_once(label: str, warm: bool, cwd: Path = PROJECT_ROOT, env: dict[str, str] | None = None) -> None:
    start = time.perf_counter()
    process = start_make_run(env, cwd=cwd)
    assert process.stdout is not None  # stdout=PIPE
    try:
        for line in process.stdout:
            if READY in line:
                break
        else:
            raise SystemExit(f"make run ended before it was ready (exit {process.wait()})")
        ready = time.perf_counter() - start
        print(f"\n{label}: ready after {ready:.1f} s")
        print_sizes(resident_mib(process.pid))
        if warm:
            print(f"after a warm-up of {warm_up()} turns:")
            print_sizes(resident_mib(process.pid))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            stopped = time.perf_counter()
            process.wait(60)
            print(f"  stopped {time.perf_counter() - stopped:.1f} s after Ctrl-C")


def main() -> None:
    baseline = subprocess.run(
        [sys.executable, "-c", "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"baseline: a bare Python process holds {int(baseline.stdout) / 1024:.0f} MiB")
    start_once("make run, model present", warm=True)
    # A fresh clone has neither the model nor Rasa's training cache.
    built = [PROJECT_ROOT / "models", PROJECT_ROOT / ".rasa"]
    aside = PROJECT_ROOT / "var" / "bench" / "set-aside"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(parents=True)
    for path in built:
        if path.exists():
            shutil.move(path, aside / path.name)
    try:
        start_once("make run, no model and no training cache (trains first, as on a fresh clone)", warm=False)
    finally:
        for path in built:
            if (aside / path.name).exists():
                shutil.rmtree(path, ignore_errors=True)
                shutil.move(aside / path.name, path)
    start_fresh_clone()


def start_fresh_clone() -> None:
    """A new machine: a clone of the last commit, without environments, model or index, and with new,
    empty package caches for pip and uv (so every package is downloaded again; pip's configured local
    wheel folders still apply to the one package pip installs, uv itself)."""
    with tempfile.TemporaryDirectory(prefix="passerelle-fresh-clone-") as scratch:
        clone = Path(scratch) / "passerelle"
        subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], check=True)
        env = {**os.environ, "PIP_CACHE_DIR": f"{scratch}/pip-cache", "UV_CACHE_DIR": f"{scratch}/uv-cache"}
        start_once("fresh clone of HEAD, empty pip and uv caches: make run", warm=False, cwd=clone, env=env)


if __name__ == "__main__":
    main()
