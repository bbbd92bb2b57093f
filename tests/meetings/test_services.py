import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kcsp.visibility import Audience, Visibility
from meetings import services
from meetings.models import AgendaItem, Document, Meeting, Membership, StandardItem
from tests import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=LONDON)


def test_publishing_records_time_status_and_publishes_papers() -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    item = factories.item(factories.section(meeting))
    paper = factories.document(meeting, item)
    assert paper.published_at is None
    result = services.agenda_publish(meeting=meeting, at=_at("2022-03-14T09:00"))
    meeting.refresh_from_db()
    paper.refresh_from_db()
    assert meeting.agenda_published_at == _at("2022-03-14T09:00")
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert paper.published_at == _at("2022-03-14T09:00")
    assert result.clear_days == 7
    assert result.warnings == []


def test_a_paper_published_at_a_set_time_is_public_from_that_time() -> None:
    """The rule reads the database's clock: a minute before the time the
    paper is not public, a moment after it is."""
    meeting = factories.meeting(start="2022-03-24T10:00")
    paper = factories.document(meeting, factories.item(factories.section(meeting)))
    services.agenda_publish(meeting=meeting, at=_at("2022-03-14T09:00"))
    public = Document.objects.for_audience(Audience.PUBLIC)
    assert public.filter(pk=paper.pk).exists()
    now = timezone.now()
    for at, shown in [
        (now + dt.timedelta(minutes=1), False),
        (now + dt.timedelta(days=400), False),
        (now - dt.timedelta(seconds=1), True),
    ]:
        Document.objects.filter(pk=paper.pk).update(published_at=at)
        assert public.filter(pk=paper.pk).exists() == shown, at


def test_late_publication_across_easter_is_warned_with_the_last_good_day() -> None:
    # Friday 22 April 2022; Good Friday, Easter Monday and a weekend fall
    # in between, so publishing on Wednesday 13 April leaves 4 clear days.
    meeting = factories.meeting(start="2022-04-22T10:00")
    factories.item(factories.section(meeting))
    result = services.agenda_publish(meeting=meeting, at=_at("2022-04-13T12:00"))
    assert result.clear_days == 4
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "Only 4 clear working days" in warning
    assert "12 April 2022" in warning
    assert "22 April 2022" in warning


def test_an_empty_or_cancelled_agenda_cannot_be_published() -> None:
    meeting = factories.meeting()
    with pytest.raises(ValidationError, match="at least one item"):
        services.agenda_publish(meeting=meeting)
    factories.item(factories.section(meeting))
    services.meeting_cancel(meeting=meeting, reason="Not quorate")
    with pytest.raises(ValidationError, match="cancelled"):
        services.agenda_publish(meeting=meeting)


def test_an_item_added_after_publication_must_be_urgent_with_a_reason() -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    section = factories.section(meeting)
    factories.item(section)
    services.agenda_publish(meeting=meeting, at=_at("2022-03-14T09:00"))
    with pytest.raises(ValidationError) as refused:
        factories.item(section, "Serious violence duty", at=_at("2022-03-20T09:00"))
    assert "urgent" in refused.value.message_dict["urgency_reason"][0]
    late = factories.item(
        section,
        "Serious violence duty",
        urgency_reason="Home Office consultation closes before the next meeting.",
        at=_at("2022-03-20T09:00"),
    )
    assert late.is_urgent
    assert late.added_after_publication
    assert late.reference == "B2"


def test_reordering_renumbers_references_within_the_section() -> None:
    meeting = factories.meeting()
    section = factories.section(meeting)
    first, second, third = (factories.item(section, t) for t in ("One", "Two", "Three"))
    assert [first.reference, second.reference, third.reference] == ["B1", "B2", "B3"]
    services.agenda_item_move(item=third, position=1)
    refs = dict(AgendaItem.objects.values_list("title", "reference"))
    assert refs == {"Three": "B1", "One": "B2", "Two": "B3"}
    AgendaItem.objects.get(title="One").delete()
    services.agenda_section_renumber(section=section)
    refs = dict(AgendaItem.objects.values_list("title", "reference"))
    assert refs == {"Three": "B1", "Two": "B2"}


