"""Benchmark of the portal's pages at demo size and at twenty-five years' size
(not part of the test run).

Against gunicorn on PostgreSQL, for each of two databases (the demo data,
and the demo data plus `manage.py seed_scale --years 25 --bodies 30`), it
measures in one run:

- queries per page (Django's test client, page cache off);
- p50 and p95 latency and throughput of: the home page, a body's page, a
  meeting page (20 items with minutes), the decisions register filtered by
  body, site search, My actions (a signed-in partner officer), the open
  data API's meeting list, and a static file served by the same server; with
  the page cache off (every page rendered, as for a signed-in reader, with a
  meeting's agenda and minutes from the fragment cache) and on (signed-out
  pages served from the cache);
- each page's ratio to the static file, and each page's scale/demo ratio;
- the resident memory (RSS) of each gunicorn worker after the run.

Needs only this project's own dependencies (gunicorn is one of them), a
PostgreSQL server and a Redis server: the pages are served with a Redis
cache (`REDIS_URL`), as in production, in a Redis database of the
benchmark's own (`--redis-url`, by default database 9 on 127.0.0.1, which
is emptied before each server is started). The load is made by this
script's own HTTP client (Python processes, so the client is not held back
by one interpreter's lock). Run from the project folder:

    createdb kcsp_bench_demo && createdb kcsp_bench_scale   # once
    .venv/bin/python bench/pages.py --prepare \\
        --demo-url postgres://postgres@127.0.0.1:5432/kcsp_bench_demo \\
        --scale-url postgres://postgres@127.0.0.1:5432/kcsp_bench_scale

`--prepare` migrates both databases, loads the demo data (with its sign-in
accounts) into each, and the scale data into the second if it is not there
yet (about five minutes); without it the databases are used as they are.
Only loopback addresses are used. Timings on a shared machine are noisy:
run it on a quiet machine, and compare ratios rather than absolute figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis
from portal import PROJECT, PYTHON, free_port, gunicorn, portal_env, run

PARTNER = "partner"  # The demo's partner officer (Kent Fire and Rescue Service).

# Targets on the development machine (2 cores), from the issue.
TARGETS = {
    "scale_p95_ratio": 2.0,
    "cached_throughput_ratio": 0.5,
    "uncached_meeting_p50_ratio": 10.0,
    "worker_rss_mb": 200.0,
}
PAGES = [
    "home",
    "body",
    "meeting",
    "decisions",
    "search",
    "my_actions",
    "api_meetings",
    "static",
]
# Served from the page cache when signed out.
CACHED = {"home", "body", "meeting", "decisions"}


# Environment ------------------------------------------------------------------


def bench_env(
    workdir: Path, database_url: str, port: int, cache_seconds: int, redis_url: str
) -> dict[str, str]:
    secret = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
    return portal_env(
        workdir,
        database_url,
        port,
        SECRET_KEY=secret,
        SECURE_HSTS_SECONDS="0",
        STAFF_TWO_FACTOR="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PUBLIC_PAGE_CACHE_SECONDS=str(cache_seconds),
        # The shared cache of a production site (the content version is kept
        # in it too), in a Redis database of the benchmark's own.
        REDIS_URL=redis_url,
        # The API's per-address limit would answer most of the load with 429.
        API_ANON_RATE="",
        PYTHONPATH=str(PROJECT),
    )


def step(name: str, env: dict[str, str]) -> Any:
    """Run one step inside Django in a fresh process; it prints JSON last."""
    out = run([PYTHON, __file__, "--step", name], env)
    return json.loads(out.strip().splitlines()[-1])


# Steps run inside Django ----------------------------------------------------------


def step_urls() -> dict[str, Any]:
    """The pages to measure in this database, and a signed-in session."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from kcsp.models import Action
    from meetings.models import Body, Meeting, Minutes

    # The public body with the most meetings, and the latest published
    # minutes of the most items (20 at scale).
    body = (
        Body.objects.filter(is_public=True)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(
            body__is_public=True,
            minutes__status__in=[
                Minutes.Status.APPROVED,
                Minutes.Status.PUBLISHED_DRAFT,
            ],
        )
        .annotate(n_items=Count("minutes__items", distinct=True))
        .order_by("-n_items", "-start")
        .first()
    )
    if body is None or meeting is None:
        raise SystemExit("No public body with published minutes: load the data first.")
    user = get_user_model().objects.get(username=PARTNER)
    client = Client()
    client.force_login(user)
    urls = {
        "home": "/",
        "body": body.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "decisions": f"/decisions/?body={body.slug}",
        "search": "/search/?q=domestic+abuse",
        "my_actions": "/actions/",
        # A page of the same length at both sizes (the demo has nine
        # meetings): the comparison is of the data's size, not the page's.
        "api_meetings": "/api/v1/meetings/?page_size=5",
        "static": "/static/css/portal.css",
    }
    return {
        "urls": urls,
        "session": client.cookies["sessionid"].value,
        "sizes": {
            "bodies": Body.objects.count(),
            "meetings": Meeting.objects.count(),
            "meeting_items": meeting.n_items,
            "body_meetings": body.n,
            "partner_actions": Action.objects.visible_to(user).count(),
        },
    }


