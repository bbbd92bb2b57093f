from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from kcsp import roles
from kcsp.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_with_its_permissions() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names
    clerk = Group.objects.get(name=Role.CLERK)
    assert clerk.permissions.filter(codename="change_person").exists()
    assert not clerk.permissions.filter(codename="delete_user").exists()
    partner = Group.objects.get(name=Role.PARTNER_OFFICER)
    assert partner.permissions.count() == 0
    admin = Group.objects.get(name=Role.ADMINISTRATOR)
    assert admin.permissions.filter(codename="change_user").exists()


def test_assigning_a_staff_role_opens_the_back_office(clerk: Any, partner: Any) -> None:
    assert clerk.is_staff
    assert not partner.is_staff
    assert clerk.groups.filter(name=Role.CLERK).exists()
    assert roles.organisation_of(partner).short_name == "KFRS"


def _status(user: Any, url: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("fixture", "allowed", "refused"),
    [
        (
            "clerk",
            [
                "admin:index",
                "admin:kcsp_person_changelist",
                "admin:kcsp_organisation_add",
            ],
            ["admin:auth_user_changelist", "admin:kcsp_organisation_delete"],
        ),
        (
            "dhr_coordinator",
            ["admin:index", "admin:kcsp_person_changelist"],
            ["admin:kcsp_person_add", "admin:auth_user_changelist"],
        ),
        (
            "administrator",
            ["admin:index", "admin:auth_user_changelist", "admin:kcsp_person_add"],
            [],
        ),
    ],
)
def test_staff_roles_reach_only_their_part_of_the_back_office(
    request: pytest.FixtureRequest, fixture: str, allowed: list[str], refused: list[str]
) -> None:
    user = request.getfixturevalue(fixture)
    org = factories.organisation("Kent Police")
    for name in allowed:
        assert _status(user, reverse(name)) == 200, name
    for name in refused:
        args = [org.pk] if name.endswith("_delete") else []
        assert _status(user, reverse(name, args=args)) == 403, name


def test_partner_officer_is_sent_to_sign_in_from_the_back_office(partner: Any) -> None:
    client = Client()
    client.force_login(partner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_anonymous_user_is_sent_to_sign_in_from_the_back_office(client: Client) -> None:
    response = client.get(reverse("admin:kcsp_person_changelist"))
    assert response.status_code == 302


def test_sign_in_page_signs_a_user_in(client: Client, clerk: Any) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    bad = Client().post(reverse("login"), {"username": "clerk", "password": "wrong"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "There is a problem" in body
    assert 'value="clerk"' in body
