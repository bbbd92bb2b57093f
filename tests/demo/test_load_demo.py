from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kcsp import roles
from kcsp.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"kcsp", "meetings", "agreement", "priorities", "dhr"}
        and not m.__name__.startswith("Historical")
        # A log of saves, like the history: it grows with every save.
        and m._meta.label != "kcsp.ContentChange"
    }


def test_load_demo_twice_gives_the_same_rows_and_working_accounts() -> None:
    out = _Sink()
    call_command("load_demo", force=True, stdout=out)
    first = _counts()
    call_command("load_demo", force=True, stdout=_Sink())
    assert _counts() == first

    assert Organisation.objects.local_csps().count() == 11
    assert Person.objects.get(surname="Hill").formal_name == "Mr P M Hill, OBE"
    User = get_user_model()
    for username, role in [
        ("clerk", roles.Role.CLERK),
        ("partner", roles.Role.PARTNER_OFFICER),
        ("dhr", roles.Role.DHR_COORDINATOR),
        ("admin", roles.Role.ADMINISTRATOR),
    ]:
        user = User.objects.get(username=username)
        assert roles.has_role(user, role)
        assert f"{username}-demo-pass" in out.text
        client = Client()
        response = client.post(
            reverse("login"),
            {"username": username, "password": f"{username}-demo-pass"},
        )
        assert response.status_code == 302, username
    partner = User.objects.get(username="partner")
    assert roles.organisation_of(partner).short_name == "KFRS"


def test_demo_accounts_refused_without_debug_before_anything_is_loaded() -> None:
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo", stdout=_Sink())
    assert Organisation.objects.count() == 0


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, msg: Any = "", *args: Any, **kw: Any) -> None:
        self.text += str(msg) + "\n"

    def flush(self) -> None:
        pass
