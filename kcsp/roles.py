"""Roles: the four kinds of signed-in user and the back-office screens each
opens. What each may read is the role table of `kcsp.visibility`.

A role is a Django group. Its model permissions are declared here as patterns
and kept in step by `sync_role_permissions`, which runs after every migrate,
so a model added by a later app gets its permissions without a new migration.
"""

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import models, transaction


class Role(models.TextChoices):
    CLERK = "Clerk", "Clerk"
    PARTNER_OFFICER = "Partner officer", "Partner officer"
    DHR_COORDINATOR = "DHR coordinator", "DHR coordinator"
    ADMINISTRATOR = "Administrator", "Administrator"


# Patterns are "app_label.codename"; fnmatch wildcards allowed. A pattern
# starting "!" takes matching permissions away again.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CLERK: (
        "kcsp.view_*",
        "kcsp.add_person",
        "kcsp.change_person",
        "kcsp.add_organisation",
        "kcsp.change_organisation",
        "kcsp.add_post*",
        "kcsp.change_post*",
        # Their own partnerships' name and logo (the back office lists them
        # no other).
        "kcsp.change_partnership",
        "meetings.*",
        # What a redaction took out is for administrators alone.
        "!meetings.*redaction",
        "agreement.*",
        "priorities.*",
    ),
    # Partner officers work through the portal's own pages (their
    # organisation's actions), never the back office.
    Role.PARTNER_OFFICER: (),
    Role.DHR_COORDINATOR: (
        "kcsp.view_organisation",
        "kcsp.view_person",
        "kcsp.view_post",
        "dhr.*",
        # The access log is read by administrators, never by those it logs.
        "!dhr.*accesslog",
    ),
    Role.ADMINISTRATOR: ("*",),
}

# Roles that use the back office (and so need user.is_staff).
STAFF_ROLES = frozenset({Role.CLERK, Role.DHR_COORDINATOR, Role.ADMINISTRATOR})


def _matches(perm: Permission, patterns: Iterable[str]) -> bool:
    name = f"{perm.content_type.app_label}.{perm.codename}"
    patterns = list(patterns)
    allowed = any(fnmatchcase(name, p) for p in patterns if not p.startswith("!"))
    denied = any(fnmatchcase(name, p[1:]) for p in patterns if p.startswith("!"))
    return allowed and not denied


def sync_role_permissions(**_: Any) -> None:
    """Create the role groups and give each exactly its declared permissions."""
    perms = list(Permission.objects.select_related("content_type"))
    with transaction.atomic():
        for role in Role:
            group, _created = Group.objects.get_or_create(name=role.value)
            wanted = [p for p in perms if _matches(p, ROLE_PERMISSIONS[role])]
            group.permissions.set(wanted)


def roles_of(user: Any) -> frozenset[str]:
    """The role names a user holds (empty for anonymous users)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kcsp_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR.value}
        user._kcsp_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & {str(r) for r in roles})


def is_staff_member(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def partnerships_clerked_by(user: Any) -> frozenset[int]:
    """The ids of the partnerships a clerk works for (none for anyone who is
    not a clerk): their clerk's reach holds there and nowhere else."""
    if Role.CLERK not in roles_of(user):
        return frozenset()
    return frozenset(user.clerk_of_partnerships.values_list("pk", flat=True))


class RoleBackend(ModelBackend):
    """Django's model permissions, from the role groups, with the one rule a
    group cannot hold: a clerk's come with the partnerships they clerk for.
    A clerk of none (every partnership taken away, the group not yet) opens
    no back-office screen as a clerk, the shared directory included."""

    def _get_group_permissions(self, user_obj: Any) -> Any:
        groups = user_obj.groups.all()
        if Role.CLERK in roles_of(user_obj) and not partnerships_clerked_by(user_obj):
            groups = groups.exclude(name=Role.CLERK)
        return Permission.objects.filter(group__in=groups)


def organisation_of(user: Any) -> Any:
    """The organisation a signed-in user works for, through their Person."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    return person.organisation if person else None


def organisation_id_of(user: Any) -> int | None:
    """The id of `organisation_of(user)`, without reading the organisation."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    return person.organisation_id if person else None


def assign_role(*, user: Any, role: Role) -> Any:
    """Give a user a role, and back-office access when the role needs it."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
        if role in STAFF_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_kcsp_roles", None)
    user.__dict__.pop("_kcsp_audience", None)
    return user
