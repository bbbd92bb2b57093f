"""Recorded votes: counted or named, entered by the clerk without JavaScript,
shown with the minutes on the page, in the PDF and in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Membership, NamedVote, Resolution
from tests import factories
from tests.helpers import text
from tests.meetings.minutes_factories import agenda, write
from tests.meetings.pdf_helpers import body_of, url, whole_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting():
    """A meeting of five members: three present, one substitute, one sending
    apologies; one minute with an agreed resolution."""
    body = factories.body()
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    people = {
        name: factories.person(name, initials=initials)
        for name, initials in [
            ("Hill", "P M"),
            ("Rivers", "A"),
            ("Carter", "J"),
            ("Dance", "M"),
            ("Elenor", "S"),
        ]
    }
    for person in list(people.values())[:4]:
        Membership.objects.create(body=body, person=person, role="member")
    agenda(meeting, ["Community Safety Agreement refresh"])
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=51)
    kinds = {
        "Hill": Attendance.Kind.PRESENT,
        "Rivers": Attendance.Kind.PRESENT,
        "Carter": Attendance.Kind.PRESENT,
        "Dance": Attendance.Kind.APOLOGIES,
    }
    for row in meeting.attendance.select_related("person"):
        row.kind = kinds[row.person.surname]
        row.save()
    Attendance.objects.create(
        meeting=meeting,
        person=people["Elenor"],
        kind=Attendance.Kind.SUBSTITUTE,
        substitute_for=people["Dance"],
        order=9,
    )
    item = minutes.items.get()
    write(
        item,
        ["Members debated the refresh."],
        "RESOLVED that the refreshed priorities be agreed.",
        kind=Resolution.Kind.AGREED,
    )
    return meeting, item.resolutions.get(), people


def _vote_url(meeting, resolution) -> str:
    return reverse(
        "manage:vote", args=[meeting.body.slug, meeting.url_key, resolution.pk]
    )


def test_counts_are_no_more_than_the_members_present(voting) -> None:
    _meeting, resolution, _ = voting
    with pytest.raises(ValidationError, match="5 votes were counted, but only 4"):
        services.resolution_vote_count(
            resolution=resolution, votes_for=3, votes_against=1, abstained=1
        )
    services.resolution_vote_count(
        resolution=resolution, votes_for=2, votes_against=1, abstained=1
    )
    resolution.refresh_from_db()
    assert (resolution.vote, resolution.votes_for, resolution.votes_against) == (
        "counted",
        2,
        1,
    )


def test_named_votes_only_by_members_present(voting) -> None:
    _meeting, resolution, people = voting
    with pytest.raises(ValidationError, match="not recorded as present: Mr M Dance"):
        services.resolution_vote_name(
            resolution=resolution,
            votes={people["Hill"]: "for", people["Dance"]: "against"},
        )
    services.resolution_vote_name(
        resolution=resolution,
        votes={
            people["Hill"]: "for",
            people["Elenor"]: "for",
            people["Rivers"]: "against",
        },
    )
    resolution.refresh_from_db()
    assert (resolution.votes_for, resolution.votes_against) == (2, 1)
    assert resolution.votes_abstained == 0
    # A counted vote afterwards replaces the names.
    services.resolution_vote_count(
        resolution=resolution, votes_for=3, votes_against=0, abstained=0
    )
    assert not NamedVote.objects.exists()


def test_approved_minutes_keep_their_votes(voting) -> None:
    meeting, resolution, _ = voting
    minutes = meeting.minutes
    minutes.status = "approved"
    minutes.approved_by = resolution
    minutes.save()
    with pytest.raises(
        ValidationError, match="are approved, so they cannot be changed"
    ):
        services.resolution_vote_clear(resolution=resolution)


def test_clerk_records_a_named_vote_without_javascript(
    client: Client, clerk, voting
) -> None:
    meeting, resolution, people = voting
    client.force_login(clerk)
    editor = text(
        client.get(
            reverse(
                "meetings:minutes_item",
                args=[meeting.body.slug, meeting.url_key, resolution.minute_item_id],
            )
        )
    )
    assert _vote_url(meeting, resolution) in editor

    page = text(client.get(_vote_url(meeting, resolution)))
    # Only those present (or substituting) are offered; apologies are not.
    assert "Mr S Elenor" in page and "Mr M Dance" not in page

    refused = client.post(
        _vote_url(meeting, resolution),
        {"vote": "counted", "votes_for": "4", "votes_against": "1"},
    )
    assert refused.status_code == 400
    assert "There is a problem" in text(refused)
    assert "Give the number of votes abstained (0 if none)." in text(refused)
    too_many = client.post(
        _vote_url(meeting, resolution),
        {
            "vote": "counted",
            "votes_for": "4",
            "votes_against": "1",
            "votes_abstained": "0",
        },
    )
    assert too_many.status_code == 400
    assert "5 votes were counted, but only 4 members" in text(too_many)
    # What was typed is still there.
    assert 'name="votes_for" value="4"' in text(too_many)

    saved = client.post(
        _vote_url(meeting, resolution),
        {
            "vote": "named",
            f"member_{people['Hill'].pk}": "for",
            f"member_{people['Rivers'].pk}": "against",
            f"member_{people['Carter'].pk}": "abstained",
            f"member_{people['Elenor'].pk}": "for",
        },
    )
    assert saved.status_code == 302
    resolution.refresh_from_db()
    assert (
        resolution.vote,
        resolution.votes_for,
        resolution.votes_against,
        resolution.votes_abstained,
    ) == ("named", 2, 1, 1)


def _publish_with_named_vote(voting) -> tuple:
    meeting, resolution, people = voting
    services.resolution_vote_name(
        resolution=resolution,
        votes={
            people["Hill"]: "for",
            people["Elenor"]: "for",
            people["Rivers"]: "against",
            people["Carter"]: "abstained",
        },
    )
    services.minutes_publish_draft(minutes=meeting.minutes)
    return meeting, resolution


def test_the_vote_is_on_the_public_page_in_the_pdf_and_in_the_api(
    client: Client, voting
) -> None:
    meeting, resolution = _publish_with_named_vote(voting)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Named vote:</strong> 2 for, 1 against, 1 abstained." in page
    assert "For: Mr S Elenor, Mr P M Hill" in page
    assert "Against: Mr A Rivers" in page

    pdf = whole_text(body_of(client.get(url(meeting, "minutes_pdf"))))
    assert "Named vote: 2 for, 1 against, 1 abstained." in pdf
    assert "For: Mr S Elenor, Mr P M Hill" in pdf
    assert "Abstained: Mr J Carter" in pdf

    data = client.get(f"/api/v1/resolutions/{resolution.pk}/").json()
    assert data["vote"]["kind"] == "named"
    assert data["vote"]["votes_for"] == 2
    assert {(v["name"], v["vote"]) for v in data["vote"]["named"]} == {
        ("Mr P M Hill", "for"),
        ("Mr S Elenor", "for"),
        ("Mr A Rivers", "against"),
        ("Mr J Carter", "abstained"),
    }
    item = client.get(f"/api/v1/minute-items/{resolution.minute_item_id}/").json()
    assert item["resolutions"][0]["vote"]["votes_abstained"] == 1


def test_draft_votes_are_not_public(client: Client, voting) -> None:
    meeting, resolution, _people = voting
    services.resolution_vote_count(
        resolution=resolution, votes_for=3, votes_against=1, abstained=0
    )
    assert "Recorded vote" not in text(client.get(meeting.get_absolute_url()))
    assert client.get(f"/api/v1/resolutions/{resolution.pk}/").status_code == 404


def test_a_removed_resolution_takes_its_vote_with_it(
    client: Client, clerk, voting
) -> None:
    """The editor says which stored resolution each typed one is, so removing
    the first does not hand its vote to the second."""
    meeting, resolution, _ = voting
    item = resolution.minute_item
    write(
        item,
        ["Members debated the refresh."],
        "RESOLVED that the refreshed priorities be agreed.",
        kind=Resolution.Kind.AGREED,
    )
    second = Resolution.objects.create(
        minute_item=item, order=1, text="RESOLVED that the plan be noted."
    )
    services.resolution_vote_count(
        resolution=item.resolutions.get(order=0),
        votes_for=3,
        votes_against=0,
        abstained=1,
    )
    client.force_login(clerk)
    address = reverse(
        "meetings:minutes_item", args=[meeting.body.slug, meeting.url_key, item.pk]
    )
    editor = text(client.get(address))
    assert f'name="resolution_id" value="{second.pk}"' in editor
    item.refresh_from_db()
    response = client.post(
        address,
        {
            "version": item.version,
            "title": item.title,
            "paragraph": ["Members debated the refresh."],
            "resolution": ["RESOLVED that the plan be noted."],
            "resolution_kind": ["noted"],
            "resolution_to": [""],
            "resolution_id": [str(second.pk)],
            "action": "save",
        },
    )
    assert response.status_code == 302
    kept = item.resolutions.get()
    assert kept.pk == second.pk
    assert (kept.text, kept.vote, kept.votes_for) == (
        "RESOLVED that the plan be noted.",
        "",
        None,
    )
