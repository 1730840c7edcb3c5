"""deploy/nginx/: the production site file and the launcher's one-machine edge pass `nginx -t` with Debian's
nginx; what they expose is tested through the running edge in test_scaled.py."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from launcher.edge import NGINX, SNIPPETS, edge_config
from launcher.endpoints import lock_store, rasa_endpoints

# `make test` installs Debian's nginx first; `make unit` may run where it is missing, CI never skips.
pytestmark = pytest.mark.skipif(
    not NGINX.exists() and os.environ.get("CI") != "true", reason="Debian's nginx is not installed"
)


def nginx_test(directory: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NGINX), "-t", "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )


def with_snippets(directory: Path) -> None:
    (directory / "passerelle").symlink_to(SNIPPETS, target_is_directory=True)
    (directory / "temp").mkdir()


def test_the_production_site_file_is_valid_with_its_certificates_in_place(tmp_path):
    with_snippets(tmp_path)
    for name in ("assistant", "desk"):
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                f"/CN={name}",
                "-keyout",
                str(tmp_path / f"{name}.key"),
                "-out",
                str(tmp_path / f"{name}.pem"),
            ],
            check=True,
            capture_output=True,
        )
    site = (SNIPPETS / "passerelle-site.conf").read_text()
    for name in ("assistant", "desk"):
        live = f"/etc/letsencrypt/live/{name}.example.org"
        site = site.replace(f"{live}/fullchain.pem", str(tmp_path / f"{name}.pem"))
        site = site.replace(f"{live}/privkey.pem", str(tmp_path / f"{name}.key"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
        + "".join(f"    {kind}_temp_path {tmp_path}/temp/{kind};\n" for kind in ("client_body", "proxy"))
        + "    include site.conf;\n}\n"
    )
    result = nginx_test(tmp_path, config)
    assert result.returncode == 0, result.stderr


def test_the_one_machine_edge_is_valid(tmp_path):
    with_snippets(tmp_path)
    config = tmp_path / "nginx.conf"
    config.write_text(
        edge_config(
            tmp_path,
            18080,
            18081,
            ["127.0.0.1:5005", "127.0.0.1:5006"],
            "127.0.0.1:8000",
            "127.0.0.1:8001",
            "127.0.0.1/32",
        )
    )
    result = nginx_test(tmp_path, config)
    assert result.returncode == 0, result.stderr


def test_the_rasa_endpoints_of_an_instance():
    endpoints = rasa_endpoints("http://127.0.0.1:5056", "redis://:secret@10.0.0.5:6380/2")
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5056/webhook"
    assert endpoints["lock_store"] == {
        "type": "bot.lock_store.OrderedRedisLockStore",
        "url": "10.0.0.5",
        "port": 6380,
        "db": 2,
        "key_prefix": "passerelle",
        "use_ssl": False,
        "password": "secret",
        "socket_timeout": 2,
    }
    # The rest is the project's endpoints.yml.
    project = yaml.safe_load((SNIPPETS.parents[1] / "endpoints.yml").read_text())
    assert endpoints["tracker_store"] == project["tracker_store"] and endpoints["nlg"] == project["nlg"]
    assert "lock_store" not in rasa_endpoints("http://127.0.0.1:5055")
    with pytest.raises(ValueError):
        lock_store("localhost:6379")
