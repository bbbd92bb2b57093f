"""The demo reviews: the seeds' published reviews and fictional cases."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dhr.models import AgencyAction, Case, Configuration
from tests.helpers import text

pytestmark = pytest.mark.django_db


class _Sink:
    def write(self, *args: object, **kwargs: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "cases": list(
            Case.objects.order_by("reference").values_list(
                "reference", "pseudonym", "published_on", "decision"
            )
        ),
        "actions": list(
            AgencyAction.objects.order_by("action__title").values_list(
                "action__title", "action__status", "signed_off_on"
            )
        ),
    }


def test_demo_publishes_only_the_seeds_reviews_and_loads_the_same_twice(
    client: Client,
) -> None:
    call_command("load_demo", no_accounts=True, stdout=_Sink())
    first = _snapshot()
    call_command("load_demo", no_accounts=True, stdout=_Sink())
    assert _snapshot() == first

    public = {c.public_name: c for c in Case.objects.public()}
    assert set(public) == {"Sylvie 2018", "Tamana 2018"}
    for case in public.values():
        assert case.area == "Kent and Medway"
        assert case.recorded_from_publication
        assert case.recommendations.count() == 0
        assert not case.documents.exists()
    fictional = Case.objects.exclude(recorded_from_publication=True)
    assert fictional.count() >= 4
    assert all(c.reference.startswith("DEMO") and not c.pseudonym for c in fictional)
    assert {c.decision for c in fictional} >= {"pending", "hold", "not_held"}
    assert Configuration.current().board.slug == "kent-and-medway-dhr-board"

    body = text(client.get(reverse("dhr:list")))
    assert "Sylvie 2018" in body and "Tamana 2018" in body
    assert "DEMO" not in body
