"""Redacting a passage from published minutes and papers: gone from the page,
the PDF, site search, the feeds and the open data API for the public and the
clerks, and from every earlier wording a clerk can open; kept for
administrators."""

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kcsp.roles import Role
from meetings import services
from meetings.models import Document, Meeting, MinuteItem, Redaction
from tests import factories
from tests.helpers import text
from tests.meetings.minutes_factories import agenda, write
from tests.meetings.pdf_helpers import (
    assert_accessible_pdf,
    body_of,
    minutes_meeting,
    paper,
    text_pdf,
    whole_text,
)
from tests.security.test_fuzz import HOSTILE

pytestmark = pytest.mark.django_db

NAME = "Mrs Hetty Quarrendon"
PASSAGE = "Mrs Hetty Quarrendon of Elm Row"
REASON = "personal information"
MARKER = "[redacted: personal information]"
SEARCH_RESULTS = re.compile(r'<ol class="search-results".*?</ol>', re.S)


def _first_item(meeting: Meeting) -> MinuteItem:
    return meeting.minutes.items.order_by("order").first()


def _write_naming_her(item: MinuteItem) -> None:
    write(
        item,
        [
            f"{PASSAGE} asked about street lighting near the station.",
            "Members asked about violence against women and girls.",
        ],
        "RESOLVED that the Kent Community Safety Partnership",
        [
            f"thank {PASSAGE} for her question;",
            "approve the revised priorities.",
        ],
    )


@pytest.fixture
def named_meeting(clerk: Any) -> Meeting:
    meeting = minutes_meeting()
    item = _first_item(meeting)
    # Published draft minutes are changed through a staged change in the
    # drafting screen; the test writes the text before publication instead.
    meeting.minutes.status = "draft"
    meeting.minutes.save()
    _write_naming_her(item)
    services.minutes_publish_draft(minutes=meeting.minutes)
    return meeting


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _surfaces(client: Client, meeting: Meeting, item: MinuteItem) -> dict[str, str]:
    """What a reader gets from every public surface of the minute."""
    slug, key = meeting.body.slug, meeting.url_key
    search = client.get(reverse("kcsp:search"), {"q": "Quarrendon"})
    resolution = item.resolutions.first()
    read = {
        "page": text(client.get(meeting.get_absolute_url())),
        "PDF": whole_text(
            body_of(client.get(reverse("meetings:minutes_pdf", args=[slug, key])))
        ),
        "search": "\n".join(SEARCH_RESULTS.findall(text(search))),
        "decisions feed": text(client.get(reverse("feeds:decisions_rss"))),
        "minutes feed": text(client.get(reverse("feeds:minutes_atom"))),
        "API minute": text(
            client.get(reverse("api:minute-item-detail", args=[item.pk]))
        ),
        "API decision": text(
            client.get(reverse("api:resolution-detail", args=[resolution.pk]))
        ),
    }
    return read


def test_a_redacted_minute_passage_is_gone_from_every_surface(
    named_meeting: Meeting, clerk: Any
) -> None:
    item = _first_item(named_meeting)
    public, staff = Client(), _signed_in(clerk)
    before = _surfaces(public, named_meeting, item)
    assert NAME in before["page"] and NAME in before["PDF"]
    assert "Quarrendon" in before["search"] and NAME in before["API decision"]

    redaction = services.redaction_apply(
        target=item, passage=PASSAGE.lower(), reason=REASON, by=clerk
    )

    assert redaction.original["Paragraph 1"].startswith(PASSAGE)
    for reader, client in (("public", public), ("clerk", staff)):
        read = _surfaces(client, named_meeting, item)
        for surface, words in read.items():
            assert "Quarrendon" not in words, f"{reader}: {surface}"
        assert MARKER in read["page"], reader
        assert MARKER in " ".join(read["PDF"].split()), reader
        assert MARKER in read["API minute"] and MARKER in read["API decision"]
        assert MARKER in read["decisions feed"], reader


