"""`make bench-load`: how many turns per second the scaled topology sustains through nginx, at p95 ≤ 1 s.

For each topology (Passerelle with 1 Rasa instance, with 2, and a plain `rasa init` bot behind the same
nginx as the baseline measured in the same run), starts it on free ports (Passerelle through the real
launcher, on fresh PostgreSQL databases and the local Redis), sends a few warm-up turns, then runs locust
(bench/load_visitors.py: questions, whole questionnaires and handoffs, French and Dutch, 0.5–2 s between
messages) at rising numbers of simulated visitors: each step ramps up in RAMP s and is then measured for
STEP s (locust's statistics are reset once every visitor has started). A step far past the limit (p95
over 3 s or more than 10 % errors) ends that topology's steps.

Prints per step: turns/s, p50/p95 and errors, with p95 per scenario; then per topology the sustained
turns/s at p95 ≤ 1 s (the best step with p95 ≤ 1 s and no error) against the target (≥ 20 turns/s with
p95 < 1 s and no error, on a 2-core machine). Figures only: nothing is asserted.

CPU per turn: around each step, the CPU time (user + system, /proc/<pid>/stat, children reaped included)
of every process of each service's process group (the launcher starts each service as its own group),
of the whole PostgreSQL and Redis servers (shared with anything else running on this machine), of
locust itself (its rusage as our child) and of the machine (/proc/stat), divided by the turns nginx
logged in the same window (ramp included); also net of what each service burns idle, measured for IDLE s
with no visitor before the first step. The step shown is the highest that met p95 ≤ 1 s. From it, a
capacity model: a CPU-bound topology of N instances on M cores answers at most
    min((M − idle cores) / net CPU per turn, N / Rasa's net CPU per turn, N / the action server's,
        1 / each single-process service's)
turns per second, since a Rasa server, an action server, the desk, the web service, nginx (one worker)
and Redis each take one turn at a time on one event loop. (A Rasa server's numeric libraries may spread a
turn over several cores: its "cores busy" past 1 says so, and its bound is then too low.) That is the
saturation rate: the rate at p95 ≤ 1 s is lower (queueing), and the measured share of it on this
machine is printed to scale the model's figures.

Locust runs as its own process (`python -m locust`): it patches the standard library with gevent on
import, which this script must not undergo. Its CSV files and output are kept in var/bench/load/.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import httpx
import psycopg2

from bench.scaled_topology import Launcher
from bench.turn_latency import plain_bot
from common.defaults import POSTGRES_SERVER, PROJECT_ROOT
from launcher.edge import edge_service
from launcher.services import free_port
from launcher.settings import LauncherSettings

LOCUSTFILE = PROJECT_ROOT / "bench" / "load_visitors.py"
OUTPUT = PROJECT_ROOT / "var" / "bench" / "load"
WEBHOOK = "/webhooks/rest/webhook"
STEPS = (5, 10, 15, 20, 30, 40, 60)
# A whole questionnaire takes about 35 s at the visitors' pace: a step is long enough for its later questions.
STEP = 60.0
RAMP = 5.0
QUICK_STEPS = (2, 5)
QUICK_STEP = 15.0
TOPOLOGIES = ("1", "2", "plain")
P95_LIMIT_MS = 1000.0
TARGET_TURNS = 20.0
# A step this far past the limit says all there is to say: the higher ones would only take longer.
OVERLOADED_P95_MS = 3000.0
OVERLOADED_ERRORS = 0.1
# Seconds between two steps: the turns cut short by the end of a step are still answered meanwhile,
# outside both steps' CPU windows.
SETTLE = 5.0
SCENARIOS = ("question", "questionnaire", "handoff")
# Services that run as one process each per instance, as one process in all, or as many (PostgreSQL).
PER_INSTANCE = ("Rasa servers", "action servers")
ONE_PROCESS = ("desk", "web service", "nginx", "Redis (whole server)")
SYSTEM_SERVERS = {"PostgreSQL (whole server)": "postgres", "Redis (whole server)": "redis-server"}
LOCUST = "locust (load generator)"
MODEL_INSTANCES = (1, 2, 4)
MODEL_CORES = (2, 4, 8)
IDLE = 10.0
QUICK_IDLE = 5.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Topology(Protocol):
    label: str
    instances: int
    # PASSERELLE_LOAD_BOT for the locustfile: "passerelle" or "plain".
    bot: str

    @property
    def edge(self) -> str: ...

    @property
    def access_log(self) -> Path: ...

    def start(self) -> None: ...

    def groups(self) -> dict[str, list[int]]:
        """Service → the process groups (their leaders' pids) it runs as, now (the launcher restarts what dies)."""
        ...

    def stop(self) -> None: ...


class Passerelle:
    """`python -m launcher --instances N` on two fresh PostgreSQL databases, dropped by `stop`."""

    bot = "passerelle"

    def __init__(self, instances: int, directory: Path) -> None:
        self.instances = instances
        self.label = f"Passerelle, {instances} instance{'s' if instances > 1 else ''}"
        token = secrets.token_hex(4)
        self.databases = [f"passerelle_load_{token}_{kind}" for kind in ("desk", "conversations")]
        directory.mkdir(parents=True, exist_ok=True)
        desk, conversations = (f"{POSTGRES_SERVER}/{name}" for name in self.databases)
        self.launcher = Launcher(directory, desk, conversations, instances=instances)

    @property
    def edge(self) -> str:
        return self.launcher.edge

    @property
    def access_log(self) -> Path:
        return self.launcher.directory / "nginx" / "access.log"

    def start(self) -> None:
        self.launcher.start()

    def groups(self) -> dict[str, list[int]]:
        numbers = range(1, self.instances + 1)
        assert self.launcher.process is not None
        return {
            "Rasa servers": [self.launcher.pid(f"Rasa server {n}") for n in numbers],
            "action servers": [self.launcher.pid(f"action server {n}") for n in numbers],
            "desk": [self.launcher.pid("desk service")],
            "web service": [self.launcher.pid("web service")],
            "nginx": [self.launcher.pid("nginx")],
            # Its supervision loop: part of the topology as `make run-scaled` runs it.
            "launcher": [self.launcher.process.pid],
        }

    def stop(self) -> None:
        try:
            self.launcher.stop()
        finally:
            drop_databases(self.databases)


class PlainBot:
    """A `rasa init` bot (in-memory tracker, no action server) behind the same nginx configuration. Only the
    REST channel is loaded: nginx's web and desk upstreams are free ports nobody listens on."""

    label = "plain rasa init bot"
    bot = "plain"
    instances = 1

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.visitor_port = free_port()
        # Trains the bot the first time (a few minutes), into var/bench/rasa-init/.
        self.rasa = plain_bot(free_port())
        self.nginx = edge_service(
            directory / "nginx",
            self.visitor_port,
            free_port(),
            rasa=[self.rasa.address.removeprefix("http://")],
            web=f"127.0.0.1:{free_port()}",
            desk=f"127.0.0.1:{free_port()}",
        )
        self.log: IO[Any] | None = None

    @property
    def edge(self) -> str:
        return f"http://127.0.0.1:{self.visitor_port}"

    @property
    def access_log(self) -> Path:
        return self.directory / "nginx" / "access.log"

    def start(self) -> None:
        self.log = (self.directory / "services.log").open("w")
        self.rasa.start(LauncherSettings().start_timeout, self.log)
        # Its health URL is the widget script, from the web service that is not there: the channel instead.
        self.nginx.spawn(self.log)
        deadline = time.monotonic() + 30
        while not answers(self.edge):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"nginx did not pass the plain bot's turns on; see {self.directory / 'services.log'}"
                )
            time.sleep(0.5)

    def groups(self) -> dict[str, list[int]]:
        assert self.rasa.process is not None and self.nginx.process is not None
        return {"Rasa server (plain bot)": [self.rasa.process.pid], "nginx": [self.nginx.process.pid]}

    def stop(self) -> None:
        try:
            self.nginx.stop()
            self.rasa.stop()
        finally:
            if self.log is not None:
                self.log.close()


