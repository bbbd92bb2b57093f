"""The home page and the partnership's page list the current agreement's
priorities, each linked to its page, and nothing of a draft."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kcsp.models import Partnership
from priorities import services
from tests.agreement import factories as csa
from tests.helpers import text

pytestmark = pytest.mark.django_db


def _section(page: str) -> str:
    found = re.search(
        r'<section aria-labelledby="agreement-home-title">.*?</section>', page, re.S
    )
    assert found, "No agreement section"
    return found.group(0)


@pytest.mark.parametrize("where", ["home", "partnership"])
def test_the_current_priorities_are_listed_with_their_pages(
    client: Client, where: str
) -> None:
    current, draft = csa.approved_with_refresh()
    services.priority_add(agreement=draft, name="Tackling shop theft")
    url = (
        reverse("kcsp:home")
        if where == "home"
        else reverse("kcsp:partnership", args=[Partnership.objects.host().slug])
    )
    section = _section(text(client.get(url)))

    assert current.get_absolute_url() in section
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', section)
    expected = [
        (reverse("priorities:detail", args=[p.slug]), p.name)
        for p in current.priorities.order_by("order", "pk")
    ]
    assert [(url, name.replace("&amp;", "&")) for url, name in links] == expected
    assert len(links) == 6
    assert "Tackling shop theft" not in section


def test_with_no_agreement_published_the_home_page_says_so(client: Client) -> None:
    csa.agreement(status="draft")
    section = _section(text(client.get(reverse("kcsp:home"))))
    assert "will appear here once it is published" in section