def test_no_earlier_wording_a_clerk_can_open_keeps_the_passage(
    named_meeting: Meeting, clerk: Any
) -> None:
    item = _first_item(named_meeting)
    # A correction recorded earlier, a revision and the imported text.
    named_meeting.minutes.source_text = f"51. Minutes\n{PASSAGE} asked ..."
    named_meeting.minutes.save()
    services.redaction_apply(target=item, passage=PASSAGE, reason=REASON, by=clerk)
    item.refresh_from_db()

    staff = _signed_in(clerk)
    slug, key = named_meeting.body.slug, named_meeting.url_key
    compare = reverse("meetings:minutes_item_compare", args=[slug, key, item.pk])
    versions = list(item.revisions.values_list("version", flat=True))
    pages = [
        reverse("meetings:minutes_item", args=[slug, key, item.pk]),
        f"{compare}?a={versions[0]}&b={versions[-1]}",
        reverse("admin:meetings_minutes_change", args=[named_meeting.minutes.pk]),
        reverse("admin:meetings_minutes_history", args=[named_meeting.minutes.pk]),
    ]
    pages += [
        reverse(
            "admin:meetings_minutes_simple_history",
            args=[named_meeting.minutes.pk, version],
        )
        for version in named_meeting.minutes.history.values_list(
            "history_id", flat=True
        )
    ]
    for url in pages:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "Quarrendon" not in text(response), url
    # Nor is it kept in any table a clerk's screen reads.
    for model in (
        item.paragraphs.model,
        item.resolutions.model,
        item.resolutions.first().parts.model,
    ):
        stored = model.history.values_list("text", flat=True)
        assert not [t for t in stored if "Quarrendon" in t], model
    assert "Quarrendon" not in str(list(item.revisions.values_list("content")))
    assert item.version == versions[-1]


def test_only_administrators_read_the_original(
    named_meeting: Meeting, clerk: Any, administrator: Any
) -> None:
    item = _first_item(named_meeting)
    redaction = services.redaction_apply(
        target=item, passage=PASSAGE, reason=REASON, by=clerk
    )
    change = reverse("admin:meetings_redaction_change", args=[redaction.pk])
    listing = reverse("admin:meetings_redaction_changelist")

    shown = _signed_in(administrator).get(change)
    assert shown.status_code == 200
    assert PASSAGE in text(shown) and REASON in text(shown)
    assert "asked about street lighting" in text(shown)
    for url in (change, listing):
        assert _signed_in(clerk).get(url).status_code == 403
    assert not Redaction.objects.visible_to(clerk).exists()
    assert Redaction.objects.visible_to(administrator).get() == redaction


def test_a_redaction_is_written_once(named_meeting: Meeting, clerk: Any) -> None:
    redaction = services.redaction_apply(
        target=_first_item(named_meeting), passage=PASSAGE, reason=REASON, by=clerk
    )
    redaction.reason = "something else"
    with pytest.raises(ValueError, match="recorded once"):
        redaction.save()


