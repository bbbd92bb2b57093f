"""Site search: what each audience finds, filters, paging and the index."""

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreement.models import Agreement
from dhr import services as dhr_services
from dhr.models import PublishedDocument
from kcsp.models import SearchEntry
from kcsp.search import query
from kcsp.search.filters import SearchFilter
from kcsp.search.index import index_rebuild
from kcsp.visibility import Audience, ExemptParagraph, Visibility
from meetings import services
from meetings.models import Document, Minutes
from priorities import services as priority_services
from tests import factories
from tests.agreement import factories as agreement_factories
from tests.dhr import factories as dhr_factories
from tests.helpers import queries_for, text
from tests.meetings.minutes_factories import agenda, write

pytestmark = pytest.mark.django_db

SEARCH = reverse("kcsp:search")


def text_pdf(*paragraphs: str) -> bytes:
    """A real PDF with a text layer, made by WeasyPrint."""
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(string=f"<html lang='en-GB'><body>{body}</body></html>").write_pdf()


def paper(meeting: Any, item: Any, title: str, words: str, **kw: Any) -> Document:
    return services.document_add(
        meeting=meeting,
        item=item,
        upload=io.BytesIO(text_pdf(words)),
        name="report.pdf",
        title=title,
        **kw,
    )


def found(client: Client, words: str, **params: Any) -> str:
    response = client.get(SEARCH, {"q": words, **params})
    assert response.status_code == 200
    return text(response)


def result_titles(page: str) -> list[str]:
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', page)


def result_urls(page: str) -> list[str]:
    return re.findall(r'class="search-result__title"><a href="([^"]*)"', page)


def minutes_with(
    start: str, title: str, paragraph: str, *, publish: bool = True, **item_kw: Any
) -> Minutes:
    meeting = factories.meeting(start=start)
    factories.item(factories.section(meeting), title, **item_kw)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(), [paragraph], "RESOLVED that the report be noted.")
    if publish:
        services.minutes_publish_draft(minutes=minutes)
    return minutes


@pytest.fixture
def minutes_three_ways() -> dict[str, Minutes]:
    """Published minutes, draft (staff only) minutes and an exempt minute."""
    return {
        "published": minutes_with(
            "2022-03-24T10:00",
            "Violence Against Women and Girls",
            "Members heard that the Safer Streets bid funded lighting in Dover.",
        ),
        "draft": minutes_with(
            "2022-07-14T10:00",
            "Community Warden Scheme",
            "The clerk noted that warden patrols in Thanet would be reviewed.",
            publish=False,
        ),
        "exempt": minutes_with(
            "2022-11-17T10:00",
            "Case review",
            "The family of the victim asked for the hearing to be private.",
            visibility=Visibility.EXEMPT,
            exempt_paragraph=ExemptParagraph.INDIVIDUAL,
        ),
    }


# What each audience finds ---------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_finds_published_minutes_never_drafts_or_exempt_items(
    client: Client, minutes_three_ways: dict[str, Minutes], partner: Any, who: str
) -> None:
    if who == "partner":
        client.force_login(partner)
    page = found(client, '"Safer Streets bid"')
    assert "Minute 1: Violence Against Women and Girls" in result_titles(page)
    item = minutes_three_ways["published"].items.get()
    assert item.get_absolute_url() in result_urls(page)
    assert "<mark>Safer</mark> <mark>Streets</mark> <mark>bid</mark>" in page or (
        "<mark>Safer Streets bid</mark>" in page
    )
    assert "subject to approval" in page

    draft = found(client, "warden patrols Thanet")
    assert result_titles(draft) == []
    assert "Nothing matches" in draft

    exempt = found(client, "family of the victim")
    assert result_titles(exempt) == []
    assert "hearing to be private" not in exempt


def test_exempt_minutes_never_reach_the_index(
    minutes_three_ways: dict[str, Minutes],
) -> None:
    assert not SearchEntry.objects.filter(text__contains="family of the victim")
    call_command("search_index")
    assert not SearchEntry.objects.filter(text__contains="family of the victim")


