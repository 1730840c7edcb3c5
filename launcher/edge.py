"""nginx in front of the scaled topology on one machine, with the production snippets of deploy/nginx/.

The production site file (deploy/nginx/passerelle-site.conf) terminates TLS on two host names; here
the same locations, limits and headers are served over plain HTTP on two loopback ports, one for
visitors and one for the desk, from a configuration written under the launcher's folder: only the
upstreams, the ports and the shared-address list differ. nginx runs in the foreground under the
launcher's supervision, with its logs and temporary files in that folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from common.defaults import PROJECT_ROOT
from launcher.services import Service

NGINX = Path("/usr/sbin/nginx")
SNIPPETS = PROJECT_ROOT / "deploy" / "nginx"
# On this machine, the stand-in for the centre's kiosks (many visitors, one address): the developer's own
# address. Neither nginx's rate limits nor Rasa's per-address ticket limit count it; any other loopback
# address (127.0.0.2) is counted like a visitor's.
SHARED_ADDRESSES = "127.0.0.1/32"


def upstream(name: str, servers: Sequence[str], balance: str = "") -> str:
    lines = [f"upstream {name} {{"]
    if balance:
        lines.append(f"    {balance};")
    lines += [f"    server {server} max_fails=1 fail_timeout=10s;" for server in servers]
    return "\n".join([*lines, "}"])


def edge_config(
    directory: Path, visitor_port: int, desk_port: int, rasa: Sequence[str], web: str, desk: str, shared: str
) -> str:
    """nginx.conf for `directory`; `shared` is the network whose visitors are not rate-limited (the
    load benchmark's and the developer's own address), the stand-in for the centre's kiosks."""
    temp = {kind: directory / "temp" / kind for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    temp_paths = "\n".join(f"    {kind}_temp_path {path};" for kind, path in temp.items())
    return f"""# Written by the launcher (launcher/edge.py) at each start; the snippets are deploy/nginx/.
worker_processes 1;
pid {directory / "nginx.pid"};
events {{
    worker_connections 1024;
}}
http {{
    default_type application/octet-stream;
{temp_paths}
    include passerelle/passerelle-http.conf;
    access_log {directory / "access.log"} passerelle;
    geo $passerelle_shared_address {{
        default 0;
        {shared} 1;
    }}
{upstream("passerelle_rasa", rasa)}
{upstream("passerelle_rasa_socketio", rasa, "hash $remote_addr consistent")}
{upstream("passerelle_web", [web])}
{upstream("passerelle_desk", [desk])}
    server {{
        listen 127.0.0.1:{visitor_port};
        include passerelle/security-headers.conf;
        include passerelle/visitor-locations.conf;
    }}
    server {{
        listen 127.0.0.1:{desk_port};
        include passerelle/security-headers.conf;
        include passerelle/desk-locations.conf;
    }}
}}
"""


def edge_service(
    directory: Path,
    visitor_port: int,
    desk_port: int,
    rasa: Sequence[str],
    web: str,
    desk: str,
) -> Service:
    """The nginx service; `directory` gets nginx.conf, a `passerelle` link to the snippets, logs, temp files."""
    (directory / "temp").mkdir(parents=True, exist_ok=True)
    link = directory / "passerelle"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(SNIPPETS, target_is_directory=True)
    config = directory / "nginx.conf"
    config.write_text(edge_config(directory, visitor_port, desk_port, rasa, web, desk, SHARED_ADDRESSES))
    command = [str(NGINX), "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")]
    if os.geteuid() == 0:
        # As root, nginx's workers would run as `nobody`, who may not reach the project folder.
        command += ["-g", "daemon off; user root;"]
    else:
        command += ["-g", "daemon off;"]
    return Service(
        name="nginx",
        command=command,
        health_url=f"http://127.0.0.1:{visitor_port}/widget.js",
        address=f"http://127.0.0.1:{visitor_port} (desk: http://127.0.0.1:{desk_port})",
    )