def test_a_passage_not_in_the_text_is_refused(named_meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as refused:
        services.redaction_apply(
            target=_first_item(named_meeting), passage="Nobody at all", reason=REASON
        )
    assert "not in the text" in str(refused.value)
    assert not Redaction.objects.exists()


# Papers ---------------------------------------------------------------------------


RESIDENT = "Mr Ambrose Tillingfold"


@pytest.fixture
def named_paper(named_meeting: Meeting) -> Document:
    return paper(
        named_meeting,
        None,
        "Street lighting report",
        text_pdf(f"Complaint from {RESIDENT}"),
        name="lighting.pdf",
    )


def test_a_redacted_paper_is_regenerated_and_its_original_kept_for_administrators(
    named_paper: Document, clerk: Any, administrator: Any
) -> None:
    url = named_paper.get_absolute_url()
    assert RESIDENT in whole_text(body_of(Client().get(url)))

    redaction = services.redaction_apply(
        target=named_paper, passage=RESIDENT, reason=REASON, by=clerk
    )

    named_paper.refresh_from_db()
    for client in (Client(), _signed_in(clerk)):
        pdf = body_of(client.get(named_paper.get_absolute_url()))
        words = " ".join(whole_text(pdf).split())
        assert "Tillingfold" not in words and MARKER in words
        assert_accessible_pdf(pdf, "Street lighting report")
        search = client.get(reverse("kcsp:search"), {"q": "Tillingfold"})
        assert "Tillingfold" not in "".join(SEARCH_RESULTS.findall(text(search)))
        api = client.get(reverse("api:document-detail", args=[named_paper.pk]))
        assert "Tillingfold" not in text(api)
    assert "Tillingfold" not in named_paper.text
    assert not named_paper.history.filter(file=redaction.original_file.name).exists()

    original = reverse("admin:meetings_redaction_original", args=[redaction.pk])
    assert _signed_in(clerk).get(original).status_code == 403
    kept = _signed_in(administrator).get(original)
    assert kept.status_code == 200
    assert RESIDENT in whole_text(body_of(kept))


# The clerk's screen ---------------------------------------------------------------


def _screen(meeting: Meeting) -> str:
    return reverse("manage:redact", args=[meeting.body.slug, meeting.url_key])


def test_the_screen_previews_then_redacts_on_confirmation(
    named_meeting: Meeting, clerk: Any
) -> None:
    staff = _signed_in(clerk)
    item = _first_item(named_meeting)
    form = staff.get(_screen(named_meeting))
    assert form.status_code == 200
    assert f'value="minute-{item.pk}"' in text(form)
    entered = {"what": f"minute-{item.pk}", "passage": PASSAGE, "reason": REASON}

    preview = staff.post(_screen(named_meeting), entered)
    assert preview.status_code == 200
    assert "Check what will change" in text(preview)
    assert f"{MARKER} asked about street lighting" in text(preview)
    assert "Paragraph 1" in text(preview) and "Resolution 1, part a)" in text(preview)
    assert not Redaction.objects.exists()

    done = staff.post(_screen(named_meeting), {**entered, "confirm": "1"}, follow=True)
    assert "The passage is redacted from minute 51" in text(done)
    assert Redaction.objects.get().made_by == clerk


def test_the_screen_explains_what_it_cannot_do_and_keeps_what_was_typed(
    named_meeting: Meeting, clerk: Any
) -> None:
    staff = _signed_in(clerk)
    item = _first_item(named_meeting)
    refused = staff.post(
        _screen(named_meeting),
        {"what": f"minute-{item.pk}", "passage": "Mr Nobody Atall", "reason": ""},
    )
    assert refused.status_code == 400
    page = text(refused)
    assert "Say why the passage is redacted." in page
    assert "Mr Nobody Atall" in page
    refused = staff.post(
        _screen(named_meeting),
        {"what": f"minute-{item.pk}", "passage": "Mr Nobody Atall", "reason": REASON},
    )
    assert refused.status_code == 400
    assert "That passage is not in the text." in text(refused)


def test_no_value_sent_to_the_screen_is_a_server_error(
    named_meeting: Meeting, clerk: Any
) -> None:
    staff = _signed_in(clerk)
    item = _first_item(named_meeting)
    good = {"what": f"minute-{item.pk}", "passage": PASSAGE, "reason": REASON}
    for name in good:
        for value in HOSTILE:
            for extra in ({}, {"confirm": "1"}):
                response = staff.post(
                    _screen(named_meeting), {**good, name: value, **extra}
                )
                assert response.status_code < 500, (name, value)


def test_a_clerk_of_another_partnership_cannot_redact(named_meeting: Meeting) -> None:
    other = factories.user(
        "clerk-dover", Role.CLERK, clerk_of=[factories.partnership("Dover")]
    )
    assert _signed_in(other).get(_screen(named_meeting)).status_code == 404
    item = _first_item(named_meeting)
    _signed_in(other).post(
        _screen(named_meeting),
        {
            "what": f"minute-{item.pk}",
            "passage": PASSAGE,
            "reason": REASON,
            "confirm": "1",
        },
    )
    assert not Redaction.objects.exists()


def test_approved_minutes_and_their_corrections_are_redacted_too(clerk: Any) -> None:
    body = factories.body()
    old = factories.meeting(body, start="2021-11-18T10:00")
    agenda(old, ["Street lighting"])
    minutes = services.minutes_start_from_agenda(meeting=old, first_number=40)
    item = minutes.items.get()
    write(item, [f"{PASSAGE} asked about lighting."], "RESOLVED that it be noted.")
    services.minutes_publish_draft(minutes=minutes)
    new = factories.meeting(body, start="2022-03-24T10:00")
    agenda(new, ["Minutes of the meeting held on 18 November 2021"])
    approving = write(
        services.minutes_start_from_agenda(meeting=new).items.get(),
        [],
        "RESOLVED that the minutes be approved.",
        kind="approved",
    ).resolutions.get()
    services.minutes_approve(minutes=minutes, resolution=approving)
    item.refresh_from_db()
    services.minutes_correct(
        item=item,
        title=item.title,
        paragraphs=[f"{PASSAGE} asked about street lighting."],
        resolutions=[services.ResolutionInput(text="RESOLVED that it be noted.")],
        reason=f"Wording agreed with {NAME}.",
        by=clerk,
    )

    services.redaction_apply(target=item, passage=NAME, reason=REASON, by=clerk)

    for client in (Client(), _signed_in(clerk)):
        page = text(client.get(old.get_absolute_url()))
        assert "Quarrendon" not in page
        assert f"Wording agreed with {MARKER}." in page
    correction = item.corrections.get()
    assert "Quarrendon" not in str([correction.before, correction.after])
    assert not [
        r for r in correction.history.values_list("reason", flat=True) if NAME in r
    ]


def test_a_paper_that_cannot_be_rebuilt_is_left_as_it_was(
    named_paper: Document, clerk: Any, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT = 0.01
    sha256 = named_paper.sha256
    entered = {"what": f"paper-{named_paper.pk}", "passage": RESIDENT}
    screen = _screen(named_paper.meeting)

    refused = _signed_in(clerk).post(
        screen, {**entered, "reason": REASON, "confirm": "1"}
    )

    assert refused.status_code == 400
    assert "could not be made just now, so nothing was changed" in text(refused)
    named_paper.refresh_from_db()
    assert named_paper.sha256 == sha256 and RESIDENT in named_paper.text
    assert not Redaction.objects.exists()
