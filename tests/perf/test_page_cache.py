"""Signed-out readers get public pages from the cache, and see every change
at once: publishing, approving and correcting minutes, and a take-down.
Anyone signed in always gets their own page, never the cached public one.
A page from the cache carries the same headers as one just rendered.

The tests that matter for both kinds of cache run with the per-process
memory cache and with a shared Redis cache (where the content version is
kept in the cache and raised when a change commits, so those run with real
commits)."""

import uuid
from typing import Any

import pytest
import redis
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from kcsp.pagecache import content_changed, public_page
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Body
from tests import factories
from tests.helpers import REDIS_URL, queries_for, text
from tests.meetings.minutes_factories import agenda, write

pytestmark = pytest.mark.django_db

EXEMPT_DETAIL = "The tender prices of the three bidders."


def test_the_redis_backend_builds_one_client_and_keeps_it(
    redis_server: redis.Redis,
) -> None:
    from django.core.cache.backends.redis import RedisCacheClient

    from kcsp.cache import RedisCache

    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache.set("greeting", "hello")
        first = cache._cache.get_client("greeting", write=True)
        assert cache.get("greeting") == "hello"
        assert cache._cache.get_client("greeting") is first
        assert cache.get_many(["greeting", "absent"]) == {"greeting": "hello"}
        # Django's own client builds a new one each time.
        plain = RedisCacheClient([REDIS_URL])
        assert plain.get_client() is not plain.get_client()
    finally:
        cache.delete("greeting")


