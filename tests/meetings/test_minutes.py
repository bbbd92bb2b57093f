from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kcsp.richtext import render_light
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import (
    Attendance,
    Membership,
    MinuteItem,
    Minutes,
    MinutesCorrection,
)
from tests import factories
from tests.helpers import queries_for, text, words
from tests.meetings.minutes_factories import agenda, write

pytestmark = pytest.mark.django_db


def _numbers(minutes) -> list[tuple[int, str]]:
    return list(minutes.items.order_by("order").values_list("number", "title"))


def test_numbering_runs_on_across_meetings() -> None:
    body = factories.body()
    first = factories.meeting(body, start="2021-11-18T10:00")
    agenda(first, ["One", "Two", "Three"])
    services.minutes_start_from_agenda(meeting=first, first_number=48)
    second = factories.meeting(body, start="2022-03-24T10:00")
    agenda(second, ["Notes", "Agreement refresh"])
    minutes = services.minutes_start_from_agenda(meeting=second)
    assert _numbers(minutes) == [(51, "Notes"), (52, "Agreement refresh")]


def test_numbering_follows_the_latest_earlier_meeting_not_the_highest_number() -> None:
    """History imported with other numbers (2015's 90-103) does not carry its
    numbers past the series the body runs now (2022's 51-60)."""
    body = factories.body()
    old = factories.meeting(body, start="2015-03-19T10:00")
    agenda(old, [f"Item {n}" for n in range(14)])
    services.minutes_start_from_agenda(meeting=old, first_number=90)
    recent = factories.meeting(body, start="2022-03-24T10:00")
    agenda(recent, [f"Item {n}" for n in range(10)])
    services.minutes_start_from_agenda(meeting=recent, first_number=51)
    later = factories.meeting(body, start="2022-07-14T10:00")
    agenda(later, ["Notes"])
    assert services.next_minute_number(meeting=later) == 61
    assert services.minutes_start_from_agenda(meeting=later).items.get().number == 61


def test_minutes_wait_for_the_meeting_to_be_held() -> None:
    coming = factories.meeting(start="2099-03-19T10:00")
    agenda(coming, ["Notes"])
    with pytest.raises(ValidationError, match="has not been held yet"):
        services.minutes_start_from_agenda(meeting=coming)
    assert services.minutes_for(coming) is None
    # Minutes made some other way (an import) are not published early either.
    minutes = Minutes.objects.create(meeting=coming)
    MinuteItem.objects.create(minutes=minutes, number=1, order=0, title="Notes")
    with pytest.raises(ValidationError, match="has not been held yet"):
        services.minutes_publish_draft(minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == "draft"


def test_approval_is_by_a_later_meeting_of_the_same_body() -> None:
    body = factories.body()
    first = factories.meeting(body, start="2021-11-18T10:00")
    second = factories.meeting(body, start="2022-03-24T10:00")
    elsewhere = factories.meeting(
        factories.body("Crime and Disorder Committee"), start="2022-06-01T10:00"
    )
    resolutions = {}
    for meeting in (first, second, elsewhere):
        agenda(meeting, ["Minutes"])
        minutes = services.minutes_start_from_agenda(meeting=meeting)
        resolutions[meeting.pk] = write(
            minutes.items.get(), [], "RESOLVED that the minutes be approved."
        ).resolutions.get()
    for later, earlier in ((first, second), (elsewhere, first)):
        with pytest.raises(ValidationError, match="later meeting of the same body"):
            services.minutes_approve(
                minutes=earlier.minutes, resolution=resolutions[later.pk]
            )
    services.minutes_approve(minutes=first.minutes, resolution=resolutions[second.pk])
    first.minutes.refresh_from_db()
    assert first.minutes.status == "approved"


def test_only_someone_at_the_meeting_declares_an_interest() -> None:
    from meetings.models import Declaration

    meeting = factories.meeting(start="2022-03-24T10:00")
    present = factories.person("Hill", initials="P M")
    away = factories.person("Rivers", initials="J")
    stranger = factories.person("Nobody", initials="A")
    Attendance.objects.create(meeting=meeting, person=present, kind="present")
    Attendance.objects.create(meeting=meeting, person=away, kind="apologies")
    Declaration(meeting=meeting, person=present, details="A governor").full_clean()
    for person in (away, stranger):
        with pytest.raises(ValidationError, match="only someone there"):
            Declaration(meeting=meeting, person=person, details="x").full_clean()


def test_numbering_restarts_each_municipal_year_when_the_body_says_so() -> None:
    body = factories.body(minute_numbering="municipal_year")
    april = factories.meeting(body, start="2022-04-10T10:00")
    agenda(april, ["Spring item"])
    services.minutes_start_from_agenda(meeting=april, first_number=30)
    june = factories.meeting(body, start="2022-06-10T10:00")
    agenda(june, ["Summer item"])
    assert services.minutes_start_from_agenda(meeting=june).items.get().number == 1


def test_deleting_and_moving_renumber_this_and_later_draft_minutes() -> None:
    body = factories.body()
    first = factories.meeting(body, start="2022-03-24T10:00")
    agenda(first, ["A", "B", "C"])
    m1 = services.minutes_start_from_agenda(meeting=first, first_number=51)
    later = factories.meeting(body, start="2022-07-14T10:00")
    agenda(later, ["D"])
    m2 = services.minutes_start_from_agenda(meeting=later)
    assert _numbers(m2) == [(54, "D")]
    services.minute_item_delete(item=m1.items.get(title="B"))
    assert _numbers(m1) == [(51, "A"), (52, "C")]
    assert _numbers(m2) == [(53, "D")]
    services.minute_item_move(item=m1.items.get(title="C"), position=1)
    assert _numbers(m1) == [(51, "C"), (52, "A")]
    added = services.minute_item_add(minutes=m1, title="Thanks on retirement")
    assert added.number == 53
    assert _numbers(m2) == [(54, "D")]


def test_an_item_can_be_added_to_minutes_numbered_from_one() -> None:
    meeting = factories.meeting()
    agenda(meeting, ["Apologies"])
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=1)

    services.minute_item_add(minutes=minutes, title="Any other business")
    services.minute_item_add(minutes=minutes, title="Date of next meeting")

    assert _numbers(minutes) == [
        (1, "Apologies"),
        (2, "Any other business"),
        (3, "Date of next meeting"),
    ]


