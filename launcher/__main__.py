"""`make run`: starts every server, prints where they are, stops them all on Ctrl-C."""

import os
import secrets
import signal
import subprocess
import sys
import time

from common.defaults import PROJECT_ROOT
from launcher.services import (
    APP_PYTHON,
    SERVER_ENV,
    ServiceFailed,
    action_server,
    desk_service,
    rasa_server,
    stop_all,
    web_service,
)
from launcher.settings import LauncherSettings


def demo_account() -> str:
    """Development only: (re)creates the `demo` counsellor and returns what the desk printed about it."""
    result = subprocess.run(
        [str(APP_PYTHON), "-m", "desk.accounts", "demo"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **SERVER_ENV, "PASSERELLE_DEV_MODE": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def main() -> int:
    settings = LauncherSettings()
    if settings.dev_mode and not settings.service_token:
        settings.service_token = secrets.token_urlsafe(32)
        print(f"Development mode: generated PASSERELLE_SERVICE_TOKEN={settings.service_token}", flush=True)
    if settings.dev_mode and not settings.rasa_token:
        settings.rasa_token = secrets.token_urlsafe(32)
        print(f"Development mode: generated PASSERELLE_RASA_TOKEN={settings.rasa_token} (Rasa's HTTP API)", flush=True)
    services = [desk_service(settings), web_service(settings), action_server(settings), rasa_server(settings)]
    started = []

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        for service in services:
            print(f"Starting the {service.name}…", flush=True)
            started.append(service.start(settings.start_timeout))
        print("\nPasserelle is ready:")
        for service in started:
            print(f"  {service.name:<14} {service.address}")
        web = started[1].address
        print(f'\nWebsite widget: <script src="{web}/widget.js"></script> (demo page: {web}/widget/demo)')
        print(f"Kiosk: {web}/kiosk")
        print(f"Counsellor desk: {started[0].address}/ (statistics: {started[0].address}/stats)")
        if settings.dev_mode:
            print("Demo counsellor (development only):", demo_account().replace("\n", ", "))
        print(
            "\nTalk to it: curl -s -XPOST "
            f"{started[-1].address}/webhooks/rest/webhook "
            '-d \'{"sender": "demo", "message": "bonjour"}\''
        )
        print(f"Search the content: {started[1].address}/docs")
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            for service in started:
                assert service.process is not None  # started
                if service.process.poll() is not None:
                    raise ServiceFailed(f"{service.name} stopped (exit code {service.process.returncode})")
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except ServiceFailed as error:
        print(f"\n{error}; stopping the others.", file=sys.stderr, flush=True)
        return 1
    finally:
        stop_all(started)


if __name__ == "__main__":
    sys.exit(main())