def _draft_minutes() -> tuple[Any, Any, Any]:
    """A meeting with a published agenda (one exempt item) and draft minutes."""
    body = factories.body()
    meeting = factories.meeting(body, start="2021-11-18T10:00")
    public_item, exempt_item = agenda(
        meeting, ["Violence Reduction Unit", "Contract award"]
    )
    exempt_item.visibility = Visibility.EXEMPT
    exempt_item.exempt_paragraph = ExemptParagraph.FINANCIAL
    exempt_item.description = EXEMPT_DETAIL
    exempt_item.save()
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=40)
    services.attendance_mark_present(meeting=meeting)
    item = minutes.items.get(agenda_item=public_item)
    write(item, ["Mr Powell gave an update."], "RESOLVED that the update be noted.")
    return meeting, minutes, item


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_signed_out_read_comes_from_the_cache_with_one_query(
    client: Client,
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    first = _get(client, url)
    assert first["X-Page-Cache"] == "miss"
    assert queries_for(client, url) == 1  # The content version, nothing else.
    again = _get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Cookie" in again["Vary"]


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_with_a_shared_cache_a_cached_page_needs_no_database(
    client: Client, backend: str
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    first = _get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        again = _get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert ctx.captured_queries == []


def test_a_cached_page_has_the_headers_of_a_rendered_one(
    client: Client, backend: str
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    rendered = _get(client, url)
    cached = _get(client, url)
    assert (rendered["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")

    def headers(response: Any) -> dict[str, str]:
        return {k: v for k, v in response.items() if k != "X-Page-Cache"}

    assert headers(cached) == headers(rendered)
    assert "default-src" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Referrer-Policy"] == "same-origin"
    assert cached["X-Content-Type-Options"] == "nosniff"
    assert cached["Content-Type"] == "text/html; charset=utf-8"
    assert "Cookie" in cached["Vary"]
    assert not cached.cookies


def _cached_page(client: Client) -> str:
    """The address of a meeting's page, now in the cache."""
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    _get(client, url)
    assert _get(client, url)["X-Page-Cache"] == "hit"
    return url


def test_a_host_outside_allowed_hosts_is_refused_before_the_cache_is_read(
    client: Client, backend: str
) -> None:
    url = _cached_page(client)
    response = client.get(url, headers={"host": "portal.example.net"})
    assert response.status_code == 400
    assert "X-Page-Cache" not in response
    assert "Violence Reduction Unit" not in text(response)


def test_each_allowed_host_has_its_own_cached_pages(
    client: Client, backend: str, settings: Any
) -> None:
    """Pages hold absolute links made from the host they were asked for."""
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.org"]
    url = _cached_page(client)
    other = client.get(url, headers={"host": "portal.example.org"})
    assert other.status_code == 200
    assert other["X-Page-Cache"] == "miss"


@public_page
def _page_with_a_form(request: HttpRequest) -> HttpResponse:
    """A cacheable page whose form sets the CSRF cookie."""
    token = get_token(request)
    return HttpResponse(f"<form><input name='t' value='{token}'></form>")


urlpatterns = [path("form/", _page_with_a_form)]


@pytest.mark.urls(__name__)
def test_a_page_that_sets_a_cookie_is_never_stored(
    client: Client, backend: str
) -> None:
    first = client.get("/form/")
    assert first.cookies  # The CSRF cookie.
    assert "X-Page-Cache" not in first
    second = Client().get("/form/")
    assert "X-Page-Cache" not in second
    assert second.cookies


def test_publishing_minutes_shows_at_once_on_a_cached_page(
    client: Client, backend: str
) -> None:
    meeting, minutes, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    decisions = reverse("meetings:decisions")
    assert "Mr Powell gave an update." not in text(_get(client, url))
    assert _get(client, url)["X-Page-Cache"] == "hit"
    assert "the update be noted" not in text(_get(client, decisions))

    services.minutes_publish_draft(minutes=minutes)

    page = _get(client, url)
    assert page["X-Page-Cache"] == "miss"
    assert "Mr Powell gave an update." in text(page)
    assert "the update be noted" in text(_get(client, decisions))


def test_approving_and_correcting_minutes_show_at_once(
    client: Client, clerk, backend: str
) -> None:
    meeting, minutes, item = _draft_minutes()
    services.minutes_publish_draft(minutes=minutes)
    url = meeting.get_absolute_url()
    assert "subject to approval" in text(_get(client, url)).lower()
    _get(client, url)

    later = factories.meeting(meeting.body, start="2022-03-24T10:00")
    agenda(later, ["Minutes of the meeting held on 18 November 2021"])
    approving = write(
        services.minutes_start_from_agenda(meeting=later).items.get(),
        [],
        "RESOLVED that the minutes be approved.",
        kind="approved",
    ).resolutions.get()
    services.minutes_approve(minutes=minutes, resolution=approving)
    assert "subject to approval" not in text(_get(client, url)).lower()
    _get(client, url)

    item.refresh_from_db()
    services.minutes_correct(
        item=item,
        title=item.title,
        paragraphs=["Mr M Powell, the unit's director, gave an update."],
        resolutions=[
            services.ResolutionInput(text="RESOLVED that the update be noted.")
        ],
        reason="The speaker's role was left out.",
        by=clerk,
    )
    page = text(_get(client, url))
    assert "Mr M Powell, the unit&#x27;s director, gave an update." in page or (
        "Mr M Powell, the unit's director, gave an update." in page
    )
    assert "The speaker&#x27;s role was left out." in page or (
        "The speaker's role was left out." in page
    )


def test_taking_a_body_down_removes_its_cached_pages(
    client: Client, backend: str
) -> None:
    meeting, minutes, _ = _draft_minutes()
    services.minutes_publish_draft(minutes=minutes)
    url = meeting.get_absolute_url()
    _get(client, url)
    assert _get(client, url)["X-Page-Cache"] == "hit"
    Body.objects.filter(pk=meeting.body_id).update(is_public=False)
    # update() sends no signal: a bulk change must record itself.
    content_changed()
    assert client.get(url).status_code == 404


def test_staff_never_get_the_cached_public_page(
    client: Client, clerk, backend: str
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    public = text(_get(client, url))
    assert EXEMPT_DETAIL not in public
    assert "Mr Powell gave an update." not in public
    _get(client, url)  # Now cached.

    staff = Client()
    staff.force_login(clerk)
    page = _get(staff, url)
    assert "X-Page-Cache" not in page
    assert EXEMPT_DETAIL in text(page)

    # Nor does the public get what staff were shown.
    again = _get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert EXEMPT_DETAIL not in text(again)


def test_a_reader_with_a_session_is_not_served_from_the_cache(
    client: Client, partner, backend: str
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    _get(client, url)
    signed_in = Client()
    signed_in.force_login(partner)
    page = _get(signed_in, url)
    assert "X-Page-Cache" not in page
    assert "Signed in as" in text(page)
    # And a page rendered for someone signed in is never stored for others.
    assert "Signed in as" not in text(_get(client, url))


# A meeting's agenda and minutes are also kept on their own for each
# audience, for readers the page cache does not serve (anyone signed in).


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_a_meetings_agenda_and_minutes_are_read_once_until_they_change(
    client: Client, backend: str
) -> None:
    meeting, minutes, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    cold = queries_for(client, url)
    first = _get(client, url)
    warm = queries_for(client, url)
    again = _get(client, url)
    assert "X-Page-Cache" not in again
    assert again.content == first.content
    assert warm < cold
    assert warm <= 2  # The content version and the meeting, nothing else.

    services.minutes_publish_draft(minutes=minutes)

    assert "Mr Powell gave an update." in text(_get(client, url))


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_each_audience_gets_its_own_agenda_and_minutes(
    client: Client, clerk, partner, backend: str
) -> None:
    meeting, _, _ = _draft_minutes()
    url = meeting.get_absolute_url()
    staff = Client()
    staff.force_login(clerk)
    officer = Client()
    officer.force_login(partner)
    for _ in range(2):
        assert EXEMPT_DETAIL not in text(_get(client, url))
        assert EXEMPT_DETAIL in text(_get(staff, url))
        assert "Mr Powell gave an update." in text(_get(staff, url))
        page = text(_get(officer, url))
        assert EXEMPT_DETAIL not in page
        assert "Mr Powell gave an update." not in page
        assert "Open the minutes in the drafting screen" not in page
    assert "Mr Powell gave an update." not in text(_get(client, url))


def test_a_signed_in_readers_decisions_are_read_once_until_they_change(
    client: Client, partner: Any, backend: str
) -> None:
    """The decisions register, which the page cache never serves to someone
    signed in, is kept for each audience and query like a meeting's
    minutes."""
    meeting, minutes, _ = _draft_minutes()
    url = f"{reverse('meetings:decisions')}?body={meeting.body.slug}"
    officer = Client()
    officer.force_login(partner)
    cold = queries_for(officer, url)
    first = text(_get(officer, url))
    assert queries_for(officer, url) < cold
    # A hit reads the reader (session, user, roles) and nothing of the
    # register: not even the committee its filter names.
    with CaptureQueriesContext(connection) as warm:
        _get(officer, url)
    assert [q["sql"] for q in warm.captured_queries if "meetings_" in q["sql"]] == []
    # The same content; the header holds the reader's own sign-out form.
    assert _main(text(_get(officer, url))) == _main(first)
    assert "the update be noted" not in first

    services.minutes_publish_draft(minutes=minutes)

    assert "the update be noted" in text(_get(officer, url))
    assert "the update be noted" in text(_get(client, url))


def test_old_changes_are_pruned_in_one_statement(settings: Any) -> None:
    from kcsp import pagecache
    from kcsp.models import ContentChange

    for _ in range(pagecache.PRUNE_EVERY * 2):
        latest = content_changed()
        if latest % pagecache.PRUNE_EVERY == pagecache.PRUNE_EVERY - 1:
            break
    with CaptureQueriesContext(connection) as ctx:
        pruning = content_changed()
    assert pruning % pagecache.PRUNE_EVERY == 0
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT", "DELETE"]
    assert not ContentChange.objects.filter(id__lt=pruning - pagecache.PRUNE_EVERY)
    assert ContentChange.objects.filter(id=pruning).exists()


def test_a_transaction_records_a_newer_version_once_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Versions taken inside a transaction come before its writes can be
    seen (and a shorter transaction may take a later one and commit first):
    the version after the commit is newer than all of them, recorded once
    however many records the transaction saved."""
    from kcsp.pagecache import content_version

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        taken = [content_changed() for _ in range(3)]
        factories.body("Swale Community Safety Partnership")
    assert len(callbacks) == 1
    assert content_version() > max(taken)


def test_reading_a_dhr_case_does_not_empty_the_page_cache(
    client: Client, dhr_coordinator: Any
) -> None:
    from kcsp.pagecache import content_version

    before = content_version()
    client.force_login(dhr_coordinator)
    assert client.get(reverse("dhr:dashboard")).status_code == 200
    assert content_version() == before


def test_a_published_pdf_is_served_from_the_cache_with_its_etag(
    client: Client,
) -> None:
    from tests.meetings.pdf_helpers import minutes_meeting

    meeting = minutes_meeting()
    url = reverse("meetings:minutes_pdf", args=[meeting.body.slug, meeting.url_key])
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == "application/pdf"
    assert again["ETag"] == first["ETag"]
    current = client.get(url, headers={"if-none-match": first["ETag"]})
    assert current.status_code == 304
    assert current.content == b""
