import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import AgendaItem, Document, Meeting
from tests import factories
from tests.helpers import peak_extra_memory, text

pytestmark = pytest.mark.django_db


def test_the_back_office_leads_to_the_workspace_for_a_meetings_public_steps(
    client: Client, clerk
) -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting))
    client.force_login(clerk)
    listing = text(client.get(reverse("admin:meetings_meeting_changelist")))
    assert "Publish the agenda of the selected meetings" not in listing
    assert "Cancel or postpone" not in listing
    refused = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_agenda", "_selected_action": [meeting.pk]},
    )
    assert refused.status_code in {200, 302}
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    page = text(client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])))
    workspace = reverse("manage:meeting", args=[meeting.body.slug, meeting.url_key])
    assert f'<a href="{workspace}">Publish, move or cancel it' in page


def _paper(meeting: Meeting, title: str, filename: str, content: bytes) -> dict:
    """The back office's form for adding a public report to `meeting`."""
    return {
        "meeting": meeting.pk,
        "title": title,
        "kind": "report",
        "version": 1,
        "visibility": "public",
        "order": 0,
        "file": SimpleUploadedFile(filename, content),
    }


def test_admin_refuses_a_disguised_file_and_keeps_the_form(
    client: Client, clerk
) -> None:
    meeting = factories.meeting()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    client.force_login(clerk)
    response = client.post(
        reverse("admin:meetings_document_add"),
        _paper(meeting, "Budget monitoring", "budget.pdf", fake.getvalue()),
    )
    assert response.status_code == 200
    body = text(response)
    assert "its contents are a Excel spreadsheet" in body or "Excel spreadsheet" in body
    assert 'value="Budget monitoring"' in body
    assert Document.objects.count() == 0


def test_admin_refuses_a_zip_bomb_unread_and_says_why(client: Client, clerk) -> None:
    meeting = factories.meeting()
    bomb = factories.zip_bomb({"mimetype": 200}, mimetype=None)
    client.force_login(clerk)
    response, extra = peak_extra_memory(
        lambda: client.post(
            reverse("admin:meetings_document_add"),
            _paper(meeting, "Budget monitoring", "budget.odt", bomb),
        )
    )
    assert extra < 50 * factories.MB, f"the request held {extra:,} bytes more"
    body = text(response)
    assert "This file, &quot;budget.odt&quot;, could not be accepted because" in body
    assert "times its packed size" in body
    assert 'value="Budget monitoring"' in body
    assert not Document.objects.exists()


def test_admin_upload_of_a_real_pdf_records_its_details(client: Client, clerk) -> None:
    meeting = factories.meeting()
    client.force_login(clerk)
    response = client.post(
        reverse("admin:meetings_document_add"),
        _paper(
            meeting, "Vision Zero strategy", "vision zero.pdf", factories.pdf_bytes(4)
        ),
    )
    assert response.status_code == 302, text(response)
    paper = Document.objects.get()
    assert (paper.file_kind, paper.page_count, paper.filename) == (
        "pdf",
        4,
        "vision_zero.pdf",
    )
    assert paper.uploaded_by == clerk


def test_item_added_in_the_back_office_after_publication_needs_urgency(
    client: Client, clerk
) -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    section = factories.section(meeting)
    factories.item(section)
    from meetings.services import agenda_publish

    agenda_publish(meeting=meeting)
    client.force_login(clerk)
    data = {
        "section": section.pk,
        "title": "Late report",
        "visibility": "public",
        "purpose": "",
        "standard": "",
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:meetings_agendaitem_add"), data)
    assert response.status_code == 200
    assert "urgent business" in text(response)
    data["urgency_reason"] = "Grant deadline falls before the next meeting."
    response = client.post(reverse("admin:meetings_agendaitem_add"), data)
    assert response.status_code == 302
    late = AgendaItem.objects.get(title="Late report")
    assert late.is_urgent and late.added_after_publication and late.reference == "B2"


def test_partner_officer_cannot_open_meetings_in_the_back_office(
    client: Client, partner
) -> None:
    client.force_login(partner)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302


def test_back_office_writes_times_the_british_way(client: Client, clerk) -> None:
    factories.meeting(start="2022-03-24T14:30")
    client.force_login(clerk)
    page = text(client.get(reverse("admin:meetings_meeting_changelist")))
    assert "24 March 2022, 2.30 pm" in page
    assert "p.m." not in page
