"""The open data API: public content only, increments, conditional requests,
pages, filters, rate limit and constant query counts."""

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreement.models import Agreement
from kcsp.models import Action, Person
from kcsp.visibility import Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    Minutes,
    Resolution,
)
from priorities import services as priority_services
from priorities.models import Priority
from tests import factories
from tests.agreement import factories as agreement_factories
from tests.api import world

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "bodies",
    "memberships",
    "people",
    "meetings",
    "agenda-items",
    "documents",
    "minute-items",
    "resolutions",
    "actions",
    "agreements",
    "priorities",
    "strategic-assessments",
]


def get(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content)
    return response.json()


def every_record(client: Client, name: str) -> list[dict[str, Any]]:
    return get(client, f"/api/v1/{name}/?page_size=200")["results"]


# Leakage --------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_no_endpoint_shows_unpublished_or_private_content(
    client: Client, partnership: world.World, name: str
) -> None:
    """Exempt descriptions, papers and minutes, draft minutes, restricted and
    unpublished papers, hidden bodies, private and review actions, draft
    agreements and people's contact details appear in no list and no record."""
    listing = client.get(f"/api/v1/{name}/?page_size=200")
    assert listing.status_code == 200
    assert world.SECRET not in listing.content.decode()
    records = listing.json()["results"]
    assert records, f"{name} should list the published records"
    for record in records:
        detail = client.get(record["url"])
        assert detail.status_code == 200
        assert world.SECRET not in detail.content.decode()


@pytest.mark.parametrize(
    ("name", "hidden"),
    [
        ("bodies", lambda w: w.hidden_body),
        ("meetings", lambda w: Meeting.objects.filter(body=w.hidden_body).first()),
        ("agenda-items", lambda w: AgendaItem.objects.get(meeting=w.unpublished)),
        (
            "documents",
            lambda w: Document.objects.get(
                title="SECRET restricted paper", meeting=w.minuted
            ),
        ),
        (
            "documents",
            lambda w: Document.objects.get(
                title="SECRET exempt paper", meeting=w.minuted
            ),
        ),
        ("documents", lambda w: Document.objects.get(meeting=w.unpublished)),
        (
            "minute-items",
            lambda w: MinuteItem.objects.filter(
                minutes__meeting=w.draft_minuted
            ).first(),
        ),
        (
            "resolutions",
            lambda w: Resolution.objects.get(
                minute_item__minutes__meeting=w.minuted,
                minute_item__visibility=Visibility.EXEMPT,
            ),
        ),
        (
            "resolutions",
            lambda w: Resolution.objects.filter(
                minute_item__minutes__meeting=w.draft_minuted
            ).first(),
        ),
        ("actions", lambda w: Action.objects.get(title="SECRET private action")),
        ("actions", lambda w: Action.objects.get(title="SECRET review action")),
        ("agreements", lambda w: Agreement.objects.get(status=Agreement.Status.DRAFT)),
        ("priorities", lambda w: Priority.objects.get(name="SECRET draft priority")),
        ("people", lambda w: Person.objects.get(surname="SECRETUNLISTED")),
        ("people", lambda w: Person.objects.get(surname="SECRETPERSON")),
        ("memberships", lambda w: Membership.objects.get(body=w.hidden_body)),
    ],
)
def test_unpublished_records_are_not_found(
    client: Client, partnership: world.World, name: str, hidden: Any
) -> None:
    record = hidden(partnership)
    response = client.get(f"/api/v1/{name}/{record.pk}/")
    assert response.status_code == 404
    assert world.SECRET not in response.content.decode()


def test_exempt_items_show_title_and_reason_only(
    client: Client, partnership: world.World
) -> None:
    items = get(client, f"/api/v1/agenda-items/?meeting={partnership.minuted.pk}")
    exempt = next(i for i in items["results"] if i["is_exempt"])
    assert exempt["description"] == "Contract for IDVA services"
    assert exempt["exempt_reason"] == (
        "Exempt: paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
    )
    assert exempt["notes"] is None and exempt["presenter"] is None
    public = next(i for i in items["results"] if not i["is_exempt"])
    assert public["notes"] == "The annual refresh of the agreement."
    assert public["presenter"] == "Mr S Peerbux"

    minutes = get(client, f"/api/v1/minute-items/?meeting={partnership.minuted.pk}")
    exempt_minute = next(m for m in minutes["results"] if m["is_exempt"])
    assert exempt_minute["paragraphs"] == [] and exempt_minute["resolutions"] == []
    public_minute = next(m for m in minutes["results"] if not m["is_exempt"])
    assert public_minute["paragraphs"][0]["text"] == "The agreement was presented."
    assert public_minute["resolutions"][0]["parts"][1] == {
        "letter": "b",
        "text": "approve the priorities",
    }