def test_publishing_or_staff_access_changes_what_is_found_at_once(
    client: Client, minutes_three_ways: dict[str, Minutes], clerk: Any
) -> None:
    client.force_login(clerk)
    staff = found(client, "warden patrols Thanet")
    assert "Minute 2: Community Warden Scheme" in result_titles(staff)
    assert "draft minutes, not published" in staff
    client.logout()
    assert result_titles(found(client, "warden patrols Thanet")) == []
    services.minutes_publish_draft(minutes=minutes_three_ways["draft"])
    assert "Minute 2: Community Warden Scheme" in result_titles(
        found(client, "warden patrols Thanet")
    )


def test_decisions_are_found_and_link_to_their_minute(
    client: Client, minutes_three_ways: dict[str, Minutes]
) -> None:
    item = minutes_three_ways["published"].items.get()
    write(item, ["Lighting."], "RESOLVED that", parts=["the bid be supported"])
    page = found(client, "bid be supported", kind="decisions")
    assert result_urls(page) == [item.get_absolute_url()]
    assert "Decisions" in page


def test_exempt_agenda_item_is_found_by_title_and_reason_only(client: Client) -> None:
    meeting = factories.meeting()
    section = factories.section(meeting)
    factories.item(
        section,
        "Domestic Homicide Review case progress",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.IDENTITY,
        description="<p>Case of the family at 12 Example Road.</p>",
    )
    factories.item(
        section,
        "Zero Casualty Strategy Update",
        description="<p>Vision Zero delivery plans.</p><script>alert(1)</script>",
    )
    assert result_titles(found(client, "case progress")) == []  # not published
    services.agenda_publish(meeting=meeting)
    page = found(client, "case progress")
    assert result_titles(page) == ["Item B1: Domestic Homicide Review case progress"]
    assert "Exempt: paragraph 2" in page
    assert result_titles(found(client, "Example Road")) == []
    assert not SearchEntry.objects.filter(text__contains="Example Road")
    public = found(client, "delivery plans")
    assert result_urls(public) == [f"{meeting.get_absolute_url()}#item-B2"]
    assert "alert(1)" not in SearchEntry.objects.get(title__contains="Zero").text


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_papers_text_found_but_never_restricted_or_exempt_papers(
    client: Client, partner: Any, who: str
) -> None:
    meeting = factories.meeting()
    section = factories.section(meeting)
    public_item = factories.item(section, "Community Safety Agreement refresh")
    exempt_item = factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    report = paper(
        meeting, public_item, "Agreement refresh report", "Knife crime rose in Medway."
    )
    paper(
        meeting,
        public_item,
        "Partner dashboard",
        "Burglary hotspots in Tunbridge Wells.",
        visibility=Visibility.RESTRICTED,
    )
    paper(meeting, exempt_item, "Case chronology", "Chronology of agency contacts.")
    services.agenda_publish(meeting=meeting)
    if who == "partner":
        client.force_login(partner)
    page = found(client, "knife crime Medway")
    assert result_urls(page) == [report.get_absolute_url()]
    assert "item B1: Community Safety Agreement refresh" in page
    assert result_titles(found(client, "burglary hotspots")) == []
    assert result_titles(found(client, "agency contacts")) == []
    assert not SearchEntry.objects.filter(text__icontains="hotspots")
    assert not SearchEntry.objects.filter(text__icontains="chronology")


