"""deploy/healthcheck.py (the restart decision, and a real round against a healthy and a hung server) and the
systemd files of deploy/systemd/ (checked by `systemd-analyze verify`, and against each other)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEMD = ROOT / "deploy" / "systemd"
UNIT_SUFFIXES = (".service", ".target", ".timer")
# The long-running services, all of which must restart and be sandboxed alike.
SERVICES = (
    "passerelle-desk.service",
    "passerelle-web.service",
    "passerelle-actions@.service",
    "passerelle-rasa@.service",
)


def load_healthcheck() -> ModuleType:
    """deploy/ is no package: the script is loaded from its path, as /usr/bin/python3 runs it."""
    spec = importlib.util.spec_from_file_location("passerelle_healthcheck", ROOT / "deploy" / "healthcheck.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # The dataclasses look their module up by name while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hc = load_healthcheck()
POLICY = hc.Policy(failures_before_restart=2, retry_failed_after=600.0)


# The decision.


def observe(state: str, healthy: bool | None = None) -> object:
    return hc.Observation(state, healthy, "timed out" if healthy is False else "HTTP 200")


def test_a_healthy_active_unit_clears_its_count() -> None:
    verdict = hc.judge(hc.Record(failures=1), observe("active", True), 0.0, POLICY)
    assert verdict == hc.Verdict(hc.Record())


def test_a_unit_is_restarted_at_the_second_failed_probe_in_a_row_not_the_first() -> None:
    first = hc.judge(hc.Record(), observe("active", False), 0.0, POLICY)
    assert first.restart is None and first.record.failures == 1 and "1 of 2" in first.note
    second = hc.judge(first.record, observe("active", False), 30.0, POLICY)
    assert second.restart and "timed out" in second.restart
    assert second.record == hc.Record(), "a restarted unit starts counting again from zero"


def test_a_success_between_two_failures_starts_the_count_again() -> None:
    record = hc.Record()
    for healthy in (False, True, False):
        verdict = hc.judge(record, observe("active", healthy), 0.0, POLICY)
        assert verdict.restart is None
        record = verdict.record
    assert record.failures == 1


@pytest.mark.parametrize("state", ["activating", "deactivating", "inactive", "reloading", "unknown"])
def test_a_unit_that_is_not_active_is_never_counted_nor_restarted(state: str) -> None:
    verdict = hc.judge(hc.Record(failures=1), observe(state), 0.0, POLICY)
    assert verdict == hc.Verdict(hc.Record())


def test_a_failed_unit_is_started_again_only_after_the_retry_time() -> None:
    seen = hc.judge(hc.Record(), observe("failed"), 1000.0, POLICY)
    assert seen.restart is None and seen.record.failed_since == 1000.0
    early = hc.judge(seen.record, observe("failed"), 1599.0, POLICY)
    assert early.restart is None and early.record.failed_since == 1000.0
    due = hc.judge(early.record, observe("failed"), 1600.0, POLICY)
    assert due.restart and "10 min" in due.restart
    assert due.record.failed_since == 1600.0, "still failed after the retry: the next one waits as long again"


def test_the_plan_restarts_only_the_units_due_and_forgets_units_no_longer_checked() -> None:
    previous = {
        "passerelle-rasa@1.service": hc.Record(failures=1),
        "passerelle-web.service": hc.Record(failures=1),
        "passerelle-rasa@2.service": hc.Record(failures=1),
    }
    observations = {
        "passerelle-rasa@1.service": observe("active", False),
        "passerelle-web.service": observe("active", True),
        "passerelle-desk.service": observe("active", False),
    }
    decided = hc.plan(previous, observations, 0.0, POLICY)
    assert [unit for unit, _ in decided.restarts] == ["passerelle-rasa@1.service"]
    assert [unit for unit, _ in decided.notes] == ["passerelle-desk.service"]
    assert set(decided.records) == set(observations)


def test_the_config_file_is_one_unit_and_url_per_line() -> None:
    text = "# comment\n\npasserelle-desk.service  http://127.0.0.1:8001/api/health  # the desk\n"
    assert hc.parse_config(text) == [hc.Check("passerelle-desk.service", "http://127.0.0.1:8001/api/health")]
    with pytest.raises(ValueError, match="line 1"):
        hc.parse_config("passerelle-desk.service\n")
    with pytest.raises(ValueError, match="line 2"):
        hc.parse_config("a.service http://127.0.0.1:1/\na.service http://127.0.0.1:2/\n")


def test_the_records_survive_the_state_file_and_a_damaged_file_is_a_fresh_start() -> None:
    records = {"a.service": hc.Record(failures=1), "b.service": hc.Record(failed_since=12.5)}
    assert hc.records_from_json(hc.records_to_json(records)) == records
    for damaged in ("", "{", "[]", '{"a.service": 3}', '{"a.service": {"failures": "x"}}'):
        assert hc.records_from_json(damaged) == {}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_waiting_returns_at_the_first_answer() -> None:
    clock = FakeClock()
    answers = iter([(False, "Connection refused"), (False, "HTTP 503"), (True, "HTTP 200")])
    result = hc.wait_until_healthy("u", 60.0, lambda url, timeout: next(answers), clock, clock.sleep)
    assert result == (True, "HTTP 200") and clock.now == 2 * hc.WAIT_INTERVAL


def test_waiting_gives_up_at_the_deadline_with_the_last_cause() -> None:
    clock = FakeClock()
    result = hc.wait_until_healthy("u", 7.0, lambda url, timeout: (False, "timed out"), clock, clock.sleep)
    assert result == (False, "timed out") and clock.now == 7.0


# A real round: a server that answers, one that accepts and never answers, and systemctl stood in for.


class Answers(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def healthy_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/health"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hung_url() -> Iterator[str]:
    """Accepts every connection and never says a word: a deadlocked service looks like this."""
    listener = socket.create_server(("127.0.0.1", 0))
    # Short, so that the thread notices the end of the test.
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    done.set()
    thread.join()
    listener.close()
    for connection in held:
        connection.close()


FAKE_SYSTEMCTL = """#!{python}
# Stands in for systemctl: the units' states come from states.json, restarts go to restarts.log.
import json, sys
from pathlib import Path
here = Path(__file__).parent
if sys.argv[1] == "is-active":
    state = json.loads((here / "states.json").read_text()).get(sys.argv[2], "inactive")
    print(state)
    sys.exit(0 if state == "active" else 3)
