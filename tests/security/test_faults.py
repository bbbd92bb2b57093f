"""A failure part-way through a piece of work leaves nothing half-written,
and the reader gets the portal's error page rather than a broken one."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import MinuteItem, Minutes
from meetings.services import minutes as minutes_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_failure_while_starting_minutes_leaves_no_partial_minutes(
    clerk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    section = factories.section(meeting)
    for title in ("Substitutes", "Minutes of the last meeting", "Vision Zero"):
        factories.item(section, title)
    services.agenda_publish(meeting=meeting)

    def disk_full(meeting: Any) -> None:
        raise OSError("No space left on device")

    # The last step of the service fails, after the items were written.
    monkeypatch.setattr(minutes_services, "_prefill_attendance", disk_full)
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    response = client.post(
        reverse("meetings:minutes_start", args=[meeting.body.slug, meeting.url_key]),
        {"first_number": "51"},
    )
    assert response.status_code == 500
    assert (
        "Sorry" in response.content.decode() or "problem" in response.content.decode()
    )
    assert not Minutes.objects.filter(meeting=meeting, items__isnull=False).exists()
    assert not MinuteItem.objects.filter(minutes__meeting=meeting).exists()

    # Once the fault is gone, the same request works from a clean state.
    monkeypatch.undo()
    done = client.post(
        reverse("meetings:minutes_start", args=[meeting.body.slug, meeting.url_key]),
        {"first_number": "51"},
    )
    assert done.status_code == 302
    assert list(
        MinuteItem.objects.filter(minutes__meeting=meeting).values_list(
            "number", flat=True
        )
    ) == [51, 52, 53]
