"""The portal on several nodes, shown working (not part of the test run).

Against the local cluster `make cluster` starts (deploy/cluster.sh: haproxy,
two gunicorn nodes, two task workers, PostgreSQL, Redis and S3 storage of its
own), this script shows:

1. publish on A, read on B: a clerk signed in on node A publishes minutes;
   the next signed-out read of the meeting page on node B shows them, though
   both nodes had the page in their cache just before;
2. faults under load: public and signed-in readers and a clerk writing
   through the load balancer for 60 s while node A is stopped and started
   again, then the cluster's own PostgreSQL is restarted: errors, time to
   recover, and every write the portal acknowledged found in the database;
3. one pack, asked on both nodes at once, queued once; its worker killed in
   the middle of the build: the pack built once after the worker restarts;
4. throughput through the load balancer with one node and with two, of a
   page from the page cache and of a page rendered for a signed-in reader;
5. the national scale on paper, from the measured costs.

    make cluster
    .venv/bin/python bench/cluster.py
    .venv/bin/python bench/cluster.py --short   # CI: 1, and a node stopped
    make cluster-stop

A cluster started elsewhere (`CLUSTER_DIR=... CLUSTER_PORT=... make cluster`)
is found through the same CLUSTER_DIR; its ports are in its cluster.env.

`--scale-url` names a database loaded by `manage.py seed_scale` (read only)
for the cost of a meeting's rows; without it the cluster's demo data is used.
Needs Debian's `wrk` for step 4.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
CLUSTER = PROJECT / "deploy" / "cluster.sh"
BODY = "kent-community-safety-partnership"

PUBLIC_PAGES = [
    "/",
    "/meetings/",
    f"/committees/{BODY}/",
    f"/meetings/{BODY}/2022-03-24/",
    "/decisions/",
    "/agreement/",
    f"/meetings/{BODY}/2022-03-24/minutes.pdf",
]
SIGNED_IN_PAGES = ["/actions/", f"/meetings/{BODY}/2022-03-24/", "/"]


# The cluster ------------------------------------------------------------------


def cluster_dir() -> Path:
    # The cluster script's own default.
    return Path(os.environ.get("CLUSTER_DIR", "/tmp/kcsp-cluster"))  # noqa: S108


def cluster_env() -> dict[str, str]:
    directory = cluster_dir()
    path = directory / "cluster.env"
    if not path.exists():
        raise SystemExit(f"No cluster at {directory}: run `make cluster` first.")
    env = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    return env


def cluster(*args: str) -> None:
    subprocess.run([str(CLUSTER), *args], check=True, cwd=PROJECT)  # noqa: S603


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the cluster's database, for preparing
    records and checking what was written."""
    os.environ.update(env)
    os.environ["DATABASE_URL"] = env["DIRECT_DATABASE_URL"]
    os.environ["DATABASE_POOL"] = "0"
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kcsp.settings"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def haproxy(command: str) -> str:
    directory = cluster_dir()
    with socket.socket(socket.AF_UNIX) as control:
        control.connect(str(directory / "haproxy.sock"))
        control.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := control.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


# A reader ----------------------------------------------------------------------