if sys.argv[1:3] == ["restart", "--no-block"]:
    with open(here / "restarts.log", "a") as log:
        log.write(sys.argv[3] + "\\n")
"""


@pytest.fixture
def systemctl(tmp_path: Path) -> Path:
    fake = tmp_path / "systemctl"
    fake.write_text(FAKE_SYSTEMCTL.format(python=sys.executable))
    fake.chmod(0o755)
    return fake


def check_once(tmp_path: Path, systemctl: Path, states: dict[str, str], config: str) -> list[str]:
    (tmp_path / "states.json").write_text(json.dumps(states))
    (tmp_path / "health.conf").write_text(config)
    arguments = ["check", "--config", str(tmp_path / "health.conf"), "--state", str(tmp_path / "run" / "state.json")]
    assert hc.main([*arguments, "--timeout", "1", "--systemctl", str(systemctl)]) == 0
    log = tmp_path / "restarts.log"
    return log.read_text().split() if log.exists() else []


def test_only_the_hung_service_is_restarted_and_only_at_the_second_round(
    tmp_path: Path, systemctl: Path, healthy_url: str, hung_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = f"passerelle-web.service {healthy_url}\npasserelle-rasa@1.service {hung_url}\n"
    states = {"passerelle-web.service": "active", "passerelle-rasa@1.service": "active"}
    assert check_once(tmp_path, systemctl, states, config) == []
    assert "passerelle-rasa@1.service: health probe failed (1 of 2): timed out" in capsys.readouterr().out
    assert check_once(tmp_path, systemctl, states, config) == ["passerelle-rasa@1.service"]
    logged = capsys.readouterr().out.splitlines()
    assert logged == ["passerelle-rasa@1.service: restarting: 2 health probes failed in a row (last: timed out)"]


def test_a_hung_service_still_starting_is_left_alone(
    tmp_path: Path, systemctl: Path, hung_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = f"passerelle-rasa@1.service {hung_url}\n"
    for _ in range(3):
        assert check_once(tmp_path, systemctl, {"passerelle-rasa@1.service": "activating"}, config) == []
    assert capsys.readouterr().out == ""


def test_wait_returns_once_the_service_answers_and_fails_when_it_never_does(healthy_url: str, hung_url: str) -> None:
    assert hc.main(["wait", healthy_url, "--within", "10"]) == 0
    assert hc.main(["wait", hung_url, "--within", "1"]) == 1


def test_the_script_runs_with_the_standard_library_alone(tmp_path: Path) -> None:
    """-I -S: no site-packages and no project on the path, as with Debian's bare /usr/bin/python3."""
    script = ROOT / "deploy" / "healthcheck.py"
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(script), "check", "--config", str(tmp_path / "missing.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "missing.conf" in done.stdout, done.stderr


# The systemd files.


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections → keys → every value in order (systemd allows a key several times)."""
    sections: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        section.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit_files() -> list[Path]:
    return sorted(path for path in SYSTEMD.iterdir() if path.name.endswith(UNIT_SUFFIXES))


def seconds(value: str) -> float:
    units = {"": 1, "s": 1, "min": 60, "h": 3600}
    match = re.fullmatch(r"(\d+)\s*(s|min|h|)", value)
    assert match, value
    return int(match[1]) * units[match[2]]


def template_of(unit: str) -> str:
    return re.sub(r"@[^.]+\.", "@.", unit)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_restarts_backs_off_and_is_sandboxed(name: str) -> None:
    unit = read_unit(SYSTEMD / name)
    service = unit["Service"]
    assert service["User"] == ["passerelle"] and service["WorkingDirectory"] == ["/opt/passerelle"]
    assert service["Restart"][0] in ("always", "on-failure") and seconds(service["RestartSec"][0]) >= 1
    assert service["EnvironmentFile"][0] == "/etc/passerelle/passerelle.env"
    for key in ("ExecStartPre", "ExecStart", "ExecStartPost"):
        for command in service.get(key, []):
            assert command.startswith("/"), f"{name}: {key} must name its program by absolute path"
    for key, value in {
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "StateDirectory": "passerelle",
    }.items():
        assert service[key] == [value], f"{name}: {key}"
    assert "/var/lib/passerelle" in service["ReadWritePaths"][0].split()
    # A restart by the health check must be accepted by then, or a failed unit would stay down.
    assert seconds(unit["Unit"]["StartLimitIntervalSec"][0]) < hc.RETRY_FAILED_AFTER
    assert int(unit["Unit"]["StartLimitBurst"][0]) >= 3


def test_rasa_has_time_to_load_its_model_and_the_wait_gives_up_before_systemd_does() -> None:
    service = read_unit(SYSTEMD / "passerelle-rasa@.service")["Service"]
    timeout = seconds(service["TimeoutStartSec"][0])
    within = float(service["ExecStartPost"][0].split("--within")[1].split()[0])
    assert timeout >= 180 and within < timeout


def test_every_passerelle_unit_named_exists_and_the_health_config_names_real_units() -> None:
    names = {path.name for path in unit_files()}
    for path in unit_files():
        for key, lines in read_unit(path).get("Unit", {}).items():
            if key in ("Wants", "After", "Requires", "PartOf", "BindsTo"):
                for unit in " ".join(lines).split():
                    if unit.startswith("passerelle"):
                        assert template_of(unit.replace("%i", "1")) in names, f"{path.name}: {key}={unit}"
    for check in hc.parse_config((SYSTEMD / "health.conf.example").read_text()):
        assert template_of(check.unit) in names


def defined_variables(path: Path) -> set[str]:
    """Variables an example sets, or shows commented out (those that have a default in the units)."""
    return set(re.findall(r"^#?([A-Z_][A-Z0-9_]*)=", path.read_text(), flags=re.MULTILINE))


def test_every_variable_the_units_use_is_set_by_an_example_or_the_unit() -> None:
    examples = defined_variables(SYSTEMD / "passerelle.env.example") | defined_variables(
        SYSTEMD / "instance-1.env.example"
    )
    for name in SERVICES:
        service = read_unit(SYSTEMD / name)["Service"]
        own = {word.partition("=")[0] for line in service.get("Environment", []) for word in line.split()}
        commands = " ".join(service.get("ExecStartPre", []) + service["ExecStart"] + service.get("ExecStartPost", []))
        # $$ is a literal dollar for the shell, not systemd's.
        used = set(re.findall(r"(?<!\$)\$\{?([A-Z_][A-Z0-9_]*)", commands))
        assert used <= examples | own, f"{name}: {sorted(used - examples - own)} set nowhere"


def test_the_examples_set_what_production_needs() -> None:
    shared = defined_variables(SYSTEMD / "passerelle.env.example")
    assert {
        "PASSERELLE_DEV_MODE",
        "PASSERELLE_SERVICE_TOKEN",
        "PASSERELLE_SESSION_SECRET",
        "PASSERELLE_RASA_TOKEN",
        "DATABASE_URL",
        "PASSERELLE_TRACKER_DB_URL",
        "PASSERELLE_CORS_ORIGINS",
        "PASSERELLE_PUBLIC_RASA_URL",
        "PASSERELLE_COOKIE_SECURE",
        "PASSERELLE_DESK_URL",
        "PASSERELLE_SEARCH_URL",
        "PASSERELLE_REDIS_URL",
        "PASSERELLE_INSTANCES",
        "SANIC_PROXIES_COUNT",
    } <= shared
    instance = defined_variables(SYSTEMD / "instance-1.env.example")
    assert {
        "PASSERELLE_RASA_PORT",
        "PASSERELLE_ACTIONS_PORT",
        "PASSERELLE_RASA_URL",
        "PASSERELLE_OUTBOX_FILE",
    } <= instance


# systemd-analyze verify loads each unit as systemd would (unknown keys, bad values, missing programs,
# instances of the templates) without a running systemd. The programs must exist, so the copies point at
# this checkout and this interpreter instead of /opt/passerelle; everything else is verified as shipped.


def here_instead_of_opt(text: str) -> str:
    for interpreter in (
        "/opt/passerelle/.venv/bin/python",
        "/opt/passerelle/.venv-rasa/bin/python",
        "/usr/bin/python3",
    ):
        text = text.replace(interpreter, sys.executable)
    return text.replace("/opt/passerelle", str(ROOT))


def verify(*units: Path) -> str:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    done = subprocess.run(
        [analyze, "verify", *(str(unit) for unit in units)], capture_output=True, text=True, check=False, timeout=120
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else f"\nexit status {done.returncode}")


def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    for path in unit_files():
        (tmp_path / path.name).write_text(here_instead_of_opt(path.read_text()))
    instances = [tmp_path / name.replace("@.", f"@{number}.") for name in SERVICES if "@" in name for number in (1, 2)]
    others = [tmp_path / path.name for path in unit_files() if "@." not in path.name]
    assert verify(*others, *instances) == ""


def test_systemd_accepts_the_nginx_drop_in(tmp_path: Path) -> None:
    debian = Path("/lib/systemd/system/nginx.service")
    stand_in = "[Service]\nType=forking\nExecStart=/bin/true\n"
    (tmp_path / "nginx.service").write_text(debian.read_text() if debian.exists() else stand_in)
    drop_ins = tmp_path / "nginx.service.d"
    drop_ins.mkdir()
    shipped = (SYSTEMD / "nginx.service.d" / "restart.conf").read_text()
    # First make sure the drop-in is read at all: a mistake in it must show.
    (drop_ins / "restart.conf").write_text(shipped + "NoSuchKey=1\n")
    assert "restart.conf" in verify(tmp_path / "nginx.service")
    (drop_ins / "restart.conf").write_text(shipped)
    assert verify(tmp_path / "nginx.service") == ""
    assert read_unit(drop_ins / "restart.conf")["Service"]["Restart"] == ["on-failure"]