def test_people_carry_names_only(client: Client, partnership: world.World) -> None:
    (person,) = every_record(client, "people")
    assert person["name"] == "Mr P M Hill, OBE"
    assert person["sort_name"] == "Hill, P M"
    assert set(person) == {
        "id",
        "url",
        "name",
        "sort_name",
        "family_name",
        "initials",
        "honorific_prefix",
        "honorific_suffix",
        "updated_at",
    }
    (membership,) = every_record(client, "memberships")
    assert membership["role"] == "Chairman"
    assert membership["person_id"] == person["id"]
    assert membership["on_behalf_of"]["name"] == "Kent Police"


def test_meetings_follow_open_civic_data_events(
    client: Client, partnership: world.World
) -> None:
    services.meeting_cancel(meeting=partnership.unpublished, reason="Not quorate")
    meetings = {m["id"]: m for m in every_record(client, "meetings")}
    held = meetings[partnership.minuted.pk]
    assert held["classification"] == "committee-meeting"
    assert held["status"] == "passed"
    assert held["start_date"] == "2022-03-24T10:00:00Z"
    assert held["timezone"] == "Europe/London"
    assert held["location"]["name"].startswith("Darent Room")
    assert held["participants"] == [
        {
            "entity_type": "organization",
            "entity_id": partnership.body.pk,
            "entity_name": "Kent Community Safety Partnership",
            "note": "host",
        }
    ]
    cancelled = meetings[partnership.unpublished.pk]
    assert cancelled["status"] == "cancelled"
    assert cancelled["status_reason"] == "Not quorate"