def answers(edge: str) -> bool:
    try:
        reply = httpx.post(f"{edge}{WEBHOOK}", json={"sender": "bench-load-ready", "message": "hello"}, timeout=10)
    except httpx.TransportError:
        return False
    return reply.status_code == 200


def drop_databases(names: Sequence[str]) -> None:
    # The launcher's own databases are made from the maintenance database too (launcher/scaled.py).
    admin = psycopg2.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.close()


WARM_UP = {
    "fr": ("bonjour", "comment faire un CV ?", "je veux faire le test d'orientation", "je veux voir un conseiller"),
    "nl": ("hallo", "hoe schrijf ik een cv?", "ik wil de vragenlijst invullen", "kan ik met een adviseur praten?"),
}


def warm_up(edge: str, conversations: int) -> None:
    """A fresh Rasa server's first turns, and its first search, are slow: a few conversations that no step
    counts (round robin spreads them over the instances)."""
    with httpx.Client(base_url=edge, timeout=120) as client:
        for number in range(conversations):
            language = ("fr", "nl")[number % 2]
            sender = f"bench-load-warm-up-{secrets.token_hex(4)}"
            for message in WARM_UP[language]:
                metadata = {"language": language}
                client.post(WEBHOOK, json={"sender": sender, "message": message, "metadata": metadata})


