"""Load and faults: the portal under load, through a database restart and with
its background worker stopped (not part of the test run).

Against gunicorn (3 workers) on PostgreSQL with the demo partnership, `wrk`
drives a mix of public pages from loopback:

1. steady load for 60 s: requests per second, p50 and p99, errors;
2. load for 30 s with PostgreSQL restarted after 10 s: how many requests
   failed while the database was away;
3. load for 20 s after the restart: there must be no errors (the connection
   pool checks each connection before handing it out);
4. the task worker stopped: pages still render, a reports pack waits as
   "being prepared", and it is built once the worker is back.

Needs: Debian's `wrk` (`apt-get install wrk`), a local PostgreSQL cluster this
script may restart (`pg_ctlcluster`, so run it as root or the postgres user,
on a machine where nothing else needs the database for a few seconds).

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --workers 4 --connections 32 --seconds 60

The database named by --database-url is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from portal import PROJECT, PYTHON, get, portal_env, run, serving

BODY = "kent-community-safety-partnership"

# A visitor's mix of public pages, weighted by repetition.
PAGES = [
    "/",
    "/",
    "/meetings/",
    f"/committees/{BODY}/",
    f"/meetings/{BODY}/2022-03-24/",
    f"/meetings/{BODY}/2022-03-24/",
    f"/meetings/{BODY}/2022-03-24/minutes.pdf",
    "/decisions/",
    "/agreement/",
    "/priorities/",
    "/dhr/",
    "/committees/",
]

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""


def sh(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command of the project (the portal's `env`, or this process's
    own environment), stopping the benchmark if it fails."""
    return run(command, env if env is not None else dict(os.environ))


def prepare(env: dict[str, str], database: str) -> None:
    admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    for sql in (
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    ):
        sh(["psql", "-q", admin_url, "-c", sql])
    manage = [PYTHON, "manage.py"]
    sh([*manage, "migrate", "--noinput"], env)
    sh([*manage, "load_demo", "--no-accounts"], env)
    sh([*manage, "collectstatic", "--noinput"], env)


def wrk(port: int, seconds: int, connections: int, workdir: Path) -> dict[str, Any]:
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PAGES))
    out = sh(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ]
    )
    return parse_wrk(out)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _found(pattern: str, out: str) -> str:
    match = re.search(pattern, out)
    if match is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
    return match.group(1)


def parse_wrk(out: str) -> dict[str, Any]:
    found = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    latency = {int(p): _ms(v, u) for p, v, u in found}
    total = int(_found(r"(\d+) requests in", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    return {
        "requests": total,
        "per_second": float(_found(r"Requests/sec:\s+([\d.]+)", out)),
        "p50_ms": latency.get(50),
        "p99_ms": latency.get(99),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + socket_errors,
    }


def restart_postgres(after: float, log: list[str]) -> threading.Thread:
    def restart() -> None:
        time.sleep(after)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        started = time.monotonic()
        sh(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"])
        ready = [shutil.which("pg_isready") or "pg_isready", "-q", "-h", "127.0.0.1"]
        while subprocess.run(ready, check=False).returncode:  # noqa: S603
            time.sleep(0.1)
        log.append(f"{time.monotonic() - started:.1f}")

    thread = threading.Thread(target=restart)
    thread.start()
    return thread


def worker_scenario(env: dict[str, str], port: int) -> list[str]:
    """Stop the worker, ask for a pack, check pages, start it, see the pack."""
    lines = []
    pack = f"/meetings/{BODY}/2022-03-24/pack.pdf"
    # A new version of the pack: the old one (if any) is no longer current.
    sh(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from meetings.models import Meeting; "
            f"m = Meeting.objects.get(body__slug='{BODY}', url_key='2022-03-24'); "
            "i = m.items.first(); i.title = i.title + ' '; i.save()",
        ],
        env,
    )
    status, _ = get(port, pack)
    # A reader following the link lands on the status page, which asks for it.
    waiting, page = get(port, pack.replace("pack.pdf", "pack/"))
    prepared = b"being prepared" in page
    lines.append(
        f"pack asked for with the worker stopped: {status} to the status page, "
        f"which answers {waiting}{' (being prepared)' if prepared else ''}"
    )
    pages = [get(port, path)[0] for path in PAGES]
    lines.append(
        f"public pages with the worker stopped: {pages.count(200)} of "
        f"{len(pages)} answered 200"
    )
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "db_worker"], env=env, cwd=PROJECT
    )
    started = time.monotonic()
    try:
        while time.monotonic() - started < 120:
            status, body = get(port, pack)
            if status == 200 and body.startswith(b"%PDF-"):
                lines.append(
                    "pack built after the worker came back: "
                    f"{time.monotonic() - started:.1f} s ({len(body) // 1024} KB)"
                )
                break
            time.sleep(1)
        else:
            lines.append("pack NOT built within 120 s of the worker's return")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return lines


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/kcsp_load"
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--no-restart",
        action="store_true",
        help="Leave PostgreSQL running (when others share the server).",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if not shutil.which("wrk"):
        raise SystemExit("Install wrk first: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="kcsp-load-"))
    port = 8765
    env = portal_env(workdir, args.database_url, port, LOG_LEVEL="ERROR")
    print("Preparing the database ...", flush=True)
    prepare(env, args.database_url.rsplit("/", 1)[1])
    try:
        with serving(env, port, args.workers, "error"):
            for path in PAGES:  # first renders (PDF) are not part of the load
                status = get(port, path, timeout=120)[0]
                if status != 200:
                    raise SystemExit(f"{path} answered {status} before the load.")
            print(f"Steady load, {args.seconds} s ...", flush=True)
            steady = wrk(port, args.seconds, args.connections, workdir)
            took: list[str] = []
            during = None
            if not args.no_restart:
                print("Load with PostgreSQL restarted after 10 s, 30 s ...", flush=True)
                restarting = restart_postgres(10, took)
                during = wrk(port, 30, args.connections, workdir)
                restarting.join()
            print("Load after the restart, 20 s ...", flush=True)
            after = wrk(port, 20, args.connections, workdir)
            print("Worker stopped and restarted ...", flush=True)
            worker = worker_scenario(env, port)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(args, steady, during, took, after, worker)


def report(
    args: argparse.Namespace,
    steady: dict[str, Any],
    during: dict[str, Any] | None,
    took: list[str],
    after: dict[str, Any],
    worker: list[str],
) -> None:
    """Each load's figures; fails if requests still failed after the restart."""

    def line(name: str, r: dict[str, Any]) -> str:
        return (
            f"{name:<32} {r['per_second']:>8.1f} req/s  p50 {r['p50_ms']:>7.1f} ms  "
            f"p99 {r['p99_ms']:>7.1f} ms  {r['requests']:>7} requests  "
            f"{r['errors']:>5} errors"
        )

    print(
        f"\nLoad and faults (bench/load.py): gunicorn {args.workers} workers, "
        f"wrk {args.connections} connections, {len(PAGES)} public pages in turn\n"
    )
    print(line(f"steady, {args.seconds} s", steady))
    if during is not None:
        print(line(f"PostgreSQL restart ({took[0]} s down)", during))
    print(line("after the restart, 20 s", after))
    for text in worker:
        print(text)
    if after["errors"]:
        raise SystemExit("Requests still failed after the database came back.")


if __name__ == "__main__":
    main()