@dataclass
class Browser:
    """One reader: cookies kept by hand (the cluster runs without TLS, and
    its cookies are marked Secure, which http.cookiejar would not send)."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], bytes]:
        where = urlsplit(self.base)
        connection = http.client.HTTPConnection(
            where.hostname or "127.0.0.1", where.port, timeout=timeout
        )
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                parsed: SimpleCookie = SimpleCookie()
                parsed.load(value)
                for name, morsel in parsed.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            # Header names in lower case (gunicorn sends them so).
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status, headers, content
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, bytes]:
        status, _, content = self.request("GET", path)
        return status, content

    def post(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str]]:
        form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        status, headers, _ = self.request("POST", path, form)
        return status, headers


def signed_in(base: str, username: str, password: str) -> Browser:
    browser = Browser(base)
    status, page = browser.get("/accounts/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or found is None:
        raise SystemExit(f"No sign-in form at {base} ({status})")
    status, _, _ = browser.request(
        "POST",
        "/accounts/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": found.group(1).decode(),
        },
    )
    if status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"Could not sign in as {username} at {base} ({status})")
    return browser


# 1. Publish on A, read on B ----------------------------------------------------


def meeting_with_draft_minutes(title: str) -> Any:
    """A meeting held yesterday, its agenda published, with draft minutes of
    one item called `title` and attendance recorded: ready to publish."""
    import datetime as dt

    from django.utils import timezone

    from meetings import services
    from meetings.models import Attendance, Body

    body = Body.objects.get(slug=BODY)
    start = timezone.now() - dt.timedelta(days=1, minutes=random.randrange(600))  # noqa: S311
    meeting = services.meeting_schedule(body=body, start=start, venue="Online check")
    services.agenda_items_start(
        meeting=meeting, standard=False, titles=["Business of the meeting"]
    )
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    services.minute_item_add(minutes=minutes, title=title)
    for row in meeting.attendance.all():
        row.kind = Attendance.Kind.PRESENT
        row.save()
    return meeting


def publish_on_a_read_on_b(env: dict[str, str]) -> dict[str, Any]:
    marker = f"Cluster check {uuid.uuid4().hex[:10]}"
    meeting = meeting_with_draft_minutes(marker)
    page = meeting.get_absolute_url()
    reader_a, reader_b = Browser(env["CLUSTER_WEB_A"]), Browser(env["CLUSTER_WEB_B"])
    before = [reader.get(page) for reader in (reader_a, reader_b, reader_b)]
    cached_before = all(status == 200 for status, _ in before)
    if any(marker.encode() in body for _, body in before):
        raise SystemExit("The minutes were shown before they were published.")
    clerk = signed_in(env["CLUSTER_WEB_A"], "clerk", "clerk-demo-pass")
    started = time.monotonic()
    status, _ = clerk.post(f"{page}minutes/draft/publish/", {})
    published = time.monotonic()
    status_b, body_b = reader_b.get(page)
    read = time.monotonic()
    status_a, body_a = reader_a.get(page)
    return {
        "marker": marker,
        "page": page,
        "cached before": cached_before,
        "publish on A": status,
        "publish ms": round((published - started) * 1000, 1),
        "read on B": status_b,
        "B shows the minutes": marker.encode() in body_b,
        "A shows the minutes": status_a == 200 and marker.encode() in body_a,
        "read on B ms": round((read - published) * 1000, 1),
    }


# 2. Faults under load ------------------------------------------------------------


@dataclass
class Outcome:
    at: float
    kind: str
    ok: bool
    ms: float
    detail: str = ""


class Load:
    """Readers (signed out and signed in) and a writing clerk, all through
    the load balancer, recording every request."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        public: int,
        signed: int,
        write_meeting: Any | None,
        pause: float = 0.0,
    ) -> None:
        self.lb = env["CLUSTER_LB"]
        self.outcomes: list[Outcome] = []
        self.acknowledged: list[str] = []
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.pause = pause
        self.threads = [
            threading.Thread(target=self._reader, args=(None,), daemon=True)
            for _ in range(public)
        ]
        for _ in range(signed):
            partner = signed_in(self.lb, "partner", "partner-demo-pass")
            self.threads.append(
                threading.Thread(target=self._reader, args=(partner,), daemon=True)
            )
        if write_meeting is not None:
            clerk = signed_in(self.lb, "clerk", "clerk-demo-pass")
            self.write_url = (
                write_meeting.get_absolute_url() + "minutes/draft/items/add/"
            )
            self.threads.append(
                threading.Thread(target=self._writer, args=(clerk,), daemon=True)
            )

    def _record(self, kind: str, began: float, ok: bool, detail: str = "") -> None:
        now = time.monotonic()
        self.outcomes.append(
            Outcome(began - self.started, kind, ok, (now - began) * 1000, detail)
        )

    def _reader(self, browser: Browser | None) -> None:
        kind = "signed in" if browser else "public"
        reader = browser or Browser(self.lb)
        pages = SIGNED_IN_PAGES if browser else PUBLIC_PAGES
        n = 0
        while not self.stop.is_set():
            path = pages[n % len(pages)]
            n += 1
            began = time.monotonic()
            try:
                status, _ = reader.get(path)
            except OSError as error:
                self._record(kind, began, False, type(error).__name__)
                continue
            # A signed-in reader sent to the sign-in page lost their session.
            self._record(kind, began, status == 200, str(status))
            if self.pause:
                time.sleep(self.pause)

    def _writer(self, clerk: Browser) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            title = f"Load write {n} {uuid.uuid4().hex[:6]}"
            began = time.monotonic()
            try:
                status, headers = clerk.post(self.write_url, {"title": title})
            except OSError as error:
                self._record("write", began, False, type(error).__name__)
            else:
                ok = status == 302 and "/items/" in headers.get("location", "")
                if ok:
                    self.acknowledged.append(title)
                self._record("write", began, ok, str(status))
            time.sleep(0.25)

    def __enter__(self) -> Load:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self, start: float = 0, end: float = 1e9) -> dict[str, Any]:
        window = [o for o in self.outcomes if start <= o.at < end]
        kinds: dict[str, Any] = {}
        for kind in ("public", "signed in", "write"):
            rows = [o for o in window if o.kind == kind]
            if not rows:
                continue
            failed = [o for o in rows if not o.ok]
            kinds[kind] = {
                "requests": len(rows),
                "errors": len(failed),
                "p50 ms": round(statistics.median(o.ms for o in rows), 1),
                "max ms": round(max(o.ms for o in rows), 1),
                "error kinds": sorted({o.detail for o in failed}),
            }
        return kinds

    def outage(self, after: float) -> dict[str, Any]:
        """Errors from `after` on: first and last, and when every kind of
        request answered again."""
        failed = [o for o in self.outcomes if o.at >= after and not o.ok]
        if not failed:
            return {"errors": 0, "recovered after s": 0.0}
        last = max(o.at for o in failed)
        return {
            "errors": len(failed),
            "first error after s": round(min(o.at for o in failed) - after, 2),
            "recovered after s": round(last - after, 2),
        }


