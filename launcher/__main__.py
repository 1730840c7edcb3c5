"""`make run`: starts every server, prints where they are, stops them all on Ctrl-C."""
import signal
import sys
import time

from launcher.services import ServiceFailed, action_server, rasa_server, stop_all, web_service
from launcher.settings import LauncherSettings


def main() -> int:
    settings = LauncherSettings()
    services = [web_service(settings), action_server(settings), rasa_server(settings)]
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
        print("\nTalk to it: curl -s -XPOST "
              f"{started[-1].address}/webhooks/rest/webhook "
              "-d '{\"sender\": \"demo\", \"message\": \"bonjour\"}'")
        print(f"Search the content: {started[0].address}/docs")
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            for service in started:
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