def test_documents_give_their_public_download_address(
    client: Client, partnership: world.World
) -> None:
    (paper,) = get(client, f"/api/v1/documents/?meeting={partnership.minuted.pk}")[
        "results"
    ]
    assert paper["title"] == "Agreement report"
    assert paper["media_type"] == "application/pdf"
    download = client.get(paper["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


# Increments --------------------------------------------------------

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def age_everything() -> None:
    """As if nothing had changed since 2020 (update() keeps auto_now away)."""
    for model in (Body, Meeting, AgendaItem, Document, Minutes, MinuteItem):
        model.objects.update(updated_at=LONG_AGO)
    for model in (Resolution, Action, Agreement, Priority, Person, Membership):
        model.objects.update(updated_at=LONG_AGO)
    from agreement.models import StrategicAssessment
    from meetings.models import AgendaSection
    from priorities.models import PriorityAction, PriorityLead

    for model in (AgendaSection, PriorityLead, PriorityAction, StrategicAssessment):
        model.objects.update(updated_at=LONG_AGO)


def test_updated_since_returns_only_changed_records(
    client: Client, partnership: world.World
) -> None:
    age_everything()
    since = "2021-06-01T00:00:00Z"
    for name in ENDPOINTS:
        assert get(client, f"/api/v1/{name}/?updated_since={since}")["count"] == 0

    services.meeting_cancel(meeting=partnership.unpublished, reason="Not quorate")
    moved = partnership.draft_minuted
    moved.start = moved.start + dt.timedelta(days=7)
    services.meeting_save(meeting=moved)
    changed = get(client, f"/api/v1/meetings/?updated_since={since}")
    assert {m["id"] for m in changed["results"]} == {
        partnership.unpublished.pk,
        moved.pk,
    }
    assert all(
        dt.datetime.fromisoformat(m["updated_at"]) > LONG_AGO
        for m in changed["results"]
    )

    minute = partnership.resolution.minute_item
    world.write(minute, ["The agreement was amended."], "RESOLVED that the KCSP")
    resolutions = get(client, f"/api/v1/resolutions/?updated_since={since}")
    assert [r["text"] for r in resolutions["results"]] == ["RESOLVED that the KCSP"]
    assert get(client, f"/api/v1/bodies/?updated_since={since}")["count"] == 0


def test_publishing_counts_as_a_change_of_what_it_publishes(
    client: Client, partnership: world.World
) -> None:
    """Items of an agenda published today are new to a consumer, however old
    the items themselves."""
    age_everything()
    services.agenda_publish(meeting=partnership.unpublished)
    items = get(client, "/api/v1/agenda-items/?updated_since=2021-06-01")
    assert [i["description"] for i in items["results"]] == [
        "SECRET unpublished agenda item"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2022-03-24",
        "2022-03-24T10:00:00Z",
        "2022-03-24T11:00:00+01:00",
        "2022-03-24 11:00:00 01:00",
    ],
)
def test_updated_since_takes_iso_8601(
    client: Client, partnership: world.World, value: str
) -> None:
    Meeting.objects.update(updated_at=LONG_AGO)
    Body.objects.update(updated_at=LONG_AGO)
    partnership.minuted.save()  # changed now, long after 24 March 2022
    response = client.get("/api/v1/meetings/", {"updated_since": value})
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [partnership.minuted.pk]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("value", ["yesterday", "2022-13-45", "24/03/2022 10:00"])
def test_a_bad_updated_since_is_a_clear_400(
    client: Client, db: None, name: str, value: str
) -> None:
    response = client.get(f"/api/v1/{name}/", {"updated_since": value})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["updated_since"] == [
        "Give an ISO 8601 date or date and time, for example 2024-03-24 or "
        "2024-03-24T10:00:00Z."
    ]
    assert body["detail"].startswith("The query is not valid. updated_since:")


def test_updated_since_at_the_ends_of_time(
    client: Client, partnership: world.World
) -> None:
    """Year 1 and 9999 with an offset cannot be converted to UTC; they mean
    before and after everything, not an error."""
    everything = get(client, "/api/v1/meetings/")["count"]
    early = client.get("/api/v1/meetings/", {"updated_since": "0001-01-01T00:00+01:00"})
    assert early.json()["count"] == everything
    late = client.get("/api/v1/meetings/", {"updated_since": "9999-12-31T23:59-01:00"})
    assert late.json()["count"] == 0


# Filters and pages --------------------------------------------------------


def test_body_and_date_filters(client: Client, partnership: world.World) -> None:
    other = factories.body("Crime and Disorder Committee")
    factories.meeting(other, start="2022-03-25T10:00")
    slug = partnership.body.slug
    mine = get(client, f"/api/v1/meetings/?body={slug}")["results"]
    assert {m["body"]["slug"] for m in mine} == {slug}
    in_march = get(client, "/api/v1/meetings/?date_from=2022-03-24&date_to=2022-03-31")
    assert sorted(m["start_date"][:10] for m in in_march["results"]) == [
        "2022-03-24",
        "2022-03-25",
    ]
    decisions = get(
        client,
        f"/api/v1/resolutions/?body={slug}&date_from=2022-03-24&date_to=2022-03-24",
    )
    assert [r["id"] for r in decisions["results"]] == [partnership.resolution.pk]

    hidden = client.get(f"/api/v1/meetings/?body={partnership.hidden_body.slug}")
    assert hidden.status_code == 400
    assert hidden.json()["errors"]["body"] == [
        "No public body has that slug; the list is at /api/v1/bodies/."
    ]
    bad_date = client.get("/api/v1/meetings/?date_from=24/03/2022")
    assert bad_date.status_code == 400
    assert "YYYY-MM-DD" in bad_date.json()["detail"]


def test_lists_page_with_next_links(client: Client, partnership: world.World) -> None:
    first = get(client, "/api/v1/agenda-items/?page_size=2")
    assert first["count"] == 4 and len(first["results"]) == 2
    seen = [i["id"] for i in first["results"]]
    page = first
    while page["next"]:
        assert page["next"].startswith("http://testserver/api/v1/agenda-items/?")
        page = get(client, page["next"])
        seen += [i["id"] for i in page["results"]]
    assert len(seen) == len(set(seen)) == 4
    for page in ("99", "0", "-1", "abc", "9223372036854775808", "1" + "0" * 5000):
        missing = client.get(f"/api/v1/agenda-items/?page_size=2&page={page}")
        assert missing.status_code == 404
        assert missing.json() == {
            "detail": "There is no such page of this list: its pages are "
            "numbered from 1 to 2."
        }
    assert get(client, "/api/v1/agenda-items/?page_size=2&page=last")["next"] is None
    for size, count in (("0", 4), ("-1", 4), ("x", 4), ("9" * 5000, 4), ("3", 3)):
        listing = get(client, f"/api/v1/agenda-items/?page_size={size}")
        assert len(listing["results"]) == count


# Conditional requests --------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_conditional_requests_get_304(
    client: Client, partnership: world.World, name: str
) -> None:
    for url in (f"/api/v1/{name}/", every_record(client, name)[0]["url"]):
        response = client.get(url)
        etag, modified = response["ETag"], response["Last-Modified"]
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
        since = client.get(url, headers={"if-modified-since": modified})
        assert since.status_code == 304
        stale = client.get(url, headers={"if-none-match": '"something-else"'})
        assert stale.status_code == 200