def wait_healthy(env: dict[str, str], nodes: int, seconds: float = 60) -> float:
    """Seconds until haproxy has `nodes` nodes up."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        up = sum(
            1
            for line in haproxy("show stat").splitlines()
            if line.startswith("nodes,") and ",UP," in line and "BACKEND" not in line
        )
        if up >= nodes:
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"haproxy did not find {nodes} nodes up within {seconds} s")


def faults(
    env: dict[str, str], *, seconds: float, database: bool, short: bool
) -> dict[str, Any]:
    from meetings.models import MinuteItem

    writes = None if short else meeting_with_draft_minutes("Load writes")
    stop_at, start_at = (3.0, 9.0) if short else (10.0, 20.0)
    db_at = 35.0
    log: dict[str, Any] = {}
    load = Load(
        env,
        public=3 if short else 4,
        signed=1 if short else 2,
        write_meeting=writes,
        pause=0.02 if short else 0.0,
    )
    with load:
        time.sleep(stop_at)
        log["node a stopped at s"] = round(load.elapsed(), 1)
        cluster("stop-web", "a")
        time.sleep(max(0.0, start_at - load.elapsed()))
        log["node a started at s"] = round(load.elapsed(), 1)
        cluster("start-web", "a")
        back = wait_healthy(env, 2)
        log["node a back in rotation after s"] = round(back, 1)
        node_window_end = load.elapsed() + 2
        if database:
            time.sleep(max(0.0, db_at - load.elapsed()))
            log["PostgreSQL restarted at s"] = round(load.elapsed(), 1)
            began = time.monotonic()
            cluster("restart-db")
            log["PostgreSQL down for s"] = round(time.monotonic() - began, 1)
        time.sleep(max(0.0, seconds - load.elapsed()))
    log["node a stop"] = load.summary(stop_at, node_window_end)
    if database:
        log["database restart"] = {**load.outage(db_at), **load.summary(db_at)}
    log["whole run"] = load.summary()
    if writes is not None:
        from django.db import connections

        connections.close_all()
        saved = set(
            MinuteItem.objects.filter(minutes__meeting=writes).values_list(
                "title", flat=True
            )
        )
        acknowledged = set(load.acknowledged)
        log["writes acknowledged"] = len(acknowledged)
        log["acknowledged writes missing"] = len(acknowledged - saved)
        log["writes saved though not acknowledged"] = len(
            # Not the item the meeting was made with ("Load writes").
            {t for t in saved if t.startswith("Load write ")} - acknowledged
        )
    return log


# 3. One pack, once ----------------------------------------------------------------


def _ask_on_both_nodes(env: dict[str, str], page: str) -> list[int]:
    """Ask for `page` on both nodes at the same moment; the two statuses."""
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def ask(base: str) -> None:
        barrier.wait()
        answers.append(Browser(base).get(page)[0])

    askers = [
        threading.Thread(target=ask, args=(env[n],))
        for n in ("CLUSTER_WEB_A", "CLUSTER_WEB_B")
    ]
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    return answers


def _worker_taking(job: Any) -> str | None:
    """The number of the worker that takes `job`, once it is building it;
    None if the job is done first or no worker takes it within a minute."""
    from django_tasks_db.models import DBTaskResult

    from kcsp.models import RenderJob

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        task = DBTaskResult.objects.filter(id=job.task_id).first()
        if job.status == RenderJob.Status.RUNNING and task and task.worker_ids:
            return str(task.worker_ids[-1].removeprefix("cluster-worker-"))
        if job.status == RenderJob.Status.DONE:
            return None
        time.sleep(0.02)
    return None


def _wait_for_pdf(base: str, page: str, pdf: str) -> float | None:
    """When the pack's PDF is served (monotonic time), polling its status
    page as a reader's browser does; None after three minutes."""
    reader = Browser(base)
    started = time.monotonic()
    while time.monotonic() - started < 180:
        # The status page checks by itself every few seconds, as here.
        reader.get(page)
        status, body = reader.get(pdf)
        if status == 200 and body.startswith(b"%PDF-"):
            return time.monotonic()
        time.sleep(2)
    return None