# CPU time ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessTime:
    group: int
    name: str
    seconds: float


def processes() -> list[ProcessTime]:
    """Every process's CPU time, with its reaped children's (a worker that exited keeps counting)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it exited meanwhile
            continue
        # The name is in parentheses and may hold spaces or parentheses itself.
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        # Fields 5 (pgrp) and 14–17 (utime, stime, cutime, cstime) of proc(5), counted from 1 with pid and name.
        ticks = sum(int(value) for value in fields[11:15])
        found.append(ProcessTime(int(fields[2]), name, ticks / CLOCK_TICKS))
    return found


def cpu_seconds(groups: dict[str, list[int]]) -> dict[str, float]:
    """Each service's CPU time so far: its process groups', and the system servers' by process name."""
    table = processes()
    seconds = {service: sum(p.seconds for p in table if p.group in leaders) for service, leaders in groups.items()}
    for service, name in SYSTEM_SERVERS.items():
        seconds[service] = sum(p.seconds for p in table if p.name == name)
    seconds[LOCUST] = children_seconds()
    return seconds


def children_seconds() -> float:
    """The CPU time of our reaped children: only locust is reaped during a step (the services are our
    children's children, or ours but running until the end)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> tuple[float, float]:
    """All cores' busy and total time so far (/proc/stat: user nice system idle iowait irq softirq steal)."""
    values = [int(value) / CLOCK_TICKS for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def logged_turns(access_log: Path) -> int:
    if not access_log.exists():
        return 0
    with access_log.open() as lines:
        return sum(f" {WEBHOOK} " in line for line in lines)


@dataclass(frozen=True)
class Reading:
    """The counters at one moment."""

    at: float
    cpu: dict[str, float]
    busy: float
    total: float
    turns: int


def read_counters(topology: Topology, groups: dict[str, list[int]]) -> Reading:
    busy, total = machine_busy_seconds()
    return Reading(time.monotonic(), cpu_seconds(groups), busy, total, logged_turns(topology.access_log))


@dataclass(frozen=True)
class Window:
    """What was used between two readings: wall seconds, CPU seconds per service, the machine's busy and
    total core-seconds, the turns nginx logged."""

    seconds: float
    cpu: dict[str, float]
    busy: float
    total: float
    turns: int

    @classmethod
    def between(cls, before: Reading, after: Reading) -> Window:
        cpu = {name: after.cpu[name] - before.cpu.get(name, after.cpu[name]) for name in after.cpu}
        return cls(
            after.at - before.at, cpu, after.busy - before.busy, after.total - before.total, after.turns - before.turns
        )

    def cores(self, name: str) -> float:
        """How many cores the service kept busy on average."""
        return self.cpu.get(name, 0.0) / self.seconds if self.seconds > 0 else 0.0


def measure_idle(topology: Topology, seconds: float) -> Window:
    """The topology's CPU with no visitor: what it burns anyway (polling, timers, the system servers' own
    work and whatever else shares them), taken off the CPU per turn."""
    groups = topology.groups()
    before = read_counters(topology, groups)
    time.sleep(seconds)
    return Window.between(before, read_counters(topology, groups))


# locust ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    requests: int
    failures: int
    rate: float
    p50: float
    p95: float


def number(text: str) -> float:
    return math.nan if text in ("", "N/A") else float(text)


def read_stats(path: Path) -> dict[str, Stats]:
    """locust's `_stats.csv`: one row per request name, and "Aggregated"."""
    with path.open(newline="") as rows:
        return {
            row["Name"]: Stats(
                int(row["Request Count"]),
                int(row["Failure Count"]),
                number(row["Requests/s"]),
                number(row["50%"]),
                number(row["95%"]),
            )
            for row in csv.DictReader(rows)
        }


def read_failures(path: Path) -> list[tuple[str, str, int]]:
    """locust's `_failures.csv`: (request name, error, occurrences), most frequent first."""
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        found = [(row["Name"], row["Error"], int(row["Occurrences"])) for row in csv.DictReader(rows)]
    return sorted(found, key=lambda failure: -failure[2])


def run_locust(topology: Topology, visitors: int, seconds: float, ramp: float, prefix: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "locust",
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        topology.edge,
        "--users",
        str(visitors),
        "--spawn-rate",
        f"{max(1.0, visitors / ramp):g}",
        "--run-time",
        f"{math.ceil(ramp + seconds)}s",
        # Measured once every visitor has started.
        "--reset-stats",
        "--csv",
        str(prefix),
        "--only-summary",
        # Failed turns are figures here, not a failed run.
        "--exit-code-on-error",
        "0",
    ]
    env = {**os.environ, "PASSERELLE_LOAD_BOT": topology.bot, "PYTHONPATH": str(PROJECT_ROOT)}
    log = prefix.with_name(prefix.name + ".log")
    with log.open("w") as output:
        finished = subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, timeout=ramp + seconds + 120
        )
    if finished.returncode != 0:
        tail = "".join(log.read_text().splitlines(keepends=True)[-30:])
        raise RuntimeError(f"locust exited with code {finished.returncode}:\n{tail}")


