import pytest
from django.test import Client
from django.urls import reverse

from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Membership
from tests import factories
from tests.helpers import queries_for, text, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_meeting() -> object:
    """A published agenda with a public item, an exempt item and their papers."""
    meeting = factories.meeting(start="2022-03-24T10:00")
    section = factories.section(meeting)
    public = factories.item(
        section,
        "Zero Casualty Strategy Update",
        presenter="Mr R McMullan",
        description="<p>Vision Zero delivery plans.</p><script>alert(1)</script>",
    )
    exempt = factories.item(
        section,
        "Domestic Homicide Review case progress",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.IDENTITY,
        description="<p>Case of the family at 12 Example Road.</p>",
    )
    factories.document(meeting, public, title="Vision Zero strategy")
    factories.document(
        meeting, public, title="Partner dashboard", visibility=Visibility.RESTRICTED
    )
    factories.document(meeting, exempt, title="Case progress report")
    services.agenda_publish(meeting=meeting)
    return meeting


def test_meeting_page_front_sheet_and_agenda(client: Client, published_meeting) -> None:
    body = text(client.get(published_meeting.get_absolute_url()))
    assert "Thursday, 24 March 2022, 10.00 am" in body
    assert "Darent Room, Sessions House, County Hall, Maidstone" in body
    assert "Ask for" in body and "Denise Fitch" in body and "01622 694269" in body
    assert "B1" in body and "Zero Casualty Strategy Update" in body
    assert "Presented by Mr R McMullan" in body
    assert "Vision Zero strategy" in body
    assert "<script>alert(1)</script>" not in body


def test_exempt_item_shows_only_its_title_and_paragraph(
    client: Client, published_meeting
) -> None:
    body = text(client.get(published_meeting.get_absolute_url()))
    read = words(client.get(published_meeting.get_absolute_url()))
    assert "Domestic Homicide Review case progress" in body
    assert (
        "Exempt: paragraph 2 of Part 1 of Schedule 12A to the Local Government Act 1972"
    ) in read
    assert "Exempt Exempt" not in read and "Exempt: Exempt" not in read
    assert "12 Example Road" not in body
    assert "Case progress report" not in body
    # Restricted papers are for signed-in partners only.
    assert "Partner dashboard" not in body


def test_staff_see_exempt_content_clearly_marked(
    client: Client, clerk, published_meeting
) -> None:
    client.force_login(clerk)
    body = text(client.get(published_meeting.get_absolute_url()))
    assert "12 Example Road" in body
    assert "Case progress report" in body
    assert "Not for publication" in body
    assert "This meeting in the clerk's workspace" in body.replace("&#x27;", "'")


def test_unpublished_agenda_shows_only_the_date(client: Client, clerk) -> None:
    meeting = factories.meeting(start="2027-03-18T10:00")
    factories.item(factories.section(meeting), "Draft item title")
    body = text(client.get(meeting.get_absolute_url()))
    assert "The agenda has not been published yet" in body
    assert "Draft item title" not in body
    client.force_login(clerk)
    body = text(client.get(meeting.get_absolute_url()))
    assert "Draft item title" in body
    assert "Draft agenda: not yet published" in body


def test_cancelled_meeting_tells_the_public(client: Client) -> None:
    meeting = factories.meeting()
    services.meeting_cancel(meeting=meeting, reason="The meeting was not quorate.")
    body = text(client.get(meeting.get_absolute_url()))
    assert "This meeting has been cancelled" in body
    assert "The meeting was not quorate." in body


