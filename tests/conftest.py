from typing import Any

import pytest

from kcsp.roles import Role
from tests import factories


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
