"""Papers added after the agenda was published wait for the clerk to publish
them together as a supplementary agenda, which the meeting page, the feed and
the dashboard all show."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kcsp.pagecache import content_version
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Supplement
from tests import factories
from tests.helpers import words
from tests.meetings.minutes_factories import agenda

pytestmark = pytest.mark.django_db


def _url(name: str, meeting: Any, *extra: Any) -> str:
    return reverse(name, args=[meeting.body.slug, meeting.url_key, *extra])


def _published_meeting() -> Any:
    meeting = factories.coming_meeting(30)
    agenda(meeting, ["Hate crime update", "Case review"])
    exempt = meeting.items.get(title="Case review")
    exempt.visibility = Visibility.EXEMPT
    exempt.exempt_paragraph = ExemptParagraph.INDIVIDUAL
    exempt.save()
    services.agenda_publish(meeting=meeting)
    return meeting


def _upload(client: Client, meeting: Any, item: Any, name: str) -> Any:
    return client.post(
        _url("manage:item", meeting, item.pk),
        {
            "upload": "1",
            "paper-title": name,
            "paper-kind": "report",
            "paper-file": SimpleUploadedFile(f"{name}.pdf", factories.pdf_bytes()),
        },
        follow=True,
    )


def test_late_papers_wait_then_go_out_together_as_supplement_one(
    client: Client, clerk: Any
) -> None:
    meeting = _published_meeting()
    update = meeting.items.get(title="Hate crime update")
    client.force_login(clerk)

    added = words(_upload(client, meeting, update, "Hate crime figures"))
    assert "The agenda is already published: the paper waits" in added
    assert "Hate crime figures" not in words(Client().get(meeting.get_absolute_url()))
    assert "Papers waiting for a supplementary agenda: 1" in words(
        client.get(reverse("manage:dashboard"))
    )
    workspace = words(client.get(_url("manage:meeting", meeting)))
    assert "Publish them as supplementary agenda 1" in workspace

    summary = words(client.get(_url("manage:supplement", meeting)))
    assert "Publish supplementary agenda 1" in summary
    assert "Hate crime figures (B1 Hate crime update)" in summary
    before = content_version()
    client.post(_url("manage:supplement", meeting))
    supplement = Supplement.objects.get()
    assert supplement.number == 1
    assert content_version() > before  # the pack and cached pages are built again

    public = words(Client().get(meeting.get_absolute_url()))
    assert "Supplementary agenda 1 was published on" in public
    assert "Hate crime figures" in public
    feed = Client().get(reverse("feeds:agendas_rss")).content.decode()
    assert "Supplementary agenda 1: Kent Community Safety Partnership" in feed
    assert "Hate crime figures" in feed


def test_a_late_paper_of_an_exempt_item_stays_private(
    client: Client, clerk: Any
) -> None:
    meeting = _published_meeting()
    exempt = meeting.items.get(title="Case review")
    client.force_login(clerk)
    _upload(client, meeting, exempt, "Chronology")
    summary = words(client.get(_url("manage:supplement", meeting)))
    assert "Chronology (B2 Case review): stays private" in summary
    client.post(_url("manage:supplement", meeting))
    assert "Chronology" not in words(Client().get(meeting.get_absolute_url()))
    feed = Client().get(reverse("feeds:agendas_rss")).content.decode()
    assert "Chronology" not in feed


def test_nothing_waiting_is_said_and_nothing_published(
    client: Client, clerk: Any
) -> None:
    meeting = _published_meeting()
    client.force_login(clerk)
    response = client.post(_url("manage:supplement", meeting), follow=True)
    assert "No papers are waiting to be published." in words(response)
    assert not Supplement.objects.exists()


def _replace(client: Client, meeting: Any, item: Any, paper: Any) -> Any:
    return client.post(
        _url("manage:item", meeting, item.pk),
        {
            "replace": paper.pk,
            "replacement": SimpleUploadedFile("v2.pdf", factories.pdf_bytes(2)),
        },
        follow=True,
    )


def test_a_new_version_of_a_published_paper_goes_out_with_the_supplement(
    client: Client, clerk: Any
) -> None:
    from meetings.selectors import meeting_page

    meeting = factories.coming_meeting(30)
    agenda(meeting, ["Hate crime update"])
    update = meeting.items.get()
    client.force_login(clerk)
    _upload(client, meeting, update, "Hate crime figures")
    services.agenda_publish(meeting=meeting)
    first = update.documents.get()

    added = words(_replace(client, meeting, update, first))
    assert "Version 2 of Hate crime figures added." in added
    assert "when the next supplementary agenda is published" in added
    public = words(Client().get(meeting.get_absolute_url()))
    assert "superseded" not in public  # version 1 is current until then

    client.post(_url("manage:supplement", meeting))
    first.refresh_from_db()
    assert first.superseded_at is not None
    public = words(Client().get(meeting.get_absolute_url()))
    assert "version 2" in public
    assert "(version 1, superseded on" in public
    view = meeting_page(meeting=meeting, user=None).sections[0].items[0]
    assert [d.version for d in view.documents] == [2]  # the pack takes these
    assert [d.version for d in view.earlier] == [1]

    again = words(_replace(client, meeting, update, first))
    assert "A newer version of this paper exists: replace that." in again


def test_before_the_agenda_is_published_a_new_version_replaces_at_once(
    client: Client, clerk: Any
) -> None:
    meeting = factories.coming_meeting(30)
    agenda(meeting, ["Hate crime update"])
    update = meeting.items.get()
    client.force_login(clerk)
    _upload(client, meeting, update, "Hate crime figures")
    first = update.documents.get()
    missing = words(
        client.post(
            _url("manage:item", meeting, update.pk), {"replace": first.pk}, follow=True
        )
    )
    assert "Choose the file of the new version of Hate crime figures." in missing
    _replace(client, meeting, update, first)
    first.refresh_from_db()
    assert first.superseded_at is not None
    services.agenda_publish(meeting=meeting)
    first.refresh_from_db()
    assert first.published_at is None  # never public, so never listed
    assert not services.papers_waiting(meeting).exists()
    assert "superseded" not in words(Client().get(meeting.get_absolute_url()))