def test_start_from_agenda_prefills_previous_minutes_and_attendance() -> None:
    body = factories.body()
    factories.meeting(body, start="2021-11-18T10:00")
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    services.agenda_start_from_template(meeting=meeting)
    rivers = factories.person("Rivers", title="Mr")
    Membership.objects.create(body=body, person=rivers, role="vice_chair")
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    previous = minutes.items.get(agenda_reference="A3")
    resolution = previous.resolutions.get()
    assert resolution.text == (
        "RESOLVED that the minutes of the meeting held on 18 November 2021 were "
        "correctly recorded and be signed by the Chairman."
    )
    assert resolution.kind == "approved"
    assert Attendance.objects.get(meeting=meeting).person == rivers
    with pytest.raises(ValidationError):
        services.minutes_start_from_agenda(meeting=meeting)


def test_members_are_in_one_order_on_the_front_sheet_and_in_the_minutes() -> None:
    """Chair first, then by surname, initials and forenames, wherever members
    are listed; two Smiths do not swap places between the body's page and
    the attendance the minutes start from."""
    body = factories.body()
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    for surname, initials, role in (
        ("Smith", "R", "member"),
        ("Smith", "B", "member"),
        ("Ahmed", "K", "member"),
        ("Young", "T", "chair"),
        ("Smith", "D", "member"),
    ):
        person = factories.person(surname, initials=initials)
        Membership.objects.create(body=body, person=person, role=role)
    expected = ["Mr T Young", "Mr K Ahmed", "Mr B Smith", "Mr D Smith", "Mr R Smith"]
    front_sheet = words(Client().get(body.get_absolute_url()))
    places = [front_sheet.index(name) for name in expected]
    assert places == sorted(places)
    services.minutes_start_from_agenda(meeting=meeting)
    attended = Attendance.objects.filter(meeting=meeting).order_by("order")
    assert [a.person.formal_name for a in attended] == expected


def test_light_markup_keeps_lists_and_links_and_drops_scripts() -> None:
    html = str(
        render_light(
            "Key aspects were:\n- Challenging **extremist** ideology\n"
            "- See [the plan](https://www.kent.gov.uk/plan)\n"
            '<script>alert(1)</script><b onmouseover="x()">hi</b><style>p{}</style>'
        )
    )
    assert "<ul><li>Challenging <strong>extremist</strong> ideology</li>" in html
    assert '<a href="https://www.kent.gov.uk/plan" rel="noopener noreferrer">' in html
    assert "<script" not in html and "<style" not in html and "<b " not in html
    assert "&lt;script&gt;" in html  # shown as the words typed, never run