def pack_once(env: dict[str, str]) -> dict[str, Any]:
    from django.db import connections

    from kcsp.models import RenderedDocument, RenderJob
    from meetings.models import AgendaItem, Meeting
    from meetings.printing import documents

    meeting = (
        Meeting.objects.filter(
            documents__isnull=False, agenda_published_at__isnull=False
        )
        .distinct()
        .order_by("-start")
        .first()
    )
    if meeting is None:
        return {"skipped": "no meeting with papers"}
    # A new version of its content, so the pack is built afresh.
    item = AgendaItem.objects.filter(meeting=meeting).first()
    if item is not None:
        item.title = item.title.rstrip() + (" " if not item.title.endswith(" ") else "")
        item.save()
    subject = documents.subject_of(meeting.pk)
    page = meeting.get_absolute_url() + "pack/"
    before_jobs = RenderJob.objects.filter(kind=documents.PACK, subject=subject).count()
    answers = _ask_on_both_nodes(env, page)
    jobs = RenderJob.objects.filter(kind=documents.PACK, subject=subject)
    result: dict[str, Any] = {
        "meeting": page,
        "asked on A and B at once": answers,
        "jobs queued": jobs.count() - before_jobs if before_jobs else jobs.count(),
    }
    job = jobs.order_by("-pk").first()
    if job is None:
        return result
    # Kill the worker that takes it, in the middle of the build.
    worker = _worker_taking(job)
    if worker is None:
        result["killed"] = "the pack was built before a worker could be killed"
        return result
    time.sleep(0.3)
    cluster("kill-worker", worker)
    killed = time.monotonic()
    job.refresh_from_db()
    result["worker killed"] = (
        f"worker {worker}, at step {job.steps_done} of {job.steps_total}"
    )
    # Every other worker stopped too, so the pack waits for the one restarted.
    others = [n for n in ("1", "2") if n != worker]
    for n in others:
        cluster("kill-worker", n)
    time.sleep(2)
    cluster("start-worker", worker)
    restarted = time.monotonic()
    built = _wait_for_pdf(
        env["CLUSTER_LB"], page, meeting.get_absolute_url() + "pack.pdf"
    )
    for n in others:
        cluster("start-worker", n)
    connections.close_all()
    job.refresh_from_db()
    result.update(
        {
            "pack ready after the restart s": round(built - restarted, 1)
            if built
            else None,
            "pack ready after the kill s": round(built - killed, 1) if built else None,
            "job attempts": job.attempts,
            "stored copies": RenderedDocument.objects.filter(
                kind=documents.PACK, subject=subject
            ).count(),
            "builds finished": 1 if job.status == RenderJob.Status.DONE else 0,
        }
    )
    return result


