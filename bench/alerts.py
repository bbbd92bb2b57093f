"""Benchmark of the e-mail alert sender: one agenda published to many
subscribers (not part of the test run).

On a PostgreSQL database named with `--database-url`, it stores N confirmed
addresses (`--subscribers`, 10,000 by default) each following one body's
agendas at once, publishes one agenda of that body, and then runs the
sender as the task worker does (`kcsp.alerts.sending.alerts_send`, in a
process of its own) through a real SMTP server on 127.0.0.1 (aiosmtpd,
tests/mailserver.py's server, with a mailbox that only counts). It reports:

- the time to queue (one delivery record per address) and the time to send;
- how many messages the SMTP server received, against how many it should;
- the sender process's peak resident memory (`resource.getrusage`);
- the number of database queries of the run.

A database that already holds subscribers or bodies is refused unless
`--flush` is given (then everything in it is deleted first), so the figures
are never of a run that sent to someone else's list. Run from the project
folder:

    createdb kcsp_bench_alerts   # once
    .venv/bin/python bench/alerts.py \\
        --database-url postgres://postgres@127.0.0.1:5432/kcsp_bench_alerts

`--profile FILE` also writes a cProfile of the sender's run to FILE (read
it with `python -m pstats FILE`). Only loopback addresses are used. Timings
on a shared machine are noisy: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from portal import PROJECT, PYTHON, portal_env, run

# Targets from the issue: all of 10,000 e-mails sent within a minute, by a
# sender under 200 MB.
TARGETS = {"send_seconds": 60.0, "sender_rss_mb": 200.0}
BODY = "Bench Alerts Committee"


def step_prepare(subscribers: int, flush: bool) -> dict[str, Any]:
    """Store the addresses and their alerts, then publish one agenda."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from kcsp.models import Subscriber, Subscription
    from meetings.models import Body
    from meetings.services import agenda_publish
    from tests import factories

    if Subscriber.objects.exists() or Body.objects.exists():
        if not flush:
            raise SystemExit(
                "The database already holds bodies or subscribers: name an empty "
                "one, or give --flush to delete everything in this one."
            )
        call_command("flush", interactive=False, verbosity=0)
    body = factories.body(BODY)
    consented = timezone.now() - dt.timedelta(days=1)
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"reader{n:06d}@example.org", consented_at=consented)
            for n in range(subscribers)
        ],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber_id=pk,
                target="body",
                value=body.slug,
                kinds=["agendas"],
                consented_at=consented,
            )
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    meeting = factories.coming_meeting(20, body)
    section = factories.section(meeting)
    for n in range(1, 11):
        factories.item(section, f"Bench item {n}: community safety plan refresh")
    agenda_publish(meeting=meeting)
    return {"subscribers": Subscriber.objects.count()}


def step_send(profile: str) -> dict[str, Any]:
    """Queue and send, as the worker's task does, timing each half."""
    import cProfile

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kcsp.alerts.sending import SendReport, alerts_queue, deliveries_send

    profiler = cProfile.Profile() if profile else None
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        report = SendReport(queued=alerts_queue(now=now))
        queued = time.perf_counter()
        deliveries_send(now=now, report=report)
        sent = time.perf_counter()
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "queue_seconds": round(queued - started, 2),
        "send_seconds": round(sent - queued, 2),
        "sender_rss_mb": round(peak / 1024, 1),
        "queries": len(queries),
        **report.as_dict(),
    }


def step(name: str, args: argparse.Namespace) -> None:
    import django

    sys.path.insert(0, str(PROJECT))
    django.setup()
    if name == "prepare":
        found = step_prepare(args.subscribers, args.flush)
    else:
        found = step_send(args.profile or "")
    print(json.dumps(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument(
        "--flush",
        action="store_true",
        help="Delete everything in a database that holds data.",
    )
    parser.add_argument("--profile", help="Write a cProfile of the sender here.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args.step, args)
        return

    sys.path.insert(0, str(PROJECT))
    from tests.mailserver import Mailbox, start

    workdir = Path(tempfile.mkdtemp(prefix="kcsp-bench-alerts-"))
    env = portal_env(workdir, args.database_url, 8000)
    run([PYTHON, "manage.py", "migrate", "--no-input"], env)
    me = [PYTHON, str(Path(__file__).resolve())]
    passed = ["--database-url", args.database_url]
    print(f"Storing {args.subscribers} subscribers and publishing ...", flush=True)
    prepared = json.loads(
        run(
            [*me, *passed, "--step", "prepare", "--subscribers", str(args.subscribers)]
            + (["--flush"] if args.flush else []),
            env,
        )
    )
    controller, mailbox = start(Mailbox(keep=False))
    try:
        send_env = {
            **env,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(controller.port),
        }
        print("Sending ...", flush=True)
        extra = ["--profile", args.profile] if args.profile else []
        found = json.loads(run([*me, *passed, "--step", "send", *extra], send_env))
    finally:
        controller.stop()
    found["received"] = mailbox.received
    report(prepared["subscribers"], found)


def report(subscribers: int, found: dict[str, Any]) -> None:
    ok = found["received"] == subscribers
    print(f"Subscribers:           {subscribers}")
    print(f"Queued:                {found['queued']} in {found['queue_seconds']} s")
    print(f"Sent:                  {found['sent']} in {found['send_seconds']} s")
    print(f"Received by the server: {found['received']} ({'all' if ok else 'MISSING'})")
    print(f"Failed / retrying:     {found['failed']} / {found['retrying']}")
    print(f"Sender peak RSS:       {found['sender_rss_mb']} MB")
    print(f"Database queries:      {found['queries']}")
    total = found["queue_seconds"] + found["send_seconds"]
    print(
        f"Targets: all sent in {total:.1f} s (<= {TARGETS['send_seconds']:.0f} s): "
        f"{'met' if total <= TARGETS['send_seconds'] else 'MISSED'}; "
        f"RSS {found['sender_rss_mb']} MB (< {TARGETS['sender_rss_mb']:.0f} MB): "
        f"{'met' if found['sender_rss_mb'] < TARGETS['sender_rss_mb'] else 'MISSED'}"
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcsp.settings")
    main()