@pytest.mark.parametrize(
    ("who", "restricted", "exempt", "public"),
    [
        (None, 404, 404, 200),
        ("partner", 200, 404, 200),
        ("clerk", 200, 200, 200),
    ],
)
def test_document_downloads_enforce_visibility(
    request: pytest.FixtureRequest,
    client: Client,
    published_meeting,
    who: str | None,
    restricted: int,
    exempt: int,
    public: int,
) -> None:
    if who:
        client.force_login(request.getfixturevalue(who))
    docs = {d.title: d for d in published_meeting.documents.all()}
    assert client.get(docs["Partner dashboard"].get_absolute_url()).status_code == (
        restricted
    )
    assert client.get(docs["Case progress report"].get_absolute_url()).status_code == (
        exempt
    )
    response = client.get(docs["Vision Zero strategy"].get_absolute_url())
    assert response.status_code == public
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_unpublished_paper_is_not_served(client: Client) -> None:
    meeting = factories.meeting()
    paper = factories.document(meeting, title="Draft report")
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_document_with_wrong_name_redirects_to_its_address(
    client: Client, published_meeting
) -> None:
    paper = published_meeting.documents.get(title="Vision Zero strategy")
    url = reverse("meetings:document", args=[paper.pk, "other.pdf"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


def test_committee_pages(client: Client) -> None:
    body = factories.body(
        "Crime and Disorder Committee",
        shows_political_groups=True,
        purpose="Scrutinises the partnership as a critical friend.",
    )
    hidden = factories.body("KCSP Working Group", is_public=False)
    tweed = factories.person("Tweed", initials="E M", title="Mrs")
    green = factories.person("Green", initials="E", title="Mrs")
    Membership.objects.create(
        body=body, person=tweed, role="chair", political_group="Conservative"
    )
    Membership.objects.create(body=body, person=green, political_group="Labour")
    factories.meeting(body, start="2011-07-08T14:00")
    listing = text(client.get(reverse("meetings:body_list")))
    assert "Crime and Disorder Committee" in listing
    assert "KCSP Working Group" not in listing
    page = text(client.get(body.get_absolute_url()))
    assert "Conservative (1)" in page and "Mrs E M Tweed (Chairman)" in page
    assert "Labour (1)" in page
    assert "critical friend" in page
    assert "Friday, 8 July 2011, 2.00 pm" in page
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_meeting_list_filters_and_pages(client: Client) -> None:
    kcsp = factories.body()
    cdc = factories.body("Crime and Disorder Committee")
    for month in range(1, 13):
        factories.meeting(kcsp, start=f"2015-{month:02d}-10T10:00")
    factories.meeting(cdc, start="2011-07-08T14:00")
    page = text(client.get(reverse("meetings:list"), {"body": cdc.slug}))
    assert "1 meeting" in page and "Friday, 8 July 2011" in page
    page = text(client.get(reverse("meetings:list"), {"year": "2015"}))
    assert "12 meetings" in page
    assert "Crime and Disorder Committee" not in page.split('<h2 id="results">')[1]
    bad = client.get(reverse("meetings:list"), {"year": "soon", "page": "x"})
    assert bad.status_code == 200
    assert "Enter a year as four digits, for example 2022." in text(bad)
    assert 'value="soon"' in text(bad)
    for day in range(1, 20):
        factories.meeting(kcsp, start=f"2016-01-{day:02d}T10:00")
    first = text(client.get(reverse("meetings:list"), {"body": kcsp.slug}))
    assert "Page 1 of 2 (31 in all)" in first
    assert "body=kent-community-safety-partnership&amp;page=2" in first
    second = text(client.get(reverse("meetings:list"), {"body": kcsp.slug, "page": 2}))
    assert "Page 2 of 2" in second


def _grow(meeting, items: int) -> None:
    section = factories.section(meeting)
    for n in range(items):
        item = factories.item(section, f"Item {n}")
        factories.document(meeting, item, title=f"Paper {n}")


def test_meeting_page_queries_do_not_grow_with_items(client: Client, clerk) -> None:
    small = factories.meeting(start="2022-03-24T10:00")
    large = factories.meeting(start="2022-06-24T10:00")
    _grow(small, 2)
    _grow(large, 30)
    for m in (small, large):
        services.agenda_publish(meeting=m)
    assert queries_for(client, small.get_absolute_url()) == queries_for(
        client, large.get_absolute_url()
    )
    client.force_login(clerk)
    assert queries_for(client, small.get_absolute_url()) == queries_for(
        client, large.get_absolute_url()
    )


def test_list_pages_queries_do_not_grow_with_meetings(client: Client) -> None:
    body = factories.body()
    urls = [
        reverse("meetings:list"),
        reverse("meetings:body_list"),
        body.get_absolute_url(),
        reverse("kcsp:home"),
    ]
    factories.meeting(body, start="2015-03-19T10:00")
    before = [queries_for(client, u) for u in urls]
    for year in range(2016, 2020):
        for month in (3, 6, 10):
            factories.meeting(body, start=f"{year}-{month:02d}-10T10:00")
    factories.body("Crime and Disorder Committee")
    after = [queries_for(client, u) for u in urls]
    assert before == after


@pytest.mark.parametrize(
    ("venue", "online", "place"),
    [
        ("", True, "Online"),
        ("Online", True, "Online"),
        ("Darent Room", True, "Darent Room and online"),
        ("Darent Room", False, "Darent Room"),
        ("", False, "Venue to be confirmed"),
    ],
)
def test_a_meeting_says_where_it_is_once(venue: str, online: bool, place: str) -> None:
    meeting = factories.meeting(venue=venue, online=online)
    assert meeting.place == place


def test_a_meetings_status_tells_agenda_and_minutes_apart(client: Client) -> None:
    """A meeting held years ago, recorded from its minutes, is not "agenda
    not yet published"; a coming one is."""
    from meetings import services
    from tests.meetings.minutes_factories import agenda, write

    body = factories.body()
    held = factories.meeting(body, start="2015-03-19T10:00")
    agenda(held, ["Notes"])
    minutes = services.minutes_start_from_agenda(meeting=held)
    write(minutes.items.get(), ["Members noted the report."])
    services.minutes_publish_draft(minutes=minutes)
    factories.meeting(body, start="2099-03-19T10:00")
    past = words(client.get(f"{body.get_absolute_url()}?year=2015"))
    assert "Thursday, 19 March 2015, 10.00 am Draft minutes published" in past
    coming = words(client.get(f"{body.get_absolute_url()}?year=2099"))
    assert "Agenda not yet published" in coming
    assert "Minutes to follow" not in coming
