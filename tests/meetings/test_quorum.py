"""A body's quorum, checked from the attendance: a meeting that was not
quorate is shown as such on its page, in its minutes and their PDF, and no
resolution can be recorded there as decided."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Membership, Resolution, meeting_quorum
from meetings.models.bodies import validate_quorum
from tests import factories
from tests.helpers import text
from tests.meetings.minutes_factories import agenda, write
from tests.meetings.pdf_helpers import body_of, url, whole_text

pytestmark = pytest.mark.django_db


def _meeting(quorum: str, present: int, members: int = 6):
    """A meeting of `members` voting members (and one co-opted member, who
    does not count), `present` of them there, the rest sending apologies;
    minutes started with one item."""
    body = factories.body(quorum=quorum)
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    for n in range(members):
        role = "chair" if n == 0 else "member"
        person = factories.person(f"Member{n}", initials="A")
        Membership.objects.create(body=body, person=person, role=role)
    Membership.objects.create(
        body=body, person=factories.person("Coopted"), role="co_opted"
    )
    agenda(meeting, ["Community Safety Agreement refresh"])
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=51)
    rows = list(meeting.attendance.order_by("order"))
    for index, row in enumerate(rows):
        row.kind = (
            Attendance.Kind.PRESENT
            if index < present or row.person.surname == "Coopted"
            else Attendance.Kind.APOLOGIES
        )
        row.save()
    return meeting, minutes.items.get()


@pytest.mark.parametrize(
    ("quorum", "members", "needed"),
    [("3", 6, 3), ("1/3", 6, 2), ("1/4", 6, 2), ("1/2", 7, 4), ("1/3", 0, 1)],
)
def test_quorum_is_a_number_or_a_fraction_of_voting_members_rounded_up(
    quorum: str, members: int, needed: int
) -> None:
    body = factories.body(quorum=quorum)
    assert body.quorum_needed(members) == needed


@pytest.mark.parametrize("bad", ["a third", "0", "4/3", "1/0", "-1"])
def test_a_quorum_that_is_not_a_number_or_fraction_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        validate_quorum(bad)


def test_quorum_counts_voting_members_present_and_waits_for_attendance() -> None:
    meeting, _ = _meeting("1/2", present=2)
    quorum = meeting_quorum(meeting)
    # The co-opted member is there but not a voting member.
    assert (quorum.needed, quorum.present, quorum.voting) == (3, 2, 6)
    row = meeting.attendance.filter(kind=Attendance.Kind.APOLOGIES).first()
    row.kind = Attendance.Kind.NOT_RECORDED
    row.save()
    assert meeting_quorum(meeting) is None


def test_a_substitute_counts_for_the_quorum() -> None:
    meeting, _ = _meeting("3", present=2)
    assert not meeting_quorum(meeting).quorate
    absent = meeting.attendance.filter(kind=Attendance.Kind.APOLOGIES).first()
    Attendance.objects.create(
        meeting=meeting,
        person=factories.person("Standin"),
        kind=Attendance.Kind.SUBSTITUTE,
        substitute_for=absent.person,
        order=20,
    )
    assert meeting_quorum(meeting).quorate


def test_no_decision_or_vote_is_recorded_at_a_meeting_that_was_not_quorate() -> None:
    _, item = _meeting("3", present=2)
    with pytest.raises(ValidationError, match="was not quorate"):
        write(item, ["Debated."], "RESOLVED that it be agreed.", kind="agreed")
    write(item, ["Debated."], "RESOLVED that the report be noted.")
    resolution = item.resolutions.get()
    with pytest.raises(ValidationError, match="not quorate"):
        services.resolution_vote_count(
            resolution=resolution, votes_for=2, votes_against=0, abstained=0
        )


def test_minutes_deciding_at_an_inquorate_meeting_are_not_published() -> None:
    """Decided first, attendance recorded afterwards: publishing is refused."""
    meeting, item = _meeting("3", present=4)
    write(item, ["Debated."], "RESOLVED that it be agreed.", kind="agreed")
    meeting.attendance.filter(kind="present").exclude(
        person__surname__in=["Member0", "Coopted"]
    ).update(kind=Attendance.Kind.APOLOGIES)
    with pytest.raises(ValidationError, match="resolution of minute 51"):
        services.minutes_publish_draft(minutes=meeting.minutes)


def test_an_inquorate_meeting_cannot_approve_earlier_minutes() -> None:
    later, item = _meeting("3", present=1)
    earlier = factories.meeting(later.body, start="2022-01-20T10:00")
    agenda(earlier, ["Update"])
    minutes = services.minutes_start_from_agenda(meeting=earlier)
    write(item, [], "RESOLVED that the minutes be noted.")
    with pytest.raises(ValidationError, match="approving the minutes"):
        services.minutes_approve(minutes=minutes, resolution=item.resolutions.get())


def test_the_clerk_is_told_why_and_nothing_typed_is_lost(client: Client, clerk) -> None:
    meeting, item = _meeting("3", present=2)
    client.force_login(clerk)
    overview = text(
        client.get(
            reverse("meetings:minutes_draft", args=[meeting.body.slug, meeting.url_key])
        )
    )
    assert "Not quorate" in overview
    response = client.post(
        reverse(
            "meetings:minutes_item", args=[meeting.body.slug, meeting.url_key, item.pk]
        ),
        {
            "version": item.version,
            "title": item.title,
            "paragraph": ["Members debated the refresh at length."],
            "resolution": ["RESOLVED that the refresh be agreed."],
            "resolution_kind": ["agreed"],
            "resolution_to": [""],
            "action": "save",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "The meeting was not quorate (2 of the 6 voting members were" in page
    assert "Members debated the refresh at length." in page
    assert not Resolution.objects.exists()


def test_not_quorate_is_shown_on_the_meeting_the_minutes_and_the_pdf(
    client: Client,
) -> None:
    meeting, item = _meeting("3", present=2)
    write(item, ["Members were too few to decide."], "RESOLVED that it be noted.")
    # Not public while the minutes are a draft.
    assert "Not quorate" not in text(client.get(meeting.get_absolute_url()))
    services.minutes_publish_draft(minutes=meeting.minutes)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Not quorate.</strong> 2 of the 6 voting members were present" in page
    pdf = whole_text(body_of(client.get(url(meeting, "minutes_pdf"))))
    assert "Not quorate. 2 of the 6 voting members were present; the quorum is 3." in (
        " ".join(pdf.split())
    )


def test_a_quorate_meeting_says_nothing_of_it(client: Client) -> None:
    meeting, item = _meeting("3", present=3)
    write(item, ["Debated."], "RESOLVED that it be agreed.", kind="agreed")
    services.minutes_publish_draft(minutes=meeting.minutes)
    assert "quorate" not in text(client.get(meeting.get_absolute_url())).lower()