def test_a_change_gives_a_new_etag(client: Client, partnership: world.World) -> None:
    url = "/api/v1/meetings/"
    etag = client.get(url)["ETag"]
    assert client.get(url + "?body=kent-community-safety-partnership")["ETag"] != etag
    services.meeting_cancel(meeting=partnership.unpublished, reason="Not quorate")
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


# Rate limit --------------------------------------------------------


def test_anonymous_clients_are_rate_limited(client: Client, settings: Any) -> None:
    settings.API_ANON_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/bodies/").status_code == 200
    response = client.get("/api/v1/bodies/")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert response.json()["detail"] == (
        f"Too many requests from this address. Try again in {wait} seconds."
    )
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/api/v1/bodies/").status_code == 200
    # A forged X-Forwarded-For does not buy more requests without a proxy.
    forged = client.get("/api/v1/bodies/", headers={"x-forwarded-for": "192.0.2.9"})
    assert forged.status_code == 429


def test_behind_the_proxy_each_client_has_its_own_limit(settings: Any) -> None:
    """Every request comes from the proxy's address; the limit follows the
    client's, from the hop the proxy appended to X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_ANON_RATE = "2/minute"
    cache.clear()

    def behind_proxy(forwarded: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    busy = behind_proxy("198.51.100.1")
    for _ in range(2):
        assert busy.get("/api/v1/bodies/").status_code == 200
    assert busy.get("/api/v1/bodies/").status_code == 429
    # A client writing an address of its own in front of the proxy's hop is
    # still counted at its own address.
    forged = behind_proxy("203.0.113.9, 198.51.100.1")
    assert forged.get("/api/v1/bodies/").status_code == 429
    assert behind_proxy("198.51.100.2").get("/api/v1/bodies/").status_code == 200


# Query counts --------------------------------------------------------


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(partnership: world.World, times: int) -> None:
    """`times` more of everything each collection lists."""
    police = factories.organisation("Kent Police")
    version = partnership.agreement
    for i in range(times):
        factories.body(f"Working group {i}")
        meeting = world.meeting_with_minutes(
            partnership.body, f"2023-0{i + 1}-10T10:00", tag=f"extra {i}"
        )
        Membership.objects.create(
            body=partnership.body,
            person=factories.person(f"Member{i}", initials="A"),
            representing=police,
        )
        resolution = Resolution.objects.filter(
            minute_item__minutes__meeting=meeting,
            minute_item__visibility=Visibility.PUBLIC,
        ).first()
        services.resolution_action_create(
            resolution=resolution,
            owner_organisation=police,
            due_date=dt.date(2023, 9, 1),
        )
        priority = priority_services.priority_add(agreement=version, name=f"Extra {i}")
        priority_services.lead_set(priority=priority, label=f"Extra lead {i}")
        agreement_factories.plan_action(priority, f"Extra action {i}")
        agreement_factories.agreement(
            slug=f"20{i}0-0{i}",
            start=f"20{i}0-04-01",
            end=f"20{i}1-03-31",
            status=Agreement.Status.SUPERSEDED,
        )


def test_query_counts_do_not_grow_with_the_data(
    client: Client, partnership: world.World
) -> None:
    urls = [f"/api/v1/{name}/" for name in ENDPOINTS]
    before = {url: queries(client, url) for url in urls}
    grow(partnership, 3)
    after = {url: queries(client, url) for url in urls}
    for url in urls:
        assert get(client, url)["count"] > 1, url
    assert after == before
    assert max(before.values()) <= 7


def test_a_list_is_counted_once(client: Client, partnership: world.World) -> None:
    """The count that makes the list's ETag is also the count of its pages."""
    with CaptureQueriesContext(connection) as ctx:
        first = get(client, "/api/v1/meetings/?page_size=1")
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    everything = get(client, "/api/v1/meetings/?page_size=200")["results"]
    assert first["count"] == len(everything) > 1
    assert first["next"] and len(first["results"]) == 1


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_list_is_counted_once_until_something_changes(
    client: Client, partnership: world.World, name: str
) -> None:
    url = f"/api/v1/{name}/"
    first = get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        again = get(client, url)
    assert again["count"] == first["count"]
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


