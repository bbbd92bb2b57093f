"""Nothing a signed-in person is sent is kept by their browser or a shared
cache: every response to them says `Cache-Control: private, no-store`,
whatever the view chose (pages, PDFs, downloads, streamed files, the API).
Signed-out readers keep the caching each public surface chose."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.dhr import factories as dhr_factories
from tests.meetings.pdf_helpers import minutes_meeting

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def _public_surfaces() -> dict[str, tuple[str, str]]:
    """Public addresses of every kind, with the caching each gives the
    public ("" where it gives no header)."""
    meeting = minutes_meeting()
    paper = factories.document(meeting, meeting.items.first(), title="Strategy")
    review = dhr_factories.published_case()
    summary = dhr_factories.document(review)
    return {
        "meeting page": (meeting.get_absolute_url(), ""),
        "paper download": (paper.get_absolute_url(), "public, max-age=300"),
        "minutes PDF": (
            reverse("meetings:minutes_pdf", args=[meeting.body.slug, meeting.url_key]),
            "public, no-cache",
        ),
        "review document": (summary.get_absolute_url(), "public, max-age=300"),
        # Kept by the documents service like every PDF: checked on each use.
        "review action plan": (
            reverse("dhr:review_pdf", args=[review.slug]),
            "public, no-cache",
        ),
        "calendar": (reverse("feeds:calendar"), "public, max-age=900"),
        "open data API": ("/api/v1/meetings/", "public, max-age=60"),
    }


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_response_to_a_signed_in_user_is_private_and_not_stored(
    partner, dhr_coordinator
) -> None:
    surfaces = _public_surfaces()
    officer = _signed_in(partner)
    wrong = []
    for name, (url, public) in surfaces.items():
        anonymous = Client().get(url)
        mine = officer.get(url)
        assert (anonymous.status_code, mine.status_code) == (200, 200), name
        if anonymous.get("Cache-Control", "") != public:
            wrong.append(f"{name} to the public: {anonymous.get('Cache-Control')}")
        if mine["Cache-Control"] != PRIVATE or "Expires" in mine:
            wrong.append(f"{name} signed in: {mine['Cache-Control']}")
    assert wrong == [], "\n".join(wrong)

    # A streamed download is marked like the rest.
    paper = officer.get(surfaces["paper download"][0])
    assert paper.streaming
    assert paper["Cache-Control"] == PRIVATE
    # And so are the pages only signed-in people reach.
    coordinator = _signed_in(dhr_coordinator)
    for url in (reverse("kcsp:actions"), reverse("dhr:dashboard")):
        assert coordinator.get(url)["Cache-Control"] == PRIVATE, url


def test_a_half_finished_sign_in_is_not_stored_either(settings, clerk) -> None:
    """Password given, second factor not yet: signed in all the same."""
    settings.STAFF_TWO_FACTOR = True
    client = Client()
    client.post(
        reverse("login"), {"username": "clerk", "password": "a-long-test-password"}
    )
    asked = client.get(reverse("two_factor"))
    assert asked["Cache-Control"] == PRIVATE