def test_paper_made_restricted_leaves_the_index(client: Client) -> None:
    meeting = factories.meeting()
    item = factories.item(factories.section(meeting), "Strategic assessment")
    report = paper(meeting, item, "Assessment", "Rural crime in Ashford increased.")
    services.agenda_publish(meeting=meeting)
    assert result_titles(found(client, "rural crime Ashford"))
    report.visibility = Visibility.RESTRICTED
    report.save()
    assert result_titles(found(client, "rural crime Ashford")) == []
    assert not SearchEntry.objects.filter(source="meetings.document")


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_priorities_of_draft_agreements_are_not_found(
    client: Client, partner: Any, who: str
) -> None:
    approved = agreement_factories.agreement()
    priority_services.priority_add(
        agreement=approved,
        name="Road Safety",
        description="Killed and seriously injured casualties on Kent roads.",
    )
    draft = agreement_factories.agreement(
        slug="2014-15",
        start="2014-04-01",
        end="2015-03-31",
        status=Agreement.Status.DRAFT,
    )
    priority_services.priority_add(
        agreement=draft,
        name="Modern Slavery",
        description="Exploitation of workers in car washes.",
    )
    if who == "partner":
        client.force_login(partner)
    page = found(client, "seriously injured casualties")
    assert result_titles(page) == ["Priority: Road Safety"]
    assert result_urls(page) == [reverse("priorities:detail", args=["road-safety"])]
    assert result_titles(found(client, "car washes")) == []
    assert result_titles(found(client, "modern slavery")) == []


def _summary(case: Any, words: str) -> PublishedDocument:
    return dhr_services.document_upload(
        case=case,
        by=dhr_factories._coordinator(),
        kind=PublishedDocument.Kind.EXECUTIVE_SUMMARY,
        upload=io.BytesIO(text_pdf(words)),
        name="executive-summary.pdf",
    )


@pytest.mark.parametrize("who", ["anonymous", "partner", "dhr_coordinator"])
def test_only_published_reviews_not_taken_down_are_found(
    client: Client, partner: Any, dhr_coordinator: Any, who: str
) -> None:
    published = dhr_factories.published_case("Juniper", 2025)
    _summary(published, "The panel found missed chances to share the risk.")
    unpublished = dhr_factories.approved_case(pseudonym="Willow", year=2024)
    _summary(unpublished, "Willow had moved between three refuges.")
    taken_down = dhr_factories.published_case(
        "Hazel", 2019, published_on=dt.date(2020, 1, 6)
    )
    _summary(taken_down, "Hazel had contacted her housing officer twice.")
    taken_down.takedown_on = dt.date(2021, 1, 6)
    dhr_services.case_save(case=taken_down)
    if who != "anonymous":
        client.force_login(partner if who == "partner" else dhr_coordinator)

    page = found(client, "Juniper")
    assert "Domestic Homicide Review: Juniper 2025" in result_titles(page)
    assert published.get_absolute_url() in result_urls(page)
    summary = found(client, "missed chances")
    assert result_titles(summary) == [
        "Domestic Homicide Review: Juniper 2025, executive summary"
    ]
    for words in ["Willow", "three refuges", "Hazel", "housing officer"]:
        assert result_titles(found(client, words)) == [], words
    assert not SearchEntry.objects.filter(text__icontains="refuges")
    assert dhr_factories.NARRATIVE not in " ".join(
        SearchEntry.objects.values_list("text", flat=True)
    )


def test_a_review_is_not_found_from_the_day_it_is_taken_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The visibility rules are compiled once a day in each process: the
    day after a search, the next day's rules apply."""
    today = timezone.localdate()
    case = dhr_factories.published_case("Rowan", 2024, published_on=today)
    case.takedown_on = today + dt.timedelta(days=1)
    dhr_services.case_save(case=case)
    assert result_titles(found(client, "Rowan")) == [
        "Domestic Homicide Review: Rowan 2024"
    ]
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + dt.timedelta(days=1))
    assert result_titles(found(client, "Rowan")) == []


# Filters and pages ----------------------------------------------------------------


