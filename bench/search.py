"""Benchmark of site search on PostgreSQL (not part of the test run).

Seeds the search index with 10,000 and then 1,000,000 minute-paragraph rows
(generated inside PostgreSQL straight into `kcsp_searchentry`, the way a
bulk load would), and times common searches through the search page's own
code path: the visibility rule of every registered source, web search
matching against the GIN index, ranking of the candidates, the total, and
highlighted snippets for the page's rows. It prints p50 and p95 per query at
both sizes and the ratio of p95 at 1M to p95 at 10k (target: 3 or less).

Run from the project folder:

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --runs 30 \
        --database-url postgres://postgres@127.0.0.1:5432/kcsp_search

The database is migrated first. The benchmark's rows are tagged with the
source "bench.paragraph" and deleted at the end (unless --keep); nothing else
in the database is changed. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SOURCE = "bench.paragraph"
SIZES = (10_000, 1_000_000)
BATCH = 100_000

# Words of partnership minutes, most common first: the generator picks early
# words far more often, as real text does.
_WORDS = (
    "the partnership members noted report update officers county council police "
    "kent community safety meeting agreed action plan priority partners group "
    "board work district funding review data performance year quarter service "
    "services local support risk victims young people domestic abuse crime "
    "anti-social behaviour road violence prevention strategy commissioner "
    "health fire rescue probation housing education schools training "
    "substance misuse drugs alcohol knife lines exploitation safeguarding "
    "children vulnerable adults hate extremism prevent modern slavery fraud "
    "scams burglary theft vehicle casualties speeding cameras lighting "
    "graffiti fly-tipping wardens patrols neighbourhood thanet dover medway "
    "ashford maidstone swale canterbury folkestone gravesham dartford sevenoaks "
    "tunbridge wells tonbridge malling refuge helpline independent advocates "
    "homicide lessons learned recommendations chronology cuckooing"
)
VOCABULARY = _WORDS.split()

QUERIES = [
    "domestic abuse",
    '"county lines"',
    "anti-social behaviour",
    "road safety casualties",
    "knife crime -police",
    "safeguarding children",
    "cuckooing",
    "partnership",
]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # Test settings: plain static files, so pages render without collectstatic.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcsp.settings_test")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DATABASE_POOL", "0")
    # Every run renders its search: with the content cache on, each run after
    # the first would read the page kept from the first.
    os.environ["FRAGMENT_CACHE_SECONDS"] = "0"
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def register_bench_source() -> None:
    """A source whose rows are the index entries themselves (each row's
    object_id is its own id), so the search goes through `visible_entries`
    exactly as for the apps' sources."""
    from kcsp.models import SearchEntry
    from kcsp.registry import (
        SearchLink,
        SearchSource,
        SearchText,
        register_search_source,
    )

    def link(row: SearchEntry) -> SearchLink:
        return SearchLink(title=row.title, url=f"/bench/{row.pk}/", context="Bench")

    register_search_source(
        SearchSource(
            key=SOURCE,
            kind="bench",
            kind_label="Bench",
            model=SearchEntry,
            rows=lambda: SearchEntry.objects.none(),
            text=lambda row: SearchText(title="", text=""),
            visible=lambda audience: SearchEntry.objects.filter(source=SOURCE),
            link_fields=("title",),
            link=link,
        )
    )


def clear() -> None:
    """Remove the benchmark's rows in one statement (an ORM delete would load
    and signal each row)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kcsp_searchentry WHERE source = %s", [SOURCE])


def seed(first: int, last: int) -> None:
    """Rows first..last: 40 words each, dates over twenty years."""
    from django.db import connection

    with connection.cursor() as cursor:
        for start in range(first, last + 1, BATCH):
            end = min(last, start + BATCH - 1)
            cursor.execute(
                """
                INSERT INTO kcsp_searchentry
                    (id, source, object_id, kind, title, text, date, indexed_at)
                SELECT n, %s, n, 'bench',
                       'Minute ' || g || ': ' || w[1 + (g %% 40)] || ' update',
                       (SELECT string_agg(
                            w[1 + i * 0
                              + floor(power(random(), 3) * array_length(w, 1))::int],
                            ' ')
                        FROM generate_series(1, 40) AS i WHERE g > 0),
                       date '2006-01-01' + (g %% 7300),
                       now()
                FROM (
                    SELECT g, nextval('kcsp_searchentry_id_seq') AS n
                    FROM generate_series(%s, %s) AS g
                ) AS s, (SELECT %s::text[] AS w) AS v
                """,
                [SOURCE, start, end, VOCABULARY],
            )
        cursor.execute("VACUUM ANALYZE kcsp_searchentry")


def time_queries(runs: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    timings: dict[str, list[float]] = {}
    for words in QUERIES:
        client.get("/search/", {"q": words}, secure=True)  # warm
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get("/search/", {"q": words}, secure=True)
            samples.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{words!r} answered {response.status_code}")
        timings[words] = samples
    return timings


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/kcsp_search",
        help="A PostgreSQL database to migrate and seed.",
    )
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per query.")
    parser.add_argument(
        "--keep", action="store_true", help="Keep the benchmark's rows afterwards."
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("The benchmark needs PostgreSQL (full-text search).")
    setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    clear()
    register_bench_source()
    results: dict[int, dict[str, list[float]]] = {}
    seeded = 0
    try:
        for size in SIZES:
            began = time.perf_counter()
            seed(seeded + 1, size)
            seeded = size
            print(f"Seeded {size:,} rows in {time.perf_counter() - began:.0f} s")
            results[size] = time_queries(args.runs)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_size_pretty(pg_relation_size('searchentry_vector_gin'))"
                )
                print(f"  GIN index size: {cursor.fetchone()[0]}")
    finally:
        if not args.keep:
            clear()

    small, large = SIZES
    print()
    print(f"Search page, {args.runs} runs per query (milliseconds)")
    header = (
        f"{'query':<26} {'p50 10k':>8} {'p95 10k':>8} {'p50 1M':>8} {'p95 1M':>8} "
        f"{'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for words in QUERIES:
        a, b = results[small][words], results[large][words]
        ratio = p95(b) / p95(a)
        ratios.append(ratio)
        print(
            f"{words:<26} {statistics.median(a):8.1f} {p95(a):8.1f} "
            f"{statistics.median(b):8.1f} {p95(b):8.1f} {ratio:6.2f}"
        )
    worst = max(ratios)
    verdict = "meets" if worst <= 3 else "misses"
    print(f"\nWorst p95 ratio 1M/10k: {worst:.2f} ({verdict} the target of 3)")


if __name__ == "__main__":
    main()