def step_queries(urls: dict[str, str]) -> dict[str, Any]:
    """Queries per page, page cache off, as the benchmark's readers see them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()
    partner = Client()
    partner.force_login(get_user_model().objects.get(username=PARTNER))
    counts: dict[str, Any] = {}
    for name, url in urls.items():
        if name == "static":
            continue
        client = partner if name == "my_actions" else anonymous
        client.get(url)  # Warm: first-use queries (content types ...) aside.
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts[name] = (
            len(ctx.captured_queries) if response.status_code == 200 else None
        )
    return counts


def step_prepare(scale: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from meetings.models import Meeting

    call_command("load_demo", force=True, verbosity=0, stdout=_Quiet())
    seeded = Meeting.objects.filter(source_system="seed_scale").exists()
    if scale and not seeded:
        call_command("seed_scale", years=25, bodies=30)
    return {"seeded": scale and not seeded}


class _Quiet:
    def write(self, *args: Any, **kwargs: Any) -> None:
        pass


# Load -------------------------------------------------------------------------------


def measure(
    port: int, path: str, seconds: float, clients: int, cookie: str = ""
) -> dict[str, Any]:
    """Latency percentiles and requests per second of GET `path` from
    `clients` client processes for `seconds`."""
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        results = pool.starmap(_client, [(port, path, seconds, cookie)] * clients)
    latencies = sorted(t for r in results for t in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    if not latencies:
        return {"failures": sum(r["failures"] for r in results), "status": 0}

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "p50_ms": round(pct(0.50), 2),
        "p95_ms": round(pct(0.95), 2),
        "per_second": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "failures": sum(r["failures"] for r in results),
        "status": 200,
    }


def _client(port: int, path: str, seconds: float, cookie: str) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures = 0
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    started = time.monotonic()
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append(time.perf_counter() - began)
            else:
                failures += 1
        except OSError:
            failures += 1
        finally:
            connection.close()
    return {
        "latencies": latencies,
        "failures": failures,
        "elapsed": time.monotonic() - started,
    }


def get(port: int, path: str, cookie: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("The server did not start.")


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each worker of the gunicorn master `master`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master:
            found.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(found)


def serve_and_measure(
    env: dict[str, str],
    port: int,
    urls: dict[str, str],
    session: str,
    args: argparse.Namespace,
    names: list[str],
) -> dict[str, Any]:
    # Each run starts from an empty cache: the two databases' content versions
    # may well be the same numbers.
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    server = gunicorn(env, port, args.workers, "warning")
    try:
        wait_for(port)
        results: dict[str, Any] = {}
        for name in names:
            cookie = session if name == "my_actions" else ""
            status = get(port, urls[name], cookie)  # Warm (and fill the cache).
            if status != 200:
                results[name] = {"status": status}
                continue
            results[name] = measure(
                port, urls[name], args.seconds, args.clients, cookie
            )
        results["rss_mb"] = worker_rss_mb(server.pid)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def stand_in_missing_static(root: Path) -> None:
    """Give a stylesheet the base template names but the tree lacks (it comes
    with site search) a blank stand-in, so that pages render with DEBUG off."""
    manifest_file = root / "staticfiles.json"
    manifest = json.loads(manifest_file.read_text())
    for name in ("css/search.css",):
        if name not in manifest["paths"]:
            print(f"  Note: static/{name} is missing; a blank stand-in is used.")
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("")
            manifest["paths"][name] = name
    manifest_file.write_text(json.dumps(manifest))


def one_size(
    label: str, database_url: str, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    port = free_port()
    env = bench_env(workdir, database_url, port, 0, args.redis_url)
    manage = str(PROJECT / "manage.py")
    if args.prepare:
        print(f"Preparing the {label} database ...", flush=True)
        run([PYTHON, manage, "migrate", "--noinput"], env)
        step(f"prepare-{label}", env)
    run([PYTHON, manage, "collectstatic", "--noinput"], env)
    stand_in_missing_static(workdir / "static")
    found = step("urls", env)
    urls = found["urls"]
    print(f"Measuring {label}: {found['sizes']}", flush=True)
    env["BENCH_URLS"] = json.dumps(urls)
    # Queries of the pages as rendered from nothing (no cached fragments).
    queries = step("queries", {**env, "FRAGMENT_CACHE_SECONDS": "0"})
    uncached = serve_and_measure(env, port, urls, found["session"], args, PAGES)
    cached_env = bench_env(workdir, database_url, port, 300, args.redis_url)
    cached_env["SECRET_KEY"] = env["SECRET_KEY"]
    cached = serve_and_measure(
        cached_env,
        port,
        urls,
        found["session"],
        args,
        [*sorted(CACHED), "static"],
    )
    return {
        "urls": urls,
        "sizes": found["sizes"],
        "queries": queries,
        "uncached": uncached,
        "cached": cached,
    }


# Report ---------------------------------------------------------------------------


class _Verdicts:
    """Marks each target met ("ok") or missed, remembering if all were met."""

    def __init__(self) -> None:
        self.ok = True

    def __call__(self, good: bool) -> str:
        self.ok = self.ok and good
        return "ok" if good else "MISSES"


def _cell(r: dict[str, Any] | None) -> str:
    if not r or r.get("status") != 200:
        status = r.get("status") if r else "-"
        return f"{'not available' if status == 404 else f'HTTP {status}':>28}"
    return f"{r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['per_second']:7.0f}  "


def report(results: dict[str, Any], args: argparse.Namespace, command: str) -> bool:
    demo, scale = results["demo"], results["scale"]
    verdict = _Verdicts()
    print(f"\nPage benchmark ({command})")
    print(
        f"gunicorn {args.workers} sync workers on PostgreSQL; {args.clients} client "
        f"processes; {args.seconds:.0f} s per page and mode; latency in ms."
    )
    for label, data in (("demo", demo), ("scale", scale)):
        print(f"  {label}: {data['sizes']}")
    print()
    for mode in ("uncached", "cached"):
        _report_pages(mode, demo, scale, verdict)
    print("Targets")
    for label, data in (("demo", demo), ("scale", scale)):
        _report_targets(label, data, verdict)
    print(
        "\nAll targets met."
        if verdict.ok
        else "\nSome targets missed (marked MISSES above)."
    )
    return verdict.ok


def _report_pages(
    mode: str, demo: dict[str, Any], scale: dict[str, Any], verdict: _Verdicts
) -> None:
    """The table of every page in one mode, demo beside scale."""
    header = f"{'page':<13}{'queries':>15}  {'demo p50 p95 req/s':>28}"
    header += f"{'scale p50 p95 req/s':>28}  {'vs static (scale p50)':>22}"
    header += f"{'p95 scale/demo':>16}"
    title = (
        "Page cache off: every page rendered (cached fragments used)"
        if mode == "uncached"
        else "Page cache on: signed-out pages from the cache"
    )
    print(title)
    print(header)
    static_s = scale[mode]["static"]
    for name in PAGES:
        if name not in demo[mode]:
            continue
        d, s = demo[mode].get(name), scale[mode].get(name)
        qd, qs = demo["queries"].get(name), scale["queries"].get(name)
        queries = "-" if name == "static" else f"{qd} / {qs}"
        if qd is not None and qs is not None and mode == "uncached":
            queries += "" if qd == qs else " DIFFER"
            verdict(qd == qs)
        line = f"{name:<13}{queries:>15}  {_cell(d)}{_cell(s)}"
        if s and s.get("status") == 200 and d and d.get("status") == 200:
            line += f"{s['p50_ms'] / static_s['p50_ms']:>20.1f}x  "
            ratio = s["p95_ms"] / d["p95_ms"]
            line += f"{ratio:>12.2f}"
            if name != "static":
                line += f" {verdict(ratio <= TARGETS['scale_p95_ratio'])}"
        print(line)
    print()


def _report_targets(label: str, data: dict[str, Any], verdict: _Verdicts) -> None:
    """One database's results against the targets."""
    static = data["cached"]["static"]["per_second"]
    for name in sorted(CACHED):
        rate = data["cached"][name]["per_second"]
        ratio = rate / static
        print(
            f"  {label}: cached {name} {rate:.0f} req/s = {ratio:.2f} of the "
            f"static file's {static:.0f} (target >= "
            f"{TARGETS['cached_throughput_ratio']}): "
            f"{verdict(ratio >= TARGETS['cached_throughput_ratio'])}"
        )
    meeting = data["uncached"]["meeting"]["p50_ms"]
    static_p50 = data["uncached"]["static"]["p50_ms"]
    ratio = meeting / static_p50
    print(
        f"  {label}: uncached meeting page p50 {meeting:.1f} ms = {ratio:.1f}x "
        f"the static file's {static_p50:.1f} ms (target <= "
        f"{TARGETS['uncached_meeting_p50_ratio']:.0f}x): "
        f"{verdict(ratio <= TARGETS['uncached_meeting_p50_ratio'])}"
    )
    rss = max(data["uncached"]["rss_mb"] + data["cached"]["rss_mb"])
    print(
        f"  {label}: largest worker RSS after the run {rss:.0f} MB "
        f"(workers: {data['uncached']['rss_mb']} uncached run, "
        f"{data['cached']['rss_mb']} cached run; target < "
        f"{TARGETS['worker_rss_mb']:.0f} MB): "
        f"{verdict(rss < TARGETS['worker_rss_mb'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-url", help="PostgreSQL database with the demo data.")
    parser.add_argument("--scale-url", help="PostgreSQL database with scale data.")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0, help="Per page, mode.")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="A Redis database for the benchmark alone (it is emptied).",
    )
    parser.add_argument("--json", help="Also write the raw results to this file.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        import django

        django.setup()
        if args.step == "urls":
            result = step_urls()
        elif args.step == "queries":
            result = step_queries(json.loads(os.environ["BENCH_URLS"]))
        else:
            result = step_prepare(scale=args.step == "prepare-scale")
        print(json.dumps(result))
        return

    if not (args.demo_url and args.scale_url):
        parser.error("give --demo-url and --scale-url (two PostgreSQL databases)")
    for url in (args.demo_url, args.scale_url):
        if not url.startswith("postgres"):
            parser.error("the benchmark runs on PostgreSQL: give postgres:// URLs")
    workdir = Path(tempfile.mkdtemp(prefix="kcsp-bench-pages-"))
    try:
        results = {
            "demo": one_size("demo", args.demo_url, workdir, args),
            "scale": one_size("scale", args.scale_url, workdir, args),
        }
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        ok = report(results, args, " ".join(["bench/pages.py", *sys.argv[1:]]))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