def test_filters_by_body_dates_and_kind(client: Client) -> None:
    board = factories.body()
    committee = factories.body("Crime and Disorder Committee")
    for body, start in [(board, "2021-11-18T10:00"), (committee, "2022-06-07T10:00")]:
        meeting = factories.meeting(body, start=start)
        factories.item(factories.section(meeting), "Hate crime update")
        services.agenda_publish(meeting=meeting)
        minutes = services.minutes_start_from_agenda(meeting=meeting)
        write(minutes.items.get(), ["Hate crime reports rose."])
        services.minutes_publish_draft(minutes=minutes)

    everything = found(client, "hate crime")
    assert "4 results" in everything
    by_body = found(client, "hate crime", body=committee.slug)
    assert "2 results" in by_body
    assert "Crime and Disorder Committee, 7 June 2022" in by_body
    assert "18 November 2021" not in by_body
    by_date = found(client, "hate crime", date_from="01/01/2022", date_to="31/12/2022")
    assert "2 results" in by_date and "7 June 2022" in by_date
    by_kind = found(client, "hate crime", kind="agenda")
    assert "2 results" in by_kind
    assert all(t.startswith("Item B1") for t in result_titles(by_kind))
    both = found(client, "hate crime", kind=["agenda", "minutes"], body=board.slug)
    assert "2 results" in both


def test_pages_of_results(client: Client) -> None:
    meeting = factories.meeting()
    items = agenda(meeting, ["Anti-social behaviour"])
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(), [f"Graffiti report number {n}." for n in range(25)])
    services.minutes_publish_draft(minutes=minutes)
    assert items

    first = found(client, "graffiti")
    assert "25 results" in first
    assert len(result_titles(first)) == 20
    assert "page=2" in first
    second = found(client, "graffiti", page=2)
    assert len(result_titles(second)) == 5
    assert 'start="21"' in second
    assert len(result_titles(found(client, "graffiti", page=99))) == 5
    assert len(result_titles(found(client, "graffiti", page="abc"))) == 20
    # Past the end by more than any database integer holds: the last page.
    for page in ("9223372036854775807", "9223372036854775808", "9" * 5000):
        last = found(client, "graffiti", page=page)
        assert 'start="21"' in last and len(result_titles(last)) == 5


