"""Benchmark of the portal's pages at demo size and at twenty-five years' size
(not part of the test run).

Against gunicorn on PostgreSQL, for each of two databases (the demo data,
and the demo data plus `manage.py seed_scale --years 25 --bodies 30`), it
measures in one run:

- queries per page (Django's test client, every cache off);
- p50 and p95 latency and throughput of: the home page, a body's page, a
  meeting page of 20 items with approved minutes (signed out and signed in as a
  partner officer), the decisions register filtered by body (signed out and
  signed in) and by words, site search for a common phrase and a rare word,
  My actions (signed in), the open data API's meeting list, and a static
  file served by the same server; first with every cache off (page cache
  and fragment caches: every page rendered from the database), then with
  the caches on (signed-out pages from the page cache; signed-in pages and
  search rendered, as they always are);
- each with 2 and 8 client processes (`--clients`), in at least 3 rounds
  (`--rounds`) of which the median is reported;
- each page's ratio to the static file, and each page's scale/demo ratio;
- the resident memory (RSS) of each gunicorn worker after the run, with
  the PDF renderer it started.

Every response's body is checked for what its page must show (the meeting's
last minute, a decision, a search result, "Sign out" for a signed-in
reader ...); a response without it is counted as a failure and the first
one is printed, so an error page or an empty list is never measured as a
fast page. The demo database is given a body whose meetings have 20 items,
as the scale data's have, so scale against demo compares the data's size,
not the page's.

Needs only this project's own dependencies (gunicorn is one of them), a
PostgreSQL server and a Redis server: the pages are served with a Redis
cache (`REDIS_URL`), as in production, in a Redis database named with
`--redis-url`, which is emptied before each server is started; a database
holding keys is refused unless `--flush` is given. The load is made by this
script's own HTTP client (Python processes, so the client is not held back
by one interpreter's lock). Run from the project folder:

    createdb kcsp_bench_demo && createdb kcsp_bench_scale   # once
    .venv/bin/python bench/pages.py --prepare \\
        --demo-url postgres://postgres@127.0.0.1:5432/kcsp_bench_demo \\
        --scale-url postgres://postgres@127.0.0.1:5432/kcsp_bench_scale \\
        --redis-url redis://127.0.0.1:6379/13

`--prepare` migrates both databases, loads the demo data (with its sign-in
accounts) into each, the 20-item meetings into the first and the scale data
into the second if it is not there yet (about five minutes); without it the
databases are used as they are. Only loopback addresses are used. Timings on
a shared machine are noisy: run it on a quiet machine, and compare ratios
rather than absolute figures.
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
from portal import PROJECT, PYTHON, free_port, get, portal_env, run, serving

PARTNER = "partner"  # The demo's partner officer (Kent Fire and Rescue Service).
# The body of 20-item meetings added to the demo database, so that the demo's
# meeting page is the same size as the scale data's.
DEMO_BODY = ("Bench Community Safety Committee", "committee")

# Targets on the development machine (2 cores), from the issue.
TARGETS = {
    # Each page rendered with every cache off, p50 against the static file's.
    "bare_p50_ratio": 20.0,
    # Signed-in meeting page and decisions register, p50 in ms (caches on).
    "signed_in_p50_ms": 10.0,
    "search_p50_ms": 20.0,
    "decisions_q_p50_ms": 30.0,
    "scale_p95_ratio": 1.5,
    "cached_throughput_ratio": 0.5,
    "worker_rss_mb": 200.0,
}
# Each page and whether it is read signed in (as the partner officer).
SIGNED_IN = {
    "home": False,
    "body": False,
    "meeting": False,
    "meeting_signed_in": True,
    "decisions": False,
    "decisions_signed_in": True,
    "decisions_q": False,
    "search_common": False,
    "search_rare": False,
    "my_actions": True,
    "api_meetings": False,
    "static": False,
}
PAGES = list(SIGNED_IN)
# Served from the page cache when signed out.
CACHED = {"home", "body", "meeting", "decisions"}
# Measured with the caches on: the signed-out pages from the page cache, and
# what the page cache never serves (signed-in readers, search).
WITH_CACHES = [
    "home",
    "body",
    "meeting",
    "meeting_signed_in",
    "decisions",
    "decisions_signed_in",
    "search_common",
    "search_rare",
    "static",
]
# A word in one demo minute (and in none of the scale data's) and a phrase
# in thousands of the scale data's entries.
RARE_WORDS = "psychotropic"
COMMON_WORDS = "domestic abuse"


# Environment ------------------------------------------------------------------


def bench_env(
    workdir: Path,
    database_url: str,
    port: int,
    cache_seconds: int,
    redis_url: str,
) -> dict[str, str]:
    """The portal's environment; `cache_seconds` 0 turns the page cache and
    the fragment caches off."""
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
        FRAGMENT_CACHE_SECONDS=str(cache_seconds),
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


def _measured_records() -> tuple[Any, Any]:
    """The public body with the most meetings, and the latest published
    minutes of the most items (20 at both sizes)."""
    from django.db.models import Count

    from meetings.models import Body, Meeting, Minutes

    # The public body with the most meetings, and the latest approved
    # minutes of the most items (20 at both sizes): what most meeting pages
    # of an archive show.
    body = (
        Body.objects.filter(is_public=True)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(
            body__is_public=True,
            minutes__status=Minutes.Status.APPROVED,
        )
        .annotate(n_items=Count("minutes__items", distinct=True))
        .order_by("-n_items", "-start")
        .first()
    )
    if body is None or meeting is None:
        raise SystemExit("No public body with published minutes: load the data first.")
    return body, meeting


def step_urls() -> dict[str, Any]:
    """The pages to measure in this database, what each must contain, and a
    signed-in session."""
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles import finders
    from django.test import Client
    from django.utils.html import escape

    from kcsp.models import Action, SearchEntry
    from meetings.models import Body, Meeting, MinuteItem, Resolution

    body, meeting = _measured_records()
    last_minute = MinuteItem.objects.filter(minutes__meeting=meeting).latest("number")
    user = get_user_model().objects.get(username=PARTNER)
    client = Client()
    client.force_login(user)
    words = "+".join(COMMON_WORDS.split())
    urls = {
        "home": "/",
        "body": body.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "meeting_signed_in": meeting.get_absolute_url(),
        "decisions": f"/decisions/?body={body.slug}",
        "decisions_signed_in": f"/decisions/?body={body.slug}",
        "decisions_q": f"/decisions/?q={words}",
        "search_common": f"/search/?q={words}",
        "search_rare": f"/search/?q={RARE_WORDS}",
        "my_actions": "/actions/",
        # A page of the same length at both sizes (the demo has nine
        # meetings): the comparison is of the data's size, not the page's.
        "api_meetings": "/api/v1/meetings/?page_size=5",
        "static": "/static/css/portal.css",
    }
    meeting_page = [
        'id="minutes-title"',
        f'id="minute-{last_minute.number}-title"',
    ]
    stylesheet = Path(finders.find("css/portal.css") or "").read_text()
    # What each page must contain to count as served: a page of another kind
    # (an error page, a sign-in form, an empty list) is a failure.
    markers = {
        "home": ["<title>Home"],
        "body": [f"<h1>{escape(body.name)}</h1>"],
        "meeting": meeting_page,
        "meeting_signed_in": [*meeting_page, "Sign out"],
        "decisions": ["<h1>Decisions</h1>", 'class="decision"'],
        "decisions_signed_in": ["<h1>Decisions</h1>", 'class="decision"', "Sign out"],
        "decisions_q": ['<h2 id="results">', 'class="decision"'],
        "search_common": ['class="search-results"'],
        "search_rare": ['class="search-results"'],
        "my_actions": ["<h1>Actions of ", "Sign out"],
        "api_meetings": ['"results"'],
        "static": [stylesheet[:60]],
    }
    return {
        "urls": urls,
        "markers": markers,
        "session": client.cookies["sessionid"].value,
        "sizes": {
            "bodies": Body.objects.count(),
            "meetings": Meeting.objects.count(),
            "minute_items": MinuteItem.objects.count(),
            "resolutions": Resolution.objects.count(),
            "meeting_items": meeting.n_items,
            "body_meetings": body.n,
            "partner_actions": Action.objects.visible_to(user).count(),
            "search_entries": SearchEntry.objects.count(),
        },
    }


def step_queries(urls: dict[str, str]) -> dict[str, Any]:
    """Queries per page with every cache off, as the benchmark's readers see
    them."""
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
        client = partner if SIGNED_IN[name] else anonymous
        client.get(url)  # Warm: first-use queries (content types ...) aside.
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts[name] = (
            len(ctx.captured_queries) if response.status_code == 200 else None
        )
    return counts


def step_prepare(scale: bool) -> dict[str, Any]:
    """Load the demo, and the scale data (`scale`) or a body whose meetings
    have as many items as the scale data's (the demo's are shorter)."""
    from django.core.management import call_command

    from demo.scale import scale_build, vacuum_analyze
    from meetings.models import Meeting

    call_command("load_demo", force=True, verbosity=0, stdout=_Quiet())
    seeded = Meeting.objects.filter(source_system="seed_scale").exists()
    if scale and not seeded:
        call_command("seed_scale", years=25, bodies=30)
    if not scale:
        call_command("search_index", verbosity=0, stdout=_Quiet())
        if not seeded:
            scale_build(years=1, bodies=1, meetings_per_year=3, names=[DEMO_BODY])
            call_command("search_index", verbosity=0, stdout=_Quiet())
    # As autovacuum keeps a live database: the demo has just been written
    # again into both databases.
    vacuum_analyze()
    return {"seeded": not seeded}


class _Quiet:
    def write(self, *args: Any, **kwargs: Any) -> None:
        pass


# Load -------------------------------------------------------------------------------


def measure(
    port: int,
    path: str,
    markers: list[str],
    seconds: float,
    clients: int,
    cookie: str = "",
) -> dict[str, Any]:
    """Latency percentiles and requests per second of GET `path` from
    `clients` client processes for `seconds`; a response without every one
    of `markers` in its body is a failure, not a measurement."""
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        results = pool.starmap(
            _client, [(port, path, markers, seconds, cookie)] * clients
        )
    latencies = sorted(t for r in results for t in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    failures = sum(r["failures"] for r in results)
    wrong = next((r["wrong"] for r in results if r["wrong"]), "")
    if not latencies:
        return {"failures": failures, "status": 0, "wrong": wrong}

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "p50_ms": round(pct(0.50), 2),
        "p95_ms": round(pct(0.95), 2),
        "per_second": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "failures": failures,
        "wrong": wrong,
        "status": 200,
    }


def _client(
    port: int, path: str, markers: list[str], seconds: float, cookie: str
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures = 0
    wrong = ""
    expected = [m.encode() for m in markers]
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    started = time.monotonic()
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            took = time.perf_counter() - began
            missing = [m for m in expected if m not in body]
            if response.status == 200 and not missing:
                latencies.append(took)
            else:
                failures += 1
                wrong = wrong or (
                    f"HTTP {response.status}, without {missing[0].decode()!r}"
                    if missing
                    else f"HTTP {response.status}"
                )
        except OSError as error:
            failures += 1
            wrong = wrong or str(error)
        finally:
            connection.close()
    return {
        "latencies": latencies,
        "failures": failures,
        "wrong": wrong,
        "elapsed": time.monotonic() - started,
    }


def median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round of median p50 (a failed round counts as the slowest), with
    every round's p50 and the failures of all rounds."""
    done = sorted(rounds, key=lambda r: r.get("p50_ms", float("inf")))
    chosen = dict(done[len(done) // 2])
    chosen["round_p50s"] = [r.get("p50_ms") for r in rounds]
    chosen["failures"] = sum(r.get("failures", 0) for r in rounds)
    chosen["wrong"] = next((r["wrong"] for r in rounds if r.get("wrong")), "")
    return chosen


def _processes() -> dict[int, tuple[int, float]]:
    """Every process's parent and resident memory (MB)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if "VmRSS" not in fields:
            continue
        parent = int(fields.get("PPid", "0").strip())
        found[int(entry.name)] = (parent, int(fields["VmRSS"].split()[0]) / 1024)
    return found


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each worker of the gunicorn master `master`, with
    the processes it started (the PDF renderer) counted in."""
    processes = _processes()

    def tree(pid: int) -> float:
        own = processes.get(pid, (0, 0.0))[1]
        return own + sum(tree(c) for c, (p, _) in processes.items() if p == pid)

    workers = [pid for pid, (parent, _) in processes.items() if parent == master]
    return sorted(round(tree(pid), 1) for pid in workers)


def serve_and_measure(
    env: dict[str, str],
    port: int,
    found: dict[str, Any],
    args: argparse.Namespace,
    names: list[str],
) -> dict[str, Any]:
    # Each run starts from an empty cache: the two databases' content versions
    # may well be the same numbers. The database is the benchmark's own
    # (checked in `main`).
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    urls, markers = found["urls"], found["markers"]
    with serving(env, port, args.workers, "warning") as server:
        results: dict[str, Any] = {}
        for clients in args.clients:
            by_page: dict[str, Any] = {}
            for name in names:
                cookie = found["session"] if SIGNED_IN[name] else ""
                # Warm (and fill the cache).
                status, _ = get(port, urls[name], cookie=cookie, timeout=120)
                if status != 200:
                    by_page[name] = {"status": status}
                    continue
                rounds = [
                    measure(
                        port, urls[name], markers[name], args.seconds, clients, cookie
                    )
                    for _ in range(args.rounds)
                ]
                by_page[name] = median_round(rounds)
                if by_page[name]["failures"]:
                    print(
                        f"  {name} ({clients} clients): "
                        f"{by_page[name]['failures']} failed: {by_page[name]['wrong']}",
                        flush=True,
                    )
            results[str(clients)] = by_page
        results["rss_mb"] = worker_rss_mb(server.pid)
        return results


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


def prepare(label: str, env: dict[str, str]) -> None:
    """Migrate the database and load what the benchmark measures into it."""
    print(f"Preparing the {label} database ...", flush=True)
    run([PYTHON, str(PROJECT / "manage.py"), "migrate", "--noinput"], env)
    step(f"prepare-{label}", env)


def one_size(
    label: str, database_url: str, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    port = free_port()
    bare_env = bench_env(workdir, database_url, port, 0, args.redis_url)
    if args.prepare:
        prepare(label, bare_env)
    run([PYTHON, str(PROJECT / "manage.py"), "collectstatic", "--noinput"], bare_env)
    stand_in_missing_static(workdir / "static")
    found = step("urls", bare_env)
    print(f"Measuring {label}: {found['sizes']}", flush=True)
    bare_env["BENCH_URLS"] = json.dumps(found["urls"])
    queries = step("queries", bare_env)
    bare = serve_and_measure(bare_env, port, found, args, PAGES)
    cached_env = bench_env(workdir, database_url, port, 300, args.redis_url)
    cached_env["SECRET_KEY"] = bare_env["SECRET_KEY"]
    cached = serve_and_measure(cached_env, port, found, args, WITH_CACHES)
    return {
        "urls": found["urls"],
        "sizes": found["sizes"],
        "queries": queries,
        "bare": bare,
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


def _served(r: dict[str, Any] | None) -> bool:
    return bool(r) and r.get("status") == 200 and not r.get("failures")  # type: ignore[union-attr]


def _cell(r: dict[str, Any] | None) -> str:
    if not r or r.get("status") != 200:
        status = r.get("status") if r else "-"
        return f"{'not available' if status == 404 else f'HTTP {status}':>24}"
    flag = "!" if r.get("failures") else " "
    return f"{r['p50_ms']:6.1f} {r['p95_ms']:6.1f} {r['per_second']:6.0f}{flag}  "


def report(results: dict[str, Any], args: argparse.Namespace, command: str) -> bool:
    demo, scale = results["demo"], results["scale"]
    verdict = _Verdicts()
    print(f"\nPage benchmark ({command})")
    print(
        f"gunicorn {args.workers} sync workers on PostgreSQL; "
        f"{' and '.join(str(c) for c in args.clients)} client processes; "
        f"{args.rounds} rounds of {args.seconds:g} s per page, mode and client "
        "count, the median round shown; latency in ms; '!' marks a page some "
        "of whose responses failed."
    )
    for label, data in (("demo", demo), ("scale", scale)):
        print(f"  {label}: {data['sizes']}")
    print()
    for clients in args.clients:
        for mode in ("bare", "cached"):
            _report_pages(mode, str(clients), demo, scale, verdict)
    print("Targets")
    for clients in args.clients:
        _report_targets(str(clients), demo, scale, verdict)
    print(
        "\nAll targets met."
        if verdict.ok
        else "\nSome targets missed (marked MISSES above)."
    )
    return verdict.ok


def _report_pages(
    mode: str,
    clients: str,
    demo: dict[str, Any],
    scale: dict[str, Any],
    verdict: _Verdicts,
) -> None:
    """The table of every page in one mode, demo beside scale."""
    header = f"{'page':<20}{'queries':>9}  {'demo p50 p95 req/s':>24}"
    header += f"{'scale p50 p95 req/s':>24}  {'vs static':>10}{'p95 s/d':>9}"
    title = (
        "Every cache off: every page rendered"
        if mode == "bare"
        else "Caches on: signed-out pages from the page cache"
    )
    print(f"{title}, {clients} clients")
    print(header)
    static_s = scale[mode][clients]["static"]
    for name in PAGES:
        if name not in demo[mode][clients]:
            continue
        d, s = demo[mode][clients].get(name), scale[mode][clients].get(name)
        qd, qs = demo["queries"].get(name), scale["queries"].get(name)
        queries = "-" if name == "static" else f"{qd} / {qs}"
        line = f"{name:<20}{queries:>9}  {_cell(d)}{_cell(s)}"
        if _served(s) and _served(d):
            line += f"{s['p50_ms'] / static_s['p50_ms']:>9.1f}x"
            ratio = s["p95_ms"] / d["p95_ms"]
            line += f"{ratio:>7.2f}"
            if name != "static":
                line += f" {verdict(ratio <= TARGETS['scale_p95_ratio'])}"
        elif name != "static":
            line += f"  {verdict(False)}"
        print(line)
    print()


def _report_targets(
    clients: str, demo: dict[str, Any], scale: dict[str, Any], verdict: _Verdicts
) -> None:
    """The scale data's results against the targets, and the queries."""

    def p50(mode: str, name: str) -> float:
        found = scale[mode][clients].get(name) or {}
        return float(found.get("p50_ms", float("inf")))

    prefix = f"  {clients} clients:"
    static = p50("bare", "static")
    slowest = max((n for n in PAGES if n != "static"), key=lambda n: p50("bare", n))
    ratio = p50("bare", slowest) / static
    print(
        f"{prefix} every cache off, slowest page {slowest} p50 "
        f"{p50('bare', slowest):.1f} ms = {ratio:.1f}x the static file's "
        f"{static:.2f} ms (target <= {TARGETS['bare_p50_ratio']:.0f}x): "
        f"{verdict(ratio <= TARGETS['bare_p50_ratio'])}"
    )
    for name, target in (
        ("meeting_signed_in", "signed_in_p50_ms"),
        ("decisions_signed_in", "signed_in_p50_ms"),
        ("search_common", "search_p50_ms"),
        ("search_rare", "search_p50_ms"),
        ("decisions_q", "decisions_q_p50_ms"),
    ):
        mode = "cached" if name in WITH_CACHES else "bare"
        print(
            f"{prefix} {name} p50 {p50(mode, name):.1f} ms (target <= "
            f"{TARGETS[target]:.0f} ms): {verdict(p50(mode, name) <= TARGETS[target])}"
        )
    static_rate = scale["cached"][clients]["static"]["per_second"]
    for name in sorted(CACHED):
        rate = scale["cached"][clients][name].get("per_second", 0.0)
        share = rate / static_rate
        print(
            f"{prefix} cached {name} {rate:.0f} req/s = {share:.2f} of the "
            f"static file's {static_rate:.0f} (target >= "
            f"{TARGETS['cached_throughput_ratio']}): "
            f"{verdict(share >= TARGETS['cached_throughput_ratio'])}"
        )
    if clients == str(max(int(c) for c in scale["bare"] if c.isdigit())):
        for name in PAGES:
            qd, qs = demo["queries"].get(name), scale["queries"].get(name)
            if name != "static" and qd != qs:
                print(f"  queries of {name} differ: {qd} demo, {qs} scale: MISSES")
                verdict(False)
        for label, data in (("demo", demo), ("scale", scale)):
            rss = max(data["bare"]["rss_mb"] + data["cached"]["rss_mb"])
            print(
                f"  {label}: largest worker RSS (with its PDF renderer) after the "
                f"run {rss:.0f} MB (target < {TARGETS['worker_rss_mb']:.0f} MB): "
                f"{verdict(rss < TARGETS['worker_rss_mb'])}"
            )


def check_redis(url: str, flush: bool) -> None:
    """Refuse a Redis database that holds keys unless `--flush` says it may be
    emptied: the benchmark empties it before each server starts."""
    keys = redis.Redis.from_url(url).dbsize()
    if keys and not flush:
        raise SystemExit(
            f"The Redis database {url} holds {keys} keys. The benchmark empties "
            "its database: name an empty one, or give --flush to empty this one."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-url", help="PostgreSQL database with the demo data.")
    parser.add_argument("--scale-url", help="PostgreSQL database with scale data.")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="Per round of a page and mode."
    )
    parser.add_argument("--rounds", type=int, default=3, help="At least 3.")
    parser.add_argument(
        "--clients",
        type=int,
        nargs="+",
        default=[2, 8],
        help="Client process counts to measure with (default 2 and 8).",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--redis-url",
        help="A Redis database for the benchmark alone, emptied before each "
        "server starts (e.g. redis://127.0.0.1:6379/13).",
    )
    parser.add_argument(
        "--flush",
        action="store_true",
        help="Empty the Redis database even if it holds keys.",
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
    if not args.redis_url:
        parser.error("give --redis-url, a Redis database the benchmark may empty")
    if args.rounds < 3:
        parser.error("give at least 3 rounds: the median of fewer is not one")
    if args.seconds <= 0 and not args.prepare:
        parser.error("give --seconds above 0 (--prepare --seconds 0 only prepares)")
    check_redis(args.redis_url, args.flush)
    workdir = Path(tempfile.mkdtemp(prefix="kcsp-bench-pages-"))
    try:
        if args.seconds <= 0:
            for label, url in (("demo", args.demo_url), ("scale", args.scale_url)):
                prepare(label, bench_env(workdir, url, free_port(), 0, args.redis_url))
            print("Prepared; nothing measured (--seconds 0).")
            return
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