# Steps ----------------------------------------------------------------------------------------------------------


@dataclass
class Step:
    visitors: int
    stats: dict[str, Stats]
    failures: list[tuple[str, str, int]]
    # The whole locust run (ramp included), and the topology's idle measurement before the first step.
    window: Window
    idle: Window

    @property
    def total(self) -> Stats:
        return self.stats["Aggregated"]

    def within_limit(self) -> bool:
        return self.total.requests > 0 and self.total.p95 <= P95_LIMIT_MS

    def sustained(self) -> bool:
        return self.within_limit() and self.total.failures == 0

    def overloaded(self) -> bool:
        total = self.total
        return (
            total.requests == 0 or total.p95 > OVERLOADED_P95_MS or total.failures > OVERLOADED_ERRORS * total.requests
        )

    def ms_per_turn(self, name: str) -> float:
        """The service's CPU during the step per turn nginx logged, all of it."""
        return self.window.cpu.get(name, 0.0) * 1000 / self.window.turns if self.window.turns else math.nan

    def net_ms_per_turn(self, name: str) -> float:
        """The same less what the service burns while idle: the part that grows with the turns."""
        if not self.window.turns:
            return math.nan
        extra = self.window.cpu.get(name, 0.0) - self.idle.cores(name) * self.window.seconds
        return max(0.0, extra) * 1000 / self.window.turns


