"""Assertions shared across the test tree."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries one GET of `url` costs (and that it succeeds)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def text(response: Any) -> str:
    return response.content.decode()


def is_public(action: Any) -> bool:
    """Whether the public sees this action, as its source says today."""
    from kcsp.models import Action

    return Action.objects.public().filter(pk=action.pk).exists()
