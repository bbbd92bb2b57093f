"""The demo's four district partnerships, as their readers and clerks meet
them: each partnership's page, its board's minutes, the 2025 matrix and a
district clerk's workspace."""

import datetime as dt
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreement.models import Agreement
from agreement.selectors import assessment_matrix
from demo.districts import DISTRICT_PEOPLE, DISTRICTS
from kcsp.formatting import long_date
from kcsp.models import Action
from kcsp.visibility import Audience
from meetings.models import Attendance, Body, Meeting, Minutes

pytestmark = pytest.mark.django_db

SLUGS = ["dover", "thanet", "maidstone", "tunbridge-wells"]
BOARDS = {
    "dover": "Dover Community Safety Partnership Board",
    "thanet": "Thanet Community Safety Partnership Board",
    "maidstone": "Maidstone Community Safety Partnership Board",
    "tunbridge-wells": "Tunbridge Wells Community Safety Partnership Board",
}


@pytest.fixture
def demo() -> None:
    call_command("load_demo", force=True, stdout=io.StringIO())


def words(response: object) -> str:
    """The page's text as a reader sees it: tags gone, spaces collapsed."""
    content = response.content.decode()  # type: ignore[attr-defined]
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def _board(slug: str) -> Body:
    return Body.objects.get(partnership__slug=slug)


def _meetings(slug: str) -> list[Meeting]:
    return list(_board(slug).meetings.order_by("start"))


def test_each_district_page_shows_its_own_board_meetings_and_actions(
    demo, client: Client
) -> None:
    today = timezone.localdate()
    for slug in SLUGS:
        page = words(client.get(f"/partnerships/{slug}/"))
        first, second, coming = _meetings(slug)
        assert BOARDS[slug] in page
        # The coming meeting, four to eight weeks ahead, under "Upcoming".
        assert dt.timedelta(weeks=4) <= coming.date - today <= dt.timedelta(weeks=8)
        upcoming = page.split("Upcoming meetings", 1)[1].split("Recent meetings")[0]
        assert long_date(coming.date) in upcoming
        recent = page.split("Recent meetings", 1)[1]
        assert long_date(second.date) in recent and long_date(first.date) in recent
        actions = Action.objects.filter(partnership__slug=slug)
        assert actions.count() == 4
        for action in actions:
            assert action.title in page, (slug, action.title)
        for other in SLUGS:
            if other == slug:
                continue
            assert BOARDS[other] not in page, (slug, other)
            for action in Action.objects.filter(partnership__slug=other):
                # Boards share some wording; a title of theirs alone is theirs.
                if not Action.objects.filter(
                    partnership__slug=slug, title=action.title
                ).exists():
                    assert action.title not in page, (slug, action.title)


def test_each_district_page_links_to_its_own_strategic_assessments(
    demo, client: Client
) -> None:
    for slug in SLUGS:
        page = client.get(f"/partnerships/{slug}/").content.decode()
        section = page.split('id="partnership-assessments-title"', 1)[1]
        section = section.split("</section>", 1)[0]
        newest = reverse("agreement:assessment", args=[slug, 2025])
        oldest = reverse("agreement:assessment", args=[slug, 2010])
        assert section.index(newest) < section.index(oldest), slug
        assert "2025 strategic assessment" in section
        assert "the assessment document" in section
        for other in SLUGS:
            if other != slug:
                assert f"/assessments/{other}/" not in section, (slug, other)
        opened = words(client.get(newest))
        assert "2025" in opened and BOARDS[slug].removesuffix(" Board") in opened
    # A partnership with no assessment has no such section.
    county = client.get("/partnerships/kent/").content.decode()
    assert "partnership-assessments-title" not in county


def test_district_minutes_are_published_approved_and_attended(
    demo, client: Client
) -> None:
    for district in DISTRICTS:
        first, second, coming = _meetings(district.slug)
        for meeting in (first, second):
            assert meeting.status == Meeting.Status.HELD
            assert meeting.agenda_published_at < meeting.start
            attendance = Attendance.objects.filter(meeting=meeting)
            assert attendance.count() == len(DISTRICT_PEOPLE[district.slug])
            assert not attendance.filter(kind=Attendance.Kind.NOT_RECORDED).exists()
            (paper,) = meeting.documents.all()
            assert paper.file.read(5) == b"%PDF-"
        approved = Minutes.objects.get(meeting=first)
        assert approved.status == Minutes.Status.APPROVED
        assert approved.approved_by.minute_item.minutes.meeting == second
        assert Minutes.objects.get(meeting=second).status == (
            Minutes.Status.PUBLISHED_DRAFT
        )
        assert coming.agenda_published_at is not None
        assert coming.start > timezone.now()
        assert not Minutes.objects.filter(meeting=coming).exists()

        page = words(client.get(first.get_absolute_url()))
        assert (
            "the partnership agreed its priorities from the 2025 strategic "
            f"assessment, highest first: {'; '.join(district.priorities)}." in page
        )
        assert f"Minutes of meeting held on {long_date(first.date)}" in words(
            client.get(second.get_absolute_url())
        )


def test_the_2025_matrix_shows_the_four_districts_and_the_rest_missing(
    demo, client: Client
) -> None:
    current = Agreement.objects.current().get()
    round_ = current.assessment_rounds.get(year=2025)
    matrix = assessment_matrix(round_=round_, audience=Audience.PUBLIC)
    assert {c.partnership.slug for c in matrix.assessed} == set(SLUGS)
    assert len(matrix.missing) == 7
    counts = matrix.counts()
    assert counts["Domestic Abuse"] == 4
    assert counts["ASB/Environmental"] == 3
    assert counts["Burglary"] == 1 and counts["Offenders/Re-offending"] == 0
    dover = next(c for c in matrix.columns if c.partnership.slug == "dover")
    assert dover.assessment.rank_of("Vulnerable Adults") == 4

    page = words(client.get(current.get_absolute_url()))
    assert "strategic assessments, 2025/26" in page
    assert "for 2025 (completed during 2025): 4 of 11 partnerships' assessments" in page
    assert "No strategic assessment for 2025 is recorded for: Ashford" in page


def test_a_dover_clerk_runs_dovers_board_and_cannot_open_thanets(demo) -> None:
    clerk = Client()
    clerk.force_login(get_user_model().objects.get(username="clerk-dover"))

    def pages(slug: str) -> list[str]:
        board = _board(slug)
        urls = [
            reverse("manage:year", args=[board.slug]),
            reverse("manage:members", args=[board.slug]),
            reverse("manage:meeting_new", args=[board.slug]),
        ]
        for meeting in board.meetings.all():
            key = [board.slug, meeting.url_key]
            urls += [
                reverse("manage:meeting", args=key),
                reverse("manage:agenda", args=key),
                reverse("manage:declarations", args=key),
                reverse(
                    "manage:item", args=[*key, meeting.items.order_by("pk").first().pk]
                ),
            ]
            if meeting.status == Meeting.Status.HELD:
                urls.append(reverse("meetings:minutes_draft", args=key))
        return urls

    for url in pages("dover"):
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert "Dover Community Safety Partnership Board" in words(response), url
    thanet = Meeting.objects.filter(body__partnership__slug="thanet")
    for url in pages("thanet"):
        response = clerk.get(url)
        assert response.status_code == 404, url
        page = words(response)
        assert "Thanet" not in page, url
        for meeting in thanet:
            assert long_date(meeting.date) not in page, url
    dashboard = words(clerk.get(reverse("manage:dashboard")))
    assert "Dover Community Safety Partnership Board" in dashboard
    assert "Thanet Community Safety Partnership Board" not in dashboard