# 4. Throughput --------------------------------------------------------------------


def wrk(url: str, seconds: int, cookie: str | None = None) -> dict[str, Any]:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - a fixed command
        command, capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    return {
        "req/s": round(rate),
        "non-2xx": int(errors.group(1)) if errors else 0,
        "socket errors": sockets.group(1) if sockets else "",
    }


def throughput(env: dict[str, str], seconds: int) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    partner = signed_in(env["CLUSTER_LB"], "partner", "partner-demo-pass")
    cookie = f"sessionid={partner.cookies['sessionid']}"
    lb = env["CLUSTER_LB"]
    cached, rendered = f"{lb}/", f"{lb}/actions/"
    Browser(lb).get("/")
    result: dict[str, Any] = {}
    for nodes in (2, 1):
        if nodes == 1:
            haproxy("set server nodes/b state maint")
        try:
            result[f"{nodes} node(s)"] = {
                "cached home page": wrk(cached, seconds),
                "rendered My actions (signed in)": wrk(rendered, seconds, cookie),
            }
        finally:
            if nodes == 1:
                haproxy("set server nodes/b state ready")
    one, two = result["1 node(s)"], result["2 node(s)"]
    result["two nodes / one"] = {
        page: round(two[page]["req/s"] / max(one[page]["req/s"], 1), 2) for page in one
    }
    return result


# 5. National scale on paper ---------------------------------------------------------


def worker_memory_mb() -> float:
    """The largest gunicorn worker's resident memory on this cluster."""
    directory = cluster_dir()
    largest = 0.0
    for node in ("a", "b"):
        master = (directory / "pids" / f"web-{node}.pid").read_text().strip()
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]) / 1024)
    return largest


def row_costs(scale_url: str | None) -> dict[str, Any]:
    """Bytes of database per meeting, everything that hangs off a meeting
    included (items, minutes, resolutions, actions, history, search index)."""
    import psycopg

    url = scale_url or cluster_env()["DIRECT_DATABASE_URL"]
    with psycopg.connect(url) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        meetings = conn.execute("SELECT count(*) FROM meetings_meeting").fetchone()
        items = conn.execute("SELECT count(*) FROM meetings_minuteitem").fetchone()
    assert size and meetings and items  # noqa: S101 - one row each
    return {
        "source": "seed_scale database" if scale_url else "the cluster's demo data",
        "database MB": round(size[0] / 2**20),
        "meetings": meetings[0],
        "minute items": items[0],
        "KB per meeting": round(size[0] / max(meetings[0], 1) / 1024, 1),
    }


