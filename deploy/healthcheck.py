#!/usr/bin/python3
"""Restarts a Passerelle service that is running but no longer answers, and waits for one to answer.

systemd restarts a service whose process exits, but a process that hangs (a deadlock, a worker stuck on a
dead connection) stays "active" for ever: systemd does not speak HTTP. `healthcheck.py check`, run every
30 s by passerelle-healthcheck.timer, probes each unit of /etc/passerelle/health.conf (one `unit URL` per
line) and restarts a unit after two failed probes in a row. Only active units are probed: a unit still
starting (Rasa loads its model for a minute or more) or stopped on purpose is left alone. A unit systemd
gave up on (failed after its start limit) is started again every ten minutes, which is the restart
back-off Debian 12's systemd lacks. The counts live in a small JSON file between runs.

`healthcheck.py wait URL` is the units' ExecStartPost: it returns once the URL answers, so that a unit
stays "activating" until it really serves (the checker leaves it alone meanwhile, and After= in the other
units waits for it), and fails the start when it never does.

Standard library only, run by Debian's /usr/bin/python3: the check must not depend on the project's own
environments, which are among the things that can break.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CONFIG = Path("/etc/passerelle/health.conf")
STATE = Path("/run/passerelle-health/state.json")
PROBE_TIMEOUT = 5.0
FAILURES_BEFORE_RESTART = 2
# Longer than the units' StartLimitIntervalSec (5 min), so that systemd accepts the start by then.
RETRY_FAILED_AFTER = 600.0
WAIT_WITHIN = 120.0
WAIT_INTERVAL = 2.0
COMMAND_TIMEOUT = 30.0

# (healthy, what happened), e.g. (False, "timed out") or (True, "HTTP 200").
ProbeResult = tuple[bool, str]
Probe = Callable[[str], ProbeResult]


@dataclass(frozen=True)
class Check:
    unit: str
    url: str


@dataclass(frozen=True)
class Observation:
    # What `systemctl is-active` says: active, activating, deactivating, inactive, failed…
    state: str
    # None when the unit was not probed (not active).
    healthy: bool | None = None
    detail: str = ""


@dataclass(frozen=True)
class Record:
    """What one run leaves for the next about a unit."""

    failures: int = 0
    failed_since: float | None = None


@dataclass(frozen=True)
class Policy:
    failures_before_restart: int = FAILURES_BEFORE_RESTART
    retry_failed_after: float = RETRY_FAILED_AFTER


@dataclass(frozen=True)
class Verdict:
    record: Record
    restart: str | None = None  # why the unit is restarted, when it is
    note: str | None = None  # a failed probe that does not restart yet


@dataclass(frozen=True)
class Plan:
    records: dict[str, Record]
    restarts: list[tuple[str, str]]
    notes: list[tuple[str, str]]


# The decision, free of clocks, sockets and systemctl.


def judge_active(record: Record, seen: Observation, policy: Policy) -> Verdict:
    if seen.healthy:
        return Verdict(Record())
    failures = record.failures + 1
    if failures >= policy.failures_before_restart:
        # Counting starts again from zero: the restarted unit gets the same patience as a new one.
        return Verdict(Record(), restart=f"{failures} health probes failed in a row (last: {seen.detail})")
    return Verdict(
        Record(failures=failures),
        note=f"health probe failed ({failures} of {policy.failures_before_restart}): {seen.detail}",
    )


def judge_failed(record: Record, now: float, policy: Policy) -> Verdict:
    since = now if record.failed_since is None else record.failed_since
    waited = now - since
    if waited >= policy.retry_failed_after:
        return Verdict(Record(failed_since=now), restart=f"failed for {waited / 60:.0f} min, starting it again")
    return Verdict(Record(failed_since=since))


def judge(record: Record, seen: Observation, now: float, policy: Policy) -> Verdict:
    if seen.state == "active":
        return judge_active(record, seen, policy)
    if seen.state == "failed":
        return judge_failed(record, now, policy)
    # Starting, stopping or stopped by someone: nothing to hold against it, and no count carried over.
    return Verdict(Record())


def plan(previous: Mapping[str, Record], observations: Mapping[str, Observation], now: float, policy: Policy) -> Plan:
    """What to restart, given the last run's records and this run's observations (units no longer observed
    are forgotten)."""
    records: dict[str, Record] = {}
    restarts: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    for unit, seen in observations.items():
        verdict = judge(previous.get(unit, Record()), seen, now, policy)
        records[unit] = verdict.record
        if verdict.restart:
            restarts.append((unit, verdict.restart))
        if verdict.note:
            notes.append((unit, verdict.note))
    return Plan(records, restarts, notes)


def parse_config(text: str) -> list[Check]:
    checks: list[Check] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 2 or not words[1].startswith(("http://", "https://")):
            raise ValueError(f"line {number}: expected 'unit-name http://host:port/path', got {line.strip()!r}")
        if any(check.unit == words[0] for check in checks):
            raise ValueError(f"line {number}: {words[0]} is listed twice")
        checks.append(Check(words[0], words[1]))
    return checks


def records_from_json(text: str) -> dict[str, Record]:
    """The state file's records; a damaged file only costs the counts so far."""
    try:
        return {str(unit): record_from_json(value) for unit, value in json.loads(text).items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def record_from_json(value: Mapping[str, object]) -> Record:
    failures, since = value.get("failures", 0), value.get("failed_since")
    if not isinstance(failures, int) or not (since is None or isinstance(since, int | float)):
        raise ValueError("not a record")
    return Record(failures, since)


def records_to_json(records: Mapping[str, Record]) -> str:
    return json.dumps({unit: vars(record) for unit, record in records.items()}, indent=1, sort_keys=True)


# Probing and systemctl.


# An http_proxy variable in the environment must not send loopback probes through a proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def describe(error: BaseException) -> str:
    """A short cause for the log: "timed out", "HTTP 503", "Connection refused"."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    reason = getattr(error, "reason", None)
    cause = reason if isinstance(reason, BaseException) else error
    if isinstance(cause, TimeoutError):
        return "timed out"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return f"{type(cause).__name__}: {cause}"


def probe(url: str, timeout: float = PROBE_TIMEOUT) -> ProbeResult:
    """Whether the URL answers 2xx; the timeout bounds the connection and each read, so a server that
    accepts the connection and then says nothing fails too."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return 200 <= response.status < 300, f"HTTP {response.status}"
    except (OSError, http.client.HTTPException, ValueError) as error:
        return False, describe(error)


def observe(checks: Sequence[Check], state_of: Callable[[str], str], probe_url: Probe) -> dict[str, Observation]:
    states = {check.unit: state_of(check.unit) for check in checks}
    active = [check for check in checks if states[check.unit] == "active"]
    # In parallel, so that several hung services cost one timeout, not one each.
    with ThreadPoolExecutor(max_workers=max(1, len(active))) as pool:
        answers = pool.map(lambda check: probe_url(check.url), active)
        results = {check.unit: answer for check, answer in zip(active, answers, strict=True)}
    observations = {}
    for unit, state in states.items():
        healthy, detail = results.get(unit, (None, ""))
        observations[unit] = Observation(state, healthy, detail)
    return observations


def unit_state(systemctl: Sequence[str], unit: str) -> str:
    try:
        done = subprocess.run(
            [*systemctl, "is-active", unit], capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def restart_unit(systemctl: Sequence[str], unit: str) -> str | None:
    """Asks systemd to restart the unit; None when it accepted, else why not. --no-block: Rasa's restart
    takes over a minute, and the other units' checks should not wait for it."""
    try:
        done = subprocess.run(
            [*systemctl, "restart", "--no-block", unit],
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return describe(error)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit status {done.returncode}")


def read_records(path: Path) -> dict[str, Record]:
    try:
        return records_from_json(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


def write_records(path: Path, records: Mapping[str, Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".new")
    partial.write_text(records_to_json(records), encoding="utf-8")
    # A run killed half-way must not leave half a file behind.
    os.replace(partial, path)


def report(lines: Iterable[tuple[str, str]], prefix: str = "") -> None:
    for unit, text in lines:
        print(f"{prefix}{unit}: {text}", flush=True)


def run_check(
    checks: Sequence[Check],
    state_path: Path,
    state_of: Callable[[str], str],
    probe_url: Probe,
    restart: Callable[[str], str | None],
    now: float,
    policy: Policy,
) -> list[str]:
    """One round: observe, decide, restart, remember. Returns the units it restarted."""
    decided = plan(read_records(state_path), observe(checks, state_of, probe_url), now, policy)
    report(decided.notes)
    restarted = []
    for unit, reason in decided.restarts:
        refused = restart(unit)
        if refused:
            report([(unit, f"restart refused ({refused}); it was needed because {reason}")])
        else:
            report([(unit, f"restarting: {reason}")])
            restarted.append(unit)
    write_records(state_path, decided.records)
    return restarted


def wait_until_healthy(
    url: str,
    within: float,
    probe_url: Callable[[str, float], ProbeResult],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ProbeResult:
    deadline = clock() + within
    while True:
        healthy, detail = probe_url(url, max(0.1, min(PROBE_TIMEOUT, deadline - clock())))
        if healthy or clock() >= deadline:
            return healthy, detail
        sleep(min(WAIT_INTERVAL, max(0.0, deadline - clock())))


def arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="probe the units of the config file once, restart the hung ones")
    check.add_argument("--config", type=Path, default=CONFIG)
    check.add_argument("--state", type=Path, default=STATE)
    check.add_argument("--timeout", type=float, default=PROBE_TIMEOUT, help="seconds per probe")
    check.add_argument("--failures", type=int, default=FAILURES_BEFORE_RESTART, help="failed probes in a row")
    check.add_argument("--retry-failed-after", type=float, default=RETRY_FAILED_AFTER, help="seconds")
    # Replaced by a stand-in in the tests.
    check.add_argument("--systemctl", default="systemctl", help="the systemctl command")
    wait = commands.add_parser("wait", help="wait until URL answers 2xx")
    wait.add_argument("url")
    wait.add_argument("--within", type=float, default=WAIT_WITHIN, help="seconds before giving up")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(sys.argv[1:] if argv is None else argv)
    if options.command == "wait":
        healthy, detail = wait_until_healthy(options.url, options.within, probe)
        if not healthy:
            print(f"{options.url} did not answer within {options.within:.0f} s (last: {detail})", flush=True)
        return 0 if healthy else 1
    try:
        checks = parse_config(options.config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"{options.config}: {error}", flush=True)
        return 1
    systemctl = options.systemctl.split()
    run_check(
        checks,
        options.state,
        state_of=lambda unit: unit_state(systemctl, unit),
        probe_url=lambda url: probe(url, options.timeout),
        restart=lambda unit: restart_unit(systemctl, unit),
        now=time.time(),
        policy=Policy(options.failures, options.retry_failed_after),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
