"""The portal as the benchmarks run it: its settings, its commands and its
gunicorn server, on this machine's loopback address only.

The benchmark scripts (`load.py`, `pages.py`, `pdf.py`) are run from the
project folder as `.venv/bin/python bench/<name>.py`, so this file is
imported beside them.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def portal_env(
    workdir: Path, database_url: str, port: int, **settings: str
) -> dict[str, str]:
    """A production-like environment (DEBUG off) with its own files in
    `workdir`; `settings` adds to it or replaces its values."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kcsp.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        **settings,
    }


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - fixed commands of this project
        command, env=env, cwd=PROJECT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"Failed: {' '.join(command)}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(
    port: int, path: str, *, cookie: str = "", timeout: float = 30
) -> tuple[int, bytes]:
    """GET `path` from the server on `port` (signed in with the session
    `cookie` when given): the status and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_for(port: int, path: str = "/healthz", seconds: float = 60) -> None:
    """Wait until the server on `port` answers `path` with 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{path} did not answer within {seconds:.0f} s.")


@contextlib.contextmanager
def serving(
    env: dict[str, str], port: int, workers: int, log_level: str
) -> Iterator[subprocess.Popen[bytes]]:
    """The portal under gunicorn on `port`, as a live site serves it, once it
    answers; stopped on leaving."""
    server = subprocess.Popen(  # noqa: S603 - this project's own server
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "kcsp.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            log_level,
        ],
        env=env,
        cwd=PROJECT,
    )
    try:
        wait_for(port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