def national(
    costs: dict[str, Any], speed: dict[str, Any], memory_mb: float
) -> dict[str, Any]:
    """300 partnerships x 25 years, from the measured costs (README states the
    assumptions)."""
    partnerships, years, meetings_per_year = 300, 25, 30
    meetings = partnerships * years * meetings_per_year
    database_gb = meetings * costs["KB per meeting"] / 2**20
    one = speed.get("1 node(s)", {})
    rendered = one.get("rendered My actions (signed in)", {}).get("req/s", 0)
    cached = one.get("cached home page", {}).get("req/s", 0)
    # Peak: 2,000 signed-in staff and partners (about 7 per partnership) at a
    # page every 10 s, and 200 public page views a second (90% cached).
    signed_rps, public_rps = 2000 / 10, 200
    cpu_cores_measured = 2
    rendered_rps = signed_rps + public_rps * 0.1
    cached_rps = public_rps * 0.9
    core_seconds = 0.0
    if rendered and cached:
        core_seconds = (
            rendered_rps * cpu_cores_measured / rendered
            + cached_rps * cpu_cores_measured / cached
        )
    # Nodes of 4 cores, run at no more than half their capacity at peak.
    nodes = max(2, -(-core_seconds * 2 // 4)) if core_seconds else None
    return {
        "meetings": meetings,
        "database GB (measured KB per meeting x meetings)": round(database_gb, 1),
        "peak rendered req/s": rendered_rps,
        "peak cached req/s": cached_rps,
        "cores busy at peak": round(core_seconds, 2),
        "web nodes of 4 cores at half load": int(nodes) if nodes else None,
        "memory per node GB (8 workers)": round(8 * memory_mb / 1024, 1),
        "PostgreSQL memory GB (a quarter of the data in shared buffers)": round(
            database_gb / 4, 1
        ),
    }


# Running --------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="CI: steps 1 and 2, short")
    parser.add_argument("--seconds", type=int, default=60, help="Step 2's length")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--scale-url", help="A seed_scale database, read only")
    parser.add_argument("--json", type=Path, help="Also write the figures here")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    env = cluster_env()
    setup_django(env)
    figures: dict[str, Any] = {}

    def show(name: str, value: Any) -> None:
        figures[name] = value
        print(f"\n== {name}\n{json.dumps(value, indent=1)}", flush=True)

    show("1. publish on A, read on B", publish_on_a_read_on_b(env))
    if args.short:
        show(
            "2. node A stopped under load",
            faults(env, seconds=15, database=False, short=True),
        )
    else:
        show(
            "2. node A stopped and PostgreSQL restarted under load",
            faults(env, seconds=args.seconds, database=True, short=False),
        )
        show("3. one pack, once", pack_once(env))
        speed = throughput(env, args.wrk_seconds)
        show("4. throughput, one node and two", speed)
        costs = row_costs(args.scale_url)
        memory = worker_memory_mb()
        show("5a. measured costs", {**costs, "largest web worker MB": round(memory)})
        show("5b. national scale on paper", national(costs, speed, memory))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    failures = check(figures, short=args.short)
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        raise SystemExit(1)
    print("\nAll checks passed.")


def check(figures: dict[str, Any], *, short: bool) -> list[str]:
    failures = []
    first = figures["1. publish on A, read on B"]
    if not (first["B shows the minutes"] and first["A shows the minutes"]):
        failures.append("the minutes published on A were not shown on both nodes")
    if short:
        run = figures["2. node A stopped under load"]["whole run"]
        errors = sum(kind["errors"] for kind in run.values())
        if errors:
            failures.append(f"{errors} errors while node A was stopped")
    else:
        faults_ = figures["2. node A stopped and PostgreSQL restarted under load"]
        errors = sum(kind["errors"] for kind in faults_["node a stop"].values())
        if errors:
            failures.append(f"{errors} errors while node A was stopped")
        if faults_.get("acknowledged writes missing"):
            failures.append("acknowledged writes were lost")
        pack = figures["3. one pack, once"]
        if pack.get("jobs queued") != 1:
            failures.append("the pack was queued more than once")
        if pack.get("stored copies") not in (None, 1):
            failures.append("the pack was stored more than once")
    return failures


if __name__ == "__main__":
    main()