def run_step(topology: Topology, visitors: int, seconds: float, ramp: float, prefix: Path, idle: Window) -> Step:
    groups = topology.groups()
    before = read_counters(topology, groups)
    run_locust(topology, visitors, seconds, ramp, prefix)
    window = Window.between(before, read_counters(topology, groups))
    if topology.groups() != groups:
        print(f"  (a service of {topology.label} was started again during the step: its CPU is partly missing)")
    stats, failures = read_stats(Path(f"{prefix}_stats.csv")), read_failures(Path(f"{prefix}_failures.csv"))
    return Step(visitors, stats, failures, window, idle)


def run_steps(topology: Topology, options: argparse.Namespace, label: str) -> list[Step]:
    steps: list[Step] = []
    idle = measure_idle(topology, options.idle)
    for visitors in options.steps:
        if steps:
            time.sleep(SETTLE)
        prefix = OUTPUT / f"{label}-{visitors}"
        step = run_step(topology, visitors, options.seconds, options.ramp, prefix, idle)
        steps.append(step)
        print(step_row(topology.label, step), flush=True)
        if step.overloaded() and not options.all_steps:
            print(f"  (far past the limit: {topology.label}'s higher steps are skipped)", flush=True)
            break
    return steps


# Report ---------------------------------------------------------------------------------------------------------

HEADER = (
    f"{'topology':<24}{'visitors':>9}{'turns/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}{'turns':>7}"
    f"   p95 ms question / questionnaire / handoff"
)


