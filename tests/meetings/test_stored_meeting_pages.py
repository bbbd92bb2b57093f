"""A meeting page whose minutes are approved shows its content (front sheet,
membership, agenda and minutes) from a copy kept by the documents service
for each audience, which is checked against the data it showed and made
again when that changes.

Read with the page cache and the fragment caches off, so every reading
renders the page.
"""

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from kcsp.models import Action, RenderedDocument
from kcsp.roles import Role
from kcsp.visibility import Visibility
from meetings.models import MinuteItem, Minutes, ResolutionAction
from meetings.printing.documents import PAGE_CONTENT
from tests import factories
from tests.helpers import queries_for, text
from tests.perf import builders

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("caches_off"),
]


@pytest.fixture
def caches_off() -> Any:
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0):
        yield


def _approved_meeting(name: str = "Stored Minutes Board", items: int = 4) -> Any:
    body = builders.body_with_meetings(name, meetings=2, items=items)
    meeting = body.meetings.order_by("start").first()
    assert meeting.minutes.status == Minutes.Status.APPROVED
    return meeting


def _minutes(client: Client, meeting: Any) -> str:
    page = text(client.get(meeting.get_absolute_url()))
    found = re.search(
        r'<section aria-labelledby="minutes-title".*?</section>', page, re.S
    )
    assert found, "The page has no minutes section"
    return found.group(0)


def _stored(meeting: Any) -> list[RenderedDocument]:
    return list(
        RenderedDocument.objects.filter(
            kind=PAGE_CONTENT, subject__startswith=f"meeting:{meeting.pk}:"
        )
    )


def test_a_meeting_with_approved_minutes_is_shown_from_its_stored_copy(
    client: Client,
) -> None:
    meeting = _approved_meeting()
    first = _minutes(client, meeting)
    assert "Approved at the meeting on" in first
    [stored] = _stored(meeting)
    assert stored.file.name.endswith(".html")

    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        built_again = queries_for(client, meeting.get_absolute_url())
    assert _minutes(client, meeting) == first
    assert _stored(meeting) == [stored]
    # The same page with the minutes rendered from the database.
    stored.delete()
    rendering = queries_for(client, meeting.get_absolute_url())
    assert built_again < rendering - 5


def _main(client: Client, meeting: Any) -> str:
    page = text(client.get(meeting.get_absolute_url()))
    found = re.search(r"<main.*?</main>", page, re.S)
    assert found, "The page has no main content"
    return found.group(0)


SECRET = "The tender evaluation scores were noted by the board."


def _with_exempt_item(meeting: Any) -> MinuteItem:
    """The fourth minute item made exempt, with a paragraph only staff may
    read."""
    item = MinuteItem.objects.filter(minutes__meeting=meeting).order_by("number")[3]
    paragraph = item.paragraphs.first()
    assert paragraph is not None
    paragraph.text = SECRET
    paragraph.save()
    item.visibility = Visibility.EXEMPT
    item.exempt_paragraph = 3
    item.save()
    return item


# Each row of the role table, and whether it reads exempt minutes.
READERS = [
    (None, False),
    ("partner", False),
    ("dhr_coordinator", False),
    ("clerk", True),
    ("administrator", True),
    ("clerk_elsewhere", False),
]


@pytest.fixture
def clerk_elsewhere(db: None) -> Any:
    """A clerk of another partnership, who reads this one's as the public."""
    return factories.user(
        "clerk-dover", Role.CLERK, clerk_of=[factories.partnership("Dover")]
    )


@pytest.mark.parametrize(("reader", "reads_exempt"), READERS)
def test_the_stored_copy_is_the_page_the_records_make(
    client: Client,
    reader: str | None,
    reads_exempt: bool,
    request: Any,
    monkeypatch: Any,
) -> None:
    """The same content, to the character, as the page rendered without it,
    for every row of the role table, an exempt item's text to those who may
    read it only."""
    from meetings.views import public

    meeting = _approved_meeting()
    item = _with_exempt_item(meeting)
    if reader:
        client.force_login(request.getfixturevalue(reader))
    with monkeypatch.context() as patched:
        patched.setattr(public, "_stored_content", lambda request, meeting: "")
        rendered = _main(client, meeting)
    assert _stored(meeting) == []
    assert _main(client, meeting) == rendered
    assert _main(client, meeting) == rendered
    assert len(_stored(meeting)) == 1
    assert item.title in rendered
    assert (SECRET in rendered) is reads_exempt


def test_a_change_to_what_the_minutes_show_is_on_the_next_read(client: Client) -> None:
    meeting = _approved_meeting()
    link = ResolutionAction.objects.filter(
        resolution__minute_item__minutes__meeting=meeting
    ).first()
    assert link is not None
    before = _minutes(client, meeting)
    assert f"{link.action.title}: " in before

    action = Action.objects.get(pk=link.action_id)
    action.title = "Refresh the night-time economy patrol plan"
    action.save()

    after = _minutes(client, meeting)
    assert "Refresh the night-time economy patrol plan" in after
    assert f"{link.action.title}: " not in after


def test_a_change_elsewhere_keeps_the_stored_copy(client: Client) -> None:
    meeting = _approved_meeting()
    first = _minutes(client, meeting)
    [stored] = _stored(meeting)
    later = meeting.body.meetings.order_by("start").last()
    later.venue = "Council Chamber, Sessions House"
    later.save()

    assert _minutes(client, meeting) == first
    assert [d.pk for d in _stored(meeting)] == [stored.pk]


def test_each_audience_has_its_own_copy(client: Client, clerk: Any) -> None:
    meeting = _approved_meeting()
    item = _with_exempt_item(meeting)

    public = _minutes(client, meeting)
    assert item.title in public
    assert SECRET not in public

    staff = Client()
    staff.force_login(clerk)
    assert SECRET in _minutes(staff, meeting)
    assert SECRET not in _minutes(client, meeting)
    assert len(_stored(meeting)) == 2


def test_a_meeting_whose_minutes_are_not_approved_is_rendered_each_time(
    client: Client,
) -> None:
    body = builders.body_with_meetings("Draft Minutes Board", meetings=1, items=4)
    meeting = builders.latest_meeting(body)
    assert meeting.minutes.status == Minutes.Status.PUBLISHED_DRAFT
    assert "Draft minutes - subject to approval" in _minutes(client, meeting)
    assert _stored(meeting) == []


def test_the_page_costs_the_same_queries_for_100_times_the_items(
    client: Client,
) -> None:
    small = _approved_meeting("Small Board", items=4)
    big = _approved_meeting("Long Agenda Board", items=400)
    for meeting in (small, big):
        client.get(meeting.get_absolute_url())
    assert queries_for(client, big.get_absolute_url()) == queries_for(
        client, small.get_absolute_url()
    )
