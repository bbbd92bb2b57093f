"""The back office shows, for any record, who changed what and when."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kcsp.models import Action
from tests.security.test_locking import _form

pytestmark = pytest.mark.django_db


def test_a_records_history_shows_who_changed_which_field_from_what(
    administrator: Any, kfrs: Any
) -> None:
    client = Client()
    client.force_login(administrator)
    action = Action.objects.create(
        title="Review refuge provision", owner_organisation=kfrs
    )
    change = reverse("admin:kcsp_action_change", args=[action.pk])
    data = _form(client, change)
    data["title"] = "Review refuge provision in Thanet"
    assert client.post(change, data).status_code == 302

    page = client.get(reverse("admin:kcsp_action_history", args=[action.pk]))
    words = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split()
    )
    assert "Changed administrator" in words
    assert "Title: Review refuge provision → Review refuge provision in Thanet" in words
    assert "Version: 1 → 2" in words