def milliseconds(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def step_row(label: str, step: Step) -> str:
    total = step.total
    scenarios = " / ".join(milliseconds(step.stats[name].p95) if name in step.stats else "-" for name in SCENARIOS)
    return (
        f"{label:<24}{step.visitors:>9}{total.rate:>9.1f}{milliseconds(total.p50):>8}{milliseconds(total.p95):>8}"
        f"{total.failures:>8}{total.requests:>7}   {scenarios}"
    )


def best(steps: Sequence[Step]) -> Step | None:
    """The step with the most turns per second at p95 ≤ 1 s and without error."""
    return max((step for step in steps if step.sustained()), key=lambda step: step.total.rate, default=None)


def profile_step(steps: Sequence[Step]) -> tuple[Step, str]:
    """The step whose CPU per turn feeds the model: the highest that met p95 ≤ 1 s, else the lowest."""
    within = [step for step in steps if step.within_limit() and step.window.turns]
    if within:
        step = max(within, key=lambda step: step.visitors)
        return step, f"{step.visitors} visitors, the highest step at p95 ≤ 1 s"
    return steps[0], f"{steps[0].visitors} visitors: no step met p95 ≤ 1 s"


@dataclass(frozen=True)
class Profile:
    """What the capacity model is made of: each service's CPU per turn net of idle, and its idle cores."""

    net_ms: dict[str, float]
    idle_cores: dict[str, float]
    # How many instances it was measured with: the per-instance services' idle grows with N.
    instances: int

    @classmethod
    def of(cls, step: Step, instances: int) -> Profile:
        names = [name for name in step.window.cpu if name != LOCUST]
        return cls(
            {name: step.net_ms_per_turn(name) for name in names},
            {name: step.idle.cores(name) for name in names},
            instances,
        )

    def topology_ms(self) -> float:
        return sum(self.net_ms.values())


def capacity(profile: Profile, instances: int, cores: float, extra_ms: float = 0.0) -> tuple[float, str]:
    """Saturation turns/s of `instances` on `cores`, and what bounds it (see the module's docstring);
    `extra_ms` is CPU per turn that shares the cores without being part of the topology (locust)."""
    scale = instances / profile.instances
    idle = sum(busy * (scale if name in PER_INSTANCE else 1) for name, busy in profile.idle_cores.items())
    bounds = {f"{cores:g} cores": max(0.0, cores - idle) * 1000 / (profile.topology_ms() + extra_ms)}
    for name in PER_INSTANCE + ONE_PROCESS:
        if profile.net_ms.get(name, 0.0) > 0:
            bounds[name] = (instances if name in PER_INSTANCE else 1) * 1000 / profile.net_ms[name]
    limit = min(bounds, key=lambda name: bounds[name])
    return bounds[limit], limit


def print_cpu(label: str, steps: Sequence[Step]) -> None:
    step, which = profile_step(steps)
    window = step.window
    print(f"\n{label}: CPU per turn ({which}; {window.turns} turns logged by nginx in {window.seconds:.0f} s)")
    print(f"  {'':<28}{'ms/turn':>9}{'net of idle':>13}{'idle cores':>12}{'cores busy':>12}")
    for name in sorted(window.cpu, key=lambda name: -step.ms_per_turn(name)):
        print(
            f"  {name:<28}{step.ms_per_turn(name):>9.1f}{step.net_ms_per_turn(name):>13.1f}"
            f"{step.idle.cores(name):>12.3f}{window.cores(name):>12.2f}"
        )
    names = [name for name in window.cpu if name != LOCUST]
    print(
        f"  {'topology in all':<28}{sum(step.ms_per_turn(name) for name in names):>9.1f}"
        f"{sum(step.net_ms_per_turn(name) for name in names):>13.1f}"
        f"{sum(step.idle.cores(name) for name in names):>12.3f}{sum(window.cores(name) for name in names):>12.2f}"
        "   (locust left out)"
    )
    machine = window.busy * 1000 / window.turns if window.turns else math.nan
    share = window.busy / window.total if window.total else math.nan
    print(f"  {'machine (/proc/stat)':<28}{machine:>9.1f}{'':>25}{share * (os.cpu_count() or 1):>12.2f}")


def print_model(label: str, instances: int, steps: Sequence[Step]) -> None:
    step, _ = profile_step(steps)
    if not step.window.turns:
        return
    profile = Profile.of(step, instances)
    cores = os.cpu_count() or 1
    print(f"\n{label}: capacity model from that profile, saturation turns/s (what bounds it)")
    print(f"  {'':<14}" + "".join(f"{f'{m} cores':>27}" for m in MODEL_CORES))
    for n in MODEL_INSTANCES:
        cells = [capacity(profile, n, m) for m in MODEL_CORES]
        print(f"  {f'{n} instance(s)':<14}" + "".join(f"{f'{rate:.1f} ({bound})':>27}" for rate, bound in cells))
    here, bound = capacity(profile, instances, cores, step.net_ms_per_turn(LOCUST))
    top = best(steps)
    measured = top.total.rate if top else 0.0
    print(
        f"  Here ({instances} instance(s), {cores} cores, locust's CPU counted): model {here:.1f} turns/s ({bound});"
        f" sustained at p95 ≤ 1 s: {measured:.1f}, {measured / here:.0%} of it"
    )


def report(results: dict[str, tuple[Topology, list[Step]]], options: argparse.Namespace) -> None:
    print(
        f"\nLoad through nginx (REST channel), {options.seconds:g} s per step after a {options.ramp:g} s ramp; "
        "visitors: questions 5, questionnaire 2, handoff 1; 60 % French; 0.5–2 s between messages"
    )
    print(HEADER)
    for topology, steps in results.values():
        for step in steps:
            print(step_row(topology.label, step))
    print(
        f"\nSustained turns/s at p95 ≤ {P95_LIMIT_MS:.0f} ms and no error"
        f" (target ≥ {TARGET_TURNS:g}, p95 < 1 s, 0 errors)"
    )
    plain = next((best(steps) for topology, steps in results.values() if topology.bot == "plain"), None)
    for topology, steps in results.values():
        top = best(steps)
        if top is None:
            print(f"  {topology.label:<24}none of the steps          target not met")
            continue
        met = top.total.rate >= TARGET_TURNS and top.total.p95 < P95_LIMIT_MS
        versus = ""
        if plain is not None and topology.bot != "plain":
            versus = f"; {top.total.rate / plain.total.rate:.2f} × the plain bot's {plain.total.rate:.1f}"
        print(
            f"  {topology.label:<24}{top.total.rate:>6.1f} turns/s at {top.visitors} visitors "
            f"(p95 {milliseconds(top.total.p95)} ms)   target {'met' if met else 'not met'}{versus}"
        )
    for topology, steps in results.values():
        print_cpu(topology.label, steps)
    for topology, steps in results.values():
        if isinstance(topology, Passerelle):
            print_model(topology.label, topology.instances, steps)
    failures = [
        (topology.label, step, failure)
        for topology, steps in results.values()
        for step in steps
        for failure in step.failures
    ]
    if failures:
        print("\nErrors (most frequent first; locust's CSV files are in var/bench/load/)")
        for label, step, (name, error, count) in failures[:20]:
            print(f"  {label}, {step.visitors} visitors, {name}: {count} × {error}")


# Main -----------------------------------------------------------------------------------------------------------


def positive_numbers(text: str) -> list[int]:
    values = [int(value) for value in text.split(",") if value.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of numbers ≥ 1")
    return values


def topologies(text: str) -> list[str]:
    values = [value.strip() for value in text.split(",") if value.strip()]
    if not values or any(value not in TOPOLOGIES for value in values):
        raise argparse.ArgumentTypeError(f"a comma-separated list among {', '.join(TOPOLOGIES)}")
    return values


def options_from(arguments: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--topologies", type=topologies, default=list(TOPOLOGIES), help="among 1, 2 (Rasa instances) and plain"
    )
    parser.add_argument("--steps", type=positive_numbers, help=f"simulated visitors per step (default {STEPS})")
    parser.add_argument("--seconds", type=float, help=f"measured seconds per step (default {STEP:g})")
    parser.add_argument("--ramp", type=float, default=RAMP, help="seconds in which a step's visitors start")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: steps {QUICK_STEPS}, {QUICK_STEP:g} s each")
    parser.add_argument("--all-steps", action="store_true", help="go on past a step far beyond the limit")
    options = parser.parse_args(arguments)
    options.steps = options.steps or list(QUICK_STEPS if options.quick else STEPS)
    options.seconds = options.seconds or (QUICK_STEP if options.quick else STEP)
    options.idle = QUICK_IDLE if options.quick else IDLE
    return options


def make_topology(kind: str, directory: Path) -> Topology:
    return PlainBot(directory / "plain") if kind == "plain" else Passerelle(int(kind), directory / f"passerelle-{kind}")


@contextmanager
def started(topology: Topology) -> Iterator[Topology]:
    """The topology, started and warmed up; stopped (databases dropped) whatever happens, Ctrl-C included."""
    try:
        print(f"\nStarting {topology.label}…", flush=True)
        topology.start()
        warm_up(topology.edge, 4 * topology.instances)
        yield topology
    finally:
        print(f"Stopping {topology.label}…", flush=True)
        topology.stop()


def main(arguments: Sequence[str] | None = None) -> None:
    options = options_from(arguments)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    results: dict[str, tuple[Topology, list[Step]]] = {}
    with tempfile.TemporaryDirectory(prefix="passerelle-load-") as directory:
        for kind in options.topologies:
            with started(make_topology(kind, Path(directory))) as topology:
                print(HEADER, flush=True)
                results[kind] = (topology, run_steps(topology, options, f"topology-{kind}"))
    report(results, options)


if __name__ == "__main__":
    main()