# Description and guide --------------------------------------------------------


def test_openapi_description_lists_every_collection(client: Client, db: None) -> None:
    schema = get(client, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in schema["paths"]
        assert f"/api/v1/{name}/{{id}}/" in schema["paths"]
        listing = schema["paths"][f"/api/v1/{name}/"]["get"]
        params = {p["name"] for p in listing["parameters"]}
        assert {"updated_since", "page", "page_size"} <= params
        assert {"200", "304", "400", "404", "429"} <= set(listing["responses"])


def test_the_guide_page_explains_the_api(client: Client, db: None) -> None:
    response = client.get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB">' in page and "Skip to main content" in page
    assert "<h1>Open data API</h1>" in page
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in page
    assert "updated_since" in page and "Retry-After" in page
    assert "Popolo Organization" in page and "OCD Event" in page


def test_the_api_ignores_a_signed_in_session(
    client: Client, partnership: world.World, clerk: Any
) -> None:
    """Staff see drafts on the website, never through the API."""
    anonymous = get(client, "/api/v1/minute-items/?page_size=200")
    client.force_login(clerk)
    draft_page = client.get(partnership.draft_minuted.get_absolute_url())
    assert "SECRET draft paragraph" in draft_page.content.decode()
    response = client.get("/api/v1/minute-items/?page_size=200")
    assert world.SECRET not in response.content.decode()
    assert response.json() == anonymous


def test_strategic_assessments_with_their_documents(
    client: Client, partnership: world.World
) -> None:
    """Each district assessment: its partnership, year, priorities highest
    first and summary, and its document's public address when it has one;
    narrowed by `?partnership=` and `?year=`."""
    records = every_record(client, "strategic-assessments")
    assert [(r["partnership"]["slug"], r["year"]) for r in records] == [
        ("thanet", 2011),
        ("dover", 2010),
    ]
    dover = records[1]
    assert dover["priorities"] == ["Domestic Abuse", "ASB/Environmental"]
    assert dover["summary"] == "Domestic abuse rose most in the year."
    assert dover["web_url"] == "http://testserver/agreement/assessments/dover/2010/"
    document = dover["document"]
    assert document["url"] == (
        "http://testserver/agreement/assessments/dover/2010/"
        "dover-strategic-assessment-2010.pdf"
    )
    assert document["kind"] == "PDF" and document["size_bytes"] > 0
    assert records[0]["document"] is None
    downloaded = client.get(document["url"])
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content).startswith(b"%PDF")
    assert get(client, dover["url"])["year"] == 2010

    def slugs(query: str) -> list[str]:
        found = get(client, f"/api/v1/strategic-assessments/?{query}")["results"]
        return [r["partnership"]["slug"] for r in found]

    assert slugs("partnership=dover") == ["dover"]
    assert slugs("year=2011") == ["thanet"]
    assert slugs("year=2009") == []
    for bad in ("partnership=atlantis", "year=twenty", "year=100000"):
        response = client.get(f"/api/v1/strategic-assessments/?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["detail"].startswith("The query is not valid.")
