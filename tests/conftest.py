import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import override_settings

from kcsp.roles import Role
from tests import factories
from tests.helpers import REDIS_URL, service_missing


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with an empty cache: cached pages are keyed on the
    content version, and on SQLite a rolled-back test's version numbers are
    used again by the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kfrs(db: None) -> Any:
    return factories.organisation("Kent Fire and Rescue Service", short_name="KFRS")


@pytest.fixture
def kent_police(db: None) -> Any:
    return factories.organisation("Kent Police", short_name="Kent Police")


@pytest.fixture
def clerk(db: None) -> Any:
    return factories.user("clerk", Role.CLERK)


@pytest.fixture
def partner(kfrs: Any) -> Any:
    """A partner officer at Kent Fire and Rescue Service."""
    return factories.user("partner", Role.PARTNER_OFFICER, organisation_obj=kfrs)


@pytest.fixture
def dhr_coordinator(db: None) -> Any:
    return factories.user("dhr", Role.DHR_COORDINATOR)


@pytest.fixture
def administrator(db: None) -> Any:
    return factories.user("administrator", Role.ADMINISTRATOR)


@pytest.fixture
def redis_server() -> redis.Redis:
    """The Redis server the tests use (TEST_REDIS_URL): skipped without
    one, failed without one in CI (REQUIRE_SERVICES=1)."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.RedisError as error:
        service_missing(f"No Redis server at {REDIS_URL} ({error})")
    return server


@pytest.fixture(
    params=[
        "memory",
        pytest.param("redis", marks=pytest.mark.django_db(transaction=True)),
    ]
)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The cache's backend: memory (as set for the tests) or the shared
    Redis cache of several nodes, under a prefix of this test's own."""
    if request.param == "memory":
        yield "memory"
        return
    server = request.getfixturevalue("redis_server")
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            # The production backend (kcsp.cache), as in settings.
            "BACKEND": "kcsp.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield "redis"
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


@pytest.fixture(scope="session")
def _smtp_controller() -> Any:
    from tests import mailserver

    controller, mailbox = mailserver.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller: Any, settings: Any) -> Any:
    """A real SMTP server on 127.0.0.1 that the portal sends through; returns
    its mailbox (`messages`, `refuse_next()`)."""
    from tests import mailserver

    controller, mailbox = _smtp_controller
    mailbox.clear()
    mailbox.refusals = 0
    settings.MAILERS = mailserver.mailers_for(controller.port)
    return mailbox