def test_a_stale_save_is_refused_and_both_texts_survive() -> None:
    meeting = factories.meeting()
    agenda(meeting, ["Vision Zero"])
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    loaded_version = item.version
    write(item, ["Mr McMullan updated Members."])
    with pytest.raises(services.EditConflict) as conflict:
        services.minute_item_save(
            item=item,
            version=loaded_version,
            title=item.title,
            paragraphs=["A different account of the discussion."],
            resolutions=[],
        )
    assert conflict.value.current["paragraphs"] == ["Mr McMullan updated Members."]
    item.refresh_from_db()
    assert [p.text for p in item.paragraphs.all()] == ["Mr McMullan updated Members."]


def test_approved_minutes_are_frozen_and_corrections_are_recorded(clerk) -> None:
    body = factories.body()
    old = factories.meeting(body, start="2021-11-18T10:00")
    agenda(old, ["Violence Reduction Unit"])
    old_minutes = services.minutes_start_from_agenda(meeting=old, first_number=40)
    item = old_minutes.items.get()
    write(item, ["Mr Powell gave an update."], "RESOLVED that the update be noted.")
    services.minutes_publish_draft(minutes=old_minutes)
    new = factories.meeting(body, start="2022-03-24T10:00")
    agenda(new, ["Notes of meeting held on 18 November 2021"])
    approving_item = services.minutes_start_from_agenda(meeting=new).items.get()
    approving = write(
        approving_item, [], "RESOLVED that the minutes be approved.", kind="approved"
    ).resolutions.get()
    with pytest.raises(ValidationError, match="later meeting"):
        services.minutes_approve(
            minutes=services.minutes_for(new), resolution=approving
        )
    services.minutes_approve(minutes=old_minutes, resolution=approving)
    old_minutes.refresh_from_db()
    assert old_minutes.status == "approved"
    assert approving.approved_minutes == old_minutes
    item.refresh_from_db()
    # Every change is refused in the same words, which say what to do.
    frozen = "These minutes are approved, so they cannot be changed; record a corr"
    for change in (
        lambda: write(item, ["Changed quietly."]),
        lambda: services.minute_item_add(minutes=old_minutes, title="Late addition"),
        lambda: services.minutes_renumber(minutes=old_minutes),
        lambda: services.resolution_vote_count(
            resolution=item.resolutions.get(),
            votes_for=3,
            votes_against=0,
            abstained=0,
        ),
    ):
        with pytest.raises(ValidationError, match=frozen):
            change()
    correction = services.minutes_correct(
        item=item,
        title=item.title,
        paragraphs=["Mr M Powell gave an update."],
        resolutions=[
            services.ResolutionInput(text="RESOLVED that the update be noted.")
        ],
        reason="Initials added at the request of Mr Powell.",
        by=clerk,
    )
    assert correction.before["paragraphs"] == ["Mr Powell gave an update."]
    assert correction.after["paragraphs"] == ["Mr M Powell gave an update."]
    assert correction.made_by == clerk
    page = text(Client().get(old.get_absolute_url()))
    assert "Corrections to these minutes" in page
    assert "Initials added at the request of Mr Powell." in page
    assert "Approved at the meeting on" in page and "24 March 2022" in page


def test_draft_minutes_never_appear_publicly(client: Client) -> None:
    meeting = factories.meeting()
    agenda(meeting, ["Zero Casualty Strategy"])
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(
        minutes.items.get(),
        ["A sentence only staff may read."],
        "RESOLVED that the strategy be noted in draft.",
    )
    page = text(client.get(meeting.get_absolute_url()))
    decisions = text(client.get(reverse("meetings:decisions"), {"q": "draft"}))
    for body in (page, decisions):
        assert "A sentence only staff may read." not in body
        assert "strategy be noted in draft" not in body
    services.minutes_publish_draft(minutes=minutes)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Draft minutes - subject to approval" in page
    assert "A sentence only staff may read." in page
    decisions = text(client.get(reverse("meetings:decisions"), {"q": "draft"}))
    assert "strategy be noted in draft" in decisions


