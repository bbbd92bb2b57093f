from typing import Any

import pytest
from django.core.cache import cache

from tests.api import world


@pytest.fixture(autouse=True)
def no_rate_limit(settings: Any) -> None:
    """Most tests make many requests; the rate limit has its own test."""
    settings.API_ANON_RATE = None
    cache.clear()


@pytest.fixture
def partnership(db: None) -> world.World:
    return world.build()