def test_start_from_template_dates_the_previous_minutes() -> None:
    body = factories.body()
    factories.meeting(body, start="2021-11-18T10:00")
    cancelled = factories.meeting(body, start="2022-01-20T10:00")
    services.meeting_cancel(meeting=cancelled, reason="Covid-19 restrictions")
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    items = services.agenda_start_from_template(meeting=meeting)
    titles = [(i.reference, i.title, i.standard) for i in items]
    assert titles[0] == ("A1", "Substitutes", StandardItem.SUBSTITUTES)
    assert titles[2] == (
        "A3",
        "Minutes of the meeting held on 18 November 2021",
        StandardItem.PREVIOUS_MINUTES,
    )
    with pytest.raises(ValidationError):
        services.agenda_start_from_template(meeting=meeting)


def test_cancelling_keeps_the_record_and_needs_a_reason() -> None:
    meeting = factories.meeting()
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="  ")
    services.meeting_cancel(meeting=meeting, reason="Moved to 7 April", postpone=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED
    assert meeting.status_reason == "Moved to 7 April"


def test_two_meetings_on_one_day_get_distinct_addresses() -> None:
    body = factories.body()
    morning = factories.meeting(body, start="2022-03-24T10:00")
    afternoon = factories.meeting(body, start="2022-03-24T14:00")
    assert morning.url_key == "2022-03-24"
    assert afternoon.url_key == "2022-03-24-2"
    afternoon.start = _at("2022-03-31T14:00")
    services.meeting_save(meeting=afternoon)
    assert afternoon.url_key == "2022-03-31"


def test_a_word_file_renamed_pdf_is_refused_with_a_clear_message() -> None:
    meeting = factories.meeting()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            meeting=meeting, upload=fake, name="report.pdf", title="Report"
        )
    message = refused.value.messages[0]
    assert 'called "report.pdf"' in message
    assert "Word document" in message
    assert meeting.documents.count() == 0


def test_plain_text_renamed_pdf_is_refused() -> None:
    meeting = factories.meeting()
    with pytest.raises(ValidationError, match="not a PDF"):
        services.document_add(
            meeting=meeting,
            upload=io.BytesIO(b"just some notes"),
            name="notes.pdf",
            title="Notes",
        )


def test_a_real_pdf_is_stored_with_its_details() -> None:
    meeting = factories.meeting()
    paper = factories.document(
        meeting, title="Agreement", pages=3, name="../../etc/Agreement 2011.PDF"
    )
    assert paper.file_kind == "pdf"
    assert paper.page_count == 3
    assert paper.filename == "Agreement_2011.pdf"
    assert len(paper.sha256) == 64
    assert paper.size_bytes > 0
    assert "etc" not in paper.file.name


def test_an_empty_or_oversized_file_is_refused(settings: pytest.FixtureRequest) -> None:
    meeting = factories.meeting()
    with pytest.raises(ValidationError, match="empty"):
        services.document_add(
            meeting=meeting, upload=io.BytesIO(b""), name="a.pdf", title="A"
        )
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than"):
        services.document_add(
            meeting=meeting,
            upload=io.BytesIO(factories.pdf_bytes()),
            name="a.pdf",
            title="A",
        )


def test_exempt_item_needs_its_schedule_12a_paragraph() -> None:
    meeting = factories.meeting()
    with pytest.raises(ValidationError) as refused:
        factories.item(factories.section(meeting), visibility=Visibility.EXEMPT)
    assert "Schedule 12A" in refused.value.message_dict["exempt_paragraph"][0]


def test_membership_on_a_date() -> None:
    body = factories.body("Crime and Disorder Committee")
    tweed = factories.person("Tweed", initials="E M", title="Mrs")
    green = factories.person("Green", initials="E", title="Mrs")
    Membership.objects.create(
        body=body,
        person=tweed,
        role="chair",
        start=dt.date(2009, 6, 4),
        end=dt.date(2013, 5, 1),
    )
    Membership.objects.create(body=body, person=green, start=dt.date(2011, 1, 1))
    on_2010 = Membership.objects.filter(body=body).on(dt.date(2010, 4, 6))
    assert [m.person for m in on_2010] == [tweed]
    on_2011 = Membership.objects.filter(body=body).on(dt.date(2011, 7, 8))
    assert {m.person for m in on_2011} == {tweed, green}
    assert [m.person for m in Membership.objects.filter(body=body).current()] == [green]
