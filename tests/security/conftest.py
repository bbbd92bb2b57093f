from typing import Any

import pytest

from tests.security.world import World, build_world


@pytest.fixture(autouse=True)
def no_api_rate_limit(settings: Any) -> None:
    """The walks read the API many times a minute; its limit is tested in
    tests/api."""
    settings.API_ANON_RATE = None


@pytest.fixture
def world(db: None) -> World:
    return build_world()