def test_results_beyond_those_ranked_are_told_one_way(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When more match than are ranked, the heading and the pages agree:
    more than the number ranked, the newest of them listed."""
    monkeypatch.setattr(query, "CANDIDATES", 22)
    meeting = factories.meeting()
    agenda(meeting, ["Anti-social behaviour"])
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(), [f"Graffiti report number {n}." for n in range(25)])
    services.minutes_publish_draft(minutes=minutes)
    page = " ".join(re.sub(r"<[^>]+>", " ", found(client, "graffiti")).split())
    assert "More than 22 results" in page
    assert "Page 1 of 2 (the newest 22 listed)" in page
    assert "in all" not in page


def test_empty_and_invalid_input_gets_a_clear_message(client: Client) -> None:
    assert "Enter a word or phrase to search for" in found(client, "   ")
    assert "Enter a word or phrase" not in text(client.get(SEARCH))
    too_long = found(client, "x" * 201)
    assert "There is a problem" in too_long and "200 characters or fewer" in too_long
    assert "<title>Error:" in too_long
    bad_date = found(client, "crime", date_from="31/02/2022")
    assert "Enter a date like 24/03/2022" in bad_date
    backwards = found(client, "crime", date_from="01/02/2022", date_to="01/01/2022")
    assert "The end date must be on or after the start" in backwards
    assert "Choose from the kinds listed" in found(client, "crime", kind="secret")
    assert "Choose a committee or board" in found(client, "crime", body="nope")


def test_a_body_whose_meetings_are_not_published_is_not_offered(
    client: Client,
) -> None:
    factories.body("Tasking Group", is_public=False)
    factories.body()
    page = text(client.get(SEARCH))
    assert "Kent Community Safety Partnership" in page
    assert "Tasking Group" not in page
    assert "Choose a committee or board" in found(client, "x", body="tasking-group")


ODD = [
    "'",
    '"',
    '""',
    "-",
    "or",
    "!!! & | <->",
    "a:*",
    "\x00nul",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
    "(()",
    "🙂 emoji",
    "ﬁ ligature",
    "x" * 200,
]


@pytest.mark.parametrize("words", ODD)
def test_odd_words_never_fail(
    client: Client, minutes_three_ways: dict[str, Minutes], words: str
) -> None:
    response = client.get(SEARCH, {"q": words, "page": "-1"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text(response).split("</form>", 1)[1]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    words=st.text(max_size=60),
    page=st.text(max_size=6),
    date_from=st.text(max_size=12),
)
def test_any_input_gets_a_page(
    client: Client, minutes_three_ways: Any, words: str, page: str, date_from: str
) -> None:
    response = client.get(SEARCH, {"q": words, "page": page, "date_from": date_from})
    assert response.status_code == 200


# Cost and the index ---------------------------------------------------------------


def _grow(count: int, offset: int) -> None:
    """`count` meetings with published agendas, minutes and a paper each."""
    for n in range(count):
        day = dt.date(2019, 1, 7) + dt.timedelta(days=7 * (n + offset))
        meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
        item = factories.item(factories.section(meeting), f"Street lighting {n}")
        paper(meeting, item, f"Lighting report {n}", "Street lighting survey.")
        services.agenda_publish(meeting=meeting)
        minutes = services.minutes_start_from_agenda(meeting=meeting)
        write(minutes.items.get(), ["Street lighting was discussed."], "RESOLVED.")
        services.minutes_publish_draft(minutes=minutes)


def test_search_page_query_count_does_not_grow_with_results(
    client: Client, settings: Any
) -> None:
    """The body and partnership choices, the candidates, the ranked page,
    its snippets and the links of its results: never one per result."""
    settings.FRAGMENT_CACHE_SECONDS = 0
    url = f"{SEARCH}?q=street+lighting"
    # On PostgreSQL the candidates are read in a transaction of their own:
    # the newest entries are looked at, then one statement finds them.
    most = 6 + (5 if connection.vendor == "postgresql" else 0)
    _grow(2, 0)
    small = queries_for(client, url)
    _grow(10, 2)
    page = text(client.get(url))
    assert len(result_titles(page)) == 20
    assert "48 results" in page
    assert queries_for(client, url) <= small <= most
    assert queries_for(client, f"{url}&page=3") <= most
    assert queries_for(client, f"{url}&date_from=01/01/2019") <= most


@pytest.mark.parametrize(
    ("extra", "narrowed"),
    [
        ({}, False),
        ({"date_from": "01/01/2020"}, True),
        ({"kind": "minutes"}, True),
        ({"date_from": "not a date"}, False),
    ],
)
def test_a_search_knows_whether_more_than_its_words_narrow_it(
    rf: Any, extra: dict[str, str], narrowed: bool
) -> None:
    """Which way the candidates are found depends on it (see
    `query._candidate_ids`)."""
    request = rf.get(SEARCH, {"q": "street lighting", **extra})
    request.user = AnonymousUser()
    found = SearchFilter(
        request.GET, queryset=SearchEntry.objects.all(), request=request
    )
    assert found.narrowed is narrowed


def test_results_are_kept_for_each_audience_until_anything_changes(
    client: Client, minutes_three_ways: dict[str, Minutes], clerk: Any
) -> None:
    """A repeated search reads no entries, for the public and for a
    signed-in reader alike; what each audience finds stays its own, and a
    publication is found at once."""
    staff = Client()
    staff.force_login(clerk)
    url = f"{SEARCH}?q=warden+patrols+Thanet"
    public_first = found(client, "warden patrols Thanet")
    staff_first = found(staff, "warden patrols Thanet")
    assert result_titles(public_first) == []
    assert "Minute 2: Community Warden Scheme" in result_titles(staff_first)

    # The content version and the choices of committee only.
    assert queries_for(client, url) <= 2
    # + the session, the user and the roles that make their audience.
    assert queries_for(staff, url) <= 2 + 5
    assert found(client, "warden patrols Thanet") == public_first
    assert result_titles(found(staff, "warden patrols Thanet")) == result_titles(
        staff_first
    )

    services.minutes_publish_draft(minutes=minutes_three_ways["draft"])
    assert "Minute 2: Community Warden Scheme" in result_titles(
        found(client, "warden patrols Thanet")
    )


def test_index_follows_edits_and_deletions(client: Client) -> None:
    minutes = minutes_with(
        "2022-03-24T10:00", "Prevent", "The Prevent duty training reached 400 staff."
    )
    item = minutes.items.get()
    write(item, ["Channel panel referrals were reviewed."], "RESOLVED.")
    assert result_titles(found(client, "Prevent duty training")) == []
    assert result_titles(found(client, "Channel panel referrals"))
    meeting = minutes.meeting
    meeting.start = meeting.start.replace(year=2023)
    meeting.save()
    assert "24 March 2023" in found(client, "Channel panel referrals")
    assert SearchEntry.objects.filter(date=dt.date(2023, 3, 24)).count() == 3
    assert not SearchEntry.objects.filter(date=dt.date(2022, 3, 24))
    services.minute_item_delete(item=item)
    assert not SearchEntry.objects.filter(source__startswith="meetings.paragraph")
    assert not SearchEntry.objects.filter(source="meetings.resolution")


def test_rebuild_command_restores_and_prunes_the_index(
    minutes_three_ways: dict[str, Minutes],
) -> None:
    before = set(SearchEntry.objects.values_list("source", "object_id", "text"))
    SearchEntry.objects.filter(source="meetings.paragraph").delete()
    SearchEntry.objects.create(source="meetings.paragraph", object_id=999_999)
    out = io.StringIO()
    call_command("search_index", "--source", "meetings.paragraph", stdout=out)
    assert "meetings.paragraph: 2 entries" in out.getvalue()
    assert set(SearchEntry.objects.values_list("source", "object_id", "text")) == (
        before
    )
    SearchEntry.objects.all().delete()
    call_command("search_index", stdout=io.StringIO())
    assert set(SearchEntry.objects.values_list("source", "object_id", "text")) == (
        before
    )
    with pytest.raises(CommandError, match="No search source called nope"):
        call_command("search_index", "--source", "nope")


def test_rebuild_reports_each_source() -> None:
    counts = index_rebuild()
    assert set(counts) >= {
        "meetings.paragraph",
        "meetings.resolution",
        "meetings.agenda_item",
        "meetings.document",
        "priorities.priority",
        "dhr.review",
        "dhr.summary",
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The GIN index exists on PostgreSQL only"
)
def test_postgresql_uses_the_gin_index() -> None:
    SearchEntry.objects.bulk_create(
        SearchEntry(
            source="bench.paragraph",
            object_id=n,
            kind="minutes",
            title=f"Minute {n}",
            text=f"Members noted report {n} on road safety and street lighting. " * 8,
            date=dt.date(2020, 1, 1) + dt.timedelta(days=n % 900),
        )
        for n in range(20_000)
    )
    SearchEntry.objects.create(
        source="bench.paragraph",
        object_id=99_999,
        kind="minutes",
        text="Cuckooing of vulnerable adults by county lines gangs.",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kcsp_searchentry")
    matches = query.matching(SearchEntry.objects.all(), "cuckooing")
    plan = matches.explain()
    assert "searchentry_vector_gin" in plan, plan
    assert matches.count() == 1
    candidates = matches.order_by(*query.NEWEST_FIRST).values("id")
    page_plan = candidates[: query.CANDIDATES].explain()
    assert "searchentry_vector_gin" in page_plan, page_plan
    visible = query.visible_entries(audience=Audience.PUBLIC)
    ranked = query.search_page(entries=query.matching(visible, "lighting"), words="x")
    assert ranked.total == 0  # bench rows belong to no source anyone may see


def test_a_rebuild_removes_entries_whose_rows_are_gone_and_keeps_the_rest() -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Serious violence duty")
    services.agenda_publish(meeting=meeting)
    index_rebuild()
    kept = SearchEntry.objects.filter(source="meetings.agenda_item").count()
    assert kept >= 1
    SearchEntry.objects.create(
        source="meetings.agenda_item",
        object_id=10**9,
        kind="agenda",
        title="Left behind by a deleted item",
        text="",
    )
    index_rebuild()
    assert not SearchEntry.objects.filter(object_id=10**9).exists()
    assert SearchEntry.objects.filter(source="meetings.agenda_item").count() == kept
