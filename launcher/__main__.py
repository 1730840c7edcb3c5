"""`make run` starts every server and prints where they are; `make run-scaled N=2` starts N Rasa servers
behind nginx (launcher/scaled.py). A server that stops is started again (launcher/supervisor.py);
Ctrl-C stops them all."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys

from common.defaults import PROJECT_ROOT
from launcher.scaled import NotScalable, scaled_services
from launcher.services import (
    APP_PYTHON,
    SERVER_ENV,
    Service,
    ServiceFailed,
    action_server,
    desk_service,
    rasa_server,
    stop_all,
    web_service,
)
from launcher.settings import LauncherSettings
from launcher.supervisor import Supervisor


def demo_account(desk: Service) -> str:
    """Development only: (re)creates the `demo` counsellor and returns what the desk printed about it."""
    result = subprocess.run(
        [str(APP_PYTHON), "-m", "desk.accounts", "demo"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **SERVER_ENV, **desk.env, "PASSERELLE_DEV_MODE": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def say(line: str) -> None:
    print(line, flush=True)


def one_machine_services(settings: LauncherSettings) -> list[Service]:
    return [desk_service(settings), web_service(settings), action_server(settings), rasa_server(settings)]


def print_addresses(settings: LauncherSettings, services: list[Service], scaled: bool) -> None:
    desk, web = services[0], services[1]
    say("\nPasserelle is ready:")
    for service in services:
        assert service.process is not None  # started
        say(f"  {service.name:<16} {service.address} (pid {service.process.pid})")
    if scaled:
        public, desk_address = settings.edge_url, f"http://127.0.0.1:{settings.edge_desk_port}"
        say(f"\nThrough nginx: widget {public}/widget.js, kiosk {public}/kiosk, desk {desk_address}/")
        say(f"nginx's configuration and logs: {settings.scaled_dir / 'nginx'}")
        chat = public
    else:
        say(f'\nWebsite widget: <script src="{web.address}/widget.js"></script> (demo page: {web.address}/widget/demo)')
        say(f"Kiosk: {web.address}/kiosk")
        say(f"Counsellor desk: {desk.address}/ (statistics: {desk.address}/stats)")
        say(f"Search the content: {web.address}/docs")
        chat = services[-1].address
    if settings.dev_mode:
        say("Demo counsellor (development only): " + demo_account(desk).replace("\n", ", "))
    message = '{"sender": "demo", "message": "bonjour"}'
    say(f"\nTalk to it: curl -s -XPOST {chat}/webhooks/rest/webhook -d '{message}'")
    say("A server that stops is started again. Press Ctrl-C to stop.")


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__)
    parser.add_argument("--instances", type=int, help="N Rasa servers and action servers behind nginx")
    options = parser.parse_args(arguments)
    settings = LauncherSettings()
    if settings.dev_mode and not settings.service_token:
        settings.service_token = secrets.token_urlsafe(32)
        say(f"Development mode: generated PASSERELLE_SERVICE_TOKEN={settings.service_token}")
    if settings.dev_mode and not settings.rasa_token:
        settings.rasa_token = secrets.token_urlsafe(32)
        say(f"Development mode: generated PASSERELLE_RASA_TOKEN={settings.rasa_token} (Rasa's HTTP API)")
    scaled = options.instances is not None
    try:
        services = scaled_services(settings, options.instances) if scaled else one_machine_services(settings)
    except NotScalable as error:
        print(f"Cannot start the scaled topology: {error}", file=sys.stderr)
        return 2
    started: list[Service] = []

    def stop(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C too, explicitly: a launcher started in the background by a script inherits SIGINT ignored, and
    # would then leave its servers running when the script sends it SIGINT (seen with `make bench-load` run
    # with `&`: every server outlived the launcher).
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for service in services:
            say(f"Starting the {service.name}…")
            started.append(service.start(settings.start_timeout))
        print_addresses(settings, started, scaled)
        Supervisor(started, say).run_forever()
    except KeyboardInterrupt:
        say("\nStopping…")
        return 0
    except ServiceFailed as error:
        print(f"\n{error}; stopping the others.", file=sys.stderr, flush=True)
        return 1
    finally:
        stop_all(started)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