def test_exempt_minute_shows_number_and_title_only(client: Client) -> None:
    meeting = factories.meeting()
    section = factories.section(meeting)
    factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=58)
    write(
        minutes.items.get(),
        ["The family of the victim asked ..."],
        "RESOLVED that the review panel's findings be accepted.",
    )
    services.minutes_publish_draft(minutes=minutes)
    page = text(client.get(meeting.get_absolute_url()))
    read = words(client.get(meeting.get_absolute_url()))
    assert "58." in page and "Case review" in page and "Exempt: paragraph 1" in read
    assert "The family of the victim" not in page
    decisions = text(client.get(reverse("meetings:decisions")))
    assert "findings be accepted" not in decisions


def test_attendance_headings_in_the_seeds_form(client: Client) -> None:
    body = factories.body()
    meeting = factories.meeting(body, start="2022-03-24T10:00", online=True)
    rivers = factories.person("Rivers", title="Mr")
    brinson = factories.person("Brinson", title="Ms", initials="S")
    hill = factories.person("Hill", title="Mr", initials="P M", honours="OBE")
    taylor = factories.person("Taylor", title="Mrs", initials="A")
    Membership.objects.create(body=body, person=rivers, role="vice_chair")
    Membership.objects.create(body=body, person=hill, role="chair")
    Attendance.objects.create(meeting=meeting, person=brinson, order=1)
    Attendance.objects.create(
        meeting=meeting, person=rivers, in_the_chair=True, order=2
    )
    Attendance.objects.create(meeting=meeting, person=hill, kind="apologies")
    Attendance.objects.create(
        meeting=meeting,
        person=taylor,
        kind="in_attendance",
        capacity="Democratic Services Officer",
    )
    agenda(meeting, ["Notes"])
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    services.minutes_publish_draft(minutes=minutes)
    page = text(client.get(meeting.get_absolute_url()))
    assert (
        "<strong>PRESENT:</strong> Mr Rivers (Vice-Chairman in the Chair) and "
        "Ms S Brinson"
    ) in page
    assert (
        "<strong>IN ATTENDANCE:</strong> Mrs A Taylor (Democratic Services Officer)"
    ) in page
    assert "<strong>APOLOGIES:</strong> Mr P M Hill, OBE (Chairman)" in page


def test_minutes_page_queries_do_not_grow_with_items(client: Client) -> None:
    def build(start: str, count: int):
        meeting = factories.meeting(start=start)
        agenda(meeting, [f"Item {n}" for n in range(count)])
        services.agenda_publish(meeting=meeting)
        minutes = services.minutes_start_from_agenda(meeting=meeting)
        for item in minutes.items.all():
            write(item, ["First.", "Second."], "RESOLVED that", ["a thing", "another"])
        for n in range(count):
            Attendance.objects.create(
                meeting=meeting, person=factories.person(f"Member{start}{n}")
            )
        services.minutes_publish_draft(minutes=minutes)
        return meeting

    small, large = build("2022-03-24T10:00", 2), build("2022-06-24T10:00", 25)
    assert queries_for(client, small.get_absolute_url()) == queries_for(
        client, large.get_absolute_url()
    )
    assert MinuteItem.objects.count() == 27
    url = reverse("meetings:decisions")
    first = queries_for(client, url)
    cache.clear()  # The register's count is kept until anything changes.
    assert queries_for(client, url + "?page=2") == first


def test_the_register_counts_new_decisions_at_once(
    client: Client, partner: Any
) -> None:
    """The count is kept between readings, and a publication shows at once,
    for the public and for a signed-in partner alike."""

    def minutes_published(start: str) -> None:
        meeting = factories.meeting(start=start)
        agenda(meeting, ["Vision Zero"])
        services.agenda_publish(meeting=meeting)
        minutes = services.minutes_start_from_agenda(meeting=meeting)
        write(minutes.items.get(), ["Noted."], "RESOLVED that the plan be agreed.")
        services.minutes_publish_draft(minutes=minutes)

    url = reverse("meetings:decisions")
    public = Client()
    minutes_published("2022-03-24T10:00")
    client.force_login(partner)
    for reader in (public, client, public, client):
        assert "1 decision<" in text(reader.get(url))
    minutes_published("2022-06-24T10:00")
    for reader in (public, client):
        assert "2 decisions" in text(reader.get(url))


def test_correction_needs_a_reason_and_a_change() -> None:
    assert MinutesCorrection.objects.count() == 0
    meeting = factories.meeting()
    agenda(meeting, ["Item"])
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    with pytest.raises(ValidationError, match="approved minutes"):
        services.minutes_correct(
            item=item, title="x", paragraphs=[], resolutions=[], reason="Because"
        )
