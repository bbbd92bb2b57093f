"""Partnerships: the county partnership and the district ones, what each
owns, and clerks who work for one partnership and no other."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from kcsp.admin import PartnershipForm
from kcsp.models import Action, Partnership, Person
from kcsp.roles import Role
from kcsp.visibility import Content, audience_of
from meetings.models import AgendaItem, Meeting, Minutes
from tests import factories

# Existing records become the county partnership's -----------------------------

BEFORE = [
    ("kcsp", "0012_action_kinds_from_sources"),
    ("meetings", "0011_staged_minute_changes"),
    ("agreement", "0001_initial"),
]


@pytest.mark.django_db(transaction=True)
def test_migrating_gives_every_existing_record_and_clerk_to_the_county() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    body = old.get_model("meetings", "Body").objects.create(
        name="Crime and Disorder Committee", slug="crime-and-disorder-committee"
    )
    police = old.get_model("kcsp", "Organisation").objects.create(
        name="Kent Police", slug="kent-police"
    )
    action = old.get_model("kcsp", "Action").objects.create(
        title="Report back on knife crime", owner_organisation=police
    )
    clerks, _ = old.get_model("auth", "Group").objects.get_or_create(
        name=Role.CLERK.value
    )
    denise = old.get_model("auth", "User").objects.create(username="denise")
    denise.groups.add(clerks)
    old.get_model("auth", "User").objects.create(username="sam")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    county = Partnership.objects.get(slug="kent")
    assert county.name == "Kent Community Safety Partnership"
    assert county.kind == Partnership.Kind.COUNTY
    from meetings.models import Body

    assert Body.objects.get(pk=body.pk).partnership == county
    assert Action.objects.get(pk=action.pk).partnership == county
    assert [u.username for u in county.clerks.all()] == ["denise"]


# The model -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_made_without_a_partnership_is_the_host_partnerships() -> None:
    from meetings.models import Body

    body = Body.objects.create(name="Tasking Group", slug="tasking-group")
    assert body.partnership == Partnership.objects.host()
    assert body.partnership.kind == Partnership.Kind.COUNTY


@pytest.mark.django_db
def test_a_logo_is_accepted_only_as_an_image_by_its_content() -> None:
    def form(name: str, content: bytes) -> PartnershipForm:
        return PartnershipForm(
            data={"name": "Dover CSP", "slug": "dover", "kind": "district"},
            files={"logo": SimpleUploadedFile(name, content)},
        )

    accepted = form("dover.png", factories.png_bytes())
    assert accepted.is_valid(), accepted.errors
    disguised = form("dover.png", factories.pdf_bytes())
    assert not disguised.is_valid()
    assert '"dover.png" is not one' in " ".join(disguised.errors["logo"])
    misnamed = form("dover.jpg", factories.png_bytes())
    assert "Rename it to end in .png" in " ".join(misnamed.errors["logo"])
    paper = form("dover.pdf", factories.pdf_bytes())
    assert not paper.is_valid()
    assert "A logo must be a PNG or JPEG image" in " ".join(paper.errors["logo"])


# Clerks of one partnership ---------------------------------------------------


@pytest.fixture
def two_districts(db: None) -> dict[str, Any]:
    dover = factories.partnership("Dover")
    ashford = factories.partnership("Ashford")
    meetings = {}
    for place in (dover, ashford):
        board = factories.body(f"{place.short_name} Board", partnership=place)
        meeting = factories.meeting(board, start="2027-02-04T14:00")
        factories.item(
            factories.section(meeting), f"{place.short_name} draft item Quorrel"
        )
        meetings[place.slug] = meeting
    return {
        "dover": dover,
        "ashford": ashford,
        "meetings": meetings,
        "clerk": factories.user("dover-clerk", Role.CLERK, clerk_of=[dover]),
    }


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_clerk_reads_all_of_their_own_partnership_and_no_more_elsewhere(
    two_districts: dict[str, Any],
) -> None:
    clerk = two_districts["clerk"]
    audience = audience_of(clerk)
    assert audience.manages(Content.MEETINGS)
    assert not audience.sees_all(Content.MEETINGS)
    assert audience.within(two_districts["dover"].pk).sees_all(Content.MEETINGS)
    assert not audience.within(two_districts["ashford"].pk).sees_all(Content.MEETINGS)
    titles = set(AgendaItem.objects.visible_to(clerk).values_list("title", flat=True))
    assert titles == {"Dover CSP draft item Quorrel"}


def test_a_district_clerk_cannot_open_or_change_another_partnerships_meeting(
    two_districts: dict[str, Any],
) -> None:
    client = _signed_in(two_districts["clerk"])
    own = two_districts["meetings"]["dover"]
    other = two_districts["meetings"]["ashford"]
    for name in ("manage:meeting", "manage:agenda", "manage:publish"):
        mine = client.get(reverse(name, args=[own.body.slug, own.url_key]))
        assert mine.status_code == 200, name
        assert "Dover CSP draft item Quorrel" in mine.content.decode()
        theirs = client.get(reverse(name, args=[other.body.slug, other.url_key]))
        assert theirs.status_code == 404, name
        assert "Quorrel" not in theirs.content.decode()
    refused = client.post(reverse("manage:publish", args=[other.body.slug, "x"]))
    assert refused.status_code == 404
    refused = client.post(
        reverse("manage:publish", args=[other.body.slug, other.url_key])
    )
    assert refused.status_code == 404
    assert Meeting.objects.get(pk=other.pk).agenda_published_at is None
    for name in ("manage:year", "manage:members", "manage:meeting_new"):
        assert client.get(reverse(name, args=[other.body.slug])).status_code == 404
        assert client.get(reverse(name, args=[own.body.slug])).status_code == 200
    drafting = client.get(
        reverse("meetings:minutes_draft", args=[other.body.slug, other.url_key])
    )
    assert drafting.status_code == 404
    dashboard = client.get(reverse("manage:dashboard")).content.decode()
    assert "Dover CSP Board" in dashboard
    assert "Ashford CSP Board" not in dashboard
    public_page = client.get(other.get_absolute_url()).content.decode()
    assert "Quorrel" not in public_page


def test_a_district_clerks_back_office_holds_only_their_partnership(
    two_districts: dict[str, Any],
) -> None:
    client = _signed_in(two_districts["clerk"])
    own = two_districts["meetings"]["dover"]
    other = two_districts["meetings"]["ashford"]
    listing = client.get(reverse("admin:meetings_meeting_changelist"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Dover CSP Board" in text
    assert "Ashford CSP Board" not in text
    change = reverse("admin:meetings_meeting_change", args=[other.pk])
    response = client.get(change)
    assert response.status_code in (302, 404)
    assert "Ashford" not in response.content.decode()
    response = client.post(change, {"body": other.body.pk, "venue": "Nowhere"})
    assert response.status_code in (302, 403, 404)
    assert Meeting.objects.get(pk=other.pk).venue == other.venue
    assert (
        client.get(reverse("admin:meetings_meeting_change", args=[own.pk])).status_code
        == 200
    )
    # Only their own partnership is offered for a new body.
    adding = client.get(reverse("admin:meetings_body_add")).content.decode()
    assert "Dover Community Safety Partnership" in adding
    assert "Ashford Community Safety Partnership" not in adding
    partnerships = client.get(reverse("admin:kcsp_partnership_changelist"))
    assert "Dover Community Safety Partnership" in partnerships.content.decode()
    assert "Ashford Community" not in partnerships.content.decode()


def test_a_clerk_of_no_partnership_runs_no_meeting(
    two_districts: dict[str, Any],
) -> None:
    # The Clerk group is kept but every partnership has been taken away:
    # nothing of any partnership opens, nor the directory they shared.
    lapsed = factories.user("lapsed-clerk", Role.CLERK, clerk_of=[])
    audience = audience_of(lapsed)
    assert not audience.manages(Content.MEETINGS)
    client = _signed_in(lapsed)
    meeting = two_districts["meetings"]["dover"]
    args = [meeting.body.slug, meeting.url_key]
    for name in ("manage:meeting", "manage:agenda", "meetings:minutes_draft"):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404, name
        assert "Quorrel" not in response.content.decode()
    started = client.post(reverse("meetings:minutes_start", args=args), {})
    assert started.status_code == 404
    assert not Minutes.objects.filter(meeting=meeting).exists()
    listing = client.get(reverse("admin:meetings_meeting_changelist"))
    assert "Dover CSP Board" not in listing.content.decode()
    assert "Ashford CSP Board" not in listing.content.decode()
    change = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert change.status_code in (302, 403, 404)
    assert "Quorrel" not in change.content.decode()
    person = Person.objects.create(title="Ms", surname="Quorrel-Hart")
    for name, args in (
        ("admin:kcsp_person_changelist", []),
        ("admin:kcsp_person_change", [person.pk]),
        ("admin:kcsp_person_add", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code in (302, 403), name
        assert "Quorrel-Hart" not in response.content.decode()
    renamed = client.post(
        reverse("admin:kcsp_person_change", args=[person.pk]),
        {"title": "Ms", "surname": "Renamed"},
    )
    assert renamed.status_code in (302, 403)
    person.refresh_from_db()
    assert person.surname == "Quorrel-Hart"
    index = client.get(reverse("admin:index"))
    assert "People" not in index.content.decode()


def test_an_administrator_runs_every_partnerships_meetings(
    two_districts: dict[str, Any], administrator: Any
) -> None:
    client = _signed_in(administrator)
    for meeting in two_districts["meetings"].values():
        page = client.get(
            reverse("manage:agenda", args=[meeting.body.slug, meeting.url_key])
        )
        assert page.status_code == 200
        assert "draft item Quorrel" in page.content.decode()
